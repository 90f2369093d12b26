"""One transaction per use case: documents, inbox and outbox together."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection, Engine

from documents import events
from documents.repository import DocumentRepository
from servicekit.db import SqlUnitOfWork
from servicekit.outbox import Inbox


class DocumentsUnitOfWork(SqlUnitOfWork):
    documents: DocumentRepository
    inbox: Inbox

    def _open(self, connection: Connection) -> None:
        self.documents = DocumentRepository(connection)
        self.inbox = Inbox(connection)


UnitOfWorkFactory = Callable[..., DocumentsUnitOfWork]


def unit_of_work_factory(engine: Engine, after_commit: Callable[[], None] | None = None) -> UnitOfWorkFactory:
    """`factory(readonly=False)` -> a fresh unit of work writing events to the outbox."""
    def factory(readonly: bool = False) -> DocumentsUnitOfWork:
        return DocumentsUnitOfWork(engine, readonly=readonly, encode_event=events.encode,
                                   after_commit=after_commit)
    return factory
