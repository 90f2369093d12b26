"""The access matrix of reporting: every RPC and every page, against every role in both
kabupaten, every service identity and every bad token, on one running service (SQLite).

`EXPECTED` is the specification (issue 3's role decisions), written out here on purpose
rather than imported from reporting.access: the code is checked against it.
"""
from __future__ import annotations

import grpc
import pytest
from flask import Flask

from ektp.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from reporting.access import GRPC_POLICY, HTTP_POLICY
from reporting.bootstrap import build
from reporting.config import Settings
from servicekit.access import HUMAN_ROLES, Role
from servicekit.clients import make_channel
from servicekit.web import OPEN_ENDPOINTS, SESSION_COOKIE
from tests.conftest import wait_for
from tests.identity import KAPUAS, TANAH_BUMBU, TestIdentity, call_code, scope_for
from tests.reporting import builders as b
from tests.reporting.integration.fakes import SERVICERS, FakeProducer, caught_up

DESA = "62.03.01.1006"       # Murung Keramat, kecamatan Selat, Kapuas: where the data lives
KECAMATAN = "62.03.01"
OFFICE = "62.03"
SERVICES = ("enrolment", "inventory", "documents", "reporting")

# name -> (roles allowed, services allowed, region scope applies)
EXPECTED = {
    "grpc": {
        "GetCoverage": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                         "lurah"}, set(), True),
        "GetCoverageSeries": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                               "lurah"}, set(), True),
        "GetFunnel": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                       "lurah"}, set(), True),
        "GetVoterReadiness": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                               "lurah"}, set(), True),
        "GetStockBoard": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor"},
                          set(), True),
        "GetDriveReport": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor"},
                           set(), True),
    },
    "http": {
        "coverage_page": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                           "lurah"}, set(), True),
        "funnel_page": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                         "lurah"}, set(), True),
        "voters_page": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                         "lurah"}, set(), True),
        "stock_page": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor"},
                       set(), True),
        "drives_page": ({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor"},
                        set(), True),
    },
}

# One call per RPC / one URL per page, all about the Kapuas data.
GRPC_CALLS = {
    "GetCoverage": reporting_pb2.GetCoverageRequest(region_code=KECAMATAN),
    "GetCoverageSeries": reporting_pb2.GetCoverageSeriesRequest(region_code=KECAMATAN, from_day="2016-11-01",
                                                                to_day="2016-11-30"),
    "GetFunnel": reporting_pb2.GetFunnelRequest(region_code=KECAMATAN),
    "GetVoterReadiness": reporting_pb2.GetVoterReadinessRequest(region_code=KECAMATAN),
    "GetStockBoard": reporting_pb2.GetStockBoardRequest(region_code=OFFICE),
    "GetDriveReport": reporting_pb2.GetDriveReportRequest(region_code=KECAMATAN),
}
HTTP_URLS = {
    "coverage_page": f"/?wilayah={KECAMATAN}",
    "funnel_page": f"/funnel?wilayah={KECAMATAN}",
    "voters_page": f"/pemilih?wilayah={KECAMATAN}",
    "stock_page": f"/stok?wilayah={OFFICE}",
    "drives_page": f"/jemput-bola?wilayah={KECAMATAN}",
}
# What an allowed page shows of the Kapuas data (the desa row, else the page's own table).
HTTP_MARKERS = {"stock_page": 'id="stok"', "drives_page": 'id="kegiatan"'}


def _allowed(kind: str, name: str, role: Role, home: str) -> bool:
    roles, _, scoped = EXPECTED[kind][name]
    return role.value in roles and (not scoped or home == KAPUAS)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One reporting service with Kapuas data folded from fake producers, for the whole module."""
    var_dir = tmp_path_factory.mktemp("reporting-access")
    identity = TestIdentity(var_dir / "keys")
    for issuer in SERVICES:
        identity.issuer(issuer)
    producers = {name: FakeProducer(name, var_dir / "keys" / "trusted") for name in SERVICERS}
    for fake in producers.values():
        fake.start()
    settings = Settings(database_url=f"sqlite:///{var_dir / 'reporting.db'}", grpc_port=0, http_port=0,
                        var_dir=var_dir, stream_seconds=2.0, readiness_seconds=0.5,
                        **{f"{name}_grpc_target": fake.target for name, fake in producers.items()})
    runtime = build(settings)
    runtime.process.start()
    number = b.register_number()
    producers["enrolment"].feed.append(b.target(KECAMATAN, 40, "Selat"), b.target(DESA, 12, "Murung Keramat"),
                                       b.captured(DESA, number), b.print_ready(number, DESA))
    producers["documents"].feed.append(b.card_printed(number, DESA))
    producers["inventory"].feed.append(b.stock_received(OFFICE, 100, 100))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the Kapuas data")
    channel = make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=None)
    try:
        yield identity, runtime, reporting_pb2_grpc.ReportingServiceStub(channel), number
    finally:
        channel.close()
        runtime.process.stop()
        for fake in producers.values():
            fake.stop()


@pytest.fixture(scope="module")
def identity(world):
    return world[0]


@pytest.fixture(scope="module")
def runtime(world):
    return world[1]


@pytest.fixture(scope="module")
def stub(world):
    return world[2]


def _rpc(stub, name: str, token: str | None) -> grpc.StatusCode:
    return call_code(getattr(stub, name), GRPC_CALLS[name], token)


def _page(app: Flask, name: str, token: str | None, **headers):
    client = app.test_client()
    if token is not None:
        client.set_cookie(SESSION_COOKIE, token)
    return client.get(HTTP_URLS[name], headers=headers)


# ---- the table is complete ------------------------------------------------------------

def test_every_rpc_has_a_rule_and_an_expectation():
    methods = set(reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"].methods_by_name)
    assert methods == set(GRPC_POLICY.rules) == set(EXPECTED["grpc"]) == set(GRPC_CALLS)


def test_every_page_has_a_rule_and_an_expectation(runtime):
    endpoints = {rule.endpoint for rule in runtime.app.url_map.iter_rules()} - OPEN_ENDPOINTS
    assert endpoints == set(HTTP_POLICY.rules) == set(EXPECTED["http"]) == set(HTTP_URLS)


# ---- gRPC ------------------------------------------------------------------------------

@pytest.mark.parametrize("home", [KAPUAS, TANAH_BUMBU])
@pytest.mark.parametrize("role", HUMAN_ROLES)
@pytest.mark.parametrize("method", sorted(EXPECTED["grpc"]))
def test_rpc_is_served_exactly_to_the_roles_and_regions_expected(stub, identity, method, role, home):
    code = _rpc(stub, method, identity.officer(role, scope_for(role, home)))
    if _allowed("grpc", method, role, home):
        assert code == grpc.StatusCode.OK
    else:
        assert code == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("method", sorted(EXPECTED["grpc"]))
def test_rpc_is_served_exactly_to_the_services_expected(stub, identity, method, service):
    code = _rpc(stub, method, identity.service(service))
    if service in EXPECTED["grpc"][method][1]:
        assert code not in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED)
    else:
        assert code == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("method", sorted(EXPECTED["grpc"]))
def test_rpc_without_a_valid_token_is_unauthenticated(stub, identity, method, token):
    tokens = {"none": None, "expired": identity.expired(), "forged": identity.forged()}
    assert _rpc(stub, method, tokens[token]) == grpc.StatusCode.UNAUTHENTICATED


def test_an_allowed_call_returns_the_kapuas_data(stub, identity):
    token = identity.officer(Role.LURAH, DESA)
    response = stub.GetCoverage(GRPC_CALLS["GetCoverage"], metadata=(("authorization", f"Bearer {token}"),),
                                timeout=5)
    assert [(row.region_code, row.recorded, row.cards_printed) for row in response.rows] == [(DESA, 1, 1)]


# ---- HTTP ------------------------------------------------------------------------------

@pytest.mark.parametrize("home", [KAPUAS, TANAH_BUMBU])
@pytest.mark.parametrize("role", HUMAN_ROLES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_page_is_served_exactly_to_the_roles_and_regions_expected(runtime, identity, endpoint, role, home):
    response = _page(runtime.app, endpoint, identity.officer(role, scope_for(role, home)))
    if _allowed("http", endpoint, role, home):
        assert 200 <= response.status_code < 400
        assert not response.headers.get("Location", "").startswith(runtime.security.settings.login_url)
        assert HTTP_MARKERS.get(endpoint, DESA) in response.get_data(as_text=True)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_page_is_served_exactly_to_the_services_expected(runtime, identity, endpoint, service):
    response = _page(runtime.app, endpoint, identity.service(service))
    if service in EXPECTED["http"][endpoint][1]:
        assert response.status_code < 400
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_page_without_a_valid_session_redirects_to_the_login(runtime, identity, endpoint, token):
    tokens = {"none": None, "expired": identity.expired(), "forged": identity.forged()}
    response = _page(runtime.app, endpoint, tokens[token])
    assert response.status_code == 302
    assert response.headers["Location"].startswith(runtime.security.settings.login_url + "?next=")


@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_json_without_a_session_is_401(runtime, endpoint):
    assert _page(runtime.app, endpoint, None, Accept="application/json").status_code == 401


def test_probes_and_metrics_answer_without_a_session_and_metrics_hold_no_personal_data(world, runtime):
    number = world[3]
    client = runtime.app.test_client()
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'ektp_reporting_coverage_ratio{region_code="62.03"}' in metrics
    assert number not in metrics and "Murung Keramat" not in metrics and "petugas" not in metrics


def test_no_page_changes_state_so_no_form_needs_a_csrf_token(runtime, identity):
    """Reporting only reads: a POST (which would need a CSRF token) is refused outright."""
    for rule in runtime.app.url_map.iter_rules():
        if rule.endpoint not in OPEN_ENDPOINTS:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, KAPUAS))
    assert client.post(HTTP_URLS["coverage_page"]).status_code == 405
