"""Pages, PDF route and probes through the Flask test client of the real app."""
import pytest

from tests.conftest import wait_for
from tests.documents import factories


@pytest.fixture
def client(runtime):
    return runtime.app.test_client()


@pytest.fixture
def suket(runtime, fakes):
    number = factories.register_number(5)
    recording = factories.recording_pb(number)
    fakes.enrolment.add_print_ready(recording)
    [document] = wait_for(lambda: runtime.service.list_documents(number), message="a Suket")
    return document, recording


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
