"""Use cases: fold a feed event into the read models, and answer coverage and board queries.

Every query an officer makes takes the actor first. Coverage is an aggregate: an officer may
read a region they `sees` (their own, a part of it, or the region around it). The stock and
procurement boards are copies of inventory's data, shown to whom inventory itself shows them
(staff; stock only for offices they see), so reporting is no side door around its rules.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    empty_coverage,
)
from reporting.errors import RegionNotFound
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied, ServiceError

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


# Who may see the stock and procurement boards: the roles inventory serves GetStock and
# ListProcurements to (never the lurah, never ops).
BOARD_ROLES = (Role.OPERATOR_KECAMATAN, Role.OPERATOR_DINAS, Role.KEPALA_DINAS, Role.ADMIN_PROVINSI, Role.AUDITOR)


@dataclass(frozen=True)
class CoverageReport:
    """What the coverage page shows one officer; a board is None when their role may not see it."""

    coverage: Coverage
    stock: list[StockBoard] | None
    procurements: list[ProcurementPackage] | None


def home_region(actor: Principal) -> str:
    """The region an officer's report opens on: the kabupaten of their scope (a lurah's or a
    kecamatan operator's too), or the province for a province-wide officer."""
    if actor.is_service:
        raise PermissionDenied("Layanan tidak memiliki wilayah asal.", reason="NO_HOME_REGION")
    return ".".join(actor.scope.split(".")[:2])


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

    def get_coverage(self, actor: Principal, region_code: str, *, field: str = "region_code") -> Coverage:
        """Coverage of a province, kabupaten or kecamatan by its direct children, if the actor sees it."""
        region = Region.parse(region_code, field)
        actor.require_view(region.code)
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

    def kabupaten_suket_expiring(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Per kabupaten/kota, Suket still valid and not yet replaced by a card that lapse within
        the notice period (for the metrics; kabupaten without one are absent)."""
        window = domain.suket_expiry_window(now or dt.datetime.now(dt.timezone.utc))
        with self._uow(readonly=True) as uow:
            return uow.coverage.suket_expiring_by_child(None, domain.REGENCY, window)

    def coverage_report(self, actor: Principal, region_code: str | None = None) -> CoverageReport:
        """The coverage page: the region asked for, else the officer's home region. The home
        region before its first event is an empty report, not "not found"."""
        try:
            coverage = self.get_coverage(actor, region_code or home_region(actor), field="wilayah")
        except RegionNotFound:
            if region_code:
                raise
            coverage = empty_coverage(Region(home_region(actor)))
        may_see_boards = actor.role in BOARD_ROLES
        return CoverageReport(coverage,
                              self.stock_board(actor) if may_see_boards else None,
                              self.procurement_board(actor) if may_see_boards else None)

    def stock_board(self, actor: Principal) -> list[StockBoard]:
        """Blank stock of the offices the actor sees."""
        actor.require_role(*BOARD_ROLES)
        with self._uow(readonly=True) as uow:
            return [board for board in uow.stock.list() if actor.sees(board.office_code)]

    def procurement_board(self, actor: Principal) -> list[ProcurementPackage]:
        """Procurement is provincial: every package, for the roles that may see it."""
        actor.require_role(*BOARD_ROLES)
        with self._uow(readonly=True) as uow:
            return sorted(uow.procurements.list(), key=lambda p: (p.fiscal_year, p.package_id))
