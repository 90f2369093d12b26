"""PDFs in the document store (files under var/documents), their sha256 in the row, and a
damaged file detected on every read: gRPC and the page, on SQLite and PostgreSQL."""
import datetime as dt
import hashlib
import io

import grpc
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from PIL import Image
from pypdf import PdfReader

from documents import db
from documents.bootstrap import MIGRATIONS
from ektp.documents.v1 import documents_pb2
from servicekit.db import create_engine, normalise_url
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories
from tests.documents.pdfs import images, text

DEADLINE = 5


def _row(runtime, document_id: str):
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(db.documents).where(db.documents.c.document_id == document_id)).one()


def _get(stub, document_id: str, include_pdf: bool = True) -> documents_pb2.GetDocumentResponse:
    return stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document_id, include_pdf=include_pdf),
                            timeout=DEADLINE)


def _issue(stub, fakes, serial: int) -> documents_pb2.Document:
    number = factories.register_number(serial)
    fakes.enrolment.recordings[number] = factories.recording_pb(number, seed=serial)
    return stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE).document


def _reason(err: grpc.RpcError) -> str:
    for detail in rpc_status.from_call(err).details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    return ""


def test_a_suket_is_stored_as_an_encrypted_file_with_its_sha256_in_the_row(runtime, fakes, stub):
    document = _issue(stub, fakes, 61)
    row = _row(runtime, document.document_id)
    response = _get(stub, document.document_id)
    assert row.pdf is None and row.pdf_key == f"documents/{document.document_id}.pdf"
    assert row.pdf_sha256 == hashlib.sha256(response.pdf).hexdigest() == response.document.pdf_sha256
    assert document.pdf_sha256 == row.pdf_sha256   # the issuing response carries it too
    path = runtime.settings.store_path / "documents" / document.document_id[:2] / f"{document.document_id}.pdf"
    sealed = path.read_bytes()
    assert not sealed.startswith(b"%PDF") and factories.register_number(61).encode() not in sealed


def test_a_card_printed_from_the_feed_carries_the_enrolment_photo_and_is_stored(runtime, fakes, stub):
    photo = io.BytesIO()
    Image.new("RGB", (240, 320), (180, 130, 100)).save(photo, "JPEG")
    number = factories.register_number(62)
    recording = factories.recording_pb(number, seed=62)
    recording.face_photo = photo.getvalue()
    fakes.inventory.stock = ["0000000620"]
    fakes.enrolment.add_print_ready(recording)
    [card] = wait_for(lambda: list(stub.ListDocuments(documents_pb2.ListDocumentsRequest(register_number=number),
                                                      timeout=DEADLINE).documents), message="the card")
    pdf = _get(stub, card.document_id).pdf
    front = PdfReader(io.BytesIO(pdf)).pages[0]
    assert images(front) == [("/DCTDecode", 240, 320)]   # the JPEG as it came from enrolment
    assert "0000000620" in text(pdf) and "PAS FOTO" not in text(pdf)
    assert _row(runtime, card.document_id).pdf_sha256 == hashlib.sha256(pdf).hexdigest()


@pytest.mark.parametrize("damage", ["flipped byte", "other document's file", "deleted"])
def test_a_damaged_stored_file_fails_the_pdf_read_with_failed_precondition(runtime, fakes, stub, damage):
    document, other = _issue(stub, fakes, 63), _issue(stub, fakes, 64)
    path = runtime.store.blobs.path(_row(runtime, document.document_id).pdf_key)
    if damage == "flipped byte":
        sealed = bytearray(path.read_bytes())
        sealed[len(sealed) // 2] ^= 0x01
        path.write_bytes(bytes(sealed))
    elif damage == "other document's file":
        path.write_bytes(runtime.store.blobs.path(_row(runtime, other.document_id).pdf_key).read_bytes())
    else:
        path.unlink()
    with pytest.raises(grpc.RpcError) as caught:
        _get(stub, document.document_id)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert _reason(caught.value) == "STORED_DOCUMENT_CORRUPT"
    assert _get(stub, document.document_id, include_pdf=False).document.document_id == document.document_id
    assert _get(stub, other.document_id).pdf.startswith(b"%PDF")   # the others still read


def test_the_pdf_page_says_the_stored_file_is_damaged(runtime, fakes, stub, dinas_token):
    document = _issue(stub, fakes, 65)
    path = runtime.store.blobs.path(_row(runtime, document.document_id).pdf_key)
    path.write_bytes(b"not what was stored")
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, dinas_token)
    response = client.get(f"/dokumen/{document.document_id}.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Berkas dokumen yang tersimpan rusak" in page and "%PDF" not in page


def test_migration_0006_keeps_the_pdfs_of_existing_rows_in_place(database_url):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = normalise_url(database_url)
    command.upgrade(config, "0005")
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO documents (document_id, kind, status, register_number, office_code, region_code, "
                "issued_at, pdf) VALUES ('0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e', 'suket', 'issued', "
                "'6203-20261128-000001', '62.03', '62.03.01.2001', :at, :pdf)"),
                {"at": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc), "pdf": b"sealed legacy pdf"})
        command.upgrade(config, "head")
        with engine.connect() as conn:
            row = conn.execute(sa.select(db.documents)).one()
        assert (row.pdf, row.pdf_key, row.pdf_sha256) == (b"sealed legacy pdf", None, None)
    finally:
        engine.dispose()
