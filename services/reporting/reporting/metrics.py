"""Business metrics: per-kabupaten gauges, computed on each scrape from the per-desa counters
(a sum over a few thousand rows, however many residents are recorded) and the Suket expiring
(an index range on `valid_until`). Labels: the kabupaten code only (`region_code`, the label
the alert rules and dashboards in deploy/ use), never anything finer."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping

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
SUKET_EXPIRING = "ektp_reporting_suket_expiring"
_SUKET_EXPIRING_HELP = ("Suket still valid and not superseded by a card whose validity ends within 30 days, "
                        "per kabupaten.")


class CoverageCollector(Collector):
    """Reads the per-kabupaten rows at scrape time; a failing read yields empty gauges."""

    def __init__(self, rows: Callable[[], list[CoverageRow]],
                 suket_expiring: Callable[[], Mapping[str, int]]) -> None:
        self._rows = rows
        self._suket_expiring = suket_expiring

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return self._families([], {})

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            rows, expiring = self._rows(), self._suket_expiring()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database did
            log.warning("coverage metrics unavailable", exc_info=True)
            rows, expiring = [], {}
        return self._families(rows, expiring)

    def _families(self, rows: list[CoverageRow], expiring: Mapping[str, int]) -> Iterator[GaugeMetricFamily]:
        for name, documentation, value in _GAUGES:
            family = GaugeMetricFamily(name, documentation, labels=["region_code"])
            for row in rows:
                family.add_metric([row.region_code], float(value(row)))
            yield family
        # Every kabupaten with a row reports its count, 0 included, so a series that drops to 0
        # resolves the alert instead of vanishing.
        family = GaugeMetricFamily(SUKET_EXPIRING, _SUKET_EXPIRING_HELP, labels=["region_code"])
        for code in sorted({row.region_code for row in rows} | set(expiring)):
            family.add_metric([code], float(expiring.get(code, 0)))
        yield family


def register_business_metrics(registry: CollectorRegistry, rows: Callable[[], list[CoverageRow]],
                              suket_expiring: Callable[[], Mapping[str, int]]) -> CoverageCollector:
    collector = CoverageCollector(rows, suket_expiring)
    registry.register(collector)
    return collector
