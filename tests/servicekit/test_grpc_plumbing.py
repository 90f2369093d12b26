"""The shared gRPC plumbing: one status table, rich errors, metrics, health, reflection."""
from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from servicekit import errors
from servicekit.clients import translate
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for

ECHO = "/test.Echo/Say"


def _echo(request: bytes, context) -> bytes:
    if request == b"invalid":
        raise errors.InvalidArgument("bad request", violations=[errors.FieldViolation("resident.nik", "must be 16 digits")])
    if request == b"rule":
        raise errors.FailedPrecondition("no blank cards in stock", reason="OUT_OF_STOCK")
    if request == b"crash":
        raise RuntimeError("secret detail 3201234567890001")
    return request


@pytest.fixture
def server():
    metrics = ServiceMetrics("testctx")
    handler = grpc.method_handlers_generic_handler("test.Echo", {"Say": grpc.unary_unary_rpc_method_handler(_echo)})
    srv = create_server(address="127.0.0.1:0", context_name="testctx",
                        register=lambda s: s.add_generic_rpc_handlers((handler,)),
                        service_names=["test.Echo"], metrics=metrics, reflection_on=True, gate=None)
    srv.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{srv.port}")
    yield srv, channel, metrics
    channel.close()
    srv.stop(0)


def _call(channel, payload: bytes) -> bytes:
    return channel.unary_unary(ECHO)(payload, timeout=5)


def test_invalid_argument_carries_field_violations_and_reason(server):
    _, channel, _ = server
    with pytest.raises(grpc.RpcError) as caught:
        _call(channel, b"invalid")
    err = caught.value
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(err)
    bad = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad)
    assert [(v.field, v.description) for v in bad.field_violations] == [("resident.nik", "must be 16 digits")]
    local = translate(err)
    assert isinstance(local, errors.InvalidArgument)
    assert local.violations == [errors.FieldViolation("resident.nik", "must be 16 digits")]


def test_rule_violation_is_failed_precondition_with_reason(server):
    _, channel, _ = server
    with pytest.raises(grpc.RpcError) as caught:
        _call(channel, b"rule")
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    local = translate(caught.value)
    assert isinstance(local, errors.FailedPrecondition) and local.reason == "OUT_OF_STOCK"


def test_unexpected_error_is_internal_without_leaking_details(server, caplog):
    _, channel, _ = server
    with pytest.raises(grpc.RpcError) as caught:
        _call(channel, b"crash")
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert caught.value.details() == "internal error"
    assert any(r.exc_info for r in caplog.records), "the traceback is logged"


def test_requests_are_counted_by_method_and_code(server):
    _, channel, metrics = server
    _call(channel, b"hello")
    with pytest.raises(grpc.RpcError):
        _call(channel, b"invalid")
    value = metrics.registry.get_sample_value
    assert value("ektp_testctx_grpc_requests_total", {"method": "Say", "code": "OK"}) == 1
    assert value("ektp_testctx_grpc_requests_total", {"method": "Say", "code": "INVALID_ARGUMENT"}) == 1
    assert value("ektp_testctx_grpc_request_duration_seconds_count", {"method": "Say"}) == 2


def test_health_is_not_serving_until_the_service_says_so(server):
    srv, channel, _ = server
    stub = health_pb2_grpc.HealthStub(channel)
    check = lambda: stub.Check(health_pb2.HealthCheckRequest(service="test.Echo"), timeout=5).status  # noqa: E731
    assert check() == health_pb2.HealthCheckResponse.NOT_SERVING
    srv.set_serving(True)
    assert check() == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_service_and_health(server):
    _, channel, _ = server
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
    names = {s.name for r in responses for s in r.list_services_response.service}
    assert {"test.Echo", "grpc.health.v1.Health"} <= names


def test_status_table_maps_subclasses_and_defaults_to_internal():
    class OutOfStock(errors.FailedPrecondition):
        pass

    assert status_for(OutOfStock("x")) == (grpc.StatusCode.FAILED_PRECONDITION, 422)
    assert status_for(ValueError("x")) == (grpc.StatusCode.INTERNAL, 500)
