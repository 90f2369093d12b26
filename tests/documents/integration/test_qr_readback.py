"""The Suket's QR read back from the rendered PDF page with a real QR reader (PDFium renders the
page, zbar reads it) and verified: what a verifier's scanner gets is what was signed."""
import datetime as dt
import io

import pytest

from documents import claim169, domain
from documents.domain import IssuerPolicy, SuketLetter
from documents.render import PdfRenderer
from documents.signing import Ed25519Signer
from ektp.documents.v1 import documents_pb2
from tests.documents import factories

DEADLINE = 5


def _zbar():
    """pyzbar over libzbar0. Missing is a failure, never a skip: .ci/run installs libzbar0."""
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError) as exc:   # OSError: pyzbar is there, the zbar library is not
        pytest.fail(f"the zbar QR reader cannot be loaded ({exc}); .ci/run installs libzbar0 and pyzbar")
    return pyzbar


def page_image(pdf: bytes, dpi: int):
    """Page 1 of `pdf` rasterised by PDFium, as a PIL image."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()


def page_png(pdf: bytes, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    page_image(pdf, dpi).save(buffer, format="PNG")
    return buffer.getvalue()


def read_qr_codes(pdf: bytes, dpi: int) -> list[str]:
    return [symbol.data.decode("ascii") for symbol in _zbar().decode(page_image(pdf, dpi))
            if symbol.type == "QRCODE"]


@pytest.mark.parametrize("dpi", [200, 300])
def test_the_qr_on_a_rendered_suket_reads_back_and_verifies(dpi):
    key = Ed25519Signer.generate()
    recording = factories.recording(factories.register_number(3))
    issued_at = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.timezone.utc)
    issuer = IssuerPolicy("Kepala Dinas", {"62.03": "Kuala Kapuas"}).for_office("62.03", "Kabupaten Kapuas")
    valid_until = domain.suket_valid_until(domain.local_date(issued_at))
    claim = domain.suket_claim("0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e", recording, issuer, issued_at, valid_until)
    payload = claim169.encode(claim, key)
    pdf = PdfRenderer().suket(SuketLetter(claim.document_id, recording, domain.local_date(issued_at), valid_until,
                                          payload, issuer))
    assert read_qr_codes(pdf, dpi) == [payload]
    assert claim169.decode(read_qr_codes(pdf, dpi)[0], key) == claim


def test_the_qr_of_an_issued_suket_pdf_verifies_as_valid(fakes, stub):
    number = factories.register_number(41)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    document = stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE).document
    pdf = stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document.document_id, include_pdf=True),
                           timeout=DEADLINE).pdf
    [scanned] = read_qr_codes(pdf, 250)
    assert scanned == document.qr_payload
    verified = stub.VerifyDocument(documents_pb2.VerifyDocumentRequest(qr_payload=scanned), timeout=DEADLINE)
    assert verified.result == documents_pb2.VERIFICATION_RESULT_VALID
    assert (verified.document_id, verified.register_number) == (document.document_id, number)
