"""Who may call what on the inventory service, checked against the specification written out here.

`EXPECTED` is the issue's role table, copied by hand on purpose (not imported from
inventory.access): the code is checked against it, not against itself. Every RPC is called by
every human role from a home in Kab. Kapuas and one in Kab. Tanah Bumbu, by every service
identity, and with no, an expired and a forged token, against real data of the Kapuas office
62.03; the one page likewise over HTTP. One server for the module (SQLite) keeps it fast.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2 as pb
from ektp.inventory.v1 import inventory_pb2_grpc
from inventory import bootstrap, demo
from inventory.access import GRPC_POLICY, HTTP_POLICY
from inventory.config import Settings
from servicekit.access import HUMAN_ROLES, Principal, Role
from servicekit.web import OPEN_ENDPOINTS, SESSION_COOKIE
from tests.identity import KAPUAS, TANAH_BUMBU, bearer, call_code, scope_for
from tests.inventory.helpers import published_identity


@dataclass(frozen=True)
class Expect:
    roles: frozenset[str]
    services: frozenset[str] = frozenset()
    scoped: bool = False      # the Kapuas record is out of reach of a Tanah Bumbu officer


def expect(*roles: str, services: tuple[str, ...] = (), scoped: bool = False) -> Expect:
    return Expect(frozenset(roles), frozenset(services), scoped)


DINAS = ("operator_dinas", "kepala_dinas")
STAFF = ("operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor")

EXPECTED = {
    "rpc": {
        "ReceiveStock": expect(*DINAS, "admin_provinsi", scoped=True),
        "ReserveBlank": expect(*DINAS, services=("documents",), scoped=True),
        "ConsumeBlank": expect(*DINAS, services=("documents",), scoped=True),
        "ReleaseBlank": expect(*DINAS, services=("documents",), scoped=True),
        "GetStock": expect(*STAFF, services=("documents",), scoped=True),
        "ListProcurements": expect(*STAFF),
        "StreamEvents": expect(services=("documents", "reporting")),
    },
    "http": {  # endpoint -> (path, rule)
        "index": ("/", expect(*STAFF)),
    },
}

OFFICE = "62.03"           # the Dinas office of Kab. Kapuas, where the data lives
HOME_KEYS = (KAPUAS, TANAH_BUMBU)
SERVICES = ("enrolment", "inventory", "documents", "reporting")
RPCS = sorted(EXPECTED["rpc"])
SETUP = Principal.service("documents", origin="test")   # prepares reservations, past the gate
DENIED = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("inventory-matrix")
    identity = published_identity(var_dir / "keys")
    settings = Settings(database_url=f"sqlite:///{var_dir / 'inventory.db'}", host="127.0.0.1",
                        grpc_port=0, http_port=0, var_dir=var_dir, offices=(OFFICE,))
    runtime = bootstrap.build(settings)
    runtime.process.start()
    admin = Principal("admin.kalteng", Role.ADMIN_PROVINSI, "62")
    runtime.service.receive_stock(admin, OFFICE, "90000001", "90001000", "SPB-MATRIX")
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)
    channel = grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}")
    try:
        yield runtime, inventory_pb2_grpc.InventoryServiceStub(channel), identity
    finally:
        channel.close()
        runtime.process.stop()


_numbers = itertools.count(1)


def request_for(method: str, runtime: bootstrap.Runtime):
    """A request that succeeds for an entitled caller: fresh serials, keys and reservations."""
    n = next(_numbers)
    key = f"card:MATRIX-{n:04d}"
    if method == "ReceiveStock":
        serial = f"{10000000 + n}"
        return pb.ReceiveStockRequest(office_code=OFFICE, first_serial=serial, last_serial=serial,
                                      delivery_reference=f"SPB-{n}")
    if method == "ReserveBlank":
        return pb.ReserveBlankRequest(office_code=OFFICE, idempotency_key=key)
    if method in ("ConsumeBlank", "ReleaseBlank"):
        runtime.service.reserve_blank(SETUP, OFFICE, key)
        request = pb.ConsumeBlankRequest if method == "ConsumeBlank" else pb.ReleaseBlankRequest
        return request(idempotency_key=key)
    if method == "GetStock":
        return pb.GetStockRequest(office_code=OFFICE)
    if method == "ListProcurements":
        return pb.ListProcurementsRequest()
    if method == "StreamEvents":
        return events_pb2.StreamEventsRequest(limit=5)
    raise AssertionError(f"no request for {method}: add one with its data")


def call(server, method: str, token: str | None) -> grpc.StatusCode:
    runtime, stub, _ = server
    return call_code(getattr(stub, method), request_for(method, runtime), token)


# ---- the table covers everything ---------------------------------------------------

def test_every_rpc_has_a_rule_and_an_expectation():
    methods = set(pb.DESCRIPTOR.services_by_name["InventoryService"].methods_by_name)
    assert methods == set(GRPC_POLICY.rules) == set(EXPECTED["rpc"])


def test_every_page_has_a_rule_and_an_expectation(server):
    runtime, _, _ = server
    endpoints = {rule.endpoint for rule in runtime.app.url_map.iter_rules()} - OPEN_ENDPOINTS
    assert endpoints == set(HTTP_POLICY.rules) == set(EXPECTED["http"])
    paths = {rule.endpoint: rule.rule for rule in runtime.app.url_map.iter_rules()}
    assert {endpoint: paths[endpoint] for endpoint in endpoints} == {
        endpoint: path for endpoint, (path, _) in EXPECTED["http"].items()}


def test_no_page_accepts_a_form_post(server):
    """No state-changing route, so there is no CSRF case to check; a new POST route must bring one."""
    runtime, _, _ = server
    methods = set().union(*(rule.methods for rule in runtime.app.url_map.iter_rules()
                            if rule.endpoint not in OPEN_ENDPOINTS))
    assert methods <= {"GET", "HEAD", "OPTIONS"}


# ---- gRPC ---------------------------------------------------------------------------

def allowed(rule: Expect, role: Role, home: str) -> bool:
    return role.value in rule.roles and (not rule.scoped or home == KAPUAS)


@pytest.mark.parametrize("home", HOME_KEYS, ids=["kapuas", "tanah_bumbu"])
@pytest.mark.parametrize("role", HUMAN_ROLES, ids=str)
@pytest.mark.parametrize("method", RPCS)
def test_an_officer_calls_an_rpc_only_with_the_role_and_the_region(server, method, role, home):
    _, _, identity = server
    code = call(server, method, identity.officer(role, scope_for(role, home)))
    if allowed(EXPECTED["rpc"][method], role, home):
        assert code == grpc.StatusCode.OK
    else:
        assert code == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("method", RPCS)
def test_a_service_calls_only_the_rpcs_named_for_it(server, method, service):
    _, _, identity = server
    code = call(server, method, identity.service(service))
    if service in EXPECTED["rpc"][method].services:
        assert code == grpc.StatusCode.OK
    else:
        assert code == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("token", ["none", "expired", "forged", "not a jwt"])
@pytest.mark.parametrize("method", RPCS)
def test_an_rpc_without_a_valid_token_is_unauthenticated(server, method, token):
    _, _, identity = server
    tokens = {"none": None, "expired": identity.expired(), "forged": identity.forged(), "not a jwt": "abc.def"}
    assert call(server, method, tokens[token]) == grpc.StatusCode.UNAUTHENTICATED


def test_grpc_health_needs_no_token(server):
    runtime, _, _ = server
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert response.status == health_pb2.HealthCheckResponse.SERVING


# ---- HTTP ---------------------------------------------------------------------------

def get(server, path: str, token: str | None = None, **headers):
    runtime, _, _ = server
    client = runtime.app.test_client()
    if token is not None:
        client.set_cookie(SESSION_COOKIE, token)
    return client.get(path, headers=headers)


def login_url(server) -> str:
    return server[0].security.settings.login_url


@pytest.mark.parametrize("home", HOME_KEYS, ids=["kapuas", "tanah_bumbu"])
@pytest.mark.parametrize("role", HUMAN_ROLES, ids=str)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_an_officer_opens_a_page_only_with_the_role_and_the_region(server, endpoint, role, home):
    _, _, identity = server
    path, rule = EXPECTED["http"][endpoint]
    response = get(server, path, identity.officer(role, scope_for(role, home)))
    if allowed(rule, role, home):
        assert 200 <= response.status_code < 400
        assert not response.headers.get("Location", "").startswith(login_url(server))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_a_service_token_opens_no_page_not_named_for_it(server, endpoint, service):
    _, _, identity = server
    path, rule = EXPECTED["http"][endpoint]
    response = get(server, path, identity.service(service))
    assert response.status_code == (200 if service in rule.services else 403)


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_a_page_without_a_valid_session_redirects_to_the_login(server, endpoint, token):
    _, _, identity = server
    path, _ = EXPECTED["http"][endpoint]
    cookie = {"none": None, "expired": identity.expired(), "forged": identity.forged()}[token]
    response = get(server, path, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(login_url(server) + "?next=")


@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_json_without_a_session_is_401(server, endpoint):
    path, _ = EXPECTED["http"][endpoint]
    response = get(server, path, Accept="application/json")
    assert response.status_code == 401
    assert response.get_json()["error"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_and_metrics_answer_without_a_session(server, path):
    assert get(server, path).status_code == 200


def test_metrics_hold_no_register_number_officer_or_token(server):
    runtime, stub, identity = server
    key = "card:REG-62030110060042"
    token = identity.officer(Role.OPERATOR_DINAS, KAPUAS, subject="dinas.siti")
    stub.ReserveBlank(pb.ReserveBlankRequest(office_code=OFFICE, idempotency_key=key), metadata=bearer(token),
                      timeout=10)
    stub.ConsumeBlank(pb.ConsumeBlankRequest(idempotency_key=key), metadata=bearer(token), timeout=10)
    get(server, "/", token)
    body = get(server, "/metrics").get_data(as_text=True)
    assert 'ektp_inventory_blanks_consumed_total{office_code="62.03"}' in body   # the real series are there
    for secret in ("REG-62030110060042", "card:", "dinas.siti", token, "eyJ"):
        assert secret not in body
