from __future__ import annotations

import grpc
import pytest

from ektp.reporting.v1 import reporting_pb2_grpc
from reporting.bootstrap import build
from reporting.config import Settings
from tests.reporting.integration.fakes import SERVICERS, FakeProducer


@pytest.fixture
def producers():
    fakes = {name: FakeProducer(name) for name in SERVICERS}
    for fake in fakes.values():
        fake.start()
    yield fakes
    for fake in fakes.values():
        fake.stop()


@pytest.fixture
def settings(database_url, producers, tmp_path):
    return Settings(database_url=database_url, host="127.0.0.1", grpc_port=0, http_port=0, var_dir=tmp_path,
                    enrolment_grpc_target=producers["enrolment"].target,
                    inventory_grpc_target=producers["inventory"].target,
                    documents_grpc_target=producers["documents"].target,
                    stream_seconds=2.0, readiness_seconds=0.5)


@pytest.fixture
def runtime(settings):
    runtime = build(settings)
    runtime.process.start()
    yield runtime
    runtime.process.stop()


@pytest.fixture
def stub(runtime):
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        yield reporting_pb2_grpc.ReportingServiceStub(channel)
