"""The inventory context's exceptions; their status codes come from servicekit.errors."""
from __future__ import annotations

from collections.abc import Sequence

from servicekit.errors import (
    Aborted,
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
)

__all__ = [
    "FieldViolation", "InvalidRequest", "SerialsAlreadyReceived", "PackageAlreadyExists",
    "ReservationNotFound", "PackageNotFound", "OutOfStock", "SerialMismatch",
    "ReservationReleased", "AlreadyConsumed", "InvalidTransition", "ConcurrentChange",
    "raise_if_invalid", "NegativeStock", "ReservationExpired", "SerialsNotHeld", "OfficeNotFound",
    "OfficeAlreadyExists", "TransferNotFound", "TransferNotReceived", "NotALoan",
    "RequestNotFound", "InvalidRequestState",
]


class InvalidRequest(InvalidArgument):
    """One or more fields are wrong; `violations` names each of them."""


class SerialsAlreadyReceived(AlreadyExists):
    reason = "SERIALS_ALREADY_RECEIVED"


class PackageAlreadyExists(AlreadyExists):
    reason = "PACKAGE_ALREADY_EXISTS"


class ReservationNotFound(NotFound):
    reason = "RESERVATION_NOT_FOUND"


class PackageNotFound(NotFound):
    reason = "PACKAGE_NOT_FOUND"


class OutOfStock(FailedPrecondition):
    reason = "OUT_OF_STOCK"


class SerialMismatch(FailedPrecondition):
    reason = "SERIAL_MISMATCH"


class ReservationReleased(FailedPrecondition):
    reason = "RESERVATION_RELEASED"


class AlreadyConsumed(FailedPrecondition):
    reason = "ALREADY_CONSUMED"


class BlankNotPrinted(FailedPrecondition):
    """Only the blank of a printed (consumed) reservation can be spoiled as misprinted."""

    reason = "BLANK_NOT_PRINTED"


class InvalidTransition(FailedPrecondition):
    reason = "INVALID_TRANSITION"


class ConcurrentChange(Aborted):
    """Another request changed the same rows first; the use case may be retried."""

    reason = "CONCURRENT_CHANGE"


class NegativeStock(FailedPrecondition):
    """A movement would leave an office with fewer than zero blanks (never stored)."""

    reason = "NEGATIVE_STOCK"


class ReservationExpired(FailedPrecondition):
    reason = "RESERVATION_EXPIRED"


class SerialsNotHeld(FailedPrecondition):
    """Some serials of the request are not available at the office (elsewhere, reserved, printed, ...)."""

    reason = "SERIALS_NOT_HELD"


class OfficeNotFound(NotFound):
    reason = "OFFICE_NOT_FOUND"


class OfficeAlreadyExists(AlreadyExists):
    reason = "OFFICE_ALREADY_EXISTS"


class TransferNotFound(NotFound):
    reason = "TRANSFER_NOT_FOUND"


class TransferNotReceived(FailedPrecondition):
    reason = "TRANSFER_NOT_RECEIVED"


class NotALoan(FailedPrecondition):
    reason = "NOT_A_LOAN"


class RequestNotFound(NotFound):
    reason = "REQUEST_NOT_FOUND"


class InvalidRequestState(FailedPrecondition):
    """A blank request cannot take this step in its current state (e.g. approving it twice)."""

    reason = "INVALID_REQUEST_STATE"


def raise_if_invalid(violations: Sequence[FieldViolation]) -> None:
    if violations:
        fields = ", ".join(v.field for v in violations)
        raise InvalidRequest(f"invalid request: check {fields}", violations=violations)
