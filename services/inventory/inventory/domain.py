"""Blank-card (blanko) stock, reservations and procurement: pure rules, no infrastructure."""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

from inventory.errors import (
    AlreadyConsumed,
    FieldViolation,
    InvalidTransition,
    ReservationReleased,
    SerialMismatch,
)

MAX_SERIALS_PER_RECEIPT = 100_000
SERIAL_DIGITS = (8, 20)
MAX_KEY_LENGTH = 120
MAX_REFERENCE_LENGTH = 120
MAX_REASON_LENGTH = 500
NATIONAL_REGION = "ID"  # envelope region of national procurement events

# Kemendagri code of an office: province "62", regency "62.03" or kecamatan "62.03.01".
_OFFICE_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2}){0,2}")
_DIGITS = re.compile(r"[0-9]+")


# ---- validation ---------------------------------------------------------------------

def is_office_code(value: str) -> bool:
    return _OFFICE_CODE.fullmatch(value) is not None


def office_code_violations(value: str, field_name: str = "office_code") -> list[FieldViolation]:
    if is_office_code(value):
        return []
    return [FieldViolation(field_name, "must be a Kemendagri region code of the office, e.g. 62 or 62.03 or 62.03.01")]


def idempotency_key_violations(value: str) -> list[FieldViolation]:
    if not value.strip():
        return [FieldViolation("idempotency_key", "is required, e.g. card:<register number>")]
    if len(value) > MAX_KEY_LENGTH or not value.isprintable():
        return [FieldViolation("idempotency_key",
                               f"must be at most {MAX_KEY_LENGTH} printable characters")]
    return []


def text_violations(value: str, field_name: str, maximum: int) -> list[FieldViolation]:
    if len(value) > maximum or not value.isprintable():
        return [FieldViolation(field_name, f"must be at most {maximum} printable characters on one line")]
    return []


@dataclass(frozen=True)
class SerialRange:
    """An inclusive range of same-length digit serials, e.g. 00000001..00000100."""

    first: str
    last: str

    @property
    def quantity(self) -> int:
        return int(self.last) - int(self.first) + 1

    def serials(self) -> Iterator[str]:
        width = len(self.first)
        return (str(n).zfill(width) for n in range(int(self.first), int(self.last) + 1))


def serial_range_violations(first: str, last: str) -> list[FieldViolation]:
    low, high = SERIAL_DIGITS
    shape = f"must be {low} to {high} digits (0-9) only"
    violations = [FieldViolation(name, shape) for name, value in (("first_serial", first), ("last_serial", last))
                  if not (_DIGITS.fullmatch(value) and low <= len(value) <= high)]
    if violations:
        return violations
    if len(first) != len(last):
        return [FieldViolation("last_serial", "must have the same number of digits as first_serial")]
    if int(first) > int(last):
        return [FieldViolation("last_serial", "must not be lower than first_serial")]
    if SerialRange(first, last).quantity > MAX_SERIALS_PER_RECEIPT:
        return [FieldViolation("last_serial", f"at most {MAX_SERIALS_PER_RECEIPT:,} serials per receipt; "
                                              "split the delivery into several ranges")]
    return []


# ---- stock and reservations ---------------------------------------------------------

class BlankState(enum.Enum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    CONSUMED = "consumed"


class ReservationState(enum.Enum):
    RESERVED = "reserved"
    CONSUMED = "consumed"
    RELEASED = "released"


@dataclass(frozen=True)
class Stock:
    office_code: str
    available: int = 0
    reserved: int = 0
    consumed: int = 0

    @property
    def received(self) -> int:
        return self.available + self.reserved + self.consumed

    @property
    def is_empty(self) -> bool:
        return self.available == 0


@dataclass
class Reservation:
    """One blank held for one idempotency key: reserved -> consumed | released."""

    idempotency_key: str
    office_code: str
    serial: str
    reserved_at: dt.datetime
    updated_at: dt.datetime
    state: ReservationState = ReservationState.RESERVED
    release_reason: str = ""

    def consume(self, serial: str, at: dt.datetime) -> bool:
        """Marks the blank as printed; False when it already was (idempotent)."""
        if serial and serial != self.serial:
            raise SerialMismatch("the serial is not the one reserved for this key")
        if self.state is ReservationState.RELEASED:
            raise ReservationReleased("the reservation was released; reserve a blank again")
        if self.state is ReservationState.CONSUMED:
            return False
        self.state, self.updated_at = ReservationState.CONSUMED, at
        return True

    def release(self, reason: str, at: dt.datetime) -> bool:
        """Returns the blank to stock; False when it already was (idempotent)."""
        if self.state is ReservationState.CONSUMED:
            raise AlreadyConsumed("the reserved blank was already printed and cannot be released")
        if self.state is ReservationState.RELEASED:
            return False
        self.state, self.updated_at, self.release_reason = ReservationState.RELEASED, at, reason
        return True


# ---- procurement --------------------------------------------------------------------

class ProcurementChannel(enum.Enum):
    TENDER = "tender"
    E_CATALOGUE = "e_catalogue"


class ProcurementStatus(enum.Enum):
    PLANNED = "planned"
    ANNOUNCED = "announced"
    FAILED = "failed"
    WINNER = "winner"
    OBJECTION_PERIOD = "objection_period"
    REVIEW = "review"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    CONTRACT = "contract"
    DELIVERY = "delivery"
    ALLOCATED = "allocated"


_S = ProcurementStatus
TRANSITIONS: dict[ProcurementStatus, frozenset[ProcurementStatus]] = {
    _S.PLANNED: frozenset({_S.ANNOUNCED}),
    _S.ANNOUNCED: frozenset({_S.FAILED, _S.WINNER}),
    _S.FAILED: frozenset({_S.ANNOUNCED}),                # re-tender
    _S.WINNER: frozenset({_S.OBJECTION_PERIOD}),
    _S.OBJECTION_PERIOD: frozenset({_S.REVIEW}),
    _S.REVIEW: frozenset({_S.POSTPONED, _S.CANCELLED, _S.CONTRACT}),
    _S.POSTPONED: frozenset({_S.ANNOUNCED, _S.REVIEW}),  # re-tender or resumed review
    _S.CANCELLED: frozenset(),
    _S.CONTRACT: frozenset({_S.DELIVERY}),
    _S.DELIVERY: frozenset({_S.ALLOCATED}),
    _S.ALLOCATED: frozenset(),
}


@dataclass(frozen=True)
class StatusChange:
    package_id: str
    status: ProcurementStatus
    reason: str
    changed_at: dt.datetime


@dataclass
class ProcurementPackage:
    """A national tender or e-catalogue purchase of blanks and its lifecycle."""

    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    status: ProcurementStatus
    status_reason: str
    status_changed_at: dt.datetime

    def change_status(self, status: ProcurementStatus, reason: str, at: dt.datetime) -> StatusChange:
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"a package cannot go from {self.status.value} to {status.value}")
        self.status, self.status_reason, self.status_changed_at = status, reason, at
        return StatusChange(self.package_id, status, reason, at)


def package_violations(package_id: str, fiscal_year: int, name: str, quantity: int,
                       estimated_value_idr: int) -> list[FieldViolation]:
    violations = []
    if not package_id.strip() or len(package_id) > 40 or not package_id.isprintable():
        violations.append(FieldViolation("package_id", "is required, at most 40 printable characters"))
    if not 2000 <= fiscal_year <= 2100:
        violations.append(FieldViolation("fiscal_year", "must be a year between 2000 and 2100"))
    if not name.strip() or len(name) > 200:
        violations.append(FieldViolation("name", "is required, at most 200 characters"))
    if quantity <= 0:
        violations.append(FieldViolation("quantity", "must be a positive number of blanks"))
    if estimated_value_idr < 0:
        violations.append(FieldViolation("estimated_value_idr", "must not be negative"))
    return violations


@dataclass(frozen=True)
class PlannedStep:
    status: ProcurementStatus
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class PackagePlan:
    """A package to create and the status steps it went through (e.g. for demo data)."""

    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    planned_at: dt.datetime
    steps: tuple[PlannedStep, ...] = ()


# ---- domain events ------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    occurred_at: dt.datetime

    @property
    def region_code(self) -> str:
        """The region an event is about (envelope region code); national by default."""
        return NATIONAL_REGION


@dataclass(frozen=True, kw_only=True)
class StockEvent(DomainEvent):
    office_code: str

    @property
    def region_code(self) -> str:
        return self.office_code


@dataclass(frozen=True, kw_only=True)
class StockReceived(StockEvent):
    first_serial: str
    last_serial: str
    quantity: int
    available: int


@dataclass(frozen=True, kw_only=True)
class StockReserved(StockEvent):
    serial: str
    idempotency_key: str
    available: int


@dataclass(frozen=True, kw_only=True)
class StockConsumed(StockEvent):
    serial: str
    idempotency_key: str


@dataclass(frozen=True, kw_only=True)
class StockReleased(StockEvent):
    serial: str
    idempotency_key: str
    available: int


@dataclass(frozen=True, kw_only=True)
class StockOut(StockEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class ProcurementStatusChanged(DomainEvent):
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str = ""
