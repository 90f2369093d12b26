"""A real inventory process (gRPC + HTTP on port 0) on SQLite and on PostgreSQL, and callers
that carry the tokens the platform would give them (trusted because the process keeps its
keys under the same var_dir as `TestIdentity`)."""
from __future__ import annotations

import logging

import pytest

from ektp.inventory.v1 import inventory_pb2_grpc
from inventory import bootstrap
from inventory.config import Settings
from servicekit.access import Role
from servicekit.clients import make_channel
from servicekit.web import SESSION_COOKIE
from tests.identity import KAPUAS, TestIdentity
from tests.inventory.helpers import published_identity


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(database_url=database_url, host="127.0.0.1", grpc_port=0, http_port=0,
                    var_dir=tmp_path, offices=("62.03",))


@pytest.fixture
def identity(tmp_path) -> TestIdentity:
    return published_identity(tmp_path / "keys")


@pytest.fixture
def runtime(settings, identity):
    runtime = bootstrap.build(settings)
    runtime.process.start()
    yield runtime
    runtime.process.stop()


@pytest.fixture
def target(runtime) -> str:
    return f"127.0.0.1:{runtime.process.grpc.port}"


@pytest.fixture
def channel(target, identity):
    """Calls as the documents service, which reserves, prints and releases blanks for card jobs,
    with one token for every call (as ServiceCredentials reuses its token)."""
    token = identity.service("documents")
    channel = make_channel(target, token=lambda: token)
    yield channel
    channel.close()


@pytest.fixture
def stub(channel) -> inventory_pb2_grpc.InventoryServiceStub:
    return inventory_pb2_grpc.InventoryServiceStub(channel)


@pytest.fixture
def officer_stub(target, identity):
    """`officer_stub(role, scope)`: a stub whose every call carries that officer's token."""
    channels = []

    def make(role: Role, scope: str) -> inventory_pb2_grpc.InventoryServiceStub:
        token = identity.officer(role, scope)
        channels.append(make_channel(target, token=lambda: token))
        return inventory_pb2_grpc.InventoryServiceStub(channels[-1])

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def dinas_stub(officer_stub) -> inventory_pb2_grpc.InventoryServiceStub:
    """The Dinas desk of Kab. Kapuas (62.03), which receives its office's deliveries."""
    return officer_stub(Role.OPERATOR_DINAS, KAPUAS)


@pytest.fixture
def restore_logging():
    """`main` configures the root logger (to the captured stdout); put it back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.fixture
def open_as(browser, server):
    """`open_as(role, scope)`: a page of a new browser context signed in as that officer
    (`None`: nobody signed in), on the module's `server` (runtime, identity, base URL)."""
    _, identity, base = server
    contexts = []

    def make(role: Role | None, scope: str = "", subject: str = "petugas.uji"):
        context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="id-ID", base_url=base)
        if role is not None:
            context.add_cookies([{"name": SESSION_COOKIE, "value": identity.officer(role, scope, subject=subject),
                                  "url": base}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
