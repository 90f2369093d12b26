"""Rows of `documents` <-> domain Documents, on one connection.

The PDF is personal data (name, NIK, address, photo on the card): it is encrypted here on the
way in and decrypted on the way out, bound to its row, so the domain and the use cases only
ever see plain bytes and a copy of the database shows none of it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from documents.db import documents
from documents.domain import Document, DocumentKind, DocumentStatus
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
    def __init__(self, connection: Connection, cipher: FieldCipher) -> None:
        self._conn = connection
        self._cipher = cipher

    def add(self, document: Document) -> None:
        row = _to_row(document)
        row["pdf"] = self._cipher.encrypt_bytes(document.pdf or b"", table=PDF_TABLE, column=PDF_COLUMN,
                                                row=document.document_id)
        self._conn.execute(documents.insert().values(**row))

    def lock_register_number(self, register_number: str) -> None:
        """Hold back every other issuing for this register number until this transaction ends,
        so that two officers (or an officer and the feed) cannot both issue. PostgreSQL: an
        advisory transaction lock; SQLite: its single writer already serialises."""
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(register_number)})

    def save_status(self, document: Document) -> None:
        self._conn.execute(documents.update().where(documents.c.document_id == document.document_id)
                           .values(status=document.status.value, superseded_by=document.superseded_by))

    def get(self, document_id: str, *, include_pdf: bool = False) -> Document | None:
        columns = list(documents.c) if include_pdf else _WITHOUT_PDF
        row = self._conn.execute(sa.select(*columns).where(documents.c.document_id == document_id)).first()
        if row is None:
            return None
        document = _from_row(row)
        if include_pdf:
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
    }


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
        qr_payload=values["qr_payload"], superseded_by=values["superseded_by"])
