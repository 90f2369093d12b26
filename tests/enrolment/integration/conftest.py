import argon2
import grpc
import pytest

from ektp.enrolment.v1 import enrolment_pb2_grpc
from enrolment.bootstrap import build
from enrolment.config import Settings
from servicekit.access import Role
from servicekit.clients import make_channel
from servicekit.web import SESSION_COOKIE
from tests.enrolment.factories import NOW, TEST_REGIONS
from tests.identity import KAPUAS, TestIdentity

# The suite stays fast: a real argon2id hash, at the cheapest settings.
CHEAP_HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def build_runtime(database_url: str, var_dir, **settings):
    """A started enrolment runtime whose demo keys live under `var_dir`, so that
    `TestIdentity(var_dir / "keys")` tokens are trusted."""
    runtime = build(Settings(database_url=database_url, grpc_port=0, http_port=0, var_dir=var_dir, **settings),
                    migrate=True, clock=lambda: NOW, password_hasher=CHEAP_HASHER)
    runtime.service.import_regions(TEST_REGIONS)
    runtime.process.start()
    return runtime


def stop_runtime(runtime) -> None:
    runtime.process.grace = 0.2
    runtime.process.stop()


@pytest.fixture
def runtime(database_url, tmp_path):
    runtime = build_runtime(database_url, tmp_path)
    yield runtime
    stop_runtime(runtime)


@pytest.fixture
def identity(runtime, tmp_path):
    return TestIdentity(tmp_path / "keys")


@pytest.fixture
def channel(runtime):
    """A channel without a token (health checks; tests that choose their own token)."""
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        yield channel


def _stub(runtime, token: str):
    channel = make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token)
    return channel, enrolment_pb2_grpc.EnrolmentServiceStub(channel)


@pytest.fixture
def stub(runtime, identity):
    """Calls as an operator of the Dinas of Kab. Kapuas (records and reads there)."""
    channel, stub = _stub(runtime, identity.officer(Role.OPERATOR_DINAS, KAPUAS))
    yield stub
    channel.close()


@pytest.fixture
def feed(runtime, identity):
    """Calls as the reporting service (the event stream, reference data)."""
    channel, stub = _stub(runtime, identity.service("reporting"))
    yield stub
    channel.close()


@pytest.fixture
def web(runtime, identity):
    """A Flask test client signed in as `role` in `scope`: `web(role, scope)`."""
    def client(role: Role = Role.OPERATOR_DINAS, scope: str = KAPUAS):
        test_client = runtime.app.test_client()
        test_client.set_cookie(SESSION_COOKIE, identity.officer(role, scope))
        return test_client
    return client
