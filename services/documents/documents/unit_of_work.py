"""One transaction per use case: documents, inbox, outbox and audit log together."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection, Engine

from documents import db, events
from documents.distribution_repository import BatchRepository, LetterRepository
from documents.print_job_repository import PrintJobRepository
from documents.repository import DocumentRepository
from documents.store import DocumentStore
from servicekit.db import SqlUnitOfWork
from servicekit.fieldcrypto import FieldCipher
from servicekit.outbox import Inbox


class DocumentsUnitOfWork(SqlUnitOfWork):
    documents: DocumentRepository
    inbox: Inbox
    print_jobs: PrintJobRepository
    letters: LetterRepository
    batches: BatchRepository

    def __init__(self, engine: Engine, cipher: FieldCipher, store: DocumentStore, **options) -> None:
        super().__init__(engine, **options)
        self._cipher = cipher
        self.store = store   # PDFs of any kind (documents, letters, manifests) by key

    def _open(self, connection: Connection) -> None:
        self.documents = DocumentRepository(connection, self._cipher, self.store)
        self.inbox = Inbox(connection)
        self.print_jobs = PrintJobRepository(connection)
        self.letters = LetterRepository(connection)
        self.batches = BatchRepository(connection)


UnitOfWorkFactory = Callable[..., DocumentsUnitOfWork]


def unit_of_work_factory(engine: Engine, cipher: FieldCipher, store: DocumentStore,
                         after_commit: Callable[[], None] | None = None) -> UnitOfWorkFactory:
    """`factory(readonly=False)` -> a fresh unit of work writing events to the outbox and
    audit entries to the audit log; PDFs go to `store` (legacy rows' PDFs through `cipher`)."""
    def factory(readonly: bool = False) -> DocumentsUnitOfWork:
        return DocumentsUnitOfWork(engine, cipher, store, readonly=readonly, encode_event=events.encode,
                                   after_commit=after_commit, audit_log=db.audit_log)
    return factory
