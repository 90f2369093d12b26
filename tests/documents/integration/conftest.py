"""A real documents process (bootstrap.build) against fake enrolment and inventory servers."""
from __future__ import annotations

from dataclasses import dataclass

import grpc
import pytest

from documents.bootstrap import Runtime, build
from documents.config import Settings
from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.inventory.v1 import inventory_pb2_grpc
from tests.conftest import wait_for
from tests.documents.fakes import FakeEnrolmentServicer, FakeInventoryServicer, start_fake_server


@dataclass
class Fakes:
    enrolment: FakeEnrolmentServicer
    inventory: FakeInventoryServicer
    target: str


@pytest.fixture
def fakes():
    enrolment, inventory = FakeEnrolmentServicer(), FakeInventoryServicer()
    server, port = start_fake_server(
        (enrolment, enrolment_pb2_grpc.add_EnrolmentServiceServicer_to_server),
        (inventory, inventory_pb2_grpc.add_InventoryServiceServicer_to_server))
    yield Fakes(enrolment, inventory, f"127.0.0.1:{port}")
    server.stop(0)


@pytest.fixture
def runtime(database_url, tmp_path, fakes) -> Runtime:
    settings = Settings(database_url=database_url, var_dir=tmp_path, grpc_port=0, http_port=0,
                        enrolment_target=fakes.target, inventory_target=fakes.target)
    built = build(settings)
    built.process.start()
    # The feed stream is open before the test starts: stopping earlier races FeedConsumer.stop
    # (the stream would be opened after the cancel and teardown would wait out the join timeout).
    wait_for(built.consumer.healthy.is_set, message="the enrolment feed followed")
    yield built
    built.process.stop()


@pytest.fixture
def channel(runtime):
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as open_channel:
        yield open_channel


@pytest.fixture
def stub(channel):
    return documents_pb2_grpc.DocumentsServiceStub(channel)
