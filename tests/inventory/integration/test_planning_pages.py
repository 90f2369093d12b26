"""The request and procurement forms through Flask's test client, on SQLite and PostgreSQL: a
refused form is a 400 that says what to fix next to the field and keeps what was typed, and
nothing is stored; a request is withdrawn from its page."""
from __future__ import annotations

import re

import pytest

from inventory import demo
from inventory.domain import ProcurementStatus, RequestKind
from servicekit.access import Principal, Role
from servicekit.web import SESSION_COOKIE
from tests.identity import KAPUAS
from tests.inventory.helpers import row_counts


@pytest.fixture
def client_as(runtime, identity):
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)

    def make(role: Role, scope: str):
        client = runtime.app.test_client()
        client.set_cookie(SESSION_COOKIE, identity.officer(role, scope, subject="petugas.uji"))
        return client
    return make


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_refused_request_form_is_400_with_the_problem_next_to_the_field_and_the_input_kept(runtime, client_as):
    dinas = client_as(Role.OPERATOR_DINAS, KAPUAS)
    before = row_counts(runtime.engine)
    response = dinas.post("/permintaan", data={
        "csrf_token": csrf_token(dinas, "/permintaan"), "kind": "ALLOCATION", "office_code": KAPUAS,
        "quantity": "sejuta", "backlog": "120", "backlog_source": "ENROLMENT", "note": "Drive sekolah"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="quantity-error"' in page and "jumlah blanko 1 sampai 100.000" in page
    assert 'value="sejuta"' in page and 'value="Drive sekolah"' in page and 'value="120"' in page
    assert row_counts(runtime.engine) == before


def test_a_forbidden_procurement_step_from_the_page_is_explained_and_stores_nothing(runtime, client_as):
    admin = client_as(Role.ADMIN_PROVINSI, "62")
    path = "/pengadaan/blanko-ktp-el-2016"
    before = row_counts(runtime.engine)
    response = admin.post(path + "/status", data={"csrf_token": csrf_token(admin, path), "status": "CONTRACT",
                                                  "reason": "langsung kontrak", "contract_number": "K-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Paket berstatus Ditunda tidak dapat diubah menjadi Kontrak" in page
    assert 'value="K-1"' in page and 'value="langsung kontrak"' in page
    assert row_counts(runtime.engine) == before


def test_the_dinas_withdraws_its_request_before_a_decision(runtime, client_as):
    dinas = client_as(Role.OPERATOR_DINAS, KAPUAS)
    response = dinas.post("/permintaan", data={
        "csrf_token": csrf_token(dinas, "/permintaan"), "kind": "ALLOCATION", "office_code": KAPUAS,
        "quantity": "100", "backlog": "100", "backlog_source": "OFFICER"})
    assert response.status_code == 303
    path = response.headers["Location"]
    response = dinas.post(path + "/batal", data={"csrf_token": csrf_token(dinas, path)})
    assert response.status_code == 303
    assert "Dibatalkan pemohon" in dinas.get(path).get_data(as_text=True)
    assert "Batalkan permintaan" not in dinas.get(path).get_data(as_text=True)
    response = dinas.post(path + "/batal", data={"csrf_token": csrf_token(dinas, "/permintaan")})
    assert response.status_code == 422                                  # only a submitted request


def test_the_request_page_proposes_a_quantity_from_the_backlog(client_as, runtime):
    runtime.service.receive_stock(Principal.service("inventory"), KAPUAS, "40000001", "40000030", "SPB")
    page = client_as(Role.OPERATOR_DINAS, KAPUAS).get("/permintaan?backlog=1.250").get_data(as_text=True)
    assert "Stok tersedia 62.03: 30 blanko." in page
    assert "usulan jumlah: <strong>1.220</strong>" in page


def test_a_loan_request_page_shows_what_is_still_owed(runtime, client_as):
    system = Principal.service("inventory", origin="test")
    service = runtime.service
    service.receive_stock(system, "62.06", "41000001", "41000030", "SPB-KTG")
    asked = service.create_request(system, kind=RequestKind.LOAN, office_code=KAPUAS, lender_office="62.06",
                                   quantity=30, backlog=30)
    decided = service.decide_request(system, asked.request_id, approve=True, quantity=30)
    service.receive_request(system, asked.request_id)
    service.repay(system, decided.transfer_id, 10, "Kembali tahap 1")
    page = client_as(Role.KEPALA_DINAS, KAPUAS).get(f"/permintaan/{asked.request_id}").get_data(as_text=True)
    assert "dikembalikan 10 dari 30 blanko; sisa 20" in " ".join(page.split())


def test_the_request_page_shows_the_shortfall_and_the_next_contracted_arrival(client_as, runtime):
    runtime.service.change_status(Principal.service("inventory"), "blanko-ktp-el-2016", ProcurementStatus.CANCELLED,
                                  "Dibatalkan setelah reviu")
    for package in runtime.service.list_packages(Principal.service("inventory")):
        assert package.status in (ProcurementStatus.CANCELLED, ProcurementStatus.CONTRACT)
    page = " ".join(client_as(Role.OPERATOR_DINAS, KAPUAS).get("/permintaan?backlog=40").get_data(as_text=True)
                    .split())
    assert "Stok habis: 40 blanko kurang untuk perekaman siap cetak." in page
    assert "Kedatangan berikutnya: 31-07-2017" in page       # the 2017 contract still owes everything
