"""Pure rules of procurement, requests for blanks and forecasts (no database)."""
from __future__ import annotations

import datetime as dt

import pytest

from inventory.domain import (
    E_CATALOGUE_TRANSITIONS,
    TRANSITIONS,
    BacklogSource,
    BlankRequest,
    ContractTerms,
    DayUsage,
    ExpectedArrival,
    ProcurementChannel,
    ProcurementPackage,
    RequestKind,
    RequestState,
    SerialRange,
    StockLevel,
    StockThresholds,
    expected_arrival,
    forecast,
    level_crossed,
    proposed_quantity,
    request_violations,
    stock_level,
    stock_out_days,
    supplier_for,
)
from inventory.domain import ProcurementStatus as S
from inventory.errors import InvalidRequest, InvalidRequestState, InvalidTransition

NOW = dt.datetime(2016, 11, 14, 2, 0, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(days=1)
TODAY = dt.date(2016, 11, 14)
WIB = dt.timezone(dt.timedelta(hours=7))
CONTRACT = ContractTerms(vendor="PT Uji Kartu", contract_number="KTR-1", contract_value_idr=82_250_000_000,
                         expected_delivery_on=dt.date(2017, 7, 31))


def package(status: S = S.PLANNED, channel: ProcurementChannel = ProcurementChannel.TENDER, *,
            quantity: int = 7_000_000, delivered: int = 0, expected: dt.date | None = None,
            year: int = 2017, reason: str = "") -> ProcurementPackage:
    return ProcurementPackage(f"p{year}{status.value}", year, f"Blanko {year}", quantity, 82_250_000_000, channel,
                              status, reason, NOW, delivered=delivered, expected_delivery_on=expected)


# ---- procurement lifecycle: the whole table --------------------------------------------

ALL_PAIRS = [(a, b) for a in S for b in S]


@pytest.mark.parametrize("start, target", ALL_PAIRS, ids=lambda s: s.value)
def test_a_tender_takes_exactly_the_steps_of_its_lifecycle_table(start, target):
    p = package(start, delivered=1)   # a delivery exists, so ALLOCATED is a matter of the table only
    legal = target in TRANSITIONS[start] and target is not S.DELIVERY
    if legal:
        p.change_status(target, "alasan", LATER, CONTRACT)
        assert (p.status, p.status_changed_at) == (target, LATER)
    else:
        with pytest.raises(InvalidTransition) as caught:
            p.change_status(target, "alasan", LATER, CONTRACT)
        assert caught.value.reason == "INVALID_TRANSITION"
        assert (p.status, p.status_changed_at) == (start, NOW)


@pytest.mark.parametrize("start, target", ALL_PAIRS, ids=lambda s: s.value)
def test_an_e_catalogue_order_skips_the_tender_steps(start, target):
    p = package(start, ProcurementChannel.E_CATALOGUE, delivered=1)
    legal = target in E_CATALOGUE_TRANSITIONS[start] and target is not S.DELIVERY
    if legal:
        p.change_status(target, "alasan", LATER, CONTRACT)
        assert p.status is target
    else:
        with pytest.raises(InvalidTransition):
            p.change_status(target, "alasan", LATER, CONTRACT)
    assert not ({S.ANNOUNCED, S.WINNER, S.REVIEW} & E_CATALOGUE_TRANSITIONS[S.PLANNED])


def test_a_forbidden_step_says_where_the_package_is_and_where_it_may_go():
    with pytest.raises(InvalidTransition) as caught:
        package(S.POSTPONED).change_status(S.CONTRACT, "", LATER, CONTRACT)
    assert caught.value.message == ("Paket berstatus Ditunda tidak dapat diubah menjadi Kontrak; status berikutnya "
                                    "yang sah: Diumumkan, Reviu BPKP/Inspektorat, Dibatalkan.")


@pytest.mark.parametrize("status", [S.FAILED, S.POSTPONED, S.CANCELLED])
def test_failing_postponing_or_cancelling_needs_a_reason(status):
    start = {S.FAILED: S.ANNOUNCED, S.POSTPONED: S.REVIEW, S.CANCELLED: S.REVIEW}[status]
    p = package(start)
    with pytest.raises(InvalidRequest) as caught:
        p.change_status(status, "  ", LATER)
    assert [v.field for v in caught.value.violations] == ["reason"]
    assert p.status is start


def test_a_winner_needs_a_vendor_and_a_contract_its_number_and_value():
    with pytest.raises(InvalidRequest) as caught:
        package(S.ANNOUNCED).change_status(S.WINNER, "", LATER)
    assert [v.field for v in caught.value.violations] == ["vendor"]
    p = package(S.REVIEW)
    with pytest.raises(InvalidRequest) as caught:
        p.change_status(S.CONTRACT, "", LATER, ContractTerms(contract_value_idr=-5))
    assert [v.field for v in caught.value.violations] == ["contract_number", "contract_value_idr"]
    p.change_status(S.CONTRACT, "Tanda tangan", LATER, CONTRACT)
    assert (p.vendor, p.contract_number, p.contract_value_idr, p.expected_delivery_on) == (
        "PT Uji Kartu", "KTR-1", 82_250_000_000, dt.date(2017, 7, 31))


def test_a_step_may_not_be_dated_before_the_last_one():
    p = package(S.PLANNED)
    with pytest.raises(InvalidRequest) as caught:
        p.change_status(S.ANNOUNCED, "", NOW - dt.timedelta(days=1))
    assert [v.field for v in caught.value.violations] == ["changed_at"]


def test_deliveries_move_a_contract_to_delivery_once_and_never_past_the_contract_quantity():
    p = package(S.CONTRACT, quantity=300)
    change = p.record_delivery(SerialRange("00000001", "00000100"), LATER)
    assert (change.status, p.status, p.delivered, p.remaining) == (S.DELIVERY, S.DELIVERY, 100, 200)
    assert p.record_delivery(SerialRange("00000101", "00000250"), LATER) is None   # still DELIVERY, no new step
    with pytest.raises(InvalidRequest) as caught:
        p.record_delivery(SerialRange("00000251", "00000351"), LATER)
    assert [v.field for v in caught.value.violations] == ["last_serial"]
    assert p.delivered == 250
    p.change_status(S.ALLOCATED, "Dialokasikan ke provinsi", LATER)
    assert p.status is S.ALLOCATED


@pytest.mark.parametrize("status", [S.PLANNED, S.REVIEW, S.POSTPONED, S.CANCELLED, S.ALLOCATED])
def test_no_delivery_without_a_contract(status):
    p = package(status)
    with pytest.raises(InvalidTransition):
        p.record_delivery(SerialRange("00000001", "00000010"), LATER)
    assert p.delivered == 0


def test_delivery_is_not_a_status_one_sets_by_hand():
    with pytest.raises(InvalidTransition, match="pengiriman pertama"):
        package(S.CONTRACT).change_status(S.DELIVERY, "", LATER)


# ---- requests for blanks ------------------------------------------------------------------

def blank_request(state: RequestState = RequestState.SUBMITTED, quantity: int = 500) -> BlankRequest:
    return BlankRequest("r1", RequestKind.ALLOCATION, "62.03", "62", quantity, 480, BacklogSource.OFFICER, "",
                        state, NOW, "dinas.kapuas")


def test_an_allocation_goes_to_the_parent_office_and_a_loan_to_the_lender():
    assert supplier_for(RequestKind.ALLOCATION, "62.03") == "62"
    assert supplier_for(RequestKind.ALLOCATION, "62") == "ID"
    assert supplier_for(RequestKind.LOAN, "62.03", "62.11") == "62.11"


def test_the_proposed_quantity_is_the_backlog_the_office_cannot_print():
    assert proposed_quantity(backlog=1_200, available=200) == 1_000
    assert proposed_quantity(backlog=100, available=200) == 0
    assert proposed_quantity(backlog=5_000_000, available=0) == 100_000    # at most one transfer


@pytest.mark.parametrize("kind, office, lender, quantity, backlog, note, fields", [
    (RequestKind.ALLOCATION, "62.03", "", 0, 10, "", ["quantity"]),
    (RequestKind.ALLOCATION, "62.03", "", -5, 10, "", ["quantity"]),
    (RequestKind.ALLOCATION, "62.03", "", 10**12, 10, "", ["quantity"]),
    (RequestKind.ALLOCATION, "62.03", "", 10, -1, "", ["backlog"]),
    (RequestKind.ALLOCATION, "62.03", "", 500, 100, "", ["note"]),          # more than the backlog, unexplained
    (RequestKind.ALLOCATION, "62.03.01", "", 10, 10, "", ["office_code"]),  # a UPT asks its Dinas, not here
    (RequestKind.ALLOCATION, "62-03", "", 10, 10, "", ["office_code"]),
    (RequestKind.LOAN, "62.03", "63.10", 10, 10, "", ["lender_office"]),   # another province
    (RequestKind.LOAN, "62.03", "62.03", 10, 10, "", ["lender_office"]),
    (RequestKind.LOAN, "62.03", "", 10, 10, "", ["lender_office"]),
])
def test_a_bad_request_names_every_field_to_fix(kind, office, lender, quantity, backlog, note, fields):
    assert [v.field for v in request_violations(kind, office, lender, quantity, backlog, note)] == fields


def test_a_request_sized_above_its_backlog_is_accepted_with_a_reason():
    assert request_violations(RequestKind.LOAN, "62.03", "62.11", 500, 100, "Drive sekolah minggu depan") == []


def test_a_request_is_approved_partly_only_with_a_reason_and_never_above_what_was_asked():
    r = blank_request()
    with pytest.raises(InvalidRequest) as caught:
        r.approve(300, "", "admin", LATER)
    assert [v.field for v in caught.value.violations] == ["reason"]
    with pytest.raises(InvalidRequest):
        r.approve(501, "", "admin", LATER)
    assert r.state is RequestState.SUBMITTED
    r.approve(300, "Stok provinsi terbatas", "admin", LATER)
    assert (r.state, r.quantity_approved, r.decision_reason, r.decided_by) == (
        RequestState.APPROVED, 300, "Stok provinsi terbatas", "admin")


@pytest.mark.parametrize("state", [RequestState.APPROVED, RequestState.REJECTED, RequestState.RECEIVED,
                                   RequestState.WITHDRAWN])
def test_only_a_submitted_request_is_decided_or_withdrawn(state):
    r = blank_request(state)
    for step in (lambda: r.approve(10, "", "a", LATER), lambda: r.reject("x", "a", LATER),
                 lambda: r.withdraw("a", LATER)):
        with pytest.raises(InvalidRequestState):
            step()
    assert r.state is state


def test_a_rejection_needs_a_reason_and_receipt_needs_an_approval():
    r = blank_request()
    with pytest.raises(InvalidRequest):
        r.reject(" ", "admin", LATER)
    with pytest.raises(InvalidRequestState):
        r.mark_received(LATER)
    r.approve(500, "", "admin", LATER)
    assert r.mark_received(LATER) is True
    assert r.mark_received(LATER + dt.timedelta(hours=1)) is False        # idempotent
    assert (r.state, r.received_at) == (RequestState.RECEIVED, LATER)


# ---- stock levels ----------------------------------------------------------------------------

def test_levels_follow_the_low_threshold():
    t = StockThresholds(low_blanks=100)
    assert [stock_level(n, t) for n in (0, 1, 100, 101)] == [StockLevel.OUT, StockLevel.LOW, StockLevel.LOW,
                                                            StockLevel.OK]


def test_an_event_fires_once_on_each_fall_and_never_on_recovery():
    ok, low, out = StockLevel.OK, StockLevel.LOW, StockLevel.OUT
    assert [level_crossed(a, b) for a, b in [(ok, low), (low, low), (low, out), (out, out), (ok, out)]] == [
        low, None, out, None, out]
    assert [level_crossed(a, b) for a, b in [(out, low), (out, ok), (low, ok)]] == [None, None, None]


# ---- forecast maths ----------------------------------------------------------------------------

def usage(*consumed: int | None) -> list[DayUsage]:
    """One DayUsage per value, oldest first; None marks a stock-out day (nothing printed)."""
    start = TODAY - dt.timedelta(days=len(consumed))
    return [DayUsage(start + dt.timedelta(days=n), c or 0, c is None) for n, c in enumerate(consumed)]


UNKNOWN = ExpectedArrival(None, "", "tidak diketahui")


def test_days_of_cover_is_available_over_the_average_of_days_with_stock():
    f = forecast("62.03", available=600, on_hand=610, backlog=0, usage=usage(40, 60, None, None, 50, 50),
                 arrival=UNKNOWN, today=TODAY, thresholds=StockThresholds(low_blanks=10, low_days=5))
    assert (f.daily_consumption, f.days_averaged, f.days_excluded) == (50, 4, 2)   # not 200 / 6
    assert f.days_of_cover == 12
    assert f.stock_out_on == TODAY + dt.timedelta(days=12)
    assert (f.level, f.shortfall) == (StockLevel.OK, 0)


def test_the_print_ready_backlog_is_served_first():
    f = forecast("62.03", 600, 600, backlog=400, usage=usage(50, 50), arrival=UNKNOWN, today=TODAY,
                 thresholds=StockThresholds(low_blanks=10, low_days=14))
    assert (f.days_of_cover, f.stock_out_on, f.shortfall) == (4, TODAY + dt.timedelta(days=4), 0)
    assert f.level is StockLevel.LOW                                  # fewer days than low_days
    short = forecast("62.03", 300, 300, backlog=1_000, usage=usage(50), arrival=UNKNOWN, today=TODAY,
                     thresholds=StockThresholds())
    assert (short.days_of_cover, short.stock_out_on, short.shortfall) == (0, TODAY, 700)


def test_without_consumption_the_cover_is_unknown_not_infinite_or_zero():
    f = forecast("62.03", 600, 600, 0, usage(None, None, 0, 0), UNKNOWN, TODAY, StockThresholds(low_blanks=10))
    assert (f.daily_consumption, f.days_of_cover, f.stock_out_on) == (0, None, None)
    all_out = forecast("62.03", 0, 0, 0, usage(None, None), UNKNOWN, TODAY, StockThresholds())
    assert (all_out.daily_consumption, all_out.days_of_cover, all_out.stock_out_on) == (None, 0, TODAY)
    assert all_out.level is StockLevel.OUT


def test_stock_out_days_cover_every_day_a_period_touches_in_office_time():
    start = dt.datetime(2016, 11, 10, 20, 0, tzinfo=dt.timezone.utc)            # 11 Nov 03:00 WIB
    end = dt.datetime(2016, 11, 12, 1, 0, tzinfo=dt.timezone.utc)              # 12 Nov 08:00 WIB
    assert stock_out_days([(start, end)], dt.date(2016, 11, 1), dt.date(2016, 11, 13), WIB) == {
        dt.date(2016, 11, 11), dt.date(2016, 11, 12)}
    assert stock_out_days([(start, None)], dt.date(2016, 11, 1), dt.date(2016, 11, 13), WIB) == {
        dt.date(2016, 11, d) for d in (11, 12, 13)}


def test_arrival_is_unknown_while_the_tender_is_postponed():
    postponed = package(S.POSTPONED, year=2016, reason="menunggu reviu BPKP")
    arrival = expected_arrival([postponed], TODAY)
    assert arrival.on is None
    assert arrival.explanation == ("Blanko 2016 berstatus Ditunda: menunggu reviu BPKP. "
                                   "Kedatangan blanko tidak dapat diperkirakan.")
    cancelled = expected_arrival([package(S.CANCELLED, reason="dibatalkan")], TODAY)
    assert (cancelled.on, cancelled.known) == (None, False)
    announced = expected_arrival([package(S.ANNOUNCED)], TODAY)
    assert announced.on is None and "belum ada kontrak" in announced.explanation


def test_arrival_is_the_earliest_date_a_contract_still_owes():
    soon = package(S.CONTRACT, expected=dt.date(2017, 3, 1), year=2017)
    later = package(S.DELIVERY, expected=dt.date(2017, 6, 1), year=2018)
    done = package(S.DELIVERY, expected=dt.date(2017, 1, 1), quantity=10, delivered=10, year=2019)
    arrival = expected_arrival([later, package(S.POSTPONED, year=2016), soon, done], TODAY)
    assert (arrival.on, arrival.package_id) == (dt.date(2017, 3, 1), soon.package_id)


def test_a_stock_out_before_the_arrival_is_flagged():
    arrival = ExpectedArrival(TODAY + dt.timedelta(days=30), "p", "kontrak")
    f = forecast("62.03", 100, 100, 0, usage(10, 10), arrival, TODAY, StockThresholds(low_blanks=5))
    assert (f.stock_out_on, f.runs_out_before_arrival) == (TODAY + dt.timedelta(days=10), True)
    assert forecast("62.03", 100, 100, 0, usage(10), UNKNOWN, TODAY, StockThresholds()).runs_out_before_arrival is None
