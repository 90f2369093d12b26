"""Rows of `documents` <-> domain Documents, on one connection.

The PDF is personal data (name, NIK, address, photo on the card): it goes to the document
store (encrypted there, documents.store) under `documents/<document_id>.pdf`, and the row keeps
that key and the PDF's sha256, checked on every read; so the domain and the use cases only ever
see plain bytes and neither a copy of the database nor of the store shows any of it. Rows from
before the store (no `pdf_key`) still hold the PDF encrypted in `documents.pdf` and are read there.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from documents.db import documents
from documents.domain import Document, DocumentKind, DocumentStatus
from documents.store import DocumentStore, sha256_hex
from servicekit.access import EVERYWHERE
from servicekit.fieldcrypto import FieldCipher

_WITHOUT_PDF = [c for c in documents.c if c.name != "pdf"]
PDF_TABLE, PDF_COLUMN = documents.name, documents.c.pdf.name


@dataclass(frozen=True)
class DocumentCounts:
    cards_printed: int
    sukets_issued: int   # every Suket ever issued
    sukets_active: int   # still valid (status issued)
    superseded: int


class DocumentRepository:
    def __init__(self, connection: Connection, cipher: FieldCipher, store: DocumentStore) -> None:
        self._conn = connection
        self._cipher = cipher   # only for the legacy rows' `pdf` column
        self._store = store

    def add(self, document: Document) -> None:
        """The row first, then the file: a row that cannot be inserted (the document exists)
        never overwrites the stored file of the committed one."""
        pdf = document.pdf or b""
        document.pdf_sha256 = sha256_hex(pdf)
        key = pdf_key(document.document_id)
        self._conn.execute(documents.insert().values(**_to_row(document), pdf_key=key))
        self._store.put(key, pdf)

    def lock_register_number(self, register_number: str) -> None:
        """Hold back every other issuing for this register number until this transaction ends,
        so that two officers (or an officer and the feed) cannot both issue. PostgreSQL: an
        advisory transaction lock; SQLite: its single writer already serialises."""
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(register_number)})

    def save_status(self, document: Document, *, was: DocumentStatus | None = None) -> bool:
        """Write the document's status (and what came with it); with `was`, only while the row
        still has that status: False when another transaction changed it first."""
        query = documents.update().where(documents.c.document_id == document.document_id)
        if was is not None:
            query = query.where(documents.c.status == was.value)
        result = self._conn.execute(query.values(
            status=document.status.value, superseded_by=document.superseded_by, void_reason=document.void_reason,
            voided_at=_utc(document.voided_at)))
        return result.rowcount == 1

    def expirable(self, today: dt.date, limit: int, within: str = EVERYWHERE) -> list[Document]:
        """Issued Sukets of region `within` whose last valid day is before `today`."""
        query = (sa.select(*_WITHOUT_PDF)
                 .where(documents.c.status == DocumentStatus.ISSUED.value, documents.c.valid_until < today,
                        documents.c.kind == DocumentKind.SUKET.value, _in_region(within))
                 .order_by(documents.c.valid_until, documents.c.document_id).limit(limit))
        return [_from_row(row) for row in self._conn.execute(query)]

    def get(self, document_id: str, *, include_pdf: bool = False) -> Document | None:
        columns = list(documents.c) if include_pdf else _WITHOUT_PDF
        row = self._conn.execute(sa.select(*columns).where(documents.c.document_id == document_id)).first()
        if row is None:
            return None
        document = _from_row(row)
        if include_pdf:
            if row.pdf_key:
                document.pdf = self._store.get(row.pdf_key, row.pdf_sha256)
            else:
                document.pdf = self._decrypt(document.document_id, row.pdf)
        return document

    def _decrypt(self, document_id: str, stored: bytes) -> bytes:
        return self._cipher.decrypt_bytes(stored, table=PDF_TABLE, column=PDF_COLUMN, row=document_id)

    def for_register_number(self, register_number: str) -> list[Document]:
        query = (sa.select(*_WITHOUT_PDF).where(documents.c.register_number == register_number)
                 .order_by(documents.c.issued_at, documents.c.document_id))
        return [_from_row(row) for row in self._conn.execute(query)]

    def latest(self, limit: int, within: str = EVERYWHERE) -> list[Document]:
        """The newest documents of residents in region `within` (a region code, or EVERYWHERE)."""
        query = (sa.select(*_WITHOUT_PDF).where(_in_region(within))
                 .order_by(documents.c.issued_at.desc(), documents.c.document_id).limit(limit))
        return [_from_row(row) for row in self._conn.execute(query)]

    def counts(self, within: str = EVERYWHERE) -> DocumentCounts:
        query = (sa.select(documents.c.kind, documents.c.status, sa.func.count()).where(_in_region(within))
                 .group_by(documents.c.kind, documents.c.status))
        by = {(DocumentKind(k), DocumentStatus(s)): n for k, s, n in self._conn.execute(query)}
        sukets = sum(n for (kind, _), n in by.items() if kind is DocumentKind.SUKET)
        return DocumentCounts(
            cards_printed=by.get((DocumentKind.CARD, DocumentStatus.PRINTED), 0),
            sukets_issued=sukets,
            sukets_active=by.get((DocumentKind.SUKET, DocumentStatus.ISSUED), 0),
            superseded=sum(n for (_, status), n in by.items() if status is DocumentStatus.SUPERSEDED))


def pdf_key(document_id: str) -> str:
    """Where a document's PDF lives in the document store."""
    return f"documents/{document_id}.pdf"


def _in_region(region: str) -> sa.ColumnElement[bool]:
    """Documents whose resident lives in `region` or below it (62.03 holds 62.03.01.2001)."""
    if region == EVERYWHERE:
        return sa.true()
    return sa.or_(documents.c.region_code == region,
                  documents.c.region_code.startswith(region + ".", autoescape=True))


def _lock_key(register_number: str) -> int:
    """A signed 64-bit advisory lock key for one register number."""
    digest = hashlib.blake2b(f"ektp.documents.issue:{register_number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _to_row(document: Document) -> dict:
    return {
        "document_id": document.document_id, "kind": document.kind.value, "status": document.status.value,
        "register_number": document.register_number, "office_code": document.office_code,
        "region_code": document.region_code, "card_serial": document.card_serial,
        "issued_at": document.issued_at.astimezone(dt.timezone.utc), "valid_until": document.valid_until,
        "qr_payload": document.qr_payload, "superseded_by": document.superseded_by,
        "pdf_sha256": document.pdf_sha256, "void_reason": document.void_reason,
        "voided_at": _utc(document.voided_at),
    }


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(dt.timezone.utc) if moment is not None else None


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive UTC."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment is not None and moment.tzinfo is None else moment


def _from_row(row: Row) -> Document:
    values = row._mapping
    issued_at = values["issued_at"]
    if issued_at.tzinfo is None:  # SQLite hands back naive UTC
        issued_at = issued_at.replace(tzinfo=dt.timezone.utc)
    return Document(
        document_id=values["document_id"], kind=DocumentKind(values["kind"]),
        status=DocumentStatus(values["status"]), register_number=values["register_number"],
        office_code=values["office_code"], region_code=values["region_code"],
        card_serial=values["card_serial"], issued_at=issued_at, valid_until=values["valid_until"],
        qr_payload=values["qr_payload"], superseded_by=values["superseded_by"],
        pdf_sha256=values["pdf_sha256"], void_reason=values["void_reason"],
        voided_at=_aware(values["voided_at"]))
