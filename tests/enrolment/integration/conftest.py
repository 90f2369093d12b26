import grpc
import pytest

from ektp.enrolment.v1 import enrolment_pb2_grpc
from enrolment.bootstrap import build
from enrolment.config import Settings
from tests.enrolment.factories import NOW, TEST_REGIONS


@pytest.fixture
def runtime(database_url, tmp_path):
    settings = Settings(database_url=database_url, grpc_port=0, http_port=0, var_dir=tmp_path)
    runtime = build(settings, migrate=True, clock=lambda: NOW)
    runtime.service.import_regions(TEST_REGIONS)
    runtime.process.start()
    yield runtime
    runtime.process.grace = 0.2
    runtime.process.stop()


@pytest.fixture
def channel(runtime):
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        yield channel


@pytest.fixture
def stub(channel):
    return enrolment_pb2_grpc.EnrolmentServiceStub(channel)
