"""Base exceptions every context derives its own from, and their gRPC/HTTP mapping.

A context's `errors.py` subclasses these (e.g. `class InvalidNik(InvalidArgument)`); the
one table in `servicekit.status` decides the status code, applied in one place by the gRPC
interceptor and the Flask error handler. Pure Python, so domain modules may raise these. Messages must never contain personal data (NIK, names, tokens).
"""
from __future__ import annotations

from dataclasses import dataclass


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
