"""The one table: exception class -> (gRPC code, HTTP status), looked up along the MRO."""
from __future__ import annotations

import grpc

from servicekit.errors import (
    Aborted,
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ServiceError,
    Unauthenticated,
    Unavailable,
)

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
