"""Issue 7's read models on a real SQLite store: every event type folds, the counters agree
with the facts whatever the order between feeds, replays change nothing, and the queries
(series, funnel, stock board, drives, voter readiness) answer from them."""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import random

import pytest

from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from reporting import db, domain
from reporting.errors import FoldCollision, InvalidDate, InvalidRegionCode
from reporting.events import decode
from reporting.service import ReportingService
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied
from tests.reporting import builders as b
from tests.reporting import events7 as e
from tests.reporting.unit.conftest import PROVINCE_ADMIN

KAB, KEC, DESA, DESA2 = "62.03", "62.03.01", "62.03.01.2001", "62.03.01.2002"
OTHER_KEC_DESA = "62.03.02.2001"
TODAY = dt.date(2016, 12, 1)
NOW = dt.datetime(2016, 12, 1, 5, 0, tzinfo=dt.timezone.utc)     # 12:00 WIB


@pytest.fixture
def service(engine):
    return ReportingService(functools.partial(ReportingUnitOfWork, engine), clock=lambda: NOW)


class DatedFeeds:
    """Hands payloads to the service as a FeedConsumer would, each envelope dated on `day`."""

    def __init__(self, service: ReportingService) -> None:
        self.service = service
        self._sequences = {name: itertools.count(1) for name in ("enrolment", "inventory", "documents")}
        self.delivered: list[tuple[str, object]] = []

    def send(self, feed: str, *payloads, day: dt.date = TODAY) -> list[bool]:
        results = []
        for payload in payloads:
            event = e.dated(payload, next(self._sequences[feed]), e.at(day))
            self.delivered.append((feed, event))
            results.append(self.service.apply(decode(feed, event)))
        return results

    def replay_all(self) -> list[bool]:
        return [self.service.apply(decode(feed, event)) for feed, event in self.delivered]


@pytest.fixture
def feeds(service):
    return DatedFeeds(service)


def counts(service, region=KEC):
    return service.coverage(PROVINCE_ADMIN, region).total.counts


# ---- recordings ------------------------------------------------------------------------

def test_a_failed_recording_is_not_recorded(service, feeds):
    good, bad = b.register_number(), b.register_number()
    feeds.send("enrolment", e.captured(DESA, good, TODAY), e.captured(DESA, bad, TODAY), e.failed(bad, DESA))
    assert counts(service).recorded == 1


def test_adjudication_fraud_fails_and_different_person_counts_again(service, feeds):
    fraud, other = b.register_number(), b.register_number()
    feeds.send("enrolment", e.captured(DESA, fraud, TODAY), b.duplicate(fraud, DESA),
               e.captured(DESA, other, TODAY), b.duplicate(other, DESA))
    assert counts(service).recorded == 0
    feeds.send("enrolment", e.adjudicated(fraud, DESA, enrolment_pb2.ADJUDICATION_DECISION_FRAUD),
               e.adjudicated(other, DESA, enrolment_pb2.ADJUDICATION_DECISION_DIFFERENT_PERSON))
    assert counts(service).recorded == 1


def test_a_resident_who_moved_in_counts_in_the_new_desa_only(service, feeds):
    before, after = b.register_number(), b.register_number()
    feeds.send("enrolment", e.captured(OTHER_KEC_DESA, before, TODAY))
    feeds.send("enrolment", e.captured(DESA, after, TODAY), e.moved_in(after, DESA, before, OTHER_KEC_DESA))
    assert counts(service, KEC).recorded == 1
    assert counts(service, "62.03.02").recorded == 0
    assert counts(service, KAB).recorded == 1


# ---- documents -----------------------------------------------------------------------

def test_a_card_moves_through_printed_dispatched_and_handed_over(service, feeds):
    number, card = b.register_number(), b.document_id()
    feeds.send("enrolment", e.captured(DESA, number, TODAY), b.print_ready(number, DESA))
    assert (counts(service).print_ready_backlog, counts(service).cards_printed) == (1, 0)
    feeds.send("documents", b.card_printed(number, DESA, card))
    assert (counts(service).print_ready_backlog, counts(service).cards_printed) == (0, 1)
    feeds.send("documents", e.dispatched("B1", [(card, number, DESA)]))
    assert (counts(service).dispatched, counts(service).handed_over) == (1, 0)
    feeds.send("documents", e.handed_over(card, number, DESA, "B1"))
    assert (counts(service).dispatched, counts(service).handed_over) == (1, 1)


def test_a_voided_or_spoiled_card_no_longer_counts_as_printed(service, feeds):
    voided, spoiled = b.register_number(), b.register_number()
    for number in (voided, spoiled):
        feeds.send("enrolment", e.captured(DESA, number, TODAY), b.print_ready(number, DESA))
    feeds.send("documents", b.card_printed(voided, DESA, "D-V"), b.card_printed(spoiled, DESA, "D-S"))
    assert counts(service).cards_printed == 2
    feeds.send("documents", e.voided("D-V", voided, DESA), e.card_spoiled("D-S", spoiled, DESA))
    assert (counts(service).cards_printed, counts(service).print_ready_backlog) == (0, 2)


def test_an_expired_or_voided_suket_is_no_longer_card_debt(service, feeds):
    first, second = b.register_number(), b.register_number()
    feeds.send("documents", e.suket(first, DESA, "S1", TODAY + dt.timedelta(days=100)),
               e.suket(second, DESA, "S2", TODAY + dt.timedelta(days=100)))
    assert counts(service).suket_outstanding == 2
    feeds.send("documents", e.expired("S1", first, DESA), e.voided("S2", second, DESA))
    assert counts(service).suket_outstanding == 0


# ---- order between feeds, replay -----------------------------------------------------------

def _story() -> list[tuple[str, object]]:
    """Events of 30 residents in two desa: per feed in producer order."""
    events = []
    for i in range(30):
        number, region = f"REG-ORDER-{i:03d}", (DESA, DESA2)[i % 2]
        events.append(("enrolment", e.captured(region, number, TODAY - dt.timedelta(days=i % 5))))
        if i % 7 == 0:
            events.append(("enrolment", b.duplicate(number, region)))
            continue
        events.append(("enrolment", b.print_ready(number, region)))
        if i % 3 == 0:
            events.append(("documents", b.card_printed(number, region, f"CARD-{i}")))
        elif i % 3 == 1:
            events.append(("documents", e.suket(number, region, f"SUKET-{i}", TODAY + dt.timedelta(days=i))))
            if i % 2:
                events.append(("documents", b.suket_superseded(f"SUKET-{i}", number, region)))
                events.append(("documents", b.card_printed(number, region, f"CARD-{i}")))
    return events


def _interleaved(events, seed: int):
    """The same events, each feed in its own order, the feeds interleaved at random."""
    queues = {feed: [p for f, p in events if f == feed] for feed in ("enrolment", "documents")}
    rng, merged = random.Random(seed), []
    while any(queues.values()):
        feed = rng.choice([f for f, q in queues.items() if q])
        merged.append((feed, queues[feed].pop(0)))
    return merged


def _snapshot(service):
    coverage = service.coverage(PROVINCE_ADMIN, KEC)
    series = service.coverage_series(PROVINCE_ADMIN, KEC, TODAY - dt.timedelta(days=10), TODAY)
    return coverage, series


def test_counters_are_the_same_whatever_the_order_between_feeds_and_match_a_recount(engine, feeds):
    """Every interleaving of the feeds folds to the same counters, equal to counting the facts."""
    snapshots = []
    for seed in (1, 2, 3):
        with engine.begin() as conn:
            for table in (*db.READ_MODELS, db.inbox, db.feed_cursors):
                conn.execute(table.delete())
        service = ReportingService(functools.partial(ReportingUnitOfWork, engine), clock=lambda: NOW)
        for feed, payload in _interleaved(_story(), seed):
            DatedFeeds(service).send(feed, payload)
        snapshots.append(_snapshot(service))
    assert snapshots[0] == snapshots[1] == snapshots[2]
    total = snapshots[0][0].total.counts
    # 30 residents, 5 duplicates (i % 7 == 0); cards for i % 3 == 0 and odd i % 3 == 1; Suket for even i % 3 == 1.
    residents = [i for i in range(30) if i % 7]
    assert total.recorded == len(residents)
    assert total.cards_printed == len([i for i in residents if i % 3 == 0 or (i % 3 == 1 and i % 2)])
    assert total.suket_outstanding == len([i for i in residents if i % 3 == 1 and not i % 2])
    assert snapshots[0][1].points[-1].cumulative == len(residents)


def test_replaying_every_feed_changes_no_counter(service, feeds):
    for feed, payload in _story():
        feeds.send(feed, payload)
    before = _snapshot(service)
    assert not any(feeds.replay_all())
    assert _snapshot(service) == before


# ---- coverage series -------------------------------------------------------------------------

def test_the_series_has_a_point_per_day_and_counts_what_came_before_it(service, feeds):
    feeds.send("enrolment", b.target(KEC, 10), e.captured(DESA, b.register_number(), dt.date(2016, 10, 1)),
               *(e.captured(DESA, b.register_number(), dt.date(2016, 11, 29)) for _ in range(2)),
               e.captured(DESA2, b.register_number(), TODAY))
    series = service.coverage_series(PROVINCE_ADMIN, KEC, dt.date(2016, 11, 28))
    assert [(p.day, p.recorded, p.cumulative) for p in series.points] == [
        (dt.date(2016, 11, 28), 0, 1), (dt.date(2016, 11, 29), 2, 3), (dt.date(2016, 11, 30), 0, 3),
        (TODAY, 1, 4)]
    assert (series.target, series.points[-1].coverage_ratio) == (10, 0.4)
    desa = service.coverage_series(PROVINCE_ADMIN, DESA2, dt.date(2016, 11, 30))
    assert [p.cumulative for p in desa.points] == [0, 1]


def test_a_series_the_wrong_way_round_or_too_long_is_invalid_naming_the_field(service):
    with pytest.raises(InvalidDate) as caught:
        service.coverage_series(PROVINCE_ADMIN, KEC, TODAY, TODAY - dt.timedelta(days=1), day_fields=("dari", "sampai"))
    assert caught.value.violations[0].field == "dari"
    with pytest.raises(InvalidDate):
        service.coverage_series(PROVINCE_ADMIN, KEC, dt.date(2010, 1, 1), TODAY)
    with pytest.raises(InvalidDate) as caught:
        domain.parse_day("27-11-2024", "tanggal")
    assert caught.value.violations[0].field == "tanggal"


def test_a_desa_is_its_own_coverage_row(service, feeds):
    feeds.send("enrolment", b.target(DESA, 4, "Murung"), e.captured(DESA, b.register_number(), TODAY))
    coverage = service.coverage(PROVINCE_ADMIN, DESA)
    assert (coverage.total.region_name, coverage.total.recorded, coverage.total.coverage_ratio, coverage.rows) == (
        "Murung", 1, 0.25, [])
    with pytest.raises(InvalidRegionCode):
        service.coverage(PROVINCE_ADMIN, "62.03.01.20")


# ---- funnel --------------------------------------------------------------------------------

def test_funnel_counts_each_stage_and_the_card_debt_expiring_soon(service, feeds):
    numbers = [b.register_number() for _ in range(4)]
    feeds.send("enrolment", b.target(KEC, 10), *(e.captured(DESA, n, TODAY) for n in numbers),
               *(b.print_ready(n, DESA) for n in numbers))
    feeds.send("documents", b.card_printed(numbers[0], DESA, "C0"), e.dispatched("B1", [("C0", numbers[0], DESA)]),
               e.suket(numbers[1], DESA, "S1", TODAY + dt.timedelta(days=10)),
               e.suket(numbers[2], DESA, "S2", TODAY + dt.timedelta(days=120)))
    funnel = service.funnel(PROVINCE_ADMIN, KAB)
    total = funnel.total
    assert (total.target, total.recorded, total.print_ready, total.printed, total.dispatched, total.handed_over) == (
        10, 4, 4, 1, 1, 0)
    assert (total.suket_outstanding, total.suket_expiring, total.print_backlog) == (2, 1, 3)
    assert [(r.region_code, r.suket_expiring) for r in funnel.rows] == [(KEC, 1)]
    assert funnel.print_rate_per_day == pytest.approx(1 / 30)
    assert funnel.backlog_clear_days == -1.0      # no stock on hand, nothing arriving
    feeds.send("inventory", b.stock_received(KAB, 50, 50))
    assert service.funnel(PROVINCE_ADMIN, KAB).backlog_clear_days == pytest.approx(90.0)


def test_backlog_clear_days_rules():
    assert domain.backlog_clear_days(0, 0, 0, 0) == 0.0
    assert domain.backlog_clear_days(300, 30, 0, 0) == -1.0          # no stock, nothing arriving
    assert domain.backlog_clear_days(300, 0, 1000, 0) == -1.0        # nothing printed lately
    assert domain.backlog_clear_days(300, 30, 100, 0) == -1.0        # stock runs out before it clears
    assert domain.backlog_clear_days(300, 30, 0, 8_000_000) == 300.0  # a delivery is coming


# ---- stock board ---------------------------------------------------------------------------

def test_stock_board_days_of_cover_stock_out_days_and_spoilage(service, feeds):
    feeds.send("inventory", b.stock_received(KAB, 100, 100), day=dt.date(2016, 10, 1))
    feeds.send("inventory", *(e.consumed(KAB) for _ in range(30)), day=dt.date(2016, 11, 20))
    feeds.send("inventory", e.spoiled(KAB, 2, 68), day=dt.date(2016, 11, 21))
    feeds.send("inventory", e.stock_out(KAB), day=dt.date(2016, 11, 22))
    feeds.send("inventory", b.stock_received(KAB, 60, 60), day=dt.date(2016, 11, 25))
    feeds.send("inventory", e.stock_out("62.11"), day=dt.date(2016, 11, 29))
    rows = {row.office_code: row for row in service.stock_board(PROVINCE_ADMIN).offices}
    kapuas = rows[KAB]
    assert (kapuas.on_hand, kapuas.received, kapuas.consumed, kapuas.spoiled, kapuas.out_of_stock) == (
        60, 160, 30, 2, False)
    assert kapuas.days_of_cover == pytest.approx(60.0)        # 30 consumed in 30 days: 1 a day
    assert kapuas.stock_out_days == 3                         # 22, 23, 24 November
    other = rows["62.11"]
    assert (other.out_of_stock, other.stock_out_days, other.days_of_cover) == (True, 3, -1.0)   # 29 Nov - 1 Dec


def test_procurement_expected_arrival_follows_contract_and_deliveries(service, feeds):
    feeds.send("inventory", b.procurement("P-2017", inventory_pb2.PROCUREMENT_STATUS_CONTRACT),
               day=dt.date(2016, 10, 1))
    [package] = service.stock_board(PROVINCE_ADMIN).procurements
    assert (package.status, package.delivered, package.expected_arrival) == (
        domain.ProcurementStatus.CONTRACT, 0, dt.date(2016, 11, 30))
    feeds.send("inventory", e.delivery("P-2017", 1_000_000, 1_000_000), day=dt.date(2016, 11, 1))
    feeds.send("inventory", e.delivery("P-2017", 1_000_000, 2_000_000), day=dt.date(2016, 11, 21))
    [package] = service.stock_board(PROVINCE_ADMIN).procurements
    assert (package.delivered, package.expected_arrival) == (2_000_000, dt.date(2016, 12, 11))
    feeds.send("inventory", b.procurement("P-2016", inventory_pb2.PROCUREMENT_STATUS_POSTPONED, "reviu"))
    postponed = next(p for p in service.stock_board(PROVINCE_ADMIN).procurements if p.package_id == "P-2016")
    assert postponed.expected_arrival is None


# ---- drives --------------------------------------------------------------------------------

def test_drive_report_counts_per_drive_and_day_and_the_coverage_gained(service, feeds):
    feeds.send("enrolment", b.target(DESA, 20), b.target(DESA2, 20))
    numbers = [b.register_number() for _ in range(4)]
    feeds.send("enrolment", e.captured(DESA, numbers[0], dt.date(2016, 11, 28), drive_id=7),
               e.captured(DESA, numbers[1], dt.date(2016, 11, 28), drive_id=7),
               e.captured(DESA2, numbers[2], dt.date(2016, 11, 29), drive_id=7), e.failed(numbers[2], DESA2),
               e.captured(DESA2, numbers[3], dt.date(2016, 11, 29), drive_id=8),
               e.captured(DESA, b.register_number(), TODAY))
    feeds.send("enrolment", e.drive_closed(7, KAB, [DESA], "2016-11-28", recorded=2))
    report = service.drive_report(PROVINCE_ADMIN, KEC)
    rows = {row.drive_id: row for row in report.drives}
    closed, open_ = rows[7], rows[8]
    assert (closed.closed, closed.planned_for, closed.village_codes, closed.recorded, closed.failed) == (
        True, dt.date(2016, 11, 28), (DESA,), 2, 1)
    assert closed.coverage_gained == pytest.approx(0.1)        # 2 of desa's 20
    assert (open_.closed, open_.village_codes, open_.recorded, open_.coverage_gained) == (
        False, (DESA2,), 1, pytest.approx(0.05))
    assert [(d.day, d.recorded) for d in report.days] == [(dt.date(2016, 11, 28), 2), (dt.date(2016, 11, 29), 1)]


def test_the_lurah_may_not_see_drives(service):
    with pytest.raises(PermissionDenied):
        service.drive_report(Principal("lurah", Role.LURAH, DESA), KEC)


# ---- voter readiness -----------------------------------------------------------------------

def test_voter_readiness_by_desa_on_the_election_date(service, feeds):
    election = dt.date(2017, 2, 15)
    adult, card, suket_ok, suket_lapses, turning, too_young = (b.register_number() for _ in range(6))
    feeds.send("enrolment", b.target(DESA, 10),
               e.captured(DESA, adult, TODAY, eligible_on=dt.date(1990, 1, 1)),
               e.captured(DESA, card, TODAY, eligible_on=dt.date(1990, 1, 1)),
               e.captured(DESA, suket_ok, TODAY, eligible_on=dt.date(1990, 1, 1)),
               e.captured(DESA, suket_lapses, TODAY, eligible_on=dt.date(1990, 1, 1)),
               e.captured(DESA, turning, TODAY, eligible_on=dt.date(2017, 1, 10)),
               e.captured(DESA, too_young, TODAY, eligible_on=dt.date(2017, 6, 1)))
    feeds.send("documents", b.card_printed(card, DESA),
               e.suket(suket_ok, DESA, "S-OK", election), e.suket(suket_lapses, DESA, "S-OLD", election - dt.timedelta(days=1)))
    readiness = service.voter_readiness(PROVINCE_ADMIN, KEC, election)
    [row] = readiness.rows
    # eligible: target 10 + 1 pre-recording turning 17 before the election; recorded eligible: 5.
    assert (row.region_code, row.eligible, row.not_recorded, row.recorded_without_document, row.ready) == (
        DESA, 11, 6, 3, 2)
    assert readiness.total.eligible == 11 and readiness.election_date == election
    desa = service.voter_readiness(PROVINCE_ADMIN, DESA, election)
    assert (desa.total.ready, desa.rows) == (2, [])


def test_a_fold_that_collides_with_another_consumers_is_retried_at_once(service, feeds, monkeypatch):
    real, calls = ReportingService._apply, []

    def collide_once(self, uow, event):
        calls.append(event.event_id)
        if len(calls) == 1:
            real(self, uow, event)          # its writes are rolled back with the collision
            raise FoldCollision()
        return real(self, uow, event)

    monkeypatch.setattr(ReportingService, "_apply", collide_once)
    assert feeds.send("enrolment", e.captured(DESA, b.register_number(), TODAY)) == [True]
    assert len(calls) == 2
    assert counts(service).recorded == 1


def test_a_fold_that_keeps_colliding_gives_up_to_its_feed_consumer(service, feeds, monkeypatch):
    def always(self, uow, event):
        raise FoldCollision()

    monkeypatch.setattr(ReportingService, "_apply", always)
    with pytest.raises(FoldCollision):
        feeds.send("enrolment", e.captured(DESA, b.register_number(), TODAY))
