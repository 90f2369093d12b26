"""Use cases: fold a feed event into the read models, and answer coverage and board queries."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from reporting import domain
from reporting.domain import (
    Coverage,
    CoverageRow,
    FeedEvent,
    ProcurementPackage,
    Region,
    StockBoard,
    build_coverage,
    coverage_rows,
)
from reporting.errors import RegionNotFound
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.errors import ServiceError

log = logging.getLogger(__name__)

UnitOfWorkFactory = Callable[..., ReportingUnitOfWork]

# fact type -> (unit-of-work repository, key attribute, fold function)
_FOLDS: dict[type, tuple[str, str, Callable[[Any, Any], Any]]] = {
    domain.TargetChanged: ("targets", "region_code", domain.fold_target),
    domain.RecordingCaptured: ("recordings", "register_number", domain.fold_recording),
    domain.RecordingPrintReady: ("recordings", "register_number", domain.fold_recording),
    domain.RecordingDuplicate: ("recordings", "register_number", domain.fold_recording),
    domain.CardPrinted: ("documents", "document_id", domain.fold_document),
    domain.SuketIssued: ("documents", "document_id", domain.fold_document),
    domain.SuketSuperseded: ("documents", "document_id", domain.fold_document),
    domain.StockReceived: ("stock", "office_code", domain.fold_stock),
    domain.StockReserved: ("stock", "office_code", domain.fold_stock),
    domain.StockConsumed: ("stock", "office_code", domain.fold_stock),
    domain.StockReleased: ("stock", "office_code", domain.fold_stock),
    domain.StockOut: ("stock", "office_code", domain.fold_stock),
    domain.ProcurementStatusChanged: ("procurements", "package_id", domain.fold_procurement),
}


class RegionDirectory(Protocol):
    """Region names from enrolment, the owner of region master data (reporting.clients)."""

    def names(self, code: str) -> Mapping[str, str]:
        """The region's own name and its direct children's, by code; raises Unavailable."""


class ReportingService:
    def __init__(self, uow_factory: UnitOfWorkFactory, regions: RegionDirectory | None = None) -> None:
        self._uow = uow_factory
        self._regions = regions

    def apply(self, event: FeedEvent) -> bool:
        """Fold one event, exactly once (inbox + cursor in the same transaction)."""
        with self._uow() as uow:
            if uow.inbox.already_applied(event.event_id):
                return False
            if event.fact is not None:
                self._fold(uow, event)
            uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
            uow.commit()
        return True

    def _fold(self, uow: ReportingUnitOfWork, event: FeedEvent) -> None:
        repository_name, key_name, fold = _FOLDS[type(event.fact)]
        key = getattr(event.fact, key_name)
        if not key:
            log.warning("feed %s event %s ignored: no %s", event.feed, event.event_id, key_name)
            return
        repository = getattr(uow, repository_name)
        repository.save(fold(repository.get(key), event.fact))

    def get_coverage(self, region_code: str, *, field: str = "region_code") -> Coverage:
        """Coverage of a province, kabupaten or kecamatan by its direct children."""
        region = Region.parse(region_code, field)
        with self._uow(readonly=True) as uow:
            coverage = build_coverage(
                region, uow.targets.get(region.code),
                uow.coverage.child_targets(region.code, region.child_length),
                uow.coverage.fact_counts_by_child(region.code, region.child_length),
                uow.coverage.fact_counts_within(region.code))
        if coverage is None:
            raise RegionNotFound()
        if self._regions is not None and domain.unnamed(coverage):
            try:
                coverage = domain.with_names(coverage, self._regions.names(region.code))
            except ServiceError as exc:  # enrolment unreachable: the codes still identify the rows
                log.warning("region names unavailable (%s); showing codes", exc.reason)
        return coverage

    def kabupaten_coverage(self) -> list[CoverageRow]:
        """One row per kabupaten/kota that has a target or a fact (for the metrics)."""
        with self._uow(readonly=True) as uow:
            return coverage_rows(uow.coverage.child_targets(None, domain.REGENCY),
                                 uow.coverage.fact_counts_by_child(None, domain.REGENCY))

    def stock_board(self) -> list[StockBoard]:
        with self._uow(readonly=True) as uow:
            return uow.stock.list()

    def procurement_board(self) -> list[ProcurementPackage]:
        with self._uow(readonly=True) as uow:
            return sorted(uow.procurements.list(), key=lambda p: (p.fiscal_year, p.package_id))
