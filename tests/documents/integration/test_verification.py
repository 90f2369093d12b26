"""The Suket after issue on a running process (SQLite and PostgreSQL): public VerifyDocument,
RenewSuket, VoidDocument, ExpireSukets over gRPC, the JWKS and the /verifikasi page."""
import base64
import datetime as dt
import re
import zlib

import base45
import cbor2
import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from ektp.events.v1 import events_pb2
from servicekit.access import Role
from servicekit.web import SESSION_COOKIE
from tests.documents import factories
from tests.identity import bearer

DEADLINE = 5
UNKNOWN_ID = "0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e"
R = documents_pb2


@pytest.fixture
def public_stub(runtime):
    """Calls without any token, as a verifier in the field would."""
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        yield documents_pb2_grpc.DocumentsServiceStub(channel)


@pytest.fixture
def issued(fakes, stub):
    """(Suket, recording) issued at the counter by the Kapuas Dinas."""
    number = factories.register_number(31)
    recording = factories.recording_pb(number)
    fakes.enrolment.recordings[number] = recording
    document = stub.IssueSuket(R.IssueSuketRequest(register_number=number), timeout=DEADLINE).document
    return document, recording


def _tampered(payload: str) -> str:
    position = len(payload) // 2
    return payload[:position] + ("A" if payload[position] != "A" else "B") + payload[position + 1:]


def _feed_types(reporting_stub) -> list[str]:
    request = events_pb2.StreamEventsRequest(after_sequence=0, follow=False)
    return [r.event.type for r in reporting_stub.StreamEvents(request, timeout=DEADLINE)]


# ---- VerifyDocument -------------------------------------------------------------------------

def test_anyone_verifies_a_suket_without_a_token_and_sees_only_the_letters_data(public_stub, issued):
    document, recording = issued
    response = public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=document.qr_payload), timeout=DEADLINE)
    assert response.result == R.VERIFICATION_RESULT_VALID and response.reason
    assert (response.document_id, response.kind, response.register_number) == (
        document.document_id, R.DOCUMENT_KIND_SUKET, document.register_number)
    assert response.full_name == recording.resident.full_name.upper()
    assert response.birth_date == recording.resident.birth_date
    assert response.sex in ("LAKI-LAKI", "PEREMPUAN")
    assert response.issuer == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kapuas"
    assert response.valid_until == document.valid_until.ToDatetime().date().isoformat()
    assert recording.resident.nik not in str(response)


@pytest.mark.parametrize("payload", ["tampered", "truncated", "EKTP1.eyJ2IjoxfQ.c2ln", "halo", "%%%%"])
def test_a_tampered_truncated_or_garbage_qr_is_forged_not_an_error(public_stub, issued, payload):
    genuine = issued[0].qr_payload
    payload = {"tampered": _tampered(genuine), "truncated": genuine[:len(genuine) // 2]}.get(payload, payload)
    response = public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=payload), timeout=DEADLINE)
    assert response.result == R.VERIFICATION_RESULT_FORGED and response.reason
    assert (response.document_id, response.full_name, response.register_number) == ("", "", "")


def test_a_qr_signed_with_a_foreign_key_is_forged(public_stub, issued):
    from documents import claim169
    from documents.signing import Ed25519Signer
    from tests.documents.unit.test_claim169 import CLAIM
    response = public_stub.VerifyDocument(R.VerifyDocumentRequest(
        qr_payload=claim169.encode(CLAIM, Ed25519Signer.generate())), timeout=DEADLINE)
    assert response.result == R.VERIFICATION_RESULT_FORGED and "kunci" in response.reason


def test_an_empty_qr_is_invalid_argument(public_stub):
    with pytest.raises(grpc.RpcError) as caught:
        public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=" "), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


# ---- RenewSuket, VoidDocument, ExpireSukets ----------------------------------------------------

def test_renewal_supersedes_the_old_suket_and_its_qr_says_so(stub, public_stub, reporting_stub, issued):
    old, _ = issued
    new = stub.RenewSuket(R.RenewSuketRequest(document_id=old.document_id), timeout=DEADLINE).document
    assert (new.kind, new.status, new.register_number) == (R.DOCUMENT_KIND_SUKET, R.DOCUMENT_STATUS_ISSUED,
                                                          old.register_number)
    stored = stub.GetDocument(R.GetDocumentRequest(document_id=old.document_id), timeout=DEADLINE).document
    assert (stored.status, stored.superseded_by) == (R.DOCUMENT_STATUS_SUPERSEDED, new.document_id)
    verified = public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=old.qr_payload), timeout=DEADLINE)
    assert (verified.result, verified.superseded_by) == (R.VERIFICATION_RESULT_SUPERSEDED, new.document_id)
    assert public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=new.qr_payload),
                                      timeout=DEADLINE).result == R.VERIFICATION_RESULT_VALID
    assert _feed_types(reporting_stub)[-2:] == ["ektp.documents.v1.SuketIssued", "ektp.documents.v1.SuketSuperseded"]


def test_renewal_with_a_request_id_is_retry_safe(stub, issued):
    old, _ = issued
    request = R.RenewSuketRequest(document_id=old.document_id, request_id="7d1c2b3a-0000-4000-8000-000000000031")
    first = stub.RenewSuket(request, timeout=DEADLINE).document
    again = stub.RenewSuket(request, timeout=DEADLINE).document
    assert first.document_id == again.document_id == request.request_id


def test_a_voided_suket_verifies_as_void(stub, public_stub, reporting_stub, issued):
    old, _ = issued
    voided = stub.VoidDocument(R.VoidDocumentRequest(document_id=old.document_id, reason="diterbitkan keliru"),
                               timeout=DEADLINE).document
    assert (voided.status, voided.void_reason) == (R.DOCUMENT_STATUS_VOID, "diterbitkan keliru")
    verified = public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=old.qr_payload), timeout=DEADLINE)
    assert verified.result == R.VERIFICATION_RESULT_VOID
    assert _feed_types(reporting_stub)[-1] == "ektp.documents.v1.DocumentVoided"


def test_voiding_without_a_reason_is_invalid_argument(stub, issued):
    with pytest.raises(grpc.RpcError) as caught:
        stub.VoidDocument(R.VoidDocumentRequest(document_id=issued[0].document_id), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("call", ["RenewSuket", "VoidDocument"])
def test_an_unknown_document_is_not_found(stub, call):
    request = (R.RenewSuketRequest(document_id=UNKNOWN_ID) if call == "RenewSuket"
               else R.VoidDocumentRequest(document_id=UNKNOWN_ID, reason="keliru"))
    with pytest.raises(grpc.RpcError) as caught:
        getattr(stub, call)(request, timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("call", ["RenewSuket", "VoidDocument"])
def test_a_malformed_id_is_invalid_argument(stub, call):
    request = (R.RenewSuketRequest(document_id="12") if call == "RenewSuket"
               else R.VoidDocumentRequest(document_id="12", reason="keliru"))
    with pytest.raises(grpc.RpcError) as caught:
        getattr(stub, call)(request, timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_renewed_suket_is_not_renewed_twice(stub, issued):
    stub.RenewSuket(R.RenewSuketRequest(document_id=issued[0].document_id), timeout=DEADLINE)
    with pytest.raises(grpc.RpcError) as caught:
        stub.RenewSuket(R.RenewSuketRequest(document_id=issued[0].document_id), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.parametrize("role", [Role.LURAH, Role.OPERATOR_KECAMATAN])
def test_a_lurah_or_kecamatan_never_renews_or_voids(runtime, identity, issued, role):
    scope = {Role.LURAH: factories.VILLAGE, Role.OPERATOR_KECAMATAN: "62.03.01"}[role]
    token = identity.officer(role, scope)
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        officer = documents_pb2_grpc.DocumentsServiceStub(channel)
        for call, request in (("RenewSuket", R.RenewSuketRequest(document_id=issued[0].document_id)),
                              ("VoidDocument", R.VoidDocumentRequest(document_id=issued[0].document_id, reason="x"))):
            with pytest.raises(grpc.RpcError) as caught:
                getattr(officer, call)(request, metadata=bearer(token), timeout=DEADLINE)
            assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_the_expiry_job_expires_sukets_past_their_last_day(runtime, stub, public_stub, reporting_stub, issued,
                                                           monkeypatch):
    old, _ = issued
    assert stub.ExpireSukets(R.ExpireSuketsRequest(), timeout=DEADLINE).expired == 0
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=200)
    monkeypatch.setattr(runtime.service, "_clock", lambda: later)
    assert public_stub.VerifyDocument(R.VerifyDocumentRequest(qr_payload=old.qr_payload),
                                      timeout=DEADLINE).result == R.VERIFICATION_RESULT_EXPIRED   # before the job
    assert stub.ExpireSukets(R.ExpireSuketsRequest(), timeout=DEADLINE).expired == 1
    assert stub.ExpireSukets(R.ExpireSuketsRequest(), timeout=DEADLINE).expired == 0
    stored = stub.GetDocument(R.GetDocumentRequest(document_id=old.document_id), timeout=DEADLINE).document
    assert stored.status == R.DOCUMENT_STATUS_EXPIRED
    assert _feed_types(reporting_stub).count("ektp.documents.v1.SuketExpired") == 1
    # an expired Suket is renewed: a new validity from today
    new = stub.RenewSuket(R.RenewSuketRequest(document_id=old.document_id), timeout=DEADLINE).document
    assert new.valid_until.ToDatetime().date() > later.date()


# ---- JWKS ----------------------------------------------------------------------------------------

def test_the_jwks_is_public_cacheable_and_verifies_the_suket_qr(runtime, issued):
    response = runtime.app.test_client().get("/.well-known/jwks.json")
    assert response.status_code == 200 and response.mimetype == "application/jwk-set+json"
    assert "public" in response.headers["Cache-Control"]
    [jwk] = response.get_json()["keys"]
    assert set(jwk) == {"kty", "crv", "x", "kid", "use", "alg"}   # no private part
    cwt = cbor2.loads(zlib.decompress(base45.b45decode(issued[0].qr_payload)))
    protected, _, payload, signature = cwt.value.value
    assert cbor2.loads(protected)[4] == jwk["kid"].encode()
    key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4)))
    key.verify(signature, cbor2.dumps(["Signature1", protected, b"", payload]))


# ---- the /verifikasi page ----------------------------------------------------------------------

def _form(client) -> str:
    page = client.get("/verifikasi")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_the_verification_page_needs_no_login_and_shows_sah_for_a_genuine_suket(runtime, issued):
    client = runtime.app.test_client()
    response = client.post("/verifikasi", data={"csrf_token": _form(client), "qr_payload": issued[0].qr_payload})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-result="valid"' in html and ">SAH<" in html
    assert issued[1].resident.full_name.upper() in html and issued[1].resident.nik not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_the_verification_page_shows_palsu_for_a_tampered_qr_never_an_error_page(runtime, issued):
    client = runtime.app.test_client()
    response = client.post("/verifikasi", data={"csrf_token": _form(client),
                                                "qr_payload": _tampered(issued[0].qr_payload)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and ">PALSU<" in html
    assert issued[1].resident.full_name.upper() not in html


def test_an_empty_qr_is_explained_next_to_the_field(runtime):
    client = runtime.app.test_client()
    response = client.post("/verifikasi", data={"csrf_token": _form(client), "qr_payload": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="qr-payload-error"' in html and "wajib diisi" in html


def test_the_verification_form_needs_its_csrf_token(runtime, issued):
    client = runtime.app.test_client()
    _form(client)
    assert client.post("/verifikasi", data={"qr_payload": issued[0].qr_payload}).status_code == 400


def test_a_signed_in_officer_also_verifies(runtime, dinas_token, issued):
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, dinas_token)
    response = client.post("/verifikasi", data={"csrf_token": _form(client), "qr_payload": issued[0].qr_payload})
    assert ">SAH<" in response.get_data(as_text=True)


def test_verifications_from_one_address_are_limited(runtime, issued):
    from documents.verification_web import VERIFICATIONS_PER_MINUTE
    client = runtime.app.test_client()
    token = _form(client)
    codes = [client.post("/verifikasi", data={"csrf_token": token, "qr_payload": "halo"}).status_code
             for _ in range(VERIFICATIONS_PER_MINUTE + 1)]
    assert codes[:-1] == [200] * VERIFICATIONS_PER_MINUTE and codes[-1] == 429


# ---- the Dinas' "Perpanjang" and "Batalkan" on the documents list ---------------------------------

def _signed_in(runtime, token):
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, token)
    return client


def _index_csrf(client, number: str) -> tuple[str, str]:
    html = client.get(f"/?nomor={number}").get_data(as_text=True)
    return html, re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_dinas_renews_a_suket_from_the_list(runtime, stub, dinas_token, issued):
    old, _ = issued
    client = _signed_in(runtime, dinas_token)
    html, csrf = _index_csrf(client, old.register_number)
    assert f"/dokumen/{old.document_id}/perpanjang" in html and f"/dokumen/{old.document_id}/batalkan" in html
    request_id = re.search(rf'/dokumen/{old.document_id}/perpanjang".*?name="request_id" value="([^"]+)"', html,
                           re.S).group(1)
    response = client.post(f"/dokumen/{old.document_id}/perpanjang", data={"csrf_token": csrf,
                                                                          "request_id": request_id})
    assert response.status_code == 303 and f"terbit={request_id}" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "berlaku sampai" in page
    stored = stub.GetDocument(R.GetDocumentRequest(document_id=old.document_id), timeout=DEADLINE).document
    assert (stored.status, stored.superseded_by) == (R.DOCUMENT_STATUS_SUPERSEDED, request_id)


def test_the_lurah_is_offered_neither_renewal_nor_voiding(runtime, identity, issued):
    client = _signed_in(runtime, identity.officer(Role.LURAH, factories.VILLAGE))
    html = client.get(f"/?nomor={issued[0].register_number}").get_data(as_text=True)
    assert issued[0].register_number in html
    assert "/perpanjang" not in html and "/batalkan" not in html


def test_voiding_asks_for_a_reason_next_to_the_field_and_keeps_what_was_typed(runtime, stub, dinas_token, issued):
    old, _ = issued
    client = _signed_in(runtime, dinas_token)
    form = client.get(f"/dokumen/{old.document_id}/batalkan")
    assert form.status_code == 200 and 'name="alasan"' in form.get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.get_data(as_text=True)).group(1)
    too_long = "keliru " * 80
    refused = client.post(f"/dokumen/{old.document_id}/batalkan", data={"csrf_token": csrf, "alasan": too_long})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="alasan-error"' in html and too_long.strip() in html
    done = client.post(f"/dokumen/{old.document_id}/batalkan", data={"csrf_token": csrf, "alasan": "nomor keliru"})
    assert done.status_code == 303
    stored = stub.GetDocument(R.GetDocumentRequest(document_id=old.document_id), timeout=DEADLINE).document
    assert (stored.status, stored.void_reason) == (R.DOCUMENT_STATUS_VOID, "nomor keliru")
