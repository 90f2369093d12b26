"""Use cases: fold a feed event into the read models, and answer the reports from them:
coverage (and its daily series), the funnel with the card debt, the stock and procurement
board, the drives, and voter readiness.

A fold changes one recording's fact and, by the difference of what it contributes
(domain.counter_delta), the counters of its desa, in the same transaction as the inbox row: a
kabupaten's figures are then sums over its desa's counter rows.

Every query an officer makes takes the actor first. Coverage is an aggregate: an officer may
read a region they `sees` (their own, a part of it, or the region around it). The stock and
procurement boards are copies of inventory's data, shown to whom inventory itself shows them
(staff; stock only for offices they see), so reporting is no side door around its rules.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from reporting import domain
from reporting.domain import (
    Coverage,
    CoverageRow,
    FeedEvent,
    RecordingFact,
    Region,
    build_coverage,
    coverage_rows,
    empty_coverage,
)
from reporting.errors import FoldCollision, RegionNotFound
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied, ServiceError

log = logging.getLogger(__name__)

UnitOfWorkFactory = Callable[..., ReportingUnitOfWork]
COLLISION_ATTEMPTS = 3
Clock = Callable[[], dt.datetime]

RECORDING_EVENTS = (domain.RecordingCaptured, domain.RecordingPrintReady, domain.RecordingDuplicate,
                    domain.RecordingFailed, domain.AdjudicationResolved, domain.ResidentChanged)
DOCUMENT_EVENTS = (domain.CardPrinted, domain.SuketIssued, domain.SuketSuperseded, domain.SuketExpired,
                   domain.DocumentVoided, domain.CardSpoiled, domain.CardDispatched, domain.CardHandedOver)
STOCK_EVENTS = (domain.StockReceived, domain.StockReserved, domain.StockConsumed, domain.StockReleased,
                domain.StockOut, domain.StockSpoiled, domain.StockLevel)
PROCUREMENT_EVENTS = (domain.ProcurementStatusChanged, domain.DeliveryReceived)

# Who may see the stock and procurement boards: the roles inventory serves GetStock and
# ListProcurements to (never the lurah, never ops).
BOARD_ROLES = (Role.OPERATOR_KECAMATAN, Role.OPERATOR_DINAS, Role.KEPALA_DINAS, Role.ADMIN_PROVINSI, Role.AUDITOR)


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


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class ReportingService:
    def __init__(self, uow_factory: UnitOfWorkFactory, regions: RegionDirectory | None = None,
                 clock: Clock = _utc_now) -> None:
        self._uow = uow_factory
        self._regions = regions
        self._clock = clock

    # ---- folding ---------------------------------------------------------------------

    def apply(self, event: FeedEvent) -> bool:
        """Fold one event, exactly once (inbox + cursor in the same transaction)."""
        return self.apply_batch([event]) == 1

    def apply_batch(self, events: Sequence[FeedEvent]) -> int:
        """Fold events of one feed in one transaction, each exactly once; returns how many
        were new. A collision with the other consumers' folds is retried from the start at
        once (it only means the row now exists)."""
        attempt = 1
        while True:
            try:
                with self._uow() as uow:
                    applied = sum(self._apply(uow, event) for event in events)
                    uow.commit()
                return applied
            except FoldCollision:
                if attempt == COLLISION_ATTEMPTS:
                    raise
                log.info("fold collided with another consumer's (attempt %d); retrying", attempt)
                attempt += 1

    def _apply(self, uow: ReportingUnitOfWork, event: FeedEvent) -> bool:
        if uow.inbox.already_applied(event.event_id):
            return False
        if event.fact is not None:
            self._fold(uow, event, domain.wib_day(event.occurred_at))
        uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
        return True

    def _fold(self, uow: ReportingUnitOfWork, event: FeedEvent, day: dt.date | None) -> None:
        fact = event.fact
        key = _key_of(fact)
        if not key:
            log.warning("feed %s event %s (%s) ignored: no key", event.feed, event.event_id, type(fact).__name__)
            return
        if isinstance(fact, domain.TargetChanged):
            uow.targets.save(domain.fold_target(uow.targets.get(key), fact))
        elif isinstance(fact, RECORDING_EVENTS):
            self._change_recording(uow, key, lambda current: domain.fold_recording(current, fact, day))
            if isinstance(fact, domain.ResidentChanged) and fact.previous_register_number not in ("", key):
                replaced = domain.RecordingReplaced(fact.previous_register_number)
                self._change_recording(uow, replaced.register_number,
                                       lambda current: domain.fold_recording(current, replaced, day))
        elif isinstance(fact, DOCUMENT_EVENTS):
            self._fold_document(uow, fact, day)
        elif isinstance(fact, domain.BatchDispatched):
            for card in fact.cards:
                if card.document_id:
                    self._fold_document(uow, card, day)
        elif isinstance(fact, STOCK_EVENTS):
            board, closed = domain.fold_stock(uow.stock.get(key), fact, day)
            uow.stock.save(board)
            if closed is not None:
                uow.counters.add_stock_out(closed)
            if isinstance(fact, domain.StockConsumed) and day is not None:
                uow.counters.add_consumed(key, day)
        elif isinstance(fact, PROCUREMENT_EVENTS):
            uow.procurements.save(domain.fold_procurement(uow.procurements.get(key), fact, day))
        elif isinstance(fact, domain.DriveClosed):
            uow.drives.save(domain.fold_drive(uow.drives.get(key), fact))

    def _fold_document(self, uow: ReportingUnitOfWork, fact: domain.DocumentEvent, day: dt.date | None) -> None:
        document = domain.fold_document(uow.documents.get(fact.document_id), fact, day)
        uow.documents.save(document)
        if document.register_number:
            documents = uow.documents.for_register(document.register_number)
            self._change_recording(uow, document.register_number, lambda current: domain.with_documents(
                domain.document_owner(current, document), documents))

    @staticmethod
    def _change_recording(uow: ReportingUnitOfWork, register_number: str,
                          change: Callable[[RecordingFact | None], RecordingFact]) -> None:
        """Change one recording's fact and its region's counters by the difference.

        The enrolment and documents consumers may fold the same recording at once: its row is
        read locked, so the later fold starts from the earlier one's result (no lost update).
        A recording read as absent is inserted, never updated: when the other fold created it
        meanwhile, the keys collide (FoldCollision) and the fold is retried from the start (an
        update would overwrite the other fold's row with one computed from nothing)."""
        before = uow.recordings.get(register_number, for_update=True)
        after = change(before)
        if before is None:
            uow.recordings.insert(after)
        else:
            uow.recordings.update(after)
        uow.counters.apply(domain.counter_delta(before, after))

    # ---- coverage --------------------------------------------------------------------

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
        if domain.unnamed(coverage):
            coverage = domain.with_names(coverage, self._names(region.code))
        return coverage

    def coverage(self, actor: Principal, region: str | None = None, *, field: str = "wilayah") -> Coverage:
        """The region asked for, else the officer's home region; the home region before its
        first event is an empty report, not "not found". A desa is its own row, without rows."""
        if region and not domain.is_report_region(region.strip()):
            return self._village_coverage(actor, Region.parse(region, field, village=True))
        try:
            return self.get_coverage(actor, region or home_region(actor), field=field)
        except RegionNotFound:
            if region:
                raise
            return empty_coverage(Region(home_region(actor)))

    def _village_coverage(self, actor: Principal, village: Region) -> Coverage:
        actor.require_view(village.code)
        with self._uow(readonly=True) as uow:
            counts = uow.coverage.fact_counts_within(village.code)
            own = uow.targets.get(village.code)
        if own is None and counts.facts == 0:
            raise RegionNotFound()
        name = own.region_name if own is not None and own.region_name else village.code
        coverage = Coverage(CoverageRow(village.code, name, own.wajib_ktp if own else 0, counts), [])
        if domain.unnamed(coverage):
            coverage = domain.with_names(coverage, self._names(village.code[:domain.DISTRICT]))
        return coverage

    def coverage_series(self, actor: Principal, region: str | None = None, from_day: dt.date | None = None,
                        to_day: dt.date | None = None, *, field: str = "wilayah",
                        day_fields: tuple[str, str] = ("from_day", "to_day")) -> domain.CoverageSeries:
        """Recorded per day (WIB) in a region (a desa too), with the cumulative coverage."""
        code = Region.parse(region or home_region(actor), field, village=True).code
        actor.require_view(code)
        first, last = domain.series_range(from_day, to_day, self._today(), day_fields)
        with self._uow(readonly=True) as uow:
            target, name = self._target_and_name(uow, code)
            points = domain.series_points(first, last, uow.coverage.total_before(code, first),
                                          uow.coverage.daily(code, first, last), target)
        return domain.CoverageSeries(code, target, points, name)

    def kabupaten_coverage(self) -> list[CoverageRow]:
        """One row per kabupaten/kota that has a target or a fact (for the metrics)."""
        with self._uow(readonly=True) as uow:
            return coverage_rows(uow.coverage.child_targets(None, domain.REGENCY),
                                 uow.coverage.fact_counts_by_child(None, domain.REGENCY))

    def kabupaten_suket_expiring(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Per kabupaten/kota, Suket still valid and not yet replaced by a card that lapse within
        the notice period (for the metrics; kabupaten without one are absent)."""
        window = domain.suket_expiry_window(now or self._clock())
        with self._uow(readonly=True) as uow:
            return uow.coverage.suket_expiring_by_child(None, domain.REGENCY, window)

    # ---- funnel ----------------------------------------------------------------------

    def funnel(self, actor: Principal, region: str | None = None, *, field: str = "wilayah") -> domain.Funnel:
        """Target -> recorded -> print-ready -> printed -> dispatched -> handed over per child
        region, the card debt, and how long the print backlog takes to clear."""
        coverage = self.coverage(actor, region, field=field)
        code = coverage.total.region_code
        window = domain.suket_expiry_window(self._clock())
        today = self._today()
        since = today - dt.timedelta(days=domain.CONSUMPTION_WINDOW - 1)
        with self._uow(readonly=True) as uow:
            expiring = (uow.coverage.suket_expiring_by_child(code, Region(code).child_length, window)
                        if domain.has_children(code) else {})
            expiring_total = uow.coverage.suket_expiring_within(code, window)
            printed_lately = sum(uow.coverage.daily(code, since, today, "printed").values())
            on_hand = sum(board.available for board in uow.stock.list() if domain.related(board.office_code, code))
            arriving = sum(domain.still_to_arrive(package) for package in uow.procurements.list())
        total = domain.funnel_row(coverage.total, expiring_total)
        return domain.Funnel(total, [domain.funnel_row(row, expiring.get(row.region_code, 0)) for row in coverage.rows],
                             domain.backlog_clear_days(total.print_backlog, printed_lately, on_hand, arriving),
                             printed_lately / domain.CONSUMPTION_WINDOW)

    # ---- stock and procurement ---------------------------------------------------------

    def may_see_boards(self, actor: Principal) -> bool:
        return actor.role in BOARD_ROLES

    def stock_board(self, actor: Principal, region: str | None = None, *, field: str = "wilayah") -> domain.StockBoard:
        """Blank stock of the offices the actor sees (serving `region` when given), and every
        procurement package (procurement is provincial)."""
        actor.require_role(*BOARD_ROLES)
        code = Region.parse(region, field).code if region else None
        if code is not None:
            actor.require_view(code)
        today = self._today()
        with self._uow(readonly=True) as uow:
            boards = [board for board in uow.stock.list() if actor.sees(board.office_code)
                      and (code is None or domain.related(board.office_code, code))]
            consumed = uow.coverage.consumed_since(today - dt.timedelta(days=domain.CONSUMPTION_WINDOW - 1))
            periods = uow.coverage.stock_out_periods(today - dt.timedelta(days=domain.STOCK_OUT_WINDOW - 1))
            names = uow.coverage.names_of([board.office_code for board in boards])
            packages = sorted(uow.procurements.list(), key=lambda p: (p.fiscal_year, p.package_id))
        offices = [domain.StockRow(
            board.office_code, names.get(board.office_code, board.office_code), board.available, board.received,
            board.consumed, board.spoiled, domain.days_of_cover(board.available, consumed.get(board.office_code, 0)),
            domain.stock_out_days(periods.get(board.office_code, []), board.out_since, today), board.available <= 0)
            for board in boards]
        procurements = [domain.ProcurementRow(p.package_id, p.fiscal_year, p.quantity, p.status, p.reason,
                                              p.delivered, domain.expected_arrival(p)) for p in packages]
        return domain.StockBoard(offices, procurements)

    # ---- drives ------------------------------------------------------------------------

    def drive_report(self, actor: Principal, region: str | None = None, *, field: str = "wilayah") -> domain.DriveReport:
        """Pick-up drives serving the region: recordings per drive and per day, and the coverage
        each gained in its target desa. Staff only: drives are the offices' work."""
        actor.require_role(*BOARD_ROLES)
        code = Region.parse(region or home_region(actor), field).code
        actor.require_view(code)
        with self._uow(readonly=True) as uow:
            counts = uow.coverage.drive_counts(code)
            closed = {d.drive_id: d for d in uow.drives.list() if serves(d, code)}
            rows = []
            for drive_id in sorted(counts.keys() | closed.keys()):
                found = counts.get(drive_id, {"office_code": "", "villages": {}})
                drive = closed.get(drive_id)
                villages = drive.village_codes if drive else tuple(sorted(found["villages"]))
                in_villages = sum(found["villages"].get(v, 0) for v in villages)
                target = sum(uow.coverage.targets_of(list(villages)).values())
                rows.append(domain.drive_row(drive_id, drive, {**found, "recorded_in_villages": in_villages},
                                             villages, found["office_code"], target))
            days = [domain.DriveDay(day, n) for day, n in sorted(uow.coverage.drive_days(code).items())]
        return domain.DriveReport(rows, days)

    # ---- voter readiness ---------------------------------------------------------------

    def voter_readiness(self, actor: Principal, region: str | None = None,
                        election_date: dt.date = domain.PILKADA_2024, *,
                        field: str = "wilayah") -> domain.VoterReadiness:
        """Pilkada: per child region, who will be 17+ on the election date and whether they can
        vote with a KTP-el or a Suket (the estimate: domain.voter_row)."""
        region_ = Region.parse(region or home_region(actor), field, village=True)
        actor.require_view(region_.code)
        today = self._today()
        child_length = region_.child_length if domain.has_children(region_.code) else None
        with self._uow(readonly=True) as uow:
            targets = uow.coverage.child_targets(region_.code, child_length) if child_length else {}
            by_child = uow.coverage.voter_counts(region_.code, child_length, election_date, today) if child_length else {}
            total_counts = uow.coverage.voter_counts(region_.code, None, election_date, today)
            target, name = self._target_and_name(uow, region_.code)
        names = (self._names(region_.code if child_length else region_.code[:domain.DISTRICT])
                 if any(t.region_name is None for t in targets.values()) or not name else {})
        rows = [domain.voter_row(code, (targets[code].region_name if code in targets else None)
                                 or names.get(code, code),
                                 domain.target_of(targets.get(code, domain.ChildTargets(code))),
                                 by_child.get(code, domain.VoterCounts()))
                for code in sorted(targets.keys() | by_child.keys())]
        total = domain.voter_row(region_.code, name or names.get(region_.code, region_.code), target,
                                 total_counts.get("*", domain.VoterCounts()))
        return domain.VoterReadiness(election_date, total, rows)

    # ---- helpers -----------------------------------------------------------------------

    def _today(self) -> dt.date:
        return domain.wib_day(self._clock())

    @staticmethod
    def _target_and_name(uow: ReportingUnitOfWork, code: str) -> tuple[int, str]:
        """A region's own target (else the sum of its children's) and its name ("" unknown)."""
        own = uow.targets.get(code)
        if own is not None:
            return own.wajib_ktp, own.region_name
        if not domain.has_children(code):
            return 0, ""
        children = uow.coverage.child_targets(code, Region(code).child_length)
        return sum(domain.target_of(t) for t in children.values()), ""

    def _names(self, code: str) -> Mapping[str, str]:
        """Names of a region and its children from enrolment; none when it is unreachable."""
        if self._regions is None:
            return {}
        try:
            return self._regions.names(code)
        except ServiceError as exc:  # enrolment unreachable: the codes still identify the rows
            log.warning("region names unavailable (%s); showing codes", exc.reason)
            return {}


def serves(drive: domain.Drive, code: str) -> bool:
    """A closed drive belongs to a region's report when one of its desa lies in it (or, without
    desa, when its office serves the region)."""
    if drive.village_codes:
        return any(domain.within(village, code) for village in drive.village_codes)
    return domain.related(drive.office_code, code)


def _key_of(fact: domain.Fact) -> Any:
    """The key a fact folds under (a falsy key: the event is ignored)."""
    if isinstance(fact, domain.TargetChanged):
        return fact.region_code
    if isinstance(fact, RECORDING_EVENTS):
        return fact.register_number
    if isinstance(fact, DOCUMENT_EVENTS):
        return fact.document_id
    if isinstance(fact, domain.BatchDispatched):
        return fact.batch_id or bool(fact.cards)
    if isinstance(fact, STOCK_EVENTS):
        return fact.office_code
    if isinstance(fact, PROCUREMENT_EVENTS):
        return fact.package_id
    return fact.drive_id
