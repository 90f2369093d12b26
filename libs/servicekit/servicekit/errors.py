"""Base exceptions every context derives its own from, and their gRPC/HTTP mapping.

A context's `errors.py` subclasses these (e.g. `class InvalidNik(InvalidArgument)`); the
one table below decides the status code, applied in one place by the gRPC interceptor and
the Flask error handler. Messages must never contain personal data (NIK, names, tokens).
"""
from __future__ import annotations

from dataclasses import dataclass

import grpc


@dataclass(frozen=True)
class FieldViolation:
    field: str          # proto field path, e.g. "resident.nik"
    description: str    # what is wrong and how to fix it, no personal data


class ServiceError(Exception):
    """Anything a use case refuses on purpose. `reason` is a stable UPPER_SNAKE code."""

    reason = "ERROR"

    def __init__(self, message: str, *, violations: list[FieldViolation] | tuple = (), reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.violations = list(violations)
        if reason:
            self.reason = reason


class InvalidArgument(ServiceError):
    reason = "INVALID_ARGUMENT"


class NotFound(ServiceError):
    reason = "NOT_FOUND"


class AlreadyExists(ServiceError):
    reason = "ALREADY_EXISTS"


class FailedPrecondition(ServiceError):
    """A rule says no: no stock, not eligible, wrong state."""

    reason = "FAILED_PRECONDITION"


class Aborted(ServiceError):
    """A concurrent change won; retry with fresh data."""

    reason = "ABORTED"


class PermissionDenied(ServiceError):
    reason = "PERMISSION_DENIED"


class Unauthenticated(ServiceError):
    reason = "UNAUTHENTICATED"


class Unavailable(ServiceError):
    """A dependency (another service) cannot be reached now; the caller may retry."""

    reason = "UNAVAILABLE"


# The one table: exception class -> (gRPC code, HTTP status). Looked up along the MRO.
STATUS_TABLE: dict[type[ServiceError], tuple[grpc.StatusCode, int]] = {
    InvalidArgument: (grpc.StatusCode.INVALID_ARGUMENT, 400),
    NotFound: (grpc.StatusCode.NOT_FOUND, 404),
    AlreadyExists: (grpc.StatusCode.ALREADY_EXISTS, 409),
    FailedPrecondition: (grpc.StatusCode.FAILED_PRECONDITION, 422),
    Aborted: (grpc.StatusCode.ABORTED, 409),
    PermissionDenied: (grpc.StatusCode.PERMISSION_DENIED, 403),
    Unauthenticated: (grpc.StatusCode.UNAUTHENTICATED, 401),
    Unavailable: (grpc.StatusCode.UNAVAILABLE, 503),
}


def status_for(exc: BaseException) -> tuple[grpc.StatusCode, int]:
    for cls in type(exc).__mro__:
        if cls in STATUS_TABLE:
            return STATUS_TABLE[cls]
    return grpc.StatusCode.INTERNAL, 500


def error_for_code(code: grpc.StatusCode) -> type[ServiceError]:
    """The local exception class for a status code received from another service."""
    for cls, (grpc_code, _) in STATUS_TABLE.items():
        if grpc_code == code:
            return cls
    return Unavailable if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) else ServiceError
