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
    "raise_if_invalid",
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


class InvalidTransition(FailedPrecondition):
    reason = "INVALID_TRANSITION"


class ConcurrentChange(Aborted):
    """Another request changed the same rows first; the use case may be retried."""

    reason = "CONCURRENT_CHANGE"


def raise_if_invalid(violations: Sequence[FieldViolation]) -> None:
    if violations:
        fields = ", ".join(v.field for v in violations)
        raise InvalidRequest(f"invalid request: check {fields}", violations=violations)
