"""Rows of `documents` <-> domain Documents, and the consumer inbox, on one connection."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from documents.db import documents
from documents.domain import Document, DocumentKind, DocumentStatus

_WITHOUT_PDF = [c for c in documents.c if c.name != "pdf"]


@dataclass(frozen=True)
class DocumentCounts:
    cards_printed: int
    sukets_issued: int   # every Suket ever issued
    sukets_active: int   # still valid (status issued)
    superseded: int


class DocumentRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, document: Document) -> None:
        self._conn.execute(documents.insert().values(**_to_row(document)))

    def save_status(self, document: Document) -> None:
        self._conn.execute(documents.update().where(documents.c.document_id == document.document_id)
                           .values(status=document.status.value, superseded_by=document.superseded_by))

    def get(self, document_id: str, *, include_pdf: bool = False) -> Document | None:
        columns = list(documents.c) if include_pdf else _WITHOUT_PDF
        row = self._conn.execute(sa.select(*columns).where(documents.c.document_id == document_id)).first()
        return _from_row(row) if row else None

    def pdf(self, document_id: str) -> bytes | None:
        return self._conn.execute(sa.select(documents.c.pdf)
                                  .where(documents.c.document_id == document_id)).scalar()

    def for_register_number(self, register_number: str) -> list[Document]:
        query = (sa.select(*_WITHOUT_PDF).where(documents.c.register_number == register_number)
                 .order_by(documents.c.issued_at, documents.c.document_id))
        return [_from_row(row) for row in self._conn.execute(query)]

    def latest(self, limit: int) -> list[Document]:
        query = (sa.select(*_WITHOUT_PDF)
                 .order_by(documents.c.issued_at.desc(), documents.c.document_id).limit(limit))
        return [_from_row(row) for row in self._conn.execute(query)]

    def counts(self) -> DocumentCounts:
        query = (sa.select(documents.c.kind, documents.c.status, sa.func.count())
                 .group_by(documents.c.kind, documents.c.status))
        by = {(DocumentKind(k), DocumentStatus(s)): n for k, s, n in self._conn.execute(query)}
        sukets = sum(n for (kind, _), n in by.items() if kind is DocumentKind.SUKET)
        return DocumentCounts(
            cards_printed=by.get((DocumentKind.CARD, DocumentStatus.PRINTED), 0),
            sukets_issued=sukets,
            sukets_active=by.get((DocumentKind.SUKET, DocumentStatus.ISSUED), 0),
            superseded=sum(n for (_, status), n in by.items() if status is DocumentStatus.SUPERSEDED))


def _to_row(document: Document) -> dict:
    return {
        "document_id": document.document_id, "kind": document.kind.value, "status": document.status.value,
        "register_number": document.register_number, "office_code": document.office_code,
        "region_code": document.region_code, "card_serial": document.card_serial,
        "issued_at": document.issued_at.astimezone(dt.timezone.utc), "valid_until": document.valid_until,
        "qr_payload": document.qr_payload, "superseded_by": document.superseded_by, "pdf": document.pdf,
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
        qr_payload=values["qr_payload"], superseded_by=values["superseded_by"],
        pdf=values.get("pdf"))
