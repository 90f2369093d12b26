"""gRPC server bootstrap: health, reflection, and one interceptor for metrics and errors.

`create_server(...)` binds (port 0 in tests) and returns a `GrpcServer` that knows its port.
The interceptor maps `ServiceError`s through the one status table (servicekit.errors) with
`google.rpc` rich details (BadRequest field violations, ErrorInfo reason), turns anything
unexpected into INTERNAL with a generic message and a logged traceback, and records request
counts by method and code plus a latency histogram.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent import futures

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status

from servicekit.errors import ServiceError
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for

log = logging.getLogger(__name__)

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


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


class ServiceInterceptor(grpc.ServerInterceptor):
    def __init__(self, context_name: str, metrics: ServiceMetrics) -> None:
        self.domain = f"{context_name}.ektp"
        self.metrics = metrics

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method = handler_call_details.method.rsplit("/", 1)[-1]
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(handler.unary_unary, method), handler.request_deserializer, handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._streaming(handler.unary_stream, method), handler.request_deserializer, handler.response_serializer)
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                self._unary(handler.stream_unary, method), handler.request_deserializer, handler.response_serializer)
        return grpc.stream_stream_rpc_method_handler(
            self._streaming(handler.stream_stream, method), handler.request_deserializer, handler.response_serializer)

    def _unary(self, behaviour: Callable, method: str) -> Callable:
        def wrapper(request, context):
            start = time.perf_counter()
            try:
                response = behaviour(request, context)
            except Exception as exc:  # noqa: BLE001 - mapped and re-raised as a status
                self._fail(exc, context, method, start)
            self._record(method, context, start)
            return response
        return wrapper

    def _streaming(self, behaviour: Callable, method: str) -> Callable:
        def wrapper(request, context):
            start = time.perf_counter()
            try:
                yield from behaviour(request, context)
            except Exception as exc:  # noqa: BLE001
                self._fail(exc, context, method, start)
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


class GrpcServer:
    def __init__(self, server: grpc.Server, port: int, health_servicer: health.HealthServicer,
                 service_names: list[str]) -> None:
        self.server = server
        self.port = port
        self.health = health_servicer
        self.service_names = service_names

    def start(self) -> None:
        self.server.start()

    def set_serving(self, serving: bool) -> None:
        status = SERVING if serving else NOT_SERVING
        for name in ["", *self.service_names]:
            self.health.set(name, status)

    def stop(self, grace: float) -> None:
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait(grace + 1)


def create_server(*, address: str, context_name: str, register: Callable[[grpc.Server], None],
                  service_names: Iterable[str], metrics: ServiceMetrics, reflection_on: bool,
                  max_workers: int = 32) -> GrpcServer:
    """Build, register and bind a server; `address` may end in `:0` to pick a free port."""
    names = list(service_names)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=f"{context_name}-grpc"),
        interceptors=[ServiceInterceptor(context_name, metrics)],
        options=[("grpc.so_reuseport", 0)])
    register(server)
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ["", *names]:
        health_servicer.set(name, NOT_SERVING)
    if reflection_on:
        reflection.enable_server_reflection(
            [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"could not bind gRPC to {address}")
    return GrpcServer(server, port, health_servicer, names)
