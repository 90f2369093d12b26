"""Who may call what on documents, checked against a running process.

`EXPECTED` is the specification, written out here and not imported from documents.access:
per RPC and page, the roles and services allowed and how the region applies. Every human
role of Kapuas and of Tanah Bumbu, every service identity and every kind of bad token is
tried on every RPC and page, against documents of a resident of Kapuas (desa Murung
Keramat, 62.03.01.1006; office 62.03). One process (SQLite) serves the whole module.
"""
from __future__ import annotations

import re

import grpc
import pytest

from documents.access import GRPC_POLICY, HTTP_POLICY
from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from ektp.events.v1 import events_pb2
from servicekit.access import HUMAN_ROLES, Role
from servicekit.web import OPEN_ENDPOINTS, SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories
from tests.documents.integration import distribution_matrix, print_matrix, verification_matrix
from tests.documents.integration.conftest import make_identity, start_fakes, start_runtime
from tests.identity import KAPUAS, TANAH_BUMBU, bearer, scope_for

SCOPED = "scoped"          # a record outside the caller's region: PERMISSION_DENIED / 403
FILTERED = "filtered"      # a list: allowed everywhere, but only rows of the caller's region
OPEN = "not scoped"

EXPECTED_RPC = {
    "ListDocuments": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                                "lurah"}, "services": set(), "region": FILTERED},
    "GetDocument": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                              "lurah"}, "services": set(), "region": SCOPED},
    "IssueSuket": {"roles": {"operator_dinas", "kepala_dinas"}, "services": set(), "region": SCOPED},
    "StreamEvents": {"roles": set(), "services": {"reporting"}, "region": OPEN},
    **distribution_matrix.EXPECTED_RPC,   # shortage letters and distribution
    **verification_matrix.EXPECTED_RPC,   # verification (public), renewal, voiding, expiry
    **print_matrix.EXPECTED_RPC,          # card print jobs, the backlog, reprint, office policy
}
EXPECTED_HTTP = {
    "index": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor",
                        "lurah"}, "services": set(), "region": FILTERED},
    "document_pdf": {"roles": {"operator_dinas", "kepala_dinas", "auditor"}, "services": set(), "region": SCOPED},
    "issue_suket": {"roles": {"operator_dinas", "kepala_dinas"}, "services": set(), "region": SCOPED},
    **distribution_matrix.EXPECTED_HTTP,  # /surat-kekosongan and /distribusi
    **verification_matrix.EXPECTED_HTTP,  # /verifikasi and the JWKS (public)
    **print_matrix.EXPECTED_HTTP,         # /cetak
}
SERVICES = ("enrolment", "inventory", "documents", "reporting")
HOMES = (KAPUAS, TANAH_BUMBU)
LISTED = factories.register_number(61)     # has a Suket from the feed
AT_COUNTER = factories.register_number(62)  # print-ready, nothing issued yet: for IssueSuket


class World:
    def __init__(self, runtime, identity, document_id: str, recording) -> None:
        self.runtime = runtime
        self.identity = identity
        self.document_id = document_id
        self.recording = recording
        self.channel = grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}")
        self.stub = documents_pb2_grpc.DocumentsServiceStub(self.channel)

    def request(self, method: str):
        return {
            "ListDocuments": documents_pb2.ListDocumentsRequest(register_number=LISTED),
            "GetDocument": documents_pb2.GetDocumentRequest(document_id=self.document_id),
            "IssueSuket": documents_pb2.IssueSuketRequest(register_number=AT_COUNTER),
            "StreamEvents": events_pb2.StreamEventsRequest(after_sequence=0, follow=False),
            **self.distribution.rpc_requests(),
            **self.verification.rpc_requests(),
            **self.printing.rpc_requests(),
        }[method]

    def call(self, method: str, token: str | None):
        """(status code, response or the list of streamed responses)."""
        metadata = bearer(token) if token else ()
        try:
            result = getattr(self.stub, method)(self.request(method), metadata=metadata, timeout=10)
            if not hasattr(result, "ListFields"):
                result = list(result)
            return grpc.StatusCode.OK, result
        except grpc.RpcError as err:
            return err.code(), None


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("documents-matrix")
    identity = make_identity(var_dir)
    server, fakes = start_fakes(var_dir)
    runtime = start_runtime(f"sqlite:///{var_dir / 'documents.db'}", var_dir, fakes)
    try:
        recording = factories.recording_pb(LISTED, village=factories.MURUNG_KERAMAT)
        fakes.enrolment.add_print_ready(recording)
        fakes.enrolment.recordings[AT_COUNTER] = factories.recording_pb(AT_COUNTER, seed=8,
                                                                        village=factories.MURUNG_KERAMAT)
        made = World(runtime, identity, "", recording)
        token = identity.officer(Role.OPERATOR_DINAS, KAPUAS)
        [document] = wait_for(lambda: list(made.stub.ListDocuments(
            documents_pb2.ListDocumentsRequest(register_number=LISTED), metadata=bearer(token), timeout=5).documents),
            message="the Suket of the matrix")
        assert document.region_code == factories.MURUNG_KERAMAT
        made.document_id = document.document_id
        made.distribution = distribution_matrix.DistributionRecords.make(runtime, fakes)
        dinas_view = made.stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document.document_id),
                                           metadata=bearer(token), timeout=5).document
        made.verification = verification_matrix.VerificationRecords.make(runtime, fakes, dinas_view.qr_payload)
        made.printing = print_matrix.PrintRecords.make(runtime, fakes)
        yield made
        made.channel.close()
    finally:
        runtime.process.stop()
        server.stop(0)


def _allowed(expected: dict, role: Role, home: str) -> bool:
    if verification_matrix.is_public(expected):
        return True
    return role.value in expected["roles"] and (expected["region"] != SCOPED or home == KAPUAS)


# ---- the tables are complete -------------------------------------------------------------

def test_every_rpc_has_a_rule_and_an_expectation():
    methods = set(documents_pb2.DESCRIPTOR.services_by_name["DocumentsService"].methods_by_name)
    assert methods == set(GRPC_POLICY.rules) == set(EXPECTED_RPC)


def test_every_page_has_a_rule_and_an_expectation(world):
    endpoints = {rule.endpoint for rule in world.runtime.app.url_map.iter_rules()} - OPEN_ENDPOINTS
    assert endpoints == set(HTTP_POLICY.rules) == set(EXPECTED_HTTP)


def test_the_rules_grant_exactly_the_expected_roles_and_services():
    for policy, expected in ((GRPC_POLICY, EXPECTED_RPC), (HTTP_POLICY, EXPECTED_HTTP)):
        for name, rule in policy.rules.items():
            assert rule.public == verification_matrix.is_public(expected[name]), name
            assert {r.value for r in rule.roles} == expected[name]["roles"], name
            assert set(rule.services) == expected[name]["services"], name


# ---- gRPC ------------------------------------------------------------------------------------

@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("role", HUMAN_ROLES, ids=str)
@pytest.mark.parametrize("method", sorted(EXPECTED_RPC))
def test_rpc_admits_exactly_the_expected_officers(world, method, role, home):
    expected = EXPECTED_RPC[method]
    code, response = world.call(method, world.identity.officer(role, scope_for(role, home)))
    if not _allowed(expected, role, home):
        assert code == grpc.StatusCode.PERMISSION_DENIED
        return
    assert code not in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED)
    assert code == grpc.StatusCode.OK
    if expected["region"] == FILTERED:   # the list holds only what the officer covers
        assert len(response.documents) == (1 if home == KAPUAS else 0)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("method", sorted(EXPECTED_RPC))
def test_rpc_admits_exactly_the_expected_services(world, method, service):
    code, _ = world.call(method, world.identity.service(service))
    if service in EXPECTED_RPC[method]["services"] or verification_matrix.is_public(EXPECTED_RPC[method]):
        assert code == grpc.StatusCode.OK
    else:
        assert code == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("method", sorted(EXPECTED_RPC))
def test_rpc_without_a_valid_token_is_unauthenticated(world, method, token):
    value = {"none": None, "expired": world.identity.expired(), "forged": world.identity.forged()}[token]
    if verification_matrix.is_public(EXPECTED_RPC[method]) and value is None:
        assert world.call(method, value)[0] == grpc.StatusCode.OK   # no token at all: admitted
        return
    assert world.call(method, value)[0] == grpc.StatusCode.UNAUTHENTICATED


def test_the_lurah_follows_the_status_only(world):
    token = world.identity.officer(Role.LURAH, scope_for(Role.LURAH, KAPUAS))
    _, listed = world.call("ListDocuments", token)
    _, one = world.call("GetDocument", token)
    for document in (listed.documents[0], one.document):
        assert document.status == documents_pb2.DOCUMENT_STATUS_ISSUED and document.qr_payload == ""
    dinas_view = world.call("GetDocument", world.identity.officer(Role.OPERATOR_DINAS, KAPUAS))[1]
    assert dinas_view.document.qr_payload != ""


# ---- HTTP ----------------------------------------------------------------------------------

def _csrf(world) -> tuple:
    """A test client holding a valid form token (taken from the Dinas page) and the token."""
    client = world.runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, world.identity.officer(Role.OPERATOR_DINAS, KAPUAS))
    page = client.get("/").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _http(world, endpoint: str, cookie: str | None, headers: dict | None = None):
    client, csrf = _csrf(world)
    client.delete_cookie(SESSION_COOKIE)
    if cookie is not None:
        client.set_cookie(SESSION_COOKIE, cookie)
    if endpoint == "index":
        return client.get("/", headers=headers)
    if endpoint == "document_pdf":
        return client.get(f"/dokumen/{world.document_id}.pdf", headers=headers)
    if endpoint in distribution_matrix.EXPECTED_HTTP:
        return world.distribution.http(client, csrf, endpoint, headers)
    if endpoint in verification_matrix.EXPECTED_HTTP:
        return world.verification.http(client, csrf, endpoint, headers)
    if endpoint in print_matrix.EXPECTED_HTTP:
        return world.printing.http(client, csrf, endpoint, headers)
    assert endpoint == "issue_suket"
    return client.post("/suket", data={"csrf_token": csrf, "nomor_suket": AT_COUNTER}, headers=headers)


def _is_login_redirect(world, response) -> bool:
    return response.status_code in (301, 302, 303, 307) and response.location.startswith(
        world.runtime.security.settings.login_url)


@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("role", HUMAN_ROLES, ids=str)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_page_admits_exactly_the_expected_officers(world, endpoint, role, home):
    expected = EXPECTED_HTTP[endpoint]
    response = _http(world, endpoint, world.identity.officer(role, scope_for(role, home)))
    if not _allowed(expected, role, home):
        assert response.status_code == 403
        return
    assert 200 <= response.status_code < 400 and not _is_login_redirect(world, response)
    if expected["region"] == FILTERED:
        assert (LISTED in response.get_data(as_text=True)) == (home == KAPUAS)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_no_service_identity_uses_the_pages(world, endpoint, service):
    expected = 200 if verification_matrix.is_public(EXPECTED_HTTP[endpoint]) else 403
    assert _http(world, endpoint, world.identity.service(service)).status_code == expected


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_page_without_a_valid_session_goes_to_the_login(world, endpoint, token):
    value = {"none": None, "expired": world.identity.expired(), "forged": world.identity.forged()}[token]
    if verification_matrix.is_public(EXPECTED_HTTP[endpoint]):   # a public page ignores a bad session
        assert _http(world, endpoint, value).status_code == 200
        return
    assert _is_login_redirect(world, _http(world, endpoint, value))


@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_json_without_a_session_is_401(world, endpoint):
    response = _http(world, endpoint, None, headers={"Accept": "application/json"})
    if verification_matrix.is_public(EXPECTED_HTTP[endpoint]):
        assert response.status_code == 200
        return
    assert response.status_code == 401 and response.is_json


def test_a_form_without_its_csrf_token_is_refused(world):
    client = world.runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, world.identity.officer(Role.OPERATOR_DINAS, KAPUAS))
    client.get("/")
    assert client.post("/suket", data={"nomor_suket": AT_COUNTER}).status_code == 400


def test_probes_and_metrics_answer_without_a_session_and_hold_no_personal_data(world):
    client = world.runtime.app.test_client()
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path
    metrics = client.get("/metrics").get_data(as_text=True)
    resident = world.recording.resident
    for personal in (resident.nik, resident.full_name, resident.address, LISTED, world.document_id):
        assert personal not in metrics
