"""The folding rules and coverage queries, on a real SQLite store."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from reporting import db
from reporting.domain import FeedEvent, ProcurementStatus
from reporting.errors import InvalidRegionCode, RegionNotFound
from servicekit import outbox
from servicekit.outbox import Inbox
from tests.reporting import builders as b
from tests.reporting.unit.conftest import PROVINCE_ADMIN

KEC = "62.03.01"
DESA = "62.03.01.2001"


def _row(service, region, child):
    return next(r for r in service.get_coverage(PROVINCE_ADMIN, region).rows if r.region_code == child)


def test_replayed_events_are_applied_once(service, feeds, engine):
    feeds.send("enrolment", b.target(KEC, 10), b.captured(DESA), b.captured(DESA))
    assert feeds.replay_all() == [False, False, False]
    row = _row(service, "62.03", KEC)
    assert (row.target, row.counts.recorded) == (10, 2)
    assert outbox.read_cursor(engine, "enrolment") == 3


def test_a_duplicate_recording_does_not_raise_coverage(service, feeds):
    first, second = b.register_number(), b.register_number()
    feeds.send("enrolment", b.target(KEC, 4), b.captured(DESA, first), b.captured(DESA, second),
               b.duplicate(second, DESA, duplicate_of=first))
    assert _row(service, "62.03", KEC).counts.recorded == 1
    assert _row(service, "62.03", KEC).coverage_ratio == 0.25


def test_suket_outstanding_drops_when_the_suket_is_superseded(service, feeds):
    number = b.register_number()
    suket = b.suket_issued(number, DESA)
    feeds.send("documents", suket, b.suket_issued(b.register_number(), DESA))
    assert _row(service, "62.03", KEC).counts.suket_outstanding == 2
    feeds.send("documents", b.suket_superseded(suket.document_id, number, DESA), b.card_printed(number, DESA))
    counts = _row(service, "62.03", KEC).counts
    assert (counts.suket_outstanding, counts.cards_printed) == (1, 1)


def test_a_card_printed_before_its_recording_is_counted_once_both_arrive(service, feeds):
    number = b.register_number()
    feeds.send("documents", b.card_printed(number, DESA))
    feeds.send("enrolment", b.captured(DESA, number), b.print_ready(number, DESA))
    counts = _row(service, "62.03", KEC).counts
    assert (counts.recorded, counts.print_ready, counts.cards_printed, counts.print_ready_backlog) == (1, 1, 1, 0)


def test_coverage_above_one_hundred_percent_is_reported_as_is(service, feeds):
    feeds.send("enrolment", b.target(KEC, 2), *(b.captured(DESA) for _ in range(3)))
    assert _row(service, "62.03", KEC).coverage_ratio == 1.5


def test_children_are_the_union_of_targets_and_facts_with_desa_facts_rolled_up(service, feeds):
    feeds.send("enrolment", b.target("62.03", 1000, "Kapuas"), b.target(KEC, 600, "Selat"),
               b.target("62.03.02.2001", 30), b.target("62.03.02.2002", 20),
               b.captured(DESA), b.captured("62.03.01.1002"), b.captured("62.03.05.2001"),
               b.captured("63.10.01.2001"))
    coverage = service.get_coverage(PROVINCE_ADMIN, "62.03")
    assert [(r.region_code, r.region_name, r.target, r.counts.recorded) for r in coverage.rows] == [
        (KEC, "Selat", 600, 2), ("62.03.02", "62.03.02", 50, 0), ("62.03.05", "62.03.05", 0, 1)]
    total = coverage.total
    assert (total.region_name, total.target, total.counts.recorded) == ("Kapuas", 1000, 3)


def test_a_province_report_has_one_row_per_kabupaten_and_sums_their_targets(service, feeds):
    feeds.send("enrolment", b.target("62.03", 100), b.target("62.11", 50), b.captured(DESA))
    coverage = service.get_coverage(PROVINCE_ADMIN, "62")
    assert [r.region_code for r in coverage.rows] == ["62.03", "62.11"]
    assert (coverage.total.target, coverage.total.counts.recorded) == (150, 1)


def test_a_kecamatan_report_has_one_row_per_desa(service, feeds):
    feeds.send("enrolment", b.target(DESA, 7), b.captured(DESA), b.captured("62.03.01.2002"))
    assert [(r.region_code, r.target) for r in service.get_coverage(PROVINCE_ADMIN, KEC).rows] == [
        (DESA, 7), ("62.03.01.2002", 0)]


def test_unknown_region_is_not_found_and_malformed_region_is_invalid(service, feeds):
    feeds.send("enrolment", b.target(KEC, 10))
    with pytest.raises(RegionNotFound):
        service.get_coverage(PROVINCE_ADMIN, "62.71")
    with pytest.raises(InvalidRegionCode) as caught:
        service.get_coverage(PROVINCE_ADMIN, "62.03.01.2001")
    assert caught.value.violations[0].field == "region_code"


def test_unknown_event_types_are_marked_applied_and_change_nothing(service, engine):
    assert service.apply(FeedEvent("documents", "e-1", 7, None)) is True
    assert service.apply(FeedEvent("documents", "e-1", 7, None)) is False
    assert outbox.read_cursor(engine, "documents") == 7
    with pytest.raises(RegionNotFound):
        service.get_coverage(PROVINCE_ADMIN, "62")


def test_a_failed_apply_stores_nothing_and_leaves_the_event_to_retry(service, feeds, engine, monkeypatch):
    def broken(self, feed, event_id, sequence):
        raise RuntimeError("disk full")
    monkeypatch.setattr(Inbox, "mark_applied", broken)
    with pytest.raises(RuntimeError):
        feeds.send("enrolment", b.captured(DESA))
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(db.recording_facts)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(db.inbox)).scalar_one() == 0
    monkeypatch.undo()
    assert feeds.replay_all() == [True]
    assert service.get_coverage(PROVINCE_ADMIN, KEC).total.counts.recorded == 1


def test_kabupaten_rows_carry_the_print_ready_backlog_for_metrics(service, feeds):
    printed, waiting = b.register_number(), b.register_number()
    feeds.send("enrolment", b.target("62.03", 10), b.captured(DESA, printed), b.print_ready(printed, DESA),
               b.captured(DESA, waiting), b.print_ready(waiting, DESA), b.captured("63.10.01.2001"))
    feeds.send("documents", b.card_printed(printed, DESA))
    rows = {r.region_code: r for r in service.kabupaten_coverage()}
    assert set(rows) == {"62.03", "63.10"}
    assert (rows["62.03"].counts.print_ready, rows["62.03"].counts.print_ready_backlog) == (2, 1)
    assert rows["62.03"].coverage_ratio == 0.2


def test_stock_and_procurement_boards_follow_inventory_events(service, feeds):
    feeds.send("inventory", b.stock_received("62.03", 500, 500),
               inventory_pb2.StockReserved(office_code="62.03", serial="1", idempotency_key="k", available=499),
               inventory_pb2.StockConsumed(office_code="62.03", serial="1", idempotency_key="k"),
               inventory_pb2.StockOut(office_code="62.11"),
               b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_ANNOUNCED),
               b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_POSTPONED, "reviu BPKP"))
    boards = {s.office_code: (s.on_hand, s.received, s.consumed) for s in service.stock_board(PROVINCE_ADMIN).offices}
    assert boards == {"62.03": (499, 500, 1), "62.11": (0, 0, 0)}
    [package] = service.stock_board(PROVINCE_ADMIN).procurements
    assert (package.package_id, package.status, package.reason) == ("TENDER-2016", ProcurementStatus.POSTPONED, "reviu BPKP")


def test_an_event_without_its_key_is_marked_applied_and_stores_nothing(service, feeds, engine):
    assert feeds.send("enrolment", enrolment_pb2.RecordingCaptured(region_code=DESA)) == [True]
    assert outbox.read_cursor(engine, "enrolment") == 1
    with pytest.raises(RegionNotFound):
        service.get_coverage(PROVINCE_ADMIN, KEC)
