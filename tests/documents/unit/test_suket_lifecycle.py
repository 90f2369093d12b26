"""The Suket after issue: verification, renewal, voiding and expiry; the rules (domain) and the
use cases (service, with fakes on a real database, the world of test_service)."""
import datetime as dt

import pytest
import sqlalchemy as sa

from documents import db, domain
from documents.domain import DocumentKind, DocumentStatus, VerificationResult
from documents.errors import (
    CardAlreadyPrinted,
    DocumentNotFound,
    InvalidDocumentRequest,
    InvalidQrPayload,
    NotPrintReady,
    WrongDocumentState,
)
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied
from tests.documents import factories
from tests.documents.unit import test_service
from tests.documents.unit.test_service import DINAS, LURAH, REG, REQUEST_ID, TANAH_BUMBU_DINAS

world = test_service.world   # the fixture: fake neighbours on a real SQLite database

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.timezone.utc)
ISSUER = domain.IssuerPolicy("Kepala Dinas", {}).for_office("62.03", "Kabupaten Kapuas")
DAY = 24 * 60   # the test world's clock counts minutes
EXPIRY_JOB = Principal.service("documents", origin="expiry")


def _suket(status: DocumentStatus = DocumentStatus.ISSUED, document_id: str = "d-1") -> domain.Document:
    document, _ = domain.suket(document_id, factories.recording(), dt.date(2027, 5, 28), "QR", b"%PDF", NOW)
    document.status = status
    return document


def _card() -> domain.Document:
    card, _ = domain.card_print_job("c-1", factories.recording(), "0001", b"%PDF", NOW)
    return card


def _claim(valid_until: dt.date = dt.date(2027, 5, 28)) -> domain.SuketClaim:
    return domain.suket_claim("d-1", factories.recording(), ISSUER, NOW, valid_until)


# ---- rules -----------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [DocumentStatus.ISSUED, DocumentStatus.EXPIRED])
def test_a_valid_or_expired_suket_is_renewed_and_superseded_by_the_new_one(status):
    old, new = _suket(status), _suket(document_id="d-2")
    event = old.renew(new)
    assert (old.status, old.superseded_by) == (DocumentStatus.SUPERSEDED, "d-2")
    assert event == domain.SuketSuperseded("d-1", old.register_number, old.region_code, "d-2")


@pytest.mark.parametrize("status", [DocumentStatus.VOID, DocumentStatus.SUPERSEDED])
def test_a_void_or_superseded_suket_is_not_renewed(status):
    with pytest.raises(WrongDocumentState):
        _suket(status).renew(_suket(document_id="d-2"))


def test_a_card_is_not_renewed():
    with pytest.raises(WrongDocumentState):
        _card().renew(_suket(document_id="d-2"))


@pytest.mark.parametrize("make", [lambda: _suket(), _card, lambda: _suket(DocumentStatus.EXPIRED)])
def test_an_issued_or_printed_or_expired_document_is_voided_with_its_reason(make):
    document = make()
    event = document.void("diterbitkan keliru", NOW)
    assert (document.status, document.void_reason, document.voided_at) == (DocumentStatus.VOID, "diterbitkan keliru",
                                                                           NOW)
    assert event == domain.DocumentVoided(document.document_id, document.register_number, document.region_code,
                                          document.kind)


@pytest.mark.parametrize("status", [DocumentStatus.VOID, DocumentStatus.SUPERSEDED])
def test_a_void_or_superseded_document_is_not_voided_again(status):
    with pytest.raises(WrongDocumentState):
        _suket(status).void("lagi", NOW)


def test_a_suket_expires_the_day_after_its_last_valid_day():
    suket = _suket()
    with pytest.raises(WrongDocumentState):
        suket.expire(dt.date(2027, 5, 28))   # still valid on its last day
    event = suket.expire(dt.date(2027, 5, 29))
    assert suket.status is DocumentStatus.EXPIRED
    assert event == domain.SuketExpired("d-1", suket.register_number, suket.region_code, dt.date(2027, 5, 28))


@pytest.mark.parametrize("status", [DocumentStatus.VOID, DocumentStatus.SUPERSEDED, DocumentStatus.EXPIRED])
def test_only_an_issued_suket_expires(status):
    with pytest.raises(WrongDocumentState):
        _suket(status).expire(dt.date(2030, 1, 1))


def test_the_claim_expires_at_the_end_of_its_last_day_in_wib():
    claim = _claim()
    assert claim.expires_at == dt.datetime(2027, 5, 28, 17, 0, tzinfo=dt.timezone.utc)
    assert domain.valid_until_of(claim.expires_at) == dt.date(2027, 5, 28)


def test_verification_of_an_issued_suket_within_its_validity_is_valid():
    verification = domain.verify_claim(_claim(), _suket(), dt.date(2027, 5, 28))
    assert verification.result is VerificationResult.VALID and "28-05-2027" in verification.reason
    assert verification.claim == _claim() and verification.kind is DocumentKind.SUKET


def test_a_suket_past_its_last_day_is_expired_before_the_expiry_job_ran():
    verification = domain.verify_claim(_claim(), _suket(), dt.date(2027, 5, 29))
    assert verification.result is VerificationResult.EXPIRED


@pytest.mark.parametrize(("successor", "words"), [(_card(), "KTP-el"), (_suket(document_id="d-2"), "Suket yang lebih baru")])
def test_a_superseded_suket_says_what_replaced_it(successor, words):
    suket = _suket(DocumentStatus.SUPERSEDED)
    suket.superseded_by = successor.document_id
    verification = domain.verify_claim(_claim(), suket, dt.date(2027, 1, 1), successor)
    assert verification.result is VerificationResult.SUPERSEDED and words in verification.reason
    assert verification.superseded_by == successor.document_id


def test_a_void_suket_is_void_even_within_its_validity():
    assert domain.verify_claim(_claim(), _suket(DocumentStatus.VOID), NOW.date()).result is VerificationResult.VOID


@pytest.mark.parametrize("stored", [None, _card(), _suket(document_id="d-1")])
def test_a_signed_claim_the_archive_does_not_hold_as_signed_is_forged(stored):
    claim = _claim(valid_until=dt.date(2030, 1, 1))   # differs from the stored Suket's validity
    verification = domain.verify_claim(claim, stored, NOW.date())
    assert verification.result is VerificationResult.FORGED and verification.claim is None


@pytest.mark.parametrize("payload", ["", "   \n"])
def test_an_empty_qr_payload_is_invalid_input(payload):
    with pytest.raises(InvalidQrPayload) as caught:
        domain.check_qr_payload(payload)
    assert caught.value.violations[0].field == "qr_payload"


# ---- use cases ---------------------------------------------------------------------------------

def _outbox(w) -> list[str]:
    with w.engine.connect() as conn:
        return list(conn.execute(sa.select(db.outbox.c.type).order_by(db.outbox.c.sequence)).scalars())


def _by_id(w, document_id: str) -> domain.Document:
    return next(d for d in w.documents() if d.document_id == document_id)


def test_the_qr_of_an_issued_suket_verifies_as_valid_with_the_letters_data(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    verification = w.service.verify_document(suket.qr_payload)
    assert verification.result is VerificationResult.VALID
    claim = verification.claim
    resident = factories.recording(REG).resident
    assert (claim.document_id, claim.register_number, claim.full_name, claim.birth_date) == (
        suket.document_id, REG, resident.full_name.upper(), resident.birth_date)
    assert claim.valid_until == suket.valid_until


def test_a_tampered_qr_verifies_as_forged_without_any_claim_data(world):
    w = world()
    payload = w.service.issue_suket(DINAS, REG).qr_payload
    tampered = payload[:100] + ("A" if payload[100] != "A" else "B") + payload[101:]
    verification = w.service.verify_document(tampered)
    assert verification.result is VerificationResult.FORGED and verification.claim is None
    assert verification.reason
    w.service.verify_document(payload)
    counted = {result: w.metrics.verifications.labels(result)._value.get() for result in ("valid", "forged")}
    assert counted == {"valid": 1, "forged": 1}   # by result only: no personal data in a label


def test_an_empty_qr_is_refused_as_invalid_input(world):
    with pytest.raises(InvalidQrPayload):
        world().service.verify_document("  ")


def test_a_suket_verifies_as_expired_once_its_last_day_has_passed(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    w.minutes += 200 * DAY
    assert w.service.verify_document(suket.qr_payload).result is VerificationResult.EXPIRED


def test_renewal_issues_a_new_suket_and_supersedes_the_old_one(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    w.minutes += 100 * DAY
    new = w.service.renew_suket(DINAS, old.document_id)
    assert (new.kind, new.status, new.register_number) == (DocumentKind.SUKET, DocumentStatus.ISSUED, REG)
    assert new.valid_until > old.valid_until
    assert (_by_id(w, old.document_id).status, _by_id(w, old.document_id).superseded_by) == (
        DocumentStatus.SUPERSEDED, new.document_id)
    assert _outbox(w)[-2:] == ["ektp.documents.v1.SuketIssued", "ektp.documents.v1.SuketSuperseded"]
    assert [a[2:4] for a in w.audit()[-2:]] == [("document.renew", old.document_id),
                                               ("document.issue", new.document_id)]
    verification = w.service.verify_document(old.qr_payload)
    assert verification.result is VerificationResult.SUPERSEDED and "Suket yang lebih baru" in verification.reason
    assert verification.superseded_by == new.document_id
    assert w.service.verify_document(new.qr_payload).result is VerificationResult.VALID


def test_an_expired_suket_is_renewed(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    w.minutes += 200 * DAY
    assert w.service.expire_sukets(EXPIRY_JOB) == 1
    new = w.service.renew_suket(DINAS, old.document_id)
    assert new.status is DocumentStatus.ISSUED and _by_id(w, old.document_id).status is DocumentStatus.SUPERSEDED


def test_renewal_with_the_same_request_id_returns_the_same_suket(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    first = w.service.renew_suket(DINAS, old.document_id, REQUEST_ID)
    again = w.service.renew_suket(DINAS, old.document_id, REQUEST_ID)
    assert first.document_id == again.document_id == REQUEST_ID
    assert len(w.documents()) == 2 and _outbox(w).count("ektp.documents.v1.SuketSuperseded") == 1


def test_a_request_id_already_used_for_another_document_is_refused(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    with pytest.raises(InvalidDocumentRequest) as caught:
        w.service.renew_suket(DINAS, old.document_id, old.document_id)
    assert caught.value.violations[0].field == "request_id"


def test_a_renewed_suket_is_not_renewed_again(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    w.service.renew_suket(DINAS, old.document_id)
    with pytest.raises(WrongDocumentState):
        w.service.renew_suket(DINAS, old.document_id)


def test_renewal_is_refused_once_the_card_is_printed(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    w.inventory.stock.append("000777")
    w.print_ready()   # the card prints and supersedes the Suket
    card = next(d for d in w.documents() if d.kind is DocumentKind.CARD)
    assert _by_id(w, old.document_id).superseded_by == card.document_id
    with pytest.raises(CardAlreadyPrinted):
        w.service.renew_suket(DINAS, old.document_id)
    verification = w.service.verify_document(old.qr_payload)
    assert verification.result is VerificationResult.SUPERSEDED and "KTP-el" in verification.reason


def test_renewal_is_refused_when_the_recording_is_no_longer_print_ready(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    w.enrolment.recordings[REG] = factories.recording(REG, print_ready=False)
    with pytest.raises(NotPrintReady):
        w.service.renew_suket(DINAS, old.document_id)


@pytest.mark.parametrize("actor", [LURAH, Principal("kec.selat", Role.OPERATOR_KECAMATAN, "62.03.01"),
                                   Principal("auditor", Role.AUDITOR, "62")])
def test_only_the_dinas_renews_or_voids_a_lurah_never(world, actor):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    with pytest.raises(PermissionDenied):
        w.service.renew_suket(actor, old.document_id)
    with pytest.raises(PermissionDenied):
        w.service.void_document(actor, old.document_id, "keliru")
    assert _by_id(w, old.document_id).status is DocumentStatus.ISSUED


def test_the_dinas_of_another_kabupaten_neither_renews_nor_voids(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    with pytest.raises(PermissionDenied):
        w.service.renew_suket(TANAH_BUMBU_DINAS, old.document_id)
    with pytest.raises(PermissionDenied):
        w.service.void_document(TANAH_BUMBU_DINAS, old.document_id, "keliru")


@pytest.mark.parametrize("call", ["renew", "void"])
def test_an_unknown_document_is_not_found(world, call):
    w = world()
    unknown = "7d1c2b3a-0000-4000-8000-0000000000ff"
    with pytest.raises(DocumentNotFound):
        if call == "renew":
            w.service.renew_suket(DINAS, unknown)
        else:
            w.service.void_document(DINAS, unknown, "keliru")


def test_a_voided_suket_verifies_as_void_and_is_audited(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    voided = w.service.void_document(DINAS, suket.document_id, "  diterbitkan untuk orang yang salah ")
    assert (voided.status, voided.void_reason) == (DocumentStatus.VOID, "diterbitkan untuk orang yang salah")
    stored = _by_id(w, suket.document_id)
    assert (stored.status, stored.void_reason, stored.voided_at is not None) == (DocumentStatus.VOID, voided.void_reason,
                                                                                 True)
    assert _outbox(w)[-1] == "ektp.documents.v1.DocumentVoided"
    assert w.audit()[-1][2:4] == ("document.void", suket.document_id)
    assert w.service.verify_document(suket.qr_payload).result is VerificationResult.VOID


def test_voiding_again_returns_the_void_document_unchanged(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    w.service.void_document(DINAS, suket.document_id, "diterbitkan keliru")
    again = w.service.void_document(DINAS, suket.document_id, "alasan lain")
    assert (again.status, again.void_reason) == (DocumentStatus.VOID, "diterbitkan keliru")
    assert _outbox(w).count("ektp.documents.v1.DocumentVoided") == 1


def test_a_superseded_suket_is_not_voided(world):
    w = world()
    old = w.service.issue_suket(DINAS, REG)
    w.service.renew_suket(DINAS, old.document_id)
    with pytest.raises(WrongDocumentState):
        w.service.void_document(DINAS, old.document_id, "keliru")


def test_voiding_needs_a_reason(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    with pytest.raises(InvalidDocumentRequest) as caught:
        w.service.void_document(DINAS, suket.document_id, "  ")
    assert caught.value.violations[0].field == "reason"


def test_the_expiry_job_expires_each_suket_once_with_an_event(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    assert w.service.expire_sukets(EXPIRY_JOB) == 0   # still valid
    w.minutes += 200 * DAY
    assert w.service.expire_sukets(EXPIRY_JOB) == 1
    assert w.service.expire_sukets(EXPIRY_JOB) == 0
    assert _by_id(w, suket.document_id).status is DocumentStatus.EXPIRED
    assert _outbox(w).count("ektp.documents.v1.SuketExpired") == 1
    assert w.service.verify_document(suket.qr_payload).result is VerificationResult.EXPIRED


def test_the_expiry_job_of_an_officer_covers_only_their_region(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    w.minutes += 200 * DAY
    assert w.service.expire_sukets(TANAH_BUMBU_DINAS) == 0
    assert _by_id(w, suket.document_id).status is DocumentStatus.ISSUED
    with pytest.raises(PermissionDenied):
        w.service.expire_sukets(LURAH)
    assert w.service.expire_sukets(DINAS) == 1


def test_the_expiry_job_works_through_more_than_one_batch(world, monkeypatch):
    from documents import service as service_module
    monkeypatch.setattr(service_module, "EXPIRY_BATCH", 2)
    w = world()
    numbers = [factories.register_number(n) for n in range(10, 15)]
    for number in numbers:
        w.enrolment.recordings[number] = factories.recording(number)
        w.service.issue_suket(DINAS, number)
    w.minutes += 200 * DAY
    assert w.service.expire_sukets(EXPIRY_JOB) == 5
    assert _outbox(w).count("ektp.documents.v1.SuketExpired") == 5


def test_the_published_keys_verify_what_the_service_signs(world):
    w = world()
    [jwk] = w.service.published_keys()["keys"]
    assert jwk["kid"] == w.signer.key_id and "d" not in jwk   # never the private part
