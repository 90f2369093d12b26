"""Business metrics: per-kabupaten gauges, computed from the read models on each scrape."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from reporting.domain import CoverageRow

log = logging.getLogger(__name__)

_GAUGES = (
    ("ektp_reporting_coverage_ratio", "Recorded residents / wajib KTP target, per kabupaten (may exceed 1).",
     lambda row: row.coverage_ratio),
    ("ektp_reporting_suket_outstanding", "Suket issued and not yet superseded by a card, per kabupaten.",
     lambda row: row.counts.suket_outstanding),
    ("ektp_reporting_print_ready_backlog", "Print-ready recordings without a printed card, per kabupaten.",
     lambda row: row.counts.print_ready_backlog),
)


class CoverageCollector(Collector):
    """Reads the per-kabupaten rows at scrape time; a failing read yields empty gauges."""

    def __init__(self, rows: Callable[[], list[CoverageRow]]) -> None:
        self._rows = rows

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return self._families([])

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            rows = self._rows()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database did
            log.warning("coverage metrics unavailable", exc_info=True)
            rows = []
        return self._families(rows)

    def _families(self, rows: list[CoverageRow]) -> Iterator[GaugeMetricFamily]:
        for name, documentation, value in _GAUGES:
            family = GaugeMetricFamily(name, documentation, labels=["region_code"])
            for row in rows:
                family.add_metric([row.region_code], float(value(row)))
            yield family


def register_business_metrics(registry: CollectorRegistry, rows: Callable[[], list[CoverageRow]]) -> CoverageCollector:
    collector = CoverageCollector(rows)
    registry.register(collector)
    return collector
