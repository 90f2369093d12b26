"""Business metrics of the inventory context, on the service's own registry."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from inventory.domain import Stock

log = logging.getLogger(__name__)

AVAILABLE = "ektp_inventory_blanks_available"


class InventoryMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.reservations = Counter(
            "ektp_inventory_reservations_total", "Blank reservation attempts by office and outcome.",
            ["office_code", "outcome"], registry=registry)
        self.consumed = Counter(
            "ektp_inventory_blanks_consumed_total", "Blanks consumed (printed) by office.",
            ["office_code"], registry=registry)

    def reserved(self, office_code: str) -> None:
        self.reservations.labels(office_code, "reserved").inc()

    def out_of_stock(self, office_code: str) -> None:
        self.reservations.labels(office_code, "out_of_stock").inc()

    def blank_consumed(self, office_code: str) -> None:
        self.consumed.labels(office_code).inc()

    def watch_available(self, read_stock: Callable[[], list[Stock]]) -> None:
        """Reports available blanks per office, read from the database on each scrape."""
        self.registry.register(AvailableBlanks(read_stock))


class AvailableBlanks(Collector):
    """Read on scrape, so every replica reports the same, current numbers."""

    def __init__(self, read_stock: Callable[[], list[Stock]]) -> None:
        self._read_stock = read_stock

    def describe(self) -> list[GaugeMetricFamily]:
        return [self._family()]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = self._family()
        try:
            stocks = self._read_stock()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database is down
            log.warning("could not read stock for %s", AVAILABLE, exc_info=True)
            stocks = []
        for stock in stocks:
            family.add_metric([stock.office_code], stock.available)
        yield family

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily(AVAILABLE, "Blank cards available per office.", labels=["office_code"])
