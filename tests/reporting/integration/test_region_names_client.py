"""EnrolmentRegions against a real gRPC server: names, cache, a fast failure when down, and
reporting's service identity on every lookup."""
from __future__ import annotations

from concurrent import futures

import grpc
import pytest

from ektp.enrolment.v1 import enrolment_pb2, enrolment_pb2_grpc
from reporting.clients import EnrolmentRegions
from servicekit.config import SecuritySettings
from servicekit.errors import Unavailable
from servicekit.security import Security
from tests.reporting.integration.fakes import caller

REGIONS = {"62.03": "Kabupaten Kapuas", "62.03.01": "Selat", "62.03.02": "Kapuas Hilir"}


class Enrolment(enrolment_pb2_grpc.EnrolmentServiceServicer):
    """Answers only verified callers (like the real gate) and remembers who asked."""

    calls = 0
    down = False
    callers: list = []

    def __init__(self, trusted_keys):
        self.trusted_keys = trusted_keys

    def ListRegions(self, request, context):
        Enrolment.callers.append(caller(context, self.trusted_keys))
        Enrolment.calls += 1
        if Enrolment.down:
            context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")
        return enrolment_pb2.ListRegionsResponse(regions=[
            enrolment_pb2.Region(code=code, name=name, parent_code=request.parent_code)
            for code, name in REGIONS.items() if code.rsplit(".", 1)[0] == request.parent_code])

    def GetRegion(self, request, context):
        Enrolment.callers.append(caller(context, self.trusted_keys))
        if request.code not in REGIONS:
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown region")
        return enrolment_pb2.GetRegionResponse(region=enrolment_pb2.Region(code=request.code, name=REGIONS[request.code]))


@pytest.fixture
def security(tmp_path):
    """Reporting's own security runtime (demo keys under tmp_path/keys)."""
    return Security.load("reporting", SecuritySettings.demo(tmp_path, "reporting"))


@pytest.fixture
def enrolment(security):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    enrolment_pb2_grpc.add_EnrolmentServiceServicer_to_server(Enrolment(security.settings.trusted_keys), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    Enrolment.calls, Enrolment.down, Enrolment.callers = 0, False, []
    yield f"127.0.0.1:{port}"
    server.stop(0)


def test_names_of_a_region_and_its_children_are_fetched_once_then_cached(enrolment, security):
    regions = EnrolmentRegions(enrolment, open_channel=security.channel)
    expected = {"62.03": "Kabupaten Kapuas", "62.03.01": "Selat", "62.03.02": "Kapuas Hilir"}
    assert regions.names("62.03") == expected
    assert regions.names("62.03") == expected
    assert Enrolment.calls == 1
    assert regions.names("62.03.01") == {"62.03.01": "Selat"}  # a region without children
    regions.close()


def test_a_failing_enrolment_is_not_asked_again_until_the_retry_delay_has_passed(enrolment, security):
    clock = [0.0]
    regions = EnrolmentRegions(enrolment, open_channel=security.channel, clock=lambda: clock[0], retry_after=30)
    Enrolment.down = True
    with pytest.raises(Unavailable):
        regions.names("62.03")
    asked = Enrolment.calls
    with pytest.raises(Unavailable):
        regions.names("62.03")  # from the negative cache: enrolment is not asked
    assert Enrolment.calls == asked
    Enrolment.down, clock[0] = False, 31.0
    assert regions.names("62.03")["62.03"] == "Kabupaten Kapuas"
    assert Enrolment.calls == asked + 1
    regions.close()


def test_every_lookup_carries_reportings_service_identity(enrolment, security):
    regions = EnrolmentRegions(enrolment, open_channel=security.channel)
    regions.names("62.03")
    regions.close()
    assert [principal.subject for principal in Enrolment.callers] == ["service:reporting"] * 2

