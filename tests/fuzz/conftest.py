"""One in-process world for the fuzzers: the four services on SQLite, started once per session.

Each service is built the way its integration tests build it (tests/<ctx>/integration/
conftest.py): enrolment and inventory alone, documents against the fake enrolment and
inventory servers, reporting against fake producers. Each gets a little demo data, so that
ids exist for the fuzzer to find, and the ids in its database go into the value pool.

The background jobs that write on a timer (Suket expiry, reservation sweep) are slowed to
once an hour: the fuzzer compares row counts around every refused call, and a sweep that
happened to run in between would be a write nobody asked for.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

import grpc
import pytest
import sqlalchemy as sa

from documents.access import GRPC_POLICY as DOCUMENTS_GRPC
from documents.access import HTTP_POLICY as DOCUMENTS_HTTP
from documents.bootstrap import build as build_documents
from documents.config import Settings as DocumentsSettings
from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from ektp.reporting.v1 import reporting_pb2
from enrolment.access import GRPC_POLICY as ENROLMENT_GRPC
from enrolment.access import HTTP_POLICY as ENROLMENT_HTTP
from enrolment.demo import load_demo as load_enrolment_demo
from inventory import bootstrap as inventory_bootstrap
from inventory.access import GRPC_POLICY as INVENTORY_GRPC
from inventory.access import HTTP_POLICY as INVENTORY_HTTP
from inventory.config import Settings as InventorySettings
from inventory.demo import load_demo as load_inventory_demo
from reporting.access import GRPC_POLICY as REPORTING_GRPC
from reporting.access import HTTP_POLICY as REPORTING_HTTP
from reporting.bootstrap import build as build_reporting
from reporting.config import Settings as ReportingSettings
from servicekit.access import AccessPolicy, Principal, Role, Rule
from servicekit.db import READONLY
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories as documents_factories
from tests.documents.integration.conftest import make_identity, start_fakes
from tests.enrolment.factories import CLI
from tests.enrolment.integration.conftest import build_runtime as build_enrolment
from tests.enrolment.integration.conftest import stop_runtime as stop_enrolment
from tests.fuzz.strategies import Pool
from tests.identity import TestIdentity
from tests.inventory.helpers import published_identity
from tests.reporting import builders
from tests.reporting.integration.fakes import SERVICERS, FakeProducer, caught_up

# Who calls, in order of preference: the Dinas of Kab. Kapuas and the provincial admin come
# first (their scope holds the demo data); a service identity only where no officer may call.
CALLERS: tuple[tuple[Role, str], ...] = (
    (Role.OPERATOR_DINAS, "62.03"), (Role.KEPALA_DINAS, "62.03"), (Role.ADMIN_PROVINSI, "62"),
    (Role.OPERATOR_KECAMATAN, "62.03.01"), (Role.AUDITOR, "62"), (Role.LURAH, "62.03.01.1006"), (Role.OPS, "62"))
TOKEN_SECONDS = 3600
# The audit log records on purpose what a refused request did: the reads of personal data done
# to show the page or answer (document.read, recording.read, batch.manifest_read) and the
# refusals that must leave a trace (login.failure: lockout and intrusion review;
# card.hand_over_refused: a card nearly handed to the wrong person). Those entries are not
# "stored by a refused request"; every other audit entry still counts.
AUDITED_ON_PURPOSE = ("login.failure", "card.hand_over_refused")
COUNTED = {"audit_log": " WHERE action NOT LIKE '%read' AND action NOT IN ("
                        + ", ".join(f"'{action}'" for action in AUDITED_ON_PURPOSE) + ")"}
QUIET = 3600.0   # seconds between runs of the timed background jobs (see the module docstring)


@dataclass
class Service:
    """One running service, as the fuzzers see it."""

    name: str
    runtime: object
    identity: TestIdentity
    descriptor: object            # the gRPC ServiceDescriptor
    grpc_policy: AccessPolicy
    http_policy: AccessPolicy
    channel: grpc.Channel = field(init=False)
    tables: list[str] = field(init=False)
    _tokens: dict = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.runtime.process.grpc.port}")
        with self._reading() as conn:
            self.tables = sorted(sa.inspect(conn).get_table_names())
        counts = ", ".join(f'(SELECT count(*) FROM "{name}"{COUNTED.get(name, "")})' for name in self.tables)
        self._count_rows = sa.text(f"SELECT {counts}")

    def rows(self) -> dict[str, int]:
        """Rows per table (outbox, inbox and audit log included), in one round trip."""
        with self._reading() as conn:
            return dict(zip(self.tables, conn.execute(self._count_rows).one(), strict=True))

    def _reading(self):
        """A connection that reads without taking SQLite's write lock (servicekit.db begins
        IMMEDIATE otherwise)."""
        conn = self.runtime.engine.connect()
        conn.execution_options(**{READONLY: True})
        return conn

    def token(self, rule: Rule) -> str | None:
        """A token of the first caller `rule` admits; None for a public rule."""
        if rule.public:
            return None
        for role, scope in CALLERS:
            if role in rule.roles:
                key = (role, scope)
                if key not in self._tokens:
                    self._tokens[key] = self.identity.officer(role, scope, lifetime=TOKEN_SECONDS)
                return self._tokens[key]
        name = sorted(rule.services)[0]
        if name not in self._tokens:
            self._tokens[name] = self.identity.service(name)
        return self._tokens[name]

    def web_client(self, rule: Rule):
        """A Flask test client signed in as the caller `rule` admits (nobody for a public rule)."""
        client = self.runtime.app.test_client()
        token = self.token(rule)
        if token is not None:
            client.set_cookie(SESSION_COOKIE, token)
        return client


@dataclass
class World:
    services: dict[str, Service]
    pool: Pool


def _enrolment(var_dir: pathlib.Path):
    runtime = build_enrolment(f"sqlite:///{var_dir / 'enrolment.db'}", var_dir)
    load_enrolment_demo(CLI, runtime.service, residents=40)
    return runtime, TestIdentity(var_dir / "keys"), lambda: stop_enrolment(runtime)


def _inventory(var_dir: pathlib.Path):
    identity = published_identity(var_dir / "keys")
    settings = InventorySettings(database_url=f"sqlite:///{var_dir / 'inventory.db'}", host="127.0.0.1",
                                 grpc_port=0, http_port=0, var_dir=var_dir, offices=("62.03",),
                                 reservation_sweep_seconds=QUIET)
    runtime = inventory_bootstrap.build(settings)
    runtime.process.start()
    load_inventory_demo(Principal.service("inventory", origin="cli"), runtime.service)
    return runtime, identity, runtime.process.stop


def _documents(var_dir: pathlib.Path):
    identity = make_identity(var_dir)
    server, fakes = start_fakes(var_dir)
    settings = DocumentsSettings(database_url=f"sqlite:///{var_dir / 'documents.db'}", var_dir=var_dir,
                                 grpc_port=0, http_port=0, enrolment_target=fakes.target,
                                 inventory_target=fakes.target, expiry_interval_seconds=QUIET)
    runtime = build_documents(settings)
    runtime.process.start()
    fakes.inventory.stock = ["0000000101", "0000000102"]
    numbers = [documents_factories.register_number(serial) for serial in range(1, 5)]
    for seed, number in enumerate(numbers, start=3):
        fakes.enrolment.add_print_ready(documents_factories.recording_pb(number, seed=seed))
    wait_for(lambda: _count(runtime.engine, "documents") >= len(numbers), message="the seeded documents")

    def stop() -> None:
        runtime.process.stop()
        server.stop(0)
    return runtime, identity, stop


def _reporting(var_dir: pathlib.Path):
    identity = TestIdentity(var_dir / "keys")
    for issuer in ("enrolment", "inventory", "documents"):
        identity.issuer(issuer)
    producers = {name: FakeProducer(name, var_dir / "keys" / "trusted") for name in SERVICERS}
    for producer in producers.values():
        producer.start()
    settings = ReportingSettings(database_url=f"sqlite:///{var_dir / 'reporting.db'}", host="127.0.0.1",
                                 grpc_port=0, http_port=0, var_dir=var_dir,
                                 enrolment_grpc_target=producers["enrolment"].target,
                                 inventory_grpc_target=producers["inventory"].target,
                                 documents_grpc_target=producers["documents"].target,
                                 stream_seconds=2.0, readiness_seconds=0.5)
    runtime = build_reporting(settings)
    runtime.process.start()
    numbers = [builders.register_number() for _ in range(4)]
    producers["enrolment"].feed.append(
        builders.target("62.03.01.2001", 10), builders.target("62.03.01.1006", 8),
        *(builders.captured("62.03.01.2001", number) for number in numbers),
        *(builders.print_ready(number, "62.03.01.2001") for number in numbers[:3]))
    producers["inventory"].feed.append(builders.stock_received("62.03", 50, 50))
    producers["documents"].feed.append(builders.card_printed(numbers[0], "62.03.01.2001"),
                                       builders.suket_issued(numbers[1], "62.03.01.2001"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="reporting caught up with the fakes")

    def stop() -> None:
        runtime.process.stop()
        for producer in producers.values():
            producer.stop()
    return runtime, identity, stop


def _count(engine, table: str) -> int:
    with engine.connect() as conn:
        conn.execution_options(**{READONLY: True})
        return conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()


SERVICES = {
    "enrolment": (_enrolment, enrolment_pb2, ENROLMENT_GRPC, ENROLMENT_HTTP),
    "inventory": (_inventory, inventory_pb2, INVENTORY_GRPC, INVENTORY_HTTP),
    "documents": (_documents, documents_pb2, DOCUMENTS_GRPC, DOCUMENTS_HTTP),
    "reporting": (_reporting, reporting_pb2, REPORTING_GRPC, REPORTING_HTTP),
}


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    pool, services, stops = Pool(), {}, []
    try:
        for name, (start, module, grpc_policy, http_policy) in SERVICES.items():
            runtime, identity, stop = start(tmp_path_factory.mktemp(name))
            stops.append(stop)
            [descriptor] = module.DESCRIPTOR.services_by_name.values()
            services[name] = Service(name, runtime, identity, descriptor, grpc_policy, http_policy)
            pool.collect(runtime.engine)
        yield World(services, pool)
    finally:
        for service in services.values():
            service.channel.close()
        for stop in reversed(stops):
            stop()
