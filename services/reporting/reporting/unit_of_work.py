"""One transaction over the reporting read models."""
from __future__ import annotations

from sqlalchemy.engine import Connection

from reporting.repository import (
    Counters,
    CoverageQueries,
    DocumentRepository,
    DriveRepository,
    ProcurementRepository,
    RecordingRepository,
    StockRepository,
    TargetRepository,
)
from servicekit.db import SqlUnitOfWork
from servicekit.outbox import Inbox


class ReportingUnitOfWork(SqlUnitOfWork):
    """Rolls back unless committed. Reporting produces no events, so it has no outbox."""

    def _open(self, connection: Connection) -> None:
        self.inbox = Inbox(connection)
        self.targets = TargetRepository(connection)
        self.recordings = RecordingRepository(connection)
        self.documents = DocumentRepository(connection)
        self.stock = StockRepository(connection)
        self.procurements = ProcurementRepository(connection)
        self.drives = DriveRepository(connection)
        self.counters = Counters(connection)
        self.coverage = CoverageQueries(connection)
