"""Business metrics of the inventory context, on the service's own registry."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from inventory.domain import Forecast, Stock

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

    def watch_forecasts(self, read_forecasts: Callable[[], list[Forecast]]) -> None:
        """Blanks on hand and days of cover per office (kabupaten-level labels), read on scrape."""
        self.registry.register(StockCover(read_forecasts))

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


ON_HAND = "ektp_inventory_blanks_on_hand"
DAYS_OF_COVER = "ektp_inventory_days_of_cover"


def kabupaten_label(office_code: str) -> str:
    """A kecamatan UPT (62.03.01) is reported with its kabupaten (62.03): labels never go finer."""
    return ".".join(office_code.split(".")[:2])


def cover_by_label(forecasts: list[Forecast]) -> dict[str, tuple[int, float | None]]:
    """(on hand, days of cover) per label; a kabupaten's UPTs count with it, and its cover is
    the spare stock of all of them over their summed daily consumption."""
    on_hand: dict[str, int] = {}
    spare: dict[str, int] = {}
    daily: dict[str, float] = {}
    for f in forecasts:
        label = kabupaten_label(f.office_code)
        on_hand[label] = on_hand.get(label, 0) + f.on_hand
        spare[label] = spare.get(label, 0) + max(0, f.available - f.backlog)
        daily[label] = daily.get(label, 0.0) + (f.daily_consumption or 0.0)
    return {label: (on_hand[label], spare[label] / daily[label] if daily[label] else (0.0 if not spare[label] else None))
            for label in on_hand}


class StockCover(Collector):
    """Read on scrape, so every replica reports the same, current numbers. An office with no
    consumption and stock to spare has no days-of-cover sample (it is not running out)."""

    def __init__(self, read_forecasts: Callable[[], list[Forecast]]) -> None:
        self._read = read_forecasts

    def describe(self) -> list[GaugeMetricFamily]:
        return list(self._families())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        on_hand, cover = self._families()
        try:
            forecasts = self._read()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database is down
            log.warning("could not read forecasts for %s", DAYS_OF_COVER, exc_info=True)
            forecasts = []
        for label, (blanks, days) in sorted(cover_by_label(forecasts).items()):
            on_hand.add_metric([label], blanks)
            if days is not None:
                cover.add_metric([label], days)
        yield on_hand
        yield cover

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (GaugeMetricFamily(ON_HAND, "Blank cards on hand (available + reserved) per office; kecamatan "
                                           "UPTs counted with their kabupaten.", labels=["office_code"]),
                GaugeMetricFamily(DAYS_OF_COVER, "Days the available blanks last at the recent daily consumption "
                                                 "(stock-out days excluded).", labels=["office_code"]))
