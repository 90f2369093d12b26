"""Domain rules: serial ranges, office codes, keys, reservations, procurement lifecycle."""
from __future__ import annotations

import datetime as dt

import pytest

from inventory.domain import (
    TRANSITIONS,
    ContractTerms,
    ProcurementChannel,
    ProcurementPackage,
    Reservation,
    ReservationState,
    SerialRange,
    idempotency_key_violations,
    office_code_violations,
    serial_range_violations,
)
from inventory.domain import (
    ProcurementStatus as S,
)
from inventory.errors import AlreadyConsumed, InvalidTransition, ReservationReleased, SerialMismatch

NOW = dt.datetime(2016, 11, 14, tzinfo=dt.timezone.utc)


def fields(violations) -> list[str]:
    return [v.field for v in violations]


# ---- serial ranges ------------------------------------------------------------------

def test_serial_range_lists_every_serial_with_leading_zeros():
    serials = SerialRange("00000098", "00000101")
    assert serials.quantity == 4
    assert list(serials.serials()) == ["00000098", "00000099", "00000100", "00000101"]


def test_valid_serial_range_has_no_violations():
    assert serial_range_violations("12345678", "12345678") == []
    assert serial_range_violations("1" * 20, "1" * 20) == []


@pytest.mark.parametrize("first, last, expected", [
    ("1234567", "12345678", ["first_serial"]),          # too short
    ("1" * 21, "1" * 21, ["first_serial", "last_serial"]),  # too long
    ("0000000A", "00000010", ["first_serial"]),         # not digits
    ("00000001", "", ["last_serial"]),                  # missing
    ("０００００００１", "00000009", ["first_serial"]),   # non-ASCII digits
    ("00000001", "000000010", ["last_serial"]),         # different length
    ("00000010", "00000009", ["last_serial"]),          # first > last
    ("00000000", "00100000", ["last_serial"]),          # 100,001 serials
])
def test_bad_serial_range_names_the_field_to_fix(first, last, expected):
    assert fields(serial_range_violations(first, last)) == expected


def test_receipt_of_exactly_100000_serials_is_allowed():
    assert serial_range_violations("00000001", "00100000") == []


# ---- office codes and keys ----------------------------------------------------------

@pytest.mark.parametrize("code", ["62", "62.03", "62.03.01"])
def test_province_regency_and_kecamatan_codes_are_office_codes(code):
    assert office_code_violations(code) == []


@pytest.mark.parametrize("code", ["", "6", "62.3", "62.03.01.1001", "62-03", "62.03.", "ab.cd", " 62.03"])
def test_other_shapes_are_not_office_codes(code):
    assert fields(office_code_violations(code)) == ["office_code"]


@pytest.mark.parametrize("key", ["", "   ", "x" * 121, "card:\n1"])
def test_bad_idempotency_key_is_refused(key):
    assert fields(idempotency_key_violations(key)) == ["idempotency_key"]


def test_idempotency_key_of_120_printable_characters_is_accepted():
    assert idempotency_key_violations("card:" + "7" * 115) == []


# ---- reservation state machine ------------------------------------------------------

def reservation(state: ReservationState = ReservationState.RESERVED) -> Reservation:
    return Reservation("card:1", "62.03", "00000001", reserved_at=NOW, updated_at=NOW, state=state)


def test_consuming_a_reserved_blank_marks_it_consumed():
    r = reservation()
    assert r.consume("00000001", NOW) is True
    assert r.state is ReservationState.CONSUMED


def test_consuming_without_a_serial_uses_the_reserved_one():
    r = reservation()
    assert r.consume("", NOW) is True


def test_consuming_twice_is_idempotent():
    r = reservation(ReservationState.CONSUMED)
    assert r.consume("00000001", NOW) is False
    assert r.state is ReservationState.CONSUMED


def test_consuming_another_serial_is_refused():
    with pytest.raises(SerialMismatch) as caught:
        reservation().consume("00000002", NOW)
    assert caught.value.reason == "SERIAL_MISMATCH"


def test_consuming_a_released_reservation_is_refused():
    with pytest.raises(ReservationReleased) as caught:
        reservation(ReservationState.RELEASED).consume("00000001", NOW)
    assert caught.value.reason == "RESERVATION_RELEASED"


def test_releasing_keeps_the_reason_and_twice_is_idempotent():
    r = reservation()
    assert r.release("misprint avoided", NOW) is True
    assert (r.state, r.release_reason) == (ReservationState.RELEASED, "misprint avoided")
    assert r.release("again", NOW) is False
    assert r.release_reason == "misprint avoided"


def test_releasing_a_consumed_blank_is_refused():
    with pytest.raises(AlreadyConsumed) as caught:
        reservation(ReservationState.CONSUMED).release("", NOW)
    assert caught.value.reason == "ALREADY_CONSUMED"


# ---- procurement lifecycle ----------------------------------------------------------

def package(status: S = S.PLANNED) -> ProcurementPackage:
    return ProcurementPackage("p1", 2016, "Blanko 2016", 8_000_000, 115_200_000_000, ProcurementChannel.TENDER,
                              status, "", NOW)


TERMS = ContractTerms(vendor="PT Uji Kartu", contract_number="KTR-1", contract_value_idr=82_250_000_000)


@pytest.mark.parametrize("path", [
    [S.ANNOUNCED, S.WINNER, S.OBJECTION_PERIOD, S.REVIEW, S.CONTRACT],
    [S.ANNOUNCED, S.FAILED, S.ANNOUNCED, S.WINNER],                              # re-tender
    [S.ANNOUNCED, S.WINNER, S.OBJECTION_PERIOD, S.REVIEW, S.POSTPONED, S.ANNOUNCED],  # re-tender
    [S.ANNOUNCED, S.WINNER, S.OBJECTION_PERIOD, S.REVIEW, S.POSTPONED, S.REVIEW, S.CANCELLED],
    [S.ANNOUNCED, S.WINNER, S.OBJECTION_PERIOD, S.REVIEW, S.POSTPONED, S.CANCELLED],
    [S.CANCELLED],                                                               # a plan dropped
])
def test_procurement_follows_its_lifecycle(path):
    p = package()
    for status in path:
        change = p.change_status(status, f"to {status.value}", NOW, TERMS)
        assert (change.status, change.reason) == (status, f"to {status.value}")
    assert p.status is path[-1]


@pytest.mark.parametrize("start, target", [
    (S.PLANNED, S.WINNER), (S.ANNOUNCED, S.CONTRACT), (S.REVIEW, S.ANNOUNCED), (S.POSTPONED, S.CONTRACT),
    (S.CANCELLED, S.ANNOUNCED), (S.ALLOCATED, S.DELIVERY), (S.FAILED, S.WINNER), (S.PLANNED, S.PLANNED),
    (S.CONTRACT, S.DELIVERY), (S.CONTRACT, S.ALLOCATED),   # deliveries move a contract on, not a status change
])
def test_invalid_procurement_transition_is_refused_and_changes_nothing(start, target):
    p = package(start)
    with pytest.raises(InvalidTransition) as caught:
        p.change_status(target, "x", NOW + dt.timedelta(days=1), TERMS)
    assert caught.value.reason == "INVALID_TRANSITION"
    assert (p.status, p.status_changed_at) == (start, NOW)


def test_every_status_has_its_transitions_defined():
    assert set(TRANSITIONS) == set(S)
