"""Plumbing for calling another service: channels, identity, deadlines, error translation.

Each context's `clients.py` wraps its stubs with these; a `grpc.RpcError` never leaves it.
Every call carries a bearer token in the `authorization` metadata (this service's own
identity, or an officer's token when a field device calls in), and in production the
channel is mutual TLS.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from servicekit.errors import FieldViolation, ServiceError
from servicekit.status import error_for_code
from servicekit.tls import TlsFiles, channel_credentials

DEFAULT_DEADLINE = 5.0

# Retry transient UNAVAILABLE on every method: our mutating RPCs are idempotent by key.
_SERVICE_CONFIG = json.dumps({"methodConfig": [{
    "name": [{}],
    "retryPolicy": {"maxAttempts": 4, "initialBackoff": "0.1s", "maxBackoff": "1s",
                    "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]},
}]})


TokenSource = Callable[[], str]


def make_channel(target: str, *, token: TokenSource | None, tls: TlsFiles | None = None) -> grpc.Channel:
    """A channel whose every call carries `Bearer <token()>` (None: no token, for probes)."""
    options = [("grpc.service_config", _SERVICE_CONFIG), ("grpc.enable_retries", 1),
               ("grpc.keepalive_time_ms", 30000)]
    channel = (grpc.secure_channel(target, channel_credentials(tls), options=options) if tls
               else grpc.insecure_channel(target, options=options))
    return grpc.intercept_channel(channel, BearerToken(token)) if token is not None else channel


class _CallDetails(NamedTuple):
    method: str
    timeout: float | None
    metadata: list | None
    credentials: grpc.CallCredentials | None
    wait_for_ready: bool | None
    compression: grpc.Compression | None


class BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                  grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every outgoing call."""

    def __init__(self, token: TokenSource) -> None:
        self._token = token

    def _with_token(self, details: grpc.ClientCallDetails) -> _CallDetails:
        metadata = [*(details.metadata or ()), ("authorization", f"Bearer {self._token()}")]
        return _CallDetails(details.method, details.timeout, metadata, details.credentials,
                            getattr(details, "wait_for_ready", None), getattr(details, "compression", None))

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)

    def intercept_stream_unary(self, continuation, client_call_details, request_iterator):
        return continuation(self._with_token(client_call_details), request_iterator)

    def intercept_stream_stream(self, continuation, client_call_details, request_iterator):
        return continuation(self._with_token(client_call_details), request_iterator)


def translate(err: grpc.RpcError) -> ServiceError:
    """The local exception for a failed call, keeping reason and field violations."""
    code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
    message = err.details() if hasattr(err, "details") else str(err)
    reason, violations = None, []
    status = rpc_status.from_call(err) if hasattr(err, "trailing_metadata") else None
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason = info.reason
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations = [FieldViolation(v.field, v.description) for v in bad.field_violations]
    return error_for_code(code)(message or code.name, violations=violations, reason=reason)
