"""One transaction per use case: documents, inbox, outbox and audit log together."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection, Engine

from documents import db, events
from documents.repository import DocumentRepository
from servicekit.db import SqlUnitOfWork
from servicekit.fieldcrypto import FieldCipher
from servicekit.outbox import Inbox


class DocumentsUnitOfWork(SqlUnitOfWork):
    documents: DocumentRepository
    inbox: Inbox

    def __init__(self, engine: Engine, cipher: FieldCipher, **options) -> None:
        super().__init__(engine, **options)
        self._cipher = cipher

    def _open(self, connection: Connection) -> None:
        self.documents = DocumentRepository(connection, self._cipher)
        self.inbox = Inbox(connection)


UnitOfWorkFactory = Callable[..., DocumentsUnitOfWork]


def unit_of_work_factory(engine: Engine, cipher: FieldCipher,
                         after_commit: Callable[[], None] | None = None) -> UnitOfWorkFactory:
    """`factory(readonly=False)` -> a fresh unit of work writing events to the outbox and
    audit entries to the audit log; PDFs pass through `cipher`."""
    def factory(readonly: bool = False) -> DocumentsUnitOfWork:
        return DocumentsUnitOfWork(engine, cipher, readonly=readonly, encode_event=events.encode,
                                   after_commit=after_commit, audit_log=db.audit_log)
    return factory
