"""Who may call what on enrolment, checked against a written-out specification.

`EXPECTED_RPC` / `EXPECTED_HTTP` are the role decisions of issue 3, written here by hand and
NOT imported from enrolment.access: they are what the code is checked against. Every RPC and
every page is called by every human role from both kabupaten (the data lives in Kab. Kapuas,
desa Murung Keramat 62.03.01.1006), by every service identity, and with no, an expired and a
forged token. One server for the whole module keeps it fast.
"""
from __future__ import annotations

import itertools
import re
import urllib.parse
from typing import NamedTuple

import grpc
import pytest

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from enrolment.access import GRPC_POLICY, HTTP_POLICY
from servicekit.access import HUMAN_ROLES
from servicekit.web import OPEN_ENDPOINTS, SESSION_COOKIE
from tests.enrolment.factories import CLI, pb_request, request
from tests.enrolment.integration.conftest import build_runtime, stop_runtime
from tests.identity import KAPUAS, TANAH_BUMBU, TestIdentity, bearer, call_code, scope_for

DESA = "62.03.01.1006"          # Murung Keramat, Kec. Selat, Kab. Kapuas: where the data lives
SERVICES = ("enrolment", "inventory", "documents", "reporting")


class Expect(NamedTuple):
    roles: frozenset[str]       # human roles allowed by the table
    services: frozenset[str]    # service identities allowed
    scoped: bool                # an allowed officer must also cover the record's region
    public: bool = False        # no session needed at all


STAFF = frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi", "auditor"})

EXPECTED_RPC = {
    "RecordResident": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    "GetRecording": Expect(STAFF | {"lurah"}, frozenset({"documents"}), True),
    "GetRegion": Expect(STAFF | {"lurah"}, frozenset({"documents", "reporting"}), False),
    "ListRegions": Expect(STAFF | {"lurah"}, frozenset({"documents", "reporting"}), False),
    "ListTargets": Expect(STAFF | {"lurah"}, frozenset({"documents", "reporting"}), False),
    "StreamEvents": Expect(frozenset(), frozenset({"documents", "reporting"}), False),
    # issue 4: field devices sync what the officers in the villages recorded; any device logs in
    "SyncRecordings": Expect(frozenset({"operator_kecamatan", "operator_dinas"}), frozenset(), True),
    "Login": Expect(frozenset(), frozenset(), False, public=True),
    # issue 4: the Dinas decides suspected duplicates of its kabupaten; the auditor reads the queue
    "ListAdjudications": Expect(frozenset({"operator_dinas", "kepala_dinas", "auditor"}), frozenset(), False),
    "ResolveDuplicate": Expect(frozenset({"operator_dinas", "kepala_dinas"}), frozenset(), True),
    # issue 4: pick-up drives are planned, opened and closed by the desks that record, for desa in
    # their region; staff who see the kabupaten read them; no service asks (reporting follows events)
    "PlanDrive": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    "OpenDrive": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    "CloseDrive": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    "GetDrive": Expect(STAFF, frozenset(), True),
    "ListDrives": Expect(STAFF, frozenset(), True),
}

EXPECTED_HTTP = {
    "login": Expect(frozenset(), frozenset(), False, public=True),
    "logout": Expect(frozenset(), frozenset(), False, public=True),
    "index": Expect(STAFF | {"lurah"}, frozenset(), False),
    "find_recording": Expect(STAFF | {"lurah"}, frozenset(), True),
    "recording": Expect(STAFF | {"lurah"}, frozenset(), True),
    # Issue 4: the record form is for the desks that record; search shows personal data (no lurah).
    "record_form": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), False),
    "search": Expect(STAFF, frozenset(), False),
    "adjudications": Expect(frozenset({"operator_dinas", "kepala_dinas", "auditor"}), frozenset(), False),
    "adjudication": Expect(frozenset({"operator_dinas", "kepala_dinas"}), frozenset(), True),
    # issue 4: targets are read by staff; set by the province and by the Dinas (own kabupaten rows)
    "targets": Expect(STAFF, frozenset(), False),
    "edit_targets": Expect(frozenset({"admin_provinsi", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    # issue 4: pick-up drive pages, as over gRPC
    "drives": Expect(STAFF, frozenset(), True),
    "drive": Expect(STAFF, frozenset(), True),
    "plan_drive": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    "open_drive": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
    "close_drive": Expect(frozenset({"operator_kecamatan", "operator_dinas", "kepala_dinas"}), frozenset(), True),
}

DENIED = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED}
FIELD_OFFICER, FIELD_PASSWORD = "matriks.lapangan", "kata-sandi-matriks-1"
_local_ids = itertools.count(1)


class World(NamedTuple):
    runtime: object
    identity: TestIdentity
    stub: enrolment_pb2_grpc.EnrolmentServiceStub     # carries only the token a test passes
    register_number: str                               # a recording of a resident of DESA


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("matrix")
    runtime = build_runtime(f"sqlite:///{var_dir / 'enrolment.db'}", var_dir)
    runtime.service.set_targets([("62.03.01", 120), (DESA, 40)])
    recorded = runtime.service.record_resident(CLI, request(region_code=DESA, full_name="Rahmat Hidayat"))
    runtime.accounts.create(CLI, FIELD_OFFICER, "operator_kecamatan", "62.03.01", FIELD_PASSWORD)
    channel = grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}")
    yield World(runtime, TestIdentity(var_dir / "keys"), enrolment_pb2_grpc.EnrolmentServiceStub(channel),
                recorded.register_number)
    channel.close()
    stop_runtime(runtime)


def rpc_request(method: str, world: World):
    """A request that succeeds for anyone allowed: real data in Kab. Kapuas."""
    return {
        "RecordResident": lambda: pb_request(region_code=DESA, office_code=KAPUAS),
        "GetRecording": lambda: pb.GetRecordingRequest(register_number=world.register_number),
        "GetRegion": lambda: pb.GetRegionRequest(code=DESA),
        "ListRegions": lambda: pb.ListRegionsRequest(parent_code="62.03.01"),
        "ListTargets": lambda: pb.ListTargetsRequest(parent_code="62.03"),
        "StreamEvents": lambda: events_pb2.StreamEventsRequest(after_sequence=0),
        "SyncRecordings": lambda: iter([pb.SyncRecordingsRequest(
            device_id="matriks", local_id=f"item-{next(_local_ids)}",
            recording=pb_request(region_code=DESA, office_code=KAPUAS))]),
        "Login": lambda: pb.LoginRequest(username=FIELD_OFFICER, password=FIELD_PASSWORD),
        "ListAdjudications": lambda: pb.ListAdjudicationsRequest(),
        "ResolveDuplicate": lambda: pb.ResolveDuplicateRequest(register_number=open_duplicate(world),
                                                               decision=pb.ADJUDICATION_DECISION_SAME_PERSON),
        "PlanDrive": lambda: pb.PlanDriveRequest(office_code=KAPUAS, village_codes=[DESA], planned_for=DRIVE_DAY,
                                                 team=[drive_team(world)]),
        "OpenDrive": lambda: pb.OpenDriveRequest(drive_id=fresh_drive(world)),
        "CloseDrive": lambda: pb.CloseDriveRequest(drive_id=fresh_drive(world)),
        "GetDrive": lambda: pb.GetDriveRequest(drive_id=fresh_drive(world)),
        "ListDrives": lambda: pb.ListDrivesRequest(office_code=KAPUAS),
    }[method]()


DRIVE_DAY = "2026-11-30"        # the world's clock says 2026-11-28


def drive_team(world: World) -> str:
    """A recording officer of Kab. Kapuas to put on a drive's team (created once)."""
    if any(a.username == "matriks.tim" for a in world.runtime.accounts.list()):
        return "matriks.tim"
    world.runtime.accounts.create(CLI, "matriks.tim", "operator_dinas", KAPUAS, "kata-sandi-matriks-2")
    return "matriks.tim"


def fresh_drive(world: World) -> int:
    """A newly planned drive to DESA (each call its own: opening or closing one changes it)."""
    from enrolment.domain import DrivePlan

    plan = DrivePlan(KAPUAS, (DESA,), DRIVE_DAY, (drive_team(world),))
    return world.runtime.service.plan_drive(CLI, plan).id


def open_duplicate(world: World) -> str:
    """A fresh suspected duplicate in DESA (the same NIK recorded again), open in the queue."""
    first = world.runtime.service.get_recording(CLI, world.register_number)
    again = request(region_code=DESA, full_name="Rahmat Hidayat", nik=first.resident.nik)
    return world.runtime.service.record_resident(CLI, again).register_number


def call(world: World, method: str, token: str | None) -> grpc.StatusCode:
    if method == "SyncRecordings":   # refused per item: an item outside the scope comes back OUT_OF_SCOPE
        try:
            results = list(world.stub.SyncRecordings(rpc_request(method, world), timeout=10,
                                                     metadata=bearer(token) if token else ()))
        except grpc.RpcError as err:
            return err.code()
        assert [r.outcome for r in results] != [pb.SYNC_OUTCOME_INVALID], results
        scoped_out = [r.outcome for r in results] == [pb.SYNC_OUTCOME_OUT_OF_SCOPE]
        return grpc.StatusCode.PERMISSION_DENIED if scoped_out else grpc.StatusCode.OK
    return call_code(getattr(world.stub, method), rpc_request(method, world), token)


# ---- the tables cover everything -------------------------------------------------------------

def test_every_rpc_has_a_rule_and_an_expectation():
    methods = {m.name for m in pb.DESCRIPTOR.services_by_name["EnrolmentService"].methods}
    assert methods == set(GRPC_POLICY.rules) == set(EXPECTED_RPC)


def test_every_page_has_a_rule_and_an_expectation(world):
    endpoints = {rule.endpoint for rule in world.runtime.app.url_map.iter_rules()} - OPEN_ENDPOINTS
    assert endpoints == set(HTTP_POLICY.rules) == set(EXPECTED_HTTP)


# ---- gRPC ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("home", [KAPUAS, TANAH_BUMBU])
@pytest.mark.parametrize("role", [r.value for r in HUMAN_ROLES])
@pytest.mark.parametrize("method", sorted(EXPECTED_RPC))
def test_rpc_for_each_role_and_home(world, method, role, home):
    expect = EXPECTED_RPC[method]
    code = call(world, method, world.identity.officer(role, scope_for(role, home)))
    if expect.public or (role in expect.roles and (not expect.scoped or home == KAPUAS)):
        assert code is grpc.StatusCode.OK, (method, role, home, code)
    else:
        assert code is grpc.StatusCode.PERMISSION_DENIED, (method, role, home, code)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("method", sorted(EXPECTED_RPC))
def test_rpc_for_each_service_identity(world, method, service):
    code = call(world, method, world.identity.service(service))
    if EXPECTED_RPC[method].public or service in EXPECTED_RPC[method].services:
        assert code is grpc.StatusCode.OK, (method, service, code)
    else:
        assert code is grpc.StatusCode.PERMISSION_DENIED, (method, service, code)


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("method", sorted(EXPECTED_RPC))
def test_rpc_without_a_valid_token_is_unauthenticated(world, method, token):
    tokens = {"none": None, "expired": world.identity.expired(), "forged": world.identity.forged()}
    if EXPECTED_RPC[method].public and token == "none":
        assert call(world, method, None) is grpc.StatusCode.OK
    else:   # a token that is presented is checked, even on a public method
        assert call(world, method, tokens[token]) is grpc.StatusCode.UNAUTHENTICATED


def test_health_answers_without_a_token(world):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(f"127.0.0.1:{world.runtime.process.grpc.port}") as channel:
        response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert response.status == health_pb2.HealthCheckResponse.SERVING


# ---- HTTP ---------------------------------------------------------------------------------------

def page_path(endpoint: str, world: World) -> str:
    return {
        "login": "/masuk",
        "logout": "/keluar",
        "index": "/",
        "find_recording": "/perekaman?" + urllib.parse.urlencode({"nomor": world.register_number}),
        "recording": f"/perekaman/{world.register_number}",
        "record_form": "/rekam",
        "search": "/cari",
        "adjudications": "/adjudikasi",
        "adjudication": f"/adjudikasi/{open_duplicate(world)}",
        "targets": "/target?wilayah=62.03",
        "edit_targets": "/target/ubah?wilayah=62.03.01",
        "drives": "/jemput-bola?kantor=62.03",
        "drive": f"/jemput-bola/{fresh_drive(world)}",
        "plan_drive": "/jemput-bola/rencana?kantor=62.03",
        "open_drive": f"/jemput-bola/{fresh_drive(world)}/mulai",
        "close_drive": f"/jemput-bola/{fresh_drive(world)}/tutup",
    }[endpoint]


def get(world: World, endpoint: str, token: str | None, **headers):
    client = world.runtime.app.test_client()
    if token is not None:
        client.set_cookie(SESSION_COOKIE, token)
    return client.get(page_path(endpoint, world), headers=headers)


def is_login_redirect(response, world: World) -> bool:
    login_url = world.runtime.security.settings.login_url
    return response.status_code == 302 and response.headers["Location"].startswith(login_url)


@pytest.mark.parametrize("home", [KAPUAS, TANAH_BUMBU])
@pytest.mark.parametrize("role", [r.value for r in HUMAN_ROLES])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_page_for_each_role_and_home(world, endpoint, role, home):
    expect = EXPECTED_HTTP[endpoint]
    response = get(world, endpoint, world.identity.officer(role, scope_for(role, home)))
    allowed = expect.public or (role in expect.roles and (not expect.scoped or home == KAPUAS))
    if allowed:
        assert response.status_code < 400 and not is_login_redirect(response, world), (endpoint, role, home)
    else:
        assert response.status_code == 403, (endpoint, role, home, response.status_code)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_page_for_each_service_identity(world, endpoint, service):
    response = get(world, endpoint, world.identity.service(service))
    if EXPECTED_HTTP[endpoint].public or service in EXPECTED_HTTP[endpoint].services:
        assert response.status_code < 400, (endpoint, service)
    else:
        assert response.status_code == 403, (endpoint, service, response.status_code)


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED_HTTP))
def test_page_without_a_valid_session_goes_to_the_login_and_json_gets_401(world, endpoint, token):
    cookie = {"none": None, "expired": world.identity.expired(), "forged": world.identity.forged()}[token]
    page = get(world, endpoint, cookie)
    as_json = get(world, endpoint, cookie, Accept="application/json")
    if EXPECTED_HTTP[endpoint].public:
        assert page.status_code == 200
    else:
        assert is_login_redirect(page, world), (endpoint, page.status_code)
        assert as_json.status_code == 401


def test_probes_and_metrics_answer_without_a_session_and_metrics_hold_no_personal_data(world):
    client = world.runtime.app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    metrics = client.get("/metrics")
    text = metrics.get_data(as_text=True)
    recording = world.runtime.service.get_recording(CLI, world.register_number)
    assert metrics.status_code == 200 and "ektp_enrolment_recordings_total" in text
    for personal in (recording.resident.nik, recording.resident.kk_number, "Rahmat", world.register_number):
        assert personal not in text


@pytest.mark.parametrize("path", ["/masuk", "/keluar"])
def test_a_form_posted_without_its_csrf_token_is_refused_with_400(world, path):
    client = world.runtime.app.test_client()
    refused = client.post(path, data={"username": "kapuas.operator", "password": "x" * 12})
    assert refused.status_code == 400
    form = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    accepted = client.post(path, data={"csrf_token": token, "username": "nobody", "password": "x" * 12})
    assert accepted.status_code in (302, 401)   # the form itself answered: a redirect, or a refused login
