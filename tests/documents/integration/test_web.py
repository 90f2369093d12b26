"""Pages, PDF route, the Suket counter and probes through the Flask test client of the real app."""
import html
import re

import pytest

from documents.pages import UNAVAILABLE_MESSAGE
from ektp.enrolment.v1 import enrolment_pb2
from servicekit.access import Principal, Role
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories
from tests.identity import KAPUAS

DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, KAPUAS)


@pytest.fixture
def client(runtime, dinas_token):
    signed_in = runtime.app.test_client()
    signed_in.set_cookie(SESSION_COOKIE, dinas_token)
    return signed_in


@pytest.fixture
def suket(runtime, fakes):
    number = factories.register_number(5)
    recording = factories.recording_pb(number)
    fakes.enrolment.add_print_ready(recording)
    [document] = wait_for(lambda: runtime.service.list_documents(DINAS, number), message="a Suket")
    return document, recording


def csrf_token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


def test_probes_and_metrics(client, suket):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").get_json() == {"status": "ready"}
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'ektp_documents_issued_total{kind="suket",office_code="62.03"} 1.0' in metrics
    assert 'ektp_documents_render_seconds_count{kind="suket"} 1.0' in metrics
    assert "ektp_documents_grpc_requests_total" in metrics


def test_overview_page_counts_and_lists_without_personal_data(client, suket):
    document, recording = suket
    page = client.get("/").get_data(as_text=True)
    assert "Suket berlaku" in page and document.register_number in page
    assert f"/dokumen/{document.document_id}.pdf" in page
    assert recording.resident.full_name not in page and recording.resident.nik not in page


def test_lookup_by_register_number_lists_its_documents(client, suket):
    document, _ = suket
    page = client.get(f"/?nomor={document.register_number}").get_data(as_text=True)
    assert f"Dokumen untuk {document.register_number}" in page


def test_lookup_with_a_malformed_number_explains_next_to_the_field_and_keeps_it(client):
    response = client.get("/?nomor=6203-xx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is-invalid" in page and 'value="6203-xx"' in page and "KKKK-YYYYMMDD-NNNNNN" in page


def test_pdf_route_serves_the_document(client, suket):
    document, _ = suket
    response = client.get(f"/dokumen/{document.document_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


@pytest.mark.parametrize(("path", "status"), [("/dokumen/0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e.pdf", 404),
                                              ("/dokumen/bukan-uuid.pdf", 400)])
def test_pdf_route_refuses_unknown_and_malformed_ids(client, path, status):
    response = client.get(path)
    assert response.status_code == status and response.mimetype == "text/html"


# ---- the Suket counter --------------------------------------------------------------------

def test_the_counter_form_and_pdf_links_are_offered_only_to_who_may_use_them(runtime, client, identity, suket):
    document, _ = suket
    page = client.get("/").get_data(as_text=True)
    assert 'action="/suket"' in page and 'name="csrf_token"' in page and 'name="nomor_suket"' in page
    lurah = runtime.app.test_client()
    lurah.set_cookie(SESSION_COOKIE, identity.officer(Role.LURAH, factories.VILLAGE))
    page = lurah.get("/").get_data(as_text=True)
    assert document.register_number in page
    assert 'action="/suket"' not in page and ".pdf" not in page
    auditor = runtime.app.test_client()
    auditor.set_cookie(SESSION_COOKIE, identity.officer(Role.AUDITOR, "62"))
    page = auditor.get("/").get_data(as_text=True)
    assert 'action="/suket"' not in page and f"/dokumen/{document.document_id}.pdf" in page


def test_the_dinas_issues_a_suket_at_the_counter_and_lands_on_it(runtime, client, fakes):
    number = factories.register_number(31)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    response = client.post("/suket", data={"csrf_token": csrf_token(client), "nomor_suket": number})
    assert response.status_code == 303
    assert response.location.startswith(f"/?nomor={number}&terbit=")
    [document] = runtime.service.list_documents(DINAS, number)
    assert response.location.endswith(document.document_id)
    page = client.get(response.location).get_data(as_text=True)
    assert f"Suket untuk {number} berlaku sampai" in page and f"/dokumen/{document.document_id}.pdf" in page


def test_a_double_submitted_counter_form_issues_one_suket(runtime, client, fakes):
    number = factories.register_number(32)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    page = client.get("/").get_data(as_text=True)
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "request_id": re.search(r'name="request_id" value="([^"]+)"', page).group(1), "nomor_suket": number}
    first, second = client.post("/suket", data=form), client.post("/suket", data=form)
    assert first.location == second.location
    assert len(runtime.service.list_documents(DINAS, number)) == 1


@pytest.mark.parametrize(("typed", "status", "explained"), [
    ("6203-xx", 400, "KKKK-YYYYMMDD-NNNNNN"),
    (factories.register_number(33), 422, "belum berstatus siap cetak"),
    (factories.register_number(34), 404, "tidak ditemukan"),
])
def test_a_refused_counter_request_explains_next_to_the_field_and_keeps_the_input(client, fakes, typed, status,
                                                                                 explained):
    fakes.enrolment.recordings[factories.register_number(33)] = factories.recording_pb(
        factories.register_number(33), state=enrolment_pb2.RECORDING_STATE_CAPTURED)
    response = client.post("/suket", data={"csrf_token": csrf_token(client), "nomor_suket": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    field = re.search(r'<input type="text" id="nomor_suket"[^>]*>', page).group(0)
    assert f'value="{typed}"' in field and "is-invalid" in field
    assert re.search(r'id="nomor-suket-error"[^>]*>[^<]*' + re.escape(explained), page)


def test_enrolment_out_of_reach_keeps_the_input_and_says_to_try_again(runtime, client, fakes):
    number = factories.register_number(38)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    fakes.enrolment.down = True
    response = client.post("/suket", data={"csrf_token": csrf_token(client), "nomor_suket": number})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and f'value="{number}"' in page
    assert html.escape(UNAVAILABLE_MESSAGE) in page and "UNAVAILABLE" not in page


def test_a_counter_request_for_a_resident_with_a_printed_card_is_refused(runtime, client, fakes):
    fakes.inventory.stock = ["0000000900"]
    number = factories.register_number(35)
    fakes.enrolment.add_print_ready(factories.recording_pb(number))
    wait_for(lambda: runtime.service.list_documents(DINAS, number), message="the card")
    response = client.post("/suket", data={"csrf_token": csrf_token(client), "nomor_suket": number})
    assert response.status_code == 422 and "sudah dicetak" in response.get_data(as_text=True)


def test_the_counter_form_without_its_csrf_token_is_refused(runtime, client, fakes):
    number = factories.register_number(36)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    response = client.post("/suket", data={"nomor_suket": number})
    assert response.status_code == 400
    assert runtime.service.list_documents(DINAS, number) == []


def test_a_lurah_cannot_issue_a_suket_from_the_page(runtime, client, identity, fakes):
    number = factories.register_number(37)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    token = csrf_token(client)   # even holding a valid form token
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.LURAH, factories.VILLAGE))
    response = client.post("/suket", data={"csrf_token": token, "nomor_suket": number})
    assert response.status_code == 403
    assert runtime.service.list_documents(DINAS, number) == []
