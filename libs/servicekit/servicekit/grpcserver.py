"""gRPC server bootstrap: health, reflection, and one interceptor for access, metrics and errors.

`create_server(...)` binds (port 0 in tests) and returns a `GrpcServer` that knows its port.
The interceptor
- admits each call through the service's `GrpcGate`: the bearer token in the `authorization`
  metadata is verified, the method's rule in the service's access table is applied (no rule,
  no call), and in mTLS mode a service identity must match its client certificate. The
  admitted `Principal` is available to the servicer as `current_principal()`. Health and
  reflection stay open (probes carry no token and expose no personal data);
- maps `ServiceError`s through the one status table (servicekit.status) with `google.rpc`
  rich details (BadRequest field violations, ErrorInfo reason), turns anything unexpected into
  INTERNAL with a generic message and a logged traceback;
- records request counts by method and code plus a latency histogram.
"""
from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Iterable
from concurrent import futures
from dataclasses import dataclass

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status

from servicekit.access import AccessPolicy, Principal
from servicekit.errors import ServiceError, Unauthenticated
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for
from servicekit.tls import TlsFiles, peer_names, server_credentials
from servicekit.tokens import TokenVerifier

log = logging.getLogger(__name__)

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
# Health name for liveness probes: SERVING from start to shutdown, whatever the database does
# (readiness, the service's own name, follows the database).
LIVENESS = "liveness"


def rich_status(exc: ServiceError, code: grpc.StatusCode, domain: str) -> grpc.Status:
    details = []
    if exc.violations:
        bad_request = error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
            for v in exc.violations])
        details.append(bad_request)
    details.append(error_details_pb2.ErrorInfo(reason=exc.reason, domain=domain))
    packed = []
    for message in details:
        item = any_pb2.Any()
        item.Pack(message)
        packed.append(item)
    return rpc_status.to_status(status_pb2.Status(code=code.value[0], message=exc.message, details=packed))


_PRINCIPAL: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("ektp_principal", default=None)


def current_principal() -> Principal:
    """The caller admitted by the gate, for the servicer to hand to its use case."""
    principal = _PRINCIPAL.get()
    if principal is None:  # a servicer ran outside the gate: a wiring bug, never serve anonymously
        raise Unauthenticated("Silakan masuk terlebih dahulu.")
    return principal


@dataclass(frozen=True)
class GrpcGate:
    """Who may call this service's methods: its access table and the token verifier."""

    policy: AccessPolicy
    verifier: TokenVerifier
    service_names: frozenset[str]         # the gated services; health and reflection stay open
    bind_service_to_peer: bool = False    # mTLS: a service token must match the client certificate
    trusted_proxy_count: int = 0          # proxies (an ingress) whose x-forwarded-for is believed

    def admit(self, method: str, context: grpc.ServicerContext) -> Principal | None:
        header = dict(context.invocation_metadata()).get("authorization", "")
        principal = None
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise Unauthenticated("Token tidak sah.", reason="MALFORMED_TOKEN")
            principal = self.verifier.verify(token.strip())
        self.policy.authorize(method, principal)
        if principal is None:
            return None
        if principal.is_service and self.bind_service_to_peer and principal.service_name not in peer_names(context):
            raise Unauthenticated("Identitas layanan tidak cocok dengan sertifikat klien.", reason="PEER_MISMATCH")
        return principal.with_origin(client_address(context, self.trusted_proxy_count))


def client_address(context: grpc.ServicerContext, trusted_proxy_count: int = 0) -> str:
    """The caller's address, for the audit log and failure limits. Behind `trusted_proxy_count`
    proxies (the ingress of field devices) it is the one the outermost trusted proxy recorded in
    x-forwarded-for, as for pages; without trusted proxies the header is never believed."""
    if trusted_proxy_count:
        forwarded = [address.strip() for key, value in context.invocation_metadata() if key == "x-forwarded-for"
                     for address in value.split(",") if address.strip()]
        if len(forwarded) >= trusted_proxy_count:
            return forwarded[-trusted_proxy_count]
    return peer_address(context.peer())


def peer_address(peer: str) -> str:
    """"ipv4:10.0.0.7:51234" -> "10.0.0.7"; "ipv6:[::1]:5" -> "::1"."""
    kind, _, rest = peer.partition(":")
    if kind == "ipv6":
        return rest.rsplit(":", 1)[0].strip("[]")
    if kind == "ipv4":
        return rest.rsplit(":", 1)[0]
    return kind


class ServiceInterceptor(grpc.ServerInterceptor):
    def __init__(self, context_name: str, metrics: ServiceMetrics, gate: GrpcGate | None = None) -> None:
        self.domain = f"{context_name}.ektp"
        self.metrics = metrics
        self.gate = gate

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        service, _, method = handler_call_details.method.lstrip("/").rpartition("/")
        gated = self.gate is not None and service in self.gate.service_names
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(handler.unary_unary, method, gated), handler.request_deserializer,
                handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._streaming(handler.unary_stream, method, gated), handler.request_deserializer,
                handler.response_serializer)
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                self._unary(handler.stream_unary, method, gated), handler.request_deserializer,
                handler.response_serializer)
        return grpc.stream_stream_rpc_method_handler(
            self._streaming(handler.stream_stream, method, gated), handler.request_deserializer,
            handler.response_serializer)

    def _admit(self, method: str, context: grpc.ServicerContext, gated: bool) -> contextvars.Token | None:
        if not gated:
            return None
        assert self.gate is not None
        return _PRINCIPAL.set(self.gate.admit(method, context))

    def _unary(self, behaviour: Callable, method: str, gated: bool) -> Callable:
        def wrapper(request, context):
            start = time.perf_counter()
            admitted = None
            try:
                admitted = self._admit(method, context, gated)
                response = behaviour(request, context)
            except Exception as exc:  # noqa: BLE001 - mapped and re-raised as a status
                self._fail(exc, context, method, start)
            finally:
                _forget(admitted)
            self._record(method, context, start)
            return response
        return wrapper

    def _streaming(self, behaviour: Callable, method: str, gated: bool) -> Callable:
        def wrapper(request, context):
            start = time.perf_counter()
            admitted = None
            try:
                admitted = self._admit(method, context, gated)
                yield from behaviour(request, context)
            except Exception as exc:  # noqa: BLE001
                self._fail(exc, context, method, start)
            finally:
                _forget(admitted)
            self._record(method, context, start)
        return wrapper

    def _record(self, method: str, context: grpc.ServicerContext, start: float,
                code: grpc.StatusCode | None = None) -> None:
        code = code or context.code() or grpc.StatusCode.OK
        self.metrics.grpc_requests.labels(method, code.name).inc()
        self.metrics.grpc_latency.labels(method).observe(time.perf_counter() - start)

    def _fail(self, exc: Exception, context: grpc.ServicerContext, method: str, start: float) -> None:
        if context.code() is not None:  # the handler aborted on purpose: keep its status
            self._record(method, context, start)
            raise exc
        if isinstance(exc, ServiceError):
            code, _ = status_for(exc)
            log.info("grpc request refused", extra={"method": method, "code": code.name, "reason": exc.reason})
            status = rich_status(exc, code, self.domain)
        else:
            log.error("grpc request failed", exc_info=exc, extra={"method": method, "code": "INTERNAL"})
            status = rpc_status.to_status(status_pb2.Status(code=code_pb2.INTERNAL, message="internal error"))
        self._record(method, context, start, status.code)
        context.abort_with_status(status)


def _forget(admitted: contextvars.Token | None) -> None:
    if admitted is not None:
        try:
            _PRINCIPAL.reset(admitted)
        except ValueError:  # a stream closed from another thread: that thread never saw it
            pass


class GrpcServer:
    def __init__(self, server: grpc.Server, port: int, health_servicer: health.HealthServicer,
                 service_names: list[str], health_server: grpc.Server | None = None, health_port: int = 0) -> None:
        self.server = server
        self.port = port
        self.health = health_servicer
        self.service_names = service_names
        self.health_server = health_server
        self.health_port = health_port

    def start(self) -> None:
        self.server.start()
        if self.health_server is not None:
            self.health_server.start()
        self.health.set(LIVENESS, SERVING)

    def set_serving(self, serving: bool) -> None:
        status = SERVING if serving else NOT_SERVING
        for name in ["", *self.service_names]:
            self.health.set(name, status)

    def stop(self, grace: float) -> None:
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait(grace + 1)
        if self.health_server is not None:
            self.health_server.stop(0).wait(1)


def create_server(*, address: str, context_name: str, register: Callable[[grpc.Server], None],
                  service_names: Iterable[str], metrics: ServiceMetrics, reflection_on: bool,
                  gate: GrpcGate | None, tls: TlsFiles | None = None, health_address: str | None = None,
                  max_workers: int = 32) -> GrpcServer:
    """Build, register and bind a server; `address` may end in `:0` to pick a free port.

    `gate=None` serves without authentication: only for servicekit's own plumbing tests.
    `health_address`: also serve grpc.health.v1 alone, in plaintext, for probes that cannot
    speak TLS (the kubelet's); it carries no data and no other service.
    """
    names = list(service_names)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=f"{context_name}-grpc"),
        interceptors=[ServiceInterceptor(context_name, metrics, gate)],
        options=[("grpc.so_reuseport", 0)])
    register(server)
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ["", *names, LIVENESS]:
        health_servicer.set(name, NOT_SERVING)
    if reflection_on:
        reflection.enable_server_reflection(
            [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    port = server.add_secure_port(address, server_credentials(tls)) if tls else server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"could not bind gRPC to {address}")
    health_server, health_port = None, 0
    if health_address:
        health_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"{context_name}-health"),
                                    options=[("grpc.so_reuseport", 0)])
        health_pb2_grpc.add_HealthServicer_to_server(health_servicer, health_server)
        health_port = health_server.add_insecure_port(health_address)
        if health_port == 0:
            raise OSError(f"could not bind gRPC health to {health_address}")
    return GrpcServer(server, port, health_servicer, names, health_server, health_port)
