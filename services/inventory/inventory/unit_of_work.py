"""The inventory unit of work: one transaction with its repositories and outbox."""
from __future__ import annotations

from sqlalchemy.engine import Connection

from inventory.repository import DemoMarkers, ProcurementRepository, StockRepository
from servicekit.db import SqlUnitOfWork


class InventoryUnitOfWork(SqlUnitOfWork):
    stock: StockRepository
    procurement: ProcurementRepository
    demo: DemoMarkers

    def _open(self, connection: Connection) -> None:
        self.stock = StockRepository(connection)
        self.procurement = ProcurementRepository(connection)
        self.demo = DemoMarkers(connection)
