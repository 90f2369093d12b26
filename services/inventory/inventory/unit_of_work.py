"""The inventory unit of work: one transaction with its repositories and outbox."""
from __future__ import annotations

from sqlalchemy.engine import Connection

from inventory.ledger_repository import LedgerRepository
from inventory.repository import (
    DemoMarkers,
    ProcurementRepository,
    RequestRepository,
    StockLevelRepository,
    StockRepository,
)
from servicekit.db import SqlUnitOfWork


class InventoryUnitOfWork(SqlUnitOfWork):
    stock: StockRepository
    procurement: ProcurementRepository
    demo: DemoMarkers
    ledger: LedgerRepository
    requests: RequestRepository
    levels: StockLevelRepository

    def _open(self, connection: Connection) -> None:
        self.stock = StockRepository(connection)
        self.procurement = ProcurementRepository(connection)
        self.demo = DemoMarkers(connection)
        self.ledger = LedgerRepository(connection)
        self.requests = RequestRepository(connection)
        self.levels = StockLevelRepository(connection)
        self._level_events: list[object] = []

    def add_level_event(self, event: object) -> None:
        """StockLow / StockOut: queued so that they follow the movement's own event (e.g. the
        StockReserved that took the last blank) in the outbox."""
        self._level_events.append(event)

    def commit(self) -> None:
        for event in self._level_events:
            self.add_event(event)
        self._level_events.clear()
        super().commit()
