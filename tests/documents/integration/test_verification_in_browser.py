"""/verifikasi in a real browser (the machine's Chromium), nobody signed in: paste a Suket's QR
text and see SAH, a tampered one and see PALSU, pick a photo of the Suket and let the vendored
QR reader (jsQR) fill the form."""
import pytest

from ektp.documents.v1 import documents_pb2
from tests.documents import factories
from tests.documents.integration.test_qr_readback import page_png

DEADLINE = 5


@pytest.fixture
def issued(fakes, stub):
    number = factories.register_number(51)
    recording = factories.recording_pb(number)
    fakes.enrolment.recordings[number] = recording
    document = stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE).document
    return document, recording


@pytest.fixture
def page(browser, runtime):
    """A page of a fresh context (no session), collecting script errors, refused resources
    (a CSP violation is a console error) and failed requests other than the browser's own
    favicon probe (the platform serves no favicon)."""
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="id-ID",
                                  base_url=f"http://127.0.0.1:{runtime.process.http.port}")
    opened = context.new_page()
    opened.errors = []
    opened.on("console", lambda message: message.type == "error" and "Failed to load resource" not in message.text
              and opened.errors.append(message.text))
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
              and opened.errors.append(f"{response.status} {response.url}"))
    yield opened
    context.close()


def _check(page, payload: str) -> str:
    page.goto("/verifikasi")
    page.fill("#qr_payload", payload)
    page.get_by_role("button", name="Periksa").click()
    return page.get_by_test_id("result-label").inner_text()


def test_a_pasted_genuine_qr_is_sah_in_the_browser(page, issued):
    document, recording = issued
    assert _check(page, document.qr_payload) == "SAH"
    assert page.get_by_test_id("full-name").inner_text() == recording.resident.full_name.upper()
    assert recording.resident.nik not in page.content()
    assert page.errors == []


def test_a_pasted_tampered_qr_is_palsu_in_the_browser(page, issued):
    payload = issued[0].qr_payload
    middle = len(payload) // 2
    tampered = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1:]
    assert _check(page, tampered) == "PALSU"
    assert issued[1].resident.full_name.upper() not in page.content()
    assert page.errors == []


def test_a_photo_of_the_suket_is_read_by_the_page_and_verified(page, stub, issued):
    document, _ = issued
    pdf = stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document.document_id, include_pdf=True),
                           timeout=DEADLINE).pdf
    page.goto("/verifikasi")
    assert page.get_by_text("Pilih foto kode QR").is_visible()   # shown once the reader script is loaded
    page.set_input_files("#foto-qr", files=[{"name": "suket.png", "mimeType": "image/png",
                                             "buffer": page_png(pdf, dpi=150)}])
    assert page.get_by_test_id("result-label").inner_text() == "SAH"
    assert page.input_value("#qr_payload") == document.qr_payload
    assert page.errors == []
