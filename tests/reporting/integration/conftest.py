from __future__ import annotations

import pytest

from ektp.reporting.v1 import reporting_pb2_grpc
from reporting.bootstrap import build
from reporting.config import Settings
from servicekit.access import Role
from servicekit.clients import make_channel
from servicekit.web import SESSION_COOKIE
from tests.identity import TestIdentity
from tests.reporting.integration.fakes import SERVICERS, FakeProducer

KALTENG = "62"   # the province the tests' default officer covers


@pytest.fixture
def identity(tmp_path):
    """Tokens trusted by a reporting runtime built on var_dir=tmp_path. The issuers publish
    their keys before the runtime loads its trusted keys."""
    identity = TestIdentity(tmp_path / "keys")
    for issuer in ("enrolment", "inventory", "documents"):
        identity.issuer(issuer)
    return identity


@pytest.fixture
def producers(tmp_path):
    fakes = {name: FakeProducer(name, tmp_path / "keys" / "trusted") for name in SERVICERS}
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
def runtime(settings, identity):
    runtime = build(settings)
    runtime.process.start()
    yield runtime
    runtime.process.stop()


@pytest.fixture
def stub(runtime, identity):
    """A client of the running service, calling as the provincial admin of Kalimantan Tengah."""
    token = identity.officer(Role.ADMIN_PROVINSI, KALTENG, subject="admin.kalteng")
    channel = make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token)
    yield reporting_pb2_grpc.ReportingServiceStub(channel)
    channel.close()


@pytest.fixture
def browser(runtime, identity):
    """`browser(role, scope)`: a Flask test client signed in as that officer."""
    def sign_in(role: Role = Role.OPERATOR_DINAS, scope: str = "62.03"):
        client = runtime.app.test_client()
        client.set_cookie(SESSION_COOKIE, identity.officer(role, scope))
        return client
    return sign_in
