"""Rows of the shortage letters and the distribution batches <-> documents.distribution, on one
connection. The PDFs themselves are in the document store; the rows keep their key and sha256."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from documents.db import batch_cards, distribution_batches, documents, letter_sets, shortage_letters
from documents.distribution import BatchCard, BatchStatus, DistributionBatch, LetterSet, ShortageLetter
from documents.domain import DocumentKind, DocumentStatus
from servicekit.access import EVERYWHERE


def letter_key(letter_id: str) -> str:
    return f"letters/{letter_id}.pdf"


def dispatch_list_key(set_id: str) -> str:
    return f"letters/dispatch-{set_id}.pdf"


def manifest_key(batch_id: str) -> str:
    return f"manifests/{batch_id}.pdf"


def receipt_key(batch_id: str) -> str:
    return f"receipts/{batch_id}.pdf"


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Aware UTC (SQLite hands back naive UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def lock_office(connection: Connection, purpose: str, office_code: str) -> None:
    """Serialise one kind of change per office until the transaction ends (PostgreSQL: an
    advisory transaction lock; SQLite: its single writer already serialises)."""
    if connection.dialect.name == "postgresql":
        digest = hashlib.blake2b(f"ektp.documents.{purpose}:{office_code}".encode(), digest_size=8).digest()
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": int.from_bytes(digest, "big", signed=True)})


class LetterRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def lock_office(self, office_code: str) -> None:
        lock_office(self._conn, "letters", office_code)

    def next_sequence(self, office_code: str, year: int) -> int:
        query = sa.select(sa.func.max(shortage_letters.c.sequence)).where(
            shortage_letters.c.office_code == office_code, shortage_letters.c.year == year)
        return (self._conn.execute(query).scalar() or 0) + 1

    def add_set(self, letter_set: LetterSet) -> None:
        self._conn.execute(letter_sets.insert().values(
            set_id=letter_set.set_id, office_code=letter_set.office_code, request_id=letter_set.request_id,
            created_at=_utc(letter_set.created_at), dispatch_key=letter_set.dispatch_key,
            dispatch_sha256=letter_set.dispatch_sha256))
        self._conn.execute(shortage_letters.insert(), [{
            "letter_id": letter.letter_id, "set_id": letter.set_id, "office_code": letter.office_code,
            "recipient_code": letter.recipient_code, "recipient_name": letter.recipient_name, "year": letter.year,
            "sequence": letter.sequence, "created_at": _utc(letter.created_at), "pdf_key": letter.pdf_key,
            "pdf_sha256": letter.pdf_sha256} for letter in letter_set.letters])

    def set_for_request(self, request_id: str) -> LetterSet | None:
        row = self._conn.execute(sa.select(letter_sets).where(letter_sets.c.request_id == request_id)).first()
        return None if row is None else self._with_letters([_set_from_row(row)])[0]

    def get_set(self, set_id: str) -> LetterSet | None:
        row = self._conn.execute(sa.select(letter_sets).where(letter_sets.c.set_id == set_id)).first()
        return None if row is None else self._with_letters([_set_from_row(row)])[0]

    def sets_of_office(self, office_code: str, limit: int = 50) -> list[LetterSet]:
        rows = self._conn.execute(sa.select(letter_sets).where(letter_sets.c.office_code == office_code)
                                  .order_by(letter_sets.c.created_at.desc(), letter_sets.c.set_id).limit(limit))
        return self._with_letters([_set_from_row(row) for row in rows])

    def get_letter(self, letter_id: str) -> ShortageLetter | None:
        row = self._conn.execute(sa.select(shortage_letters).where(shortage_letters.c.letter_id == letter_id)).first()
        return None if row is None else _letter_from_row(row)

    def _with_letters(self, sets: list[LetterSet]) -> list[LetterSet]:
        if not sets:
            return sets
        by_id = {s.set_id: s for s in sets}
        rows = self._conn.execute(sa.select(shortage_letters).where(shortage_letters.c.set_id.in_(list(by_id)))
                                  .order_by(shortage_letters.c.year, shortage_letters.c.sequence))
        for row in rows:
            by_id[row.set_id].letters.append(_letter_from_row(row))
        return sets


class BatchRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def lock_office(self, office_code: str) -> None:
        lock_office(self._conn, "batches", office_code)

    def unbatched_cards(self, office_code: str, limit: int) -> list[BatchCard]:
        """Printed cards of the office that are in no batch yet, oldest first."""
        query = (sa.select(documents.c.document_id, documents.c.register_number, documents.c.region_code)
                 .select_from(documents.outerjoin(batch_cards, batch_cards.c.document_id == documents.c.document_id))
                 .where(documents.c.office_code == office_code, documents.c.kind == DocumentKind.CARD.value,
                        documents.c.status == DocumentStatus.PRINTED.value, batch_cards.c.document_id.is_(None))
                 .order_by(documents.c.issued_at, documents.c.document_id).limit(limit))
        return [BatchCard(row.document_id, row.register_number, row.region_code) for row in self._conn.execute(query)]

    def add(self, batch: DistributionBatch) -> None:
        self._conn.execute(distribution_batches.insert().values(**_batch_row(batch)))
        self._conn.execute(batch_cards.insert(), [{
            "document_id": c.document_id, "batch_id": batch.batch_id, "register_number": c.register_number,
            "region_code": c.region_code, "handed_over_at": _utc(c.handed_over_at)} for c in batch.cards])

    def save(self, batch: DistributionBatch, handed_over: Sequence[BatchCard] = ()) -> None:
        """The batch's state, and the cards just handed over."""
        row = _batch_row(batch)
        del row["batch_id"]
        self._conn.execute(distribution_batches.update()
                           .where(distribution_batches.c.batch_id == batch.batch_id).values(**row))
        for card in handed_over:
            self._conn.execute(batch_cards.update().where(batch_cards.c.document_id == card.document_id)
                               .values(handed_over_at=_utc(card.handed_over_at)))

    def get(self, batch_id: str, *, with_cards: bool = True) -> DistributionBatch | None:
        row = self._conn.execute(sa.select(distribution_batches)
                                 .where(distribution_batches.c.batch_id == batch_id)).first()
        if row is None:
            return None
        if not with_cards:
            return self._with_counts([_batch_from_row(row)])[0]
        rows = self._conn.execute(sa.select(batch_cards).where(batch_cards.c.batch_id == batch_id)
                                  .order_by(batch_cards.c.register_number))
        cards = [BatchCard(r.document_id, r.register_number, r.region_code, _utc(r.handed_over_at)) for r in rows]
        return _batch_from_row(row, cards)

    def batch_of_card(self, document_id: str) -> str | None:
        return self._conn.execute(sa.select(batch_cards.c.batch_id)
                                  .where(batch_cards.c.document_id == document_id)).scalar()

    def of_office(self, office_code: str, status: BatchStatus | None = None, within: str = EVERYWHERE,
                  limit: int = 200) -> list[DistributionBatch]:
        """The office's batches (newest first) going to kecamatan inside `within`."""
        query = sa.select(distribution_batches).where(distribution_batches.c.office_code == office_code)
        if status is not None:
            query = query.where(distribution_batches.c.status == status.value)
        if within != EVERYWHERE:
            column = distribution_batches.c.district_code
            query = query.where(sa.or_(column == within, column.startswith(within + ".", autoescape=True)))
        query = query.order_by(distribution_batches.c.created_at.desc(), distribution_batches.c.district_code,
                               distribution_batches.c.batch_id).limit(limit)
        return self._with_counts([_batch_from_row(row) for row in self._conn.execute(query)])

    def _with_counts(self, batches: list[DistributionBatch]) -> list[DistributionBatch]:
        if not batches:
            return batches
        query = (sa.select(batch_cards.c.batch_id, sa.func.count(), sa.func.count(batch_cards.c.handed_over_at))
                 .where(batch_cards.c.batch_id.in_([b.batch_id for b in batches])).group_by(batch_cards.c.batch_id))
        counts = {batch_id: (cards, handed) for batch_id, cards, handed in self._conn.execute(query)}
        for batch in batches:
            batch.card_count, batch.handed_over_count = counts.get(batch.batch_id, (0, 0))
        return batches


def _set_from_row(row: Row) -> LetterSet:
    return LetterSet(row.set_id, row.office_code, row.request_id, _utc(row.created_at), [], row.dispatch_key,
                     row.dispatch_sha256)


def _letter_from_row(row: Row) -> ShortageLetter:
    return ShortageLetter(row.letter_id, row.set_id, row.office_code, row.recipient_code, row.recipient_name,
                          row.sequence, row.year, _utc(row.created_at), row.pdf_key, row.pdf_sha256)


def _batch_row(batch: DistributionBatch) -> dict:
    return {
        "batch_id": batch.batch_id, "office_code": batch.office_code, "district_code": batch.district_code,
        "status": batch.status.value, "created_at": _utc(batch.created_at),
        "dispatched_at": _utc(batch.dispatched_at), "received_at": _utc(batch.received_at),
        "closed_at": _utc(batch.closed_at), "manifest_key": batch.manifest_key,
        "manifest_sha256": batch.manifest_sha256, "receipt_key": batch.receipt_key or None,
        "receipt_sha256": batch.receipt_sha256 or None,
    }


def _batch_from_row(row: Row, cards: list[BatchCard] | None = None) -> DistributionBatch:
    return DistributionBatch(
        row.batch_id, row.office_code, row.district_code, BatchStatus(row.status), _utc(row.created_at),
        cards or [], dispatched_at=_utc(row.dispatched_at), received_at=_utc(row.received_at),
        closed_at=_utc(row.closed_at), manifest_key=row.manifest_key, manifest_sha256=row.manifest_sha256,
        receipt_key=row.receipt_key or "", receipt_sha256=row.receipt_sha256 or "")
