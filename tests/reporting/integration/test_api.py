"""ReportingService errors and probes over real gRPC, on SQLite and PostgreSQL."""
from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from ektp.reporting.v1 import reporting_pb2
from reporting.grpc_server import SERVICE_NAME
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting.integration.fakes import caught_up


def _fails(stub, region_code):
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetCoverage(reporting_pb2.GetCoverageRequest(region_code=region_code), timeout=5)
    return caught.value


def _violations(err):
    status = rpc_status.from_call(err)
    found = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            found += [(v.field, v.description) for v in bad.field_violations]
    return found


def test_malformed_region_codes_are_invalid_argument_naming_region_code(stub):
    for code in ("", "62.3", "62.03.01.2001", "Kapuas"):
        err = _fails(stub, code)
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, code
        [(field, description)] = _violations(err)
        assert field == "region_code" and "62.03.01" in description


def test_a_region_without_target_or_fact_is_not_found(runtime, producers, stub):
    producers["enrolment"].feed.append(b.target("62.03.01", 10))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the target")
    assert stub.GetCoverage(reporting_pb2.GetCoverageRequest(region_code="62.03"), timeout=5).total.target == 10
    err = _fails(stub, "62.71")
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert _violations(err) == []


def test_a_region_outside_the_callers_scope_is_permission_denied_with_its_reason(stub):
    err = _fails(stub, "63.10")   # the stub calls as the admin of province 62
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    [info] = [d for d in rpc_status.from_call(err).details if d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR)]
    unpacked = error_details_pb2.ErrorInfo()
    info.Unpack(unpacked)
    assert unpacked.reason == "OUT_OF_SCOPE"


def test_grpc_health_reports_the_service_serving_to_a_probe_without_a_token(runtime):
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for name in ("", SERVICE_NAME):
            response = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
            assert response.status == health_pb2.HealthCheckResponse.SERVING
