"""A real documents process (bootstrap.build) against fake enrolment and inventory servers.

Officers and other services call it with tokens from `TestIdentity` on the runtime's own
var_dir (tmp_path), so the process trusts them; by default as an operator of the Kapuas Dinas,
whose scope covers every recording in tests.documents.factories.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

import pytest

from documents.bootstrap import Runtime, build
from documents.config import Settings
from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.inventory.v1 import inventory_pb2_grpc
from servicekit.access import Role
from servicekit.clients import make_channel
from tests.conftest import wait_for
from tests.documents.fakes import FakeEnrolmentServicer, FakeInventoryServicer, start_fake_server
from tests.identity import KAPUAS, TestIdentity

SERVICES = ("enrolment", "inventory", "documents", "reporting")


@dataclass
class Fakes:
    enrolment: FakeEnrolmentServicer
    inventory: FakeInventoryServicer
    target: str


def start_fakes(var_dir: pathlib.Path):
    """Fake enrolment and inventory on one server; they admit only documents' identity."""
    trusted = var_dir / "keys" / "trusted"
    enrolment, inventory = FakeEnrolmentServicer(trusted), FakeInventoryServicer(trusted)
    server, port = start_fake_server(
        (enrolment, enrolment_pb2_grpc.add_EnrolmentServiceServicer_to_server),
        (inventory, inventory_pb2_grpc.add_InventoryServiceServicer_to_server))
    return server, Fakes(enrolment, inventory, f"127.0.0.1:{port}")


def make_identity(var_dir: pathlib.Path) -> TestIdentity:
    """Test tokens on `var_dir`, every issuer's key published *before* the process starts
    (a key published later is only picked up after the verifier's one-second re-read)."""
    identity = TestIdentity(var_dir / "keys")
    for name in SERVICES:
        identity.issuer(name)
    return identity


def start_runtime(database_url: str, var_dir: pathlib.Path, fakes: Fakes) -> Runtime:
    settings = Settings(database_url=database_url, var_dir=var_dir, grpc_port=0, http_port=0,
                        enrolment_target=fakes.target, inventory_target=fakes.target)
    built = build(settings)
    built.process.start()
    # The feed stream is open before the test starts: stopping earlier races FeedConsumer.stop
    # (the stream would be opened after the cancel and teardown would wait out the join timeout).
    wait_for(built.consumer.healthy.is_set, message="the enrolment feed followed")
    wait_for(built.inventory_consumer.healthy.is_set, message="the inventory feed followed")
    return built


@pytest.fixture
def identity(tmp_path) -> TestIdentity:
    return make_identity(tmp_path)


@pytest.fixture
def fakes(tmp_path):
    server, made = start_fakes(tmp_path)
    yield made
    server.stop(0)


@pytest.fixture
def runtime(database_url, tmp_path, identity, fakes) -> Runtime:
    built = start_runtime(database_url, tmp_path, fakes)
    yield built
    built.process.stop()


@pytest.fixture
def dinas_token(identity) -> str:
    return identity.officer(Role.OPERATOR_DINAS, KAPUAS, subject="operator.kapuas")


@pytest.fixture
def channel(runtime, dinas_token):
    """A channel whose calls carry the Kapuas Dinas operator's token."""
    with make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: dinas_token) as open_channel:
        yield open_channel


@pytest.fixture
def stub(channel):
    return documents_pb2_grpc.DocumentsServiceStub(channel)


@pytest.fixture
def reporting_stub(runtime, identity):
    """Calls as the reporting service, the one follower of the documents feed."""
    token = identity.service("reporting")
    with make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token) as open_channel:
        yield documents_pb2_grpc.DocumentsServiceStub(open_channel)
