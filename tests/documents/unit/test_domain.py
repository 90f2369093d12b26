import datetime as dt

import pytest

from documents import domain
from documents.domain import DocumentKind, DocumentStatus, Issuer, IssuerPolicy
from documents.errors import InvalidDocumentRequest, WrongDocumentState
from tests.documents import factories

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(("issued", "valid_until"), [
    (dt.date(2026, 1, 15), dt.date(2026, 7, 15)),
    (dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
    (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),  # leap year
    (dt.date(2026, 12, 31), dt.date(2027, 6, 30)),
    (dt.date(2026, 7, 1), dt.date(2027, 1, 1)),
])
def test_suket_is_valid_six_calendar_months_clamped_to_month_end(issued, valid_until):
    assert domain.suket_valid_until(issued) == valid_until


def test_local_date_is_the_date_in_wib():
    assert domain.local_date(dt.datetime(2026, 8, 30, 17, 30, tzinfo=dt.timezone.utc)) == dt.date(2026, 8, 31)


@pytest.mark.parametrize("value", ["6203-20261128-000001", " 6310-20161101-123456 "])
def test_register_number_in_the_enrolment_format_is_accepted(value):
    assert domain.check_register_number(value) == value.strip()


@pytest.mark.parametrize("value", ["", "6203-2026-1", "62.03-20261128-000001", "6203-20261340-000001",
                                   "6203-20261128-0000011"])
def test_malformed_register_number_names_the_field(value):
    with pytest.raises(InvalidDocumentRequest) as caught:
        domain.check_register_number(value)
    assert [v.field for v in caught.value.violations] == ["register_number"]


def test_document_id_must_be_a_uuid():
    with pytest.raises(InvalidDocumentRequest) as caught:
        domain.check_document_id("not-a-uuid")
    assert caught.value.violations[0].field == "document_id"


def _suket() -> domain.Document:
    document, _ = domain.suket("d-1", factories.recording(), dt.date(2027, 5, 28), "EKTP1.x.y", b"%PDF", NOW)
    return document


def test_a_card_supersedes_an_issued_suket():
    suket = _suket()
    card, _ = domain.card_print_job("d-2", factories.recording(), "0001", b"%PDF", NOW)
    event = suket.supersede(card)
    assert suket.status is DocumentStatus.SUPERSEDED and suket.superseded_by == "d-2"
    assert event == domain.SuketSuperseded("d-1", suket.register_number, suket.region_code, "d-2")


@pytest.mark.parametrize("make", ["card", "superseded suket"])
def test_only_an_issued_suket_can_be_superseded(make):
    card, _ = domain.card_print_job("d-2", factories.recording(), "0001", b"%PDF", NOW)
    target = card
    if make == "superseded suket":
        target = _suket()
        target.supersede(card)
    with pytest.raises(WrongDocumentState):
        target.supersede(card)


def test_new_documents_carry_the_residents_region_and_kind():
    card, printed = domain.card_print_job("d-2", factories.recording(), "0001", b"%PDF", NOW)
    assert (card.kind, card.status, card.region_code) == (DocumentKind.CARD, DocumentStatus.PRINTED,
                                                          factories.VILLAGE)
    assert printed.card_serial == "0001" and printed.region_code == factories.VILLAGE


def test_resident_repr_never_shows_personal_data():
    resident = factories.recording().resident
    assert resident.nik not in repr(resident) and resident.full_name not in repr(resident)


def test_a_suket_is_issued_in_the_name_of_the_recording_office():
    policy = IssuerPolicy("Kepala Dinas", {"62.03": "Kuala Kapuas"})
    kapuas = policy.for_office("62.03", "Kabupaten Kapuas")
    tanah_bumbu = policy.for_office("63.10", "Kabupaten Tanah Bumbu")
    assert (kapuas.name, kapuas.place) == ("Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kapuas", "Kuala Kapuas")
    assert (tanah_bumbu.name, tanah_bumbu.place) == (
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tanah Bumbu", "Tanah Bumbu")
    assert tanah_bumbu.signatory_title == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tanah Bumbu"
    assert Issuer("Dinas X", "Sekretaris", "Y").signatory_title == "Sekretaris Dinas X"


def test_the_dinas_office_of_a_scope_is_its_kabupaten_and_none_above_it():
    assert domain.office_of("62.03.01.1006") == domain.office_of("62.03") == "62.03"
    assert domain.office_of("62") == domain.office_of("ID") == ""
