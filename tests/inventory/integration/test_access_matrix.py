"""Who may call what on the inventory service, checked against the specification written out here.

`EXPECTED` is the issue's role table, copied by hand on purpose (not imported from
inventory.access): the code is checked against it, not against itself. Every RPC is called by
every human role from a home in Kab. Kapuas and one in Kab. Tanah Bumbu, by every service
identity, and with no, an expired and a forged token, against real data of the Kapuas office
62.03; the one page likewise over HTTP. One server for the module (SQLite) keeps it fast.
"""
from __future__ import annotations

import itertools
import re
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
from inventory.domain import ContractTerms, ProcurementChannel, ProcurementStatus, RequestKind
from servicekit.access import HUMAN_ROLES, Principal, Role
from servicekit.web import OPEN_ENDPOINTS, SESSION_COOKIE
from tests.identity import KAPUAS, TANAH_BUMBU, bearer, call_code, scope_for
from tests.inventory.helpers import published_identity, row_counts


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
        "SpoilPrintedBlank": expect(services=("documents",)),   # documents' reprint; no human
        "GetStock": expect(*STAFF, services=("documents",), scoped=True),
        "ListProcurements": expect(*STAFF),
        # the ledger by serial
        "RegisterOffice": expect("admin_provinsi", scoped=True),
        "ListOffices": expect(*STAFF),
        "TransferStock": expect(*DINAS, "admin_provinsi", scoped=True),
        "ReceiveTransfer": expect("operator_kecamatan", *DINAS, "admin_provinsi", scoped=True),
        "RepayLoan": expect(*DINAS, scoped=True),
        "SpoilBlanks": expect(*DINAS, scoped=True),
        "ReportLost": expect(*DINAS, "admin_provinsi", scoped=True),
        "RecordCount": expect("operator_kecamatan", *DINAS, "admin_provinsi", scoped=True),
        "ListLedger": expect(*STAFF, scoped=True),
        "ExpireReservations": expect("kepala_dinas", "admin_provinsi"),
        # procurement (national, recorded by the provincial admin), requests for blanks, forecasts
        "CreateProcurement": expect("admin_provinsi"),
        "ChangeProcurementStatus": expect("admin_provinsi"),
        "RecordDelivery": expect("admin_provinsi"),
        "GetProcurement": expect(*STAFF),
        "CreateBlankRequest": expect(*DINAS, "admin_provinsi", scoped=True),
        "DecideBlankRequest": expect("kepala_dinas", "admin_provinsi", scoped=True),
        "ReceiveBlankRequest": expect(*DINAS, "admin_provinsi", scoped=True),
        "GetBlankRequest": expect(*STAFF, scoped=True),
        "ListBlankRequests": expect(*STAFF),
        "GetForecast": expect(*STAFF, services=("documents",), scoped=True),
        "StreamEvents": expect(services=("documents", "reporting")),
    },
    "http": {  # endpoint -> (path, rule); GET pages for signed-in officers
        "index": ("/", expect(*STAFF)),
        "procurement_board": ("/pengadaan", expect(*STAFF)),
        "procurement_package": ("/pengadaan/<package_id>", expect(*STAFF)),
        "blank_requests": ("/permintaan", expect(*STAFF)),
        "blank_request": ("/permintaan/<request_id>", expect(*STAFF, scoped=True)),
        # the ledger by serial
        "stock_offices": ("/stok", expect(*STAFF)),
        "ledger_page": ("/stok/<office_code>/buku", expect(*STAFF, scoped=True)),
        "spoil_form": ("/stok/<office_code>/rusak", expect(*DINAS, scoped=True)),
        "count_form": ("/stok/<store_code>/opname", expect("operator_kecamatan", *DINAS, "admin_provinsi",
                                                            scoped=True)),
    },
    "forms": {  # endpoint -> (path, rule); POST forms (role checked before the CSRF token)
        "create_procurement": ("/pengadaan", expect("admin_provinsi")),
        "change_procurement_status": ("/pengadaan/<package_id>/status", expect("admin_provinsi")),
        "record_delivery": ("/pengadaan/<package_id>/pengiriman", expect("admin_provinsi")),
        "create_blank_request": ("/permintaan", expect(*DINAS, "admin_provinsi")),
        "decide_blank_request": ("/permintaan/<request_id>/keputusan", expect("kepala_dinas", "admin_provinsi")),
        "receive_blank_request": ("/permintaan/<request_id>/terima", expect(*DINAS, "admin_provinsi")),
        "withdraw_blank_request": ("/permintaan/<request_id>/batal", expect(*DINAS, "admin_provinsi")),
        "spoil_blanks": ("/stok/<office_code>/rusak", expect(*DINAS)),
        "record_count": ("/stok/<store_code>/opname", expect("operator_kecamatan", *DINAS, "admin_provinsi")),
    },
    "public": {  # endpoint -> path: no login at all, no personal data
        "stock_announcement": "/pengumuman/<office_code>",
    },
}

# Concrete addresses of the pages with a variable part (the data the server fixture prepares).
URL_VALUES = {"package_id": "blanko-ktp-el-2016", "office_code": "62.03",
              "store_code": "62.03.01"}   # a UPT's store: counted by its kecamatan operator too

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
    prepare_planning(runtime)
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
    if method == "SpoilPrintedBlank":
        reservation = runtime.service.reserve_blank(SETUP, OFFICE, key)
        runtime.service.consume_blank(SETUP, key, reservation.serial)
        return pb.SpoilPrintedBlankRequest(idempotency_key=key, serial=reservation.serial, cause="salah cetak")
    if method == "GetStock":
        return pb.GetStockRequest(office_code=OFFICE)
    if method == "ListProcurements":
        return pb.ListProcurementsRequest()
    if method == "StreamEvents":
        return events_pb2.StreamEventsRequest(limit=5)
    if method in PLANNING_RPCS:
        return planning_request_for(method, runtime, n)
    return ledger_request_for(method, runtime, n)


_office_numbers = itertools.count(20)       # kecamatan codes 62.03.20, 62.03.21, ... not in the demo
LENDER = "62.06"                            # Kab. Katingan lends to Kapuas


def ledger_request_for(method: str, runtime: bootstrap.Runtime, n: int):
    """Requests of the ledger RPCs, each with the data it needs prepared past the gate."""
    service = runtime.service
    if method == "RegisterOffice":
        return pb.RegisterOfficeRequest(code=f"62.03.{next(_office_numbers)}", name="UPT uji")
    if method == "ListOffices":
        return pb.ListOfficesRequest()
    if method == "TransferStock":
        return pb.TransferStockRequest(from_office=OFFICE, to_office="62.03.01", quantity=1, reference=f"ALOK-{n}")
    if method == "ReceiveTransfer":
        transfer = service.transfer(SETUP, OFFICE, "62.03.01", 1, f"ALOK-{n}")
        return pb.ReceiveTransferRequest(transfer_id=transfer.transfer_id)
    if method == "RepayLoan":
        serial = f"{70000000 + n}"
        service.receive_stock(SETUP, LENDER, serial, serial, f"SPB-{n}")
        loan = service.loan(SETUP, LENDER, OFFICE, 1, f"PINJAM-{n}")
        service.receive_transfer(SETUP, loan.transfer_id)
        return pb.RepayLoanRequest(loan_id=loan.transfer_id, quantity=1, reference=f"KEMBALI-{n}")
    if method in ("SpoilBlanks", "ReportLost"):
        serial = f"{80000000 + n}"
        service.receive_stock(SETUP, OFFICE, serial, serial, f"SPB-{n}")
        ranges = [pb.SerialRange(first_serial=serial, last_serial=serial)]
        if method == "ReportLost":
            return pb.ReportLostRequest(office_code=OFFICE, ranges=ranges, cause="hilang saat uji")
        return pb.SpoilBlanksRequest(office_code=OFFICE, ranges=ranges, cause="cetak gagal", reference=f"BA-{n}",
                                     witnesses=[pb.Witness(name="Saksi Satu", staff_id="S-1"),
                                                pb.Witness(name="Saksi Dua", staff_id="S-2")])
    if method == "RecordCount":
        return pb.RecordCountRequest(office_code="62.03.01", reference=f"OPNAME-{n}")
    if method == "ListLedger":
        return pb.ListLedgerRequest(office_code=OFFICE, limit=5)
    if method == "ExpireReservations":
        return pb.ExpireReservationsRequest()
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
    expected = {endpoint: path for endpoint, (path, _) in (EXPECTED["http"] | EXPECTED["forms"]).items()}
    expected |= EXPECTED["public"]
    assert endpoints == set(HTTP_POLICY.rules) == set(expected)
    paths = {rule.endpoint: rule.rule for rule in runtime.app.url_map.iter_rules()}
    assert {endpoint: paths[endpoint] for endpoint in endpoints} == expected
    assert {e for e in endpoints if HTTP_POLICY.rule(e).public} == set(EXPECTED["public"])


def test_only_the_forms_accept_a_post(server):
    """Every state-changing route is a form in EXPECTED["forms"], which the CSRF cases below cover."""
    runtime, _, _ = server
    posting = {rule.endpoint for rule in runtime.app.url_map.iter_rules()
               if rule.endpoint not in OPEN_ENDPOINTS and "POST" in rule.methods}
    assert posting == set(EXPECTED["forms"])


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
    response = get(server, url(server, path), identity.officer(role, scope_for(role, home)))
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
    response = get(server, url(server, path), identity.service(service))
    assert response.status_code == (200 if service in rule.services else 403)


@pytest.mark.parametrize("token", ["none", "expired", "forged"])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_a_page_without_a_valid_session_redirects_to_the_login(server, endpoint, token):
    _, _, identity = server
    path, _ = EXPECTED["http"][endpoint]
    cookie = {"none": None, "expired": identity.expired(), "forged": identity.forged()}[token]
    response = get(server, url(server, path), cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(login_url(server) + "?next=")


@pytest.mark.parametrize("endpoint", sorted(EXPECTED["http"]))
def test_json_without_a_session_is_401(server, endpoint):
    path, _ = EXPECTED["http"][endpoint]
    response = get(server, url(server, path), Accept="application/json")
    assert response.status_code == 401
    assert response.get_json()["error"]


def url(server, path: str) -> str:
    """The address of a page: its rule with the variable parts filled in from the prepared data."""
    values = URL_VALUES | PREPARED
    for name, value in values.items():
        path = path.replace(f"<{name}>", value)
    assert "<" not in path, f"no value for a variable of {path}: add it to URL_VALUES"
    return path


def post(server, path: str, token: str | None = None, data: dict | None = None):
    runtime, _, _ = server
    client = runtime.app.test_client()
    if token is not None:
        client.set_cookie(SESSION_COOKIE, token)
    return client.post(path, data=data or {})


@pytest.mark.parametrize("role", HUMAN_ROLES, ids=str)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["forms"]))
def test_a_form_is_refused_without_the_role_before_its_csrf_token_is_looked_at(server, endpoint, role):
    """The gate decides on the role first (403); an admitted officer's form without a CSRF
    token is then refused (400) and changes nothing. The region is the use case's check, covered
    by the gRPC rows of the same use cases."""
    runtime, _, identity = server
    path, rule = EXPECTED["forms"][endpoint]
    before = row_counts(runtime.engine)
    response = post(server, url(server, path), identity.officer(role, scope_for(role, KAPUAS)), {"reason": "x"})
    assert response.status_code == (400 if role.value in rule.roles else 403)
    assert row_counts(runtime.engine) == before


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["forms"]))
def test_a_service_token_sends_no_form(server, endpoint, service):
    _, _, identity = server
    path, _ = EXPECTED["forms"][endpoint]
    assert post(server, url(server, path), identity.service(service)).status_code == 403


@pytest.mark.parametrize("endpoint", sorted(EXPECTED["forms"]))
def test_a_form_without_a_session_goes_to_the_login(server, endpoint):
    path, _ = EXPECTED["forms"][endpoint]
    response = post(server, url(server, path))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(login_url(server) + "?next=")


@pytest.mark.parametrize("token", ["none", "forged", "officer"])
@pytest.mark.parametrize("endpoint", sorted(EXPECTED["public"]))
def test_a_public_page_opens_for_anyone(server, endpoint, token):
    _, _, identity = server
    cookie = {"none": None, "forged": identity.forged(), "officer": identity.officer(Role.LURAH, "63.10.01.1007")}
    response = get(server, url(server, EXPECTED["public"][endpoint]), cookie[token])
    assert response.status_code == 200
    assert re.search(r"\b\d{16}\b", response.get_data(as_text=True)) is None   # no NIK / KK-like number


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


# ---- procurement, requests for blanks, forecasts: the data their rows need ----------------

PLANNING_RPCS = {"CreateProcurement", "ChangeProcurementStatus", "RecordDelivery", "GetProcurement",
                 "CreateBlankRequest", "DecideBlankRequest", "ReceiveBlankRequest", "GetBlankRequest",
                 "ListBlankRequests", "GetForecast"}
PREPARED: dict[str, str] = {}   # ids of the data prepare_planning made, for URLs and requests
BORROWER = "62.11"          # Kab. Kotawaringin Barat asks Kapuas to lend
CONTRACT = ContractTerms(vendor="PT Uji Kartu", contract_number="KTR-UJI", contract_value_idr=1)


def prepare_planning(runtime: bootstrap.Runtime) -> None:
    """Offices the requests need, stock at the province, and one Kapuas request for its page."""
    service = runtime.service
    known = {office.code for office in service.list_offices(SETUP)}
    for code, name in (("ID", "Ditjen Dukcapil"), ("62", "Provinsi Kalimantan Tengah"),
                       (BORROWER, "Dinas Kab. Kotawaringin Barat")):
        if code not in known:
            service.register_office(SETUP, code, name)
    service.receive_stock(SETUP, "62", "95000001", "95000500", "SPB-PROV")
    PREPARED["request_id"] = service.create_request(
        SETUP, kind=RequestKind.ALLOCATION, office_code=OFFICE, quantity=5, backlog=5).request_id


def planning_request_for(method: str, runtime: bootstrap.Runtime, n: int):
    service = runtime.service
    if method == "CreateProcurement":
        return pb.CreateProcurementRequest(fiscal_year=2018, name=f"E-katalog uji {n}", quantity=1000,
                                           estimated_value_idr=9_500_000, channel=pb.PROCUREMENT_CHANNEL_E_CATALOGUE)
    if method in ("ChangeProcurementStatus", "RecordDelivery"):
        package = service.create_package(SETUP, package_id=f"uji-{n}", fiscal_year=2018, name=f"Uji {n}",
                                         quantity=1000, estimated_value_idr=1, channel=ProcurementChannel.E_CATALOGUE)
        if method == "ChangeProcurementStatus":
            return pb.ChangeProcurementStatusRequest(package_id=package.package_id,
                                                     status=pb.PROCUREMENT_STATUS_CANCELLED, reason="anggaran dipotong")
        service.change_status(SETUP, package.package_id, ProcurementStatus.CONTRACT, "pesanan", terms=CONTRACT)
        serial = f"{60000000 + n}"
        return pb.RecordDeliveryRequest(package_id=package.package_id, first_serial=serial, last_serial=serial)
    if method == "GetProcurement":
        return pb.GetProcurementRequest(package_id="blanko-ktp-el-2016")
    if method == "CreateBlankRequest":
        return pb.CreateBlankRequestRequest(kind=pb.BLANK_REQUEST_KIND_ALLOCATION, office_code=OFFICE, quantity=1,
                                            backlog=1)
    if method == "DecideBlankRequest":   # Kapuas decides what another kabupaten asks it to lend
        asked = service.create_request(SETUP, kind=RequestKind.LOAN, office_code=BORROWER, lender_office=OFFICE,
                                       quantity=1, backlog=1)
        return pb.DecideBlankRequestRequest(request_id=asked.request_id, approve=True, quantity=1)
    if method == "ReceiveBlankRequest":  # the province sent what Kapuas asked for
        asked = service.create_request(SETUP, kind=RequestKind.ALLOCATION, office_code=OFFICE, quantity=1, backlog=1)
        service.decide_request(SETUP, asked.request_id, approve=True, quantity=1)
        return pb.ReceiveBlankRequestRequest(request_id=asked.request_id)
    if method == "GetBlankRequest":
        return pb.GetBlankRequestRequest(request_id=PREPARED["request_id"])
    if method == "ListBlankRequests":
        return pb.ListBlankRequestsRequest(limit=5)
    if method == "GetForecast":
        return pb.GetForecastRequest(office_code=OFFICE, backlog=10)
    raise AssertionError(f"no request for {method}")
