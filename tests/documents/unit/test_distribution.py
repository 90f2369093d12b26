"""Rules of shortage letters and distribution batches (documents.distribution), pure."""
import datetime as dt
import itertools

import pytest

from documents import distribution
from documents.distribution import (
    BatchCard,
    BatchDispatched,
    BatchReceived,
    BatchStatus,
    CardHandedOver,
    Recipient,
    RecipientKind,
    Region,
    StockState,
)
from documents.errors import InvalidDocumentRequest, NotOutOfStock, WrongBatchState
from servicekit.errors import FailedPrecondition

NOW = dt.datetime(2016, 11, 28, 3, 0, tzinfo=dt.timezone.utc)


def ids():
    counter = itertools.count(1)
    return lambda: f"id-{next(counter)}"


def card(n: int, village: str = "62.03.01.2001") -> BatchCard:
    return BatchCard(f"doc-{n}", f"6203-20161128-{n:06d}", village)


def stock(available: int, level: str = "") -> StockState:
    return StockState("62.03", available, available, None, level or ("out" if available == 0 else "ok"), None, "")


# ---- numbering and recipients -------------------------------------------------------------

@pytest.mark.parametrize(("sequence", "year", "expected"), [
    (1, 2016, "470/001/Disdukcapil/2016"), (7, 2016, "470/007/Disdukcapil/2016"),
    (1234, 2017, "470/1234/Disdukcapil/2017")])
def test_letter_number_counts_per_dinas_and_year(sequence, year, expected):
    assert distribution.letter_number(sequence, year) == expected


def test_letter_numbers_start_at_one():
    with pytest.raises(ValueError):
        distribution.letter_number(0, 2016)


def test_recipients_are_each_kecamatan_followed_by_its_kelurahan_and_desa_with_their_titles():
    districts = [Region("62.03.02", "Kapuas Hilir"), Region("62.03.01", "Selat")]
    villages = {"62.03.01": [Region("62.03.01.2001", "Terusan Tengah"), Region("62.03.01.1006", "Murung Keramat", True)],
                "62.03.02": [Region("62.03.02.2003", "Sei Asam")]}
    made = distribution.recipients(districts, villages)
    assert [r.title for r in made] == ["Camat Selat", "Lurah Murung Keramat", "Kepala Desa Terusan Tengah",
                                       "Camat Kapuas Hilir", "Kepala Desa Sei Asam"]
    assert made[1].kind is RecipientKind.KELURAHAN


def test_a_letter_set_numbers_its_letters_consecutively_from_the_next_free_number():
    to = [Recipient("62.03.01", "Selat", RecipientKind.KECAMATAN),
          Recipient("62.03.01.2001", "Terusan Tengah", RecipientKind.DESA)]
    letter_set = distribution.plan_letter_set("62.03", "req", to, 12, NOW, 2016, ids())
    assert [x.letter_number for x in letter_set.letters] == ["470/012/Disdukcapil/2016", "470/013/Disdukcapil/2016"]
    assert [x.recipient_name for x in letter_set.letters] == ["Camat Selat", "Kepala Desa Terusan Tengah"]
    assert {x.set_id for x in letter_set.letters} == {letter_set.set_id}


def test_a_letter_set_without_recipients_is_refused():
    with pytest.raises(InvalidDocumentRequest) as refused:
        distribution.plan_letter_set("62.03", "req", [], 1, NOW, 2016)
    assert refused.value.violations[0].field == "office_code"


@pytest.mark.parametrize("state", [stock(1), stock(250), stock(3, "low")])
def test_a_shortage_letter_is_refused_while_the_office_has_blanks(state):
    with pytest.raises(NotOutOfStock) as refused:
        distribution.require_out_of_stock(state)
    assert isinstance(refused.value, FailedPrecondition)


@pytest.mark.parametrize("state", [stock(0), stock(0, "out")])
def test_a_shortage_letter_is_allowed_when_the_blanks_are_out(state):
    distribution.require_out_of_stock(state)


# ---- packing ------------------------------------------------------------------------------

def test_cards_are_grouped_per_kecamatan_of_the_resident_by_register_number():
    cards = [card(3, "62.03.02.2003"), card(2, "62.03.01.1006"), card(1, "62.03.01.2001")]
    batches = distribution.pack(cards, "62.03", NOW, make_id=ids())
    assert [(b.district_code, [c.document_id for c in b.cards]) for b in batches] == [
        ("62.03.01", ["doc-1", "doc-2"]), ("62.03.02", ["doc-3"])]
    assert all(b.status is BatchStatus.PACKED and b.card_count == len(b.cards) for b in batches)


def test_a_kecamatan_with_more_cards_than_a_package_holds_gets_several_batches():
    batches = distribution.pack([card(n) for n in range(1, 8)], "62.03", NOW, capacity=3, make_id=ids())
    assert [len(b.cards) for b in batches] == [3, 3, 1]
    assert {b.district_code for b in batches} == {"62.03.01"}


def test_no_cards_no_batches():
    assert distribution.pack([], "62.03", NOW) == []


# ---- transitions --------------------------------------------------------------------------

def packed(*cards: BatchCard):
    return distribution.pack(cards or [card(1), card(2)], "62.03", NOW, make_id=ids())[0]


def test_a_packed_batch_is_dispatched_once_with_its_cards():
    batch = packed()
    event = batch.dispatch(NOW)
    assert isinstance(event, BatchDispatched) and event.region_code == "62.03.01"
    assert [c.document_id for c in event.cards] == ["doc-1", "doc-2"]
    assert batch.status is BatchStatus.DISPATCHED and batch.dispatched_at == NOW
    assert batch.dispatch(NOW) is None    # a retry changes nothing


def test_a_batch_is_received_only_after_it_was_dispatched():
    batch = packed()
    with pytest.raises(WrongBatchState):
        batch.receive(NOW)
    batch.dispatch(NOW)
    event = batch.receive(NOW)
    assert isinstance(event, BatchReceived) and event.cards == 2
    assert batch.status is BatchStatus.RECEIVED
    assert batch.receive(NOW) is None
    with pytest.raises(WrongBatchState):
        batch.dispatch(NOW)


@pytest.mark.parametrize("steps", [0, 1])
def test_no_card_is_handed_over_before_the_kecamatan_received_the_batch(steps):
    batch = packed()
    if steps:
        batch.dispatch(NOW)
    with pytest.raises(WrongBatchState):
        batch.hand_over("doc-1", NOW)


def test_the_batch_closes_when_its_last_card_is_handed_over():
    batch = packed()
    batch.dispatch(NOW)
    batch.receive(NOW)
    first = batch.hand_over("doc-1", NOW)
    assert isinstance(first, CardHandedOver) and first.batch_id == batch.batch_id
    assert batch.status is BatchStatus.RECEIVED and batch.handed_over_count == 1
    assert batch.hand_over("doc-1", NOW) is None     # twice: nothing new
    batch.hand_over("doc-2", NOW)
    assert batch.status is BatchStatus.CLOSED and batch.closed_at == NOW and batch.handed_over_count == 2


def test_a_card_of_another_batch_cannot_be_handed_over_from_this_one():
    batch = packed()
    batch.dispatch(NOW)
    batch.receive(NOW)
    with pytest.raises(ValueError):
        batch.hand_over("doc-99", NOW)


# ---- the handover identity check ----------------------------------------------------------

@pytest.mark.parametrize("typed", ["", "62030112345", "6203011203900001x", "abcdabcdabcdabcd"])
def test_a_malformed_nik_is_refused_on_the_nik_field(typed):
    with pytest.raises(InvalidDocumentRequest) as refused:
        distribution.check_nik(typed)
    assert [v.field for v in refused.value.violations] == ["nik"]


def test_another_persons_nik_is_refused_on_the_nik_field_without_showing_either():
    with pytest.raises(InvalidDocumentRequest) as refused:
        distribution.require_same_person("6203011203900001", "6203011203900002")
    [violation] = refused.value.violations
    assert violation.field == "nik"
    assert "6203011203900001" not in str(refused.value) + violation.description
    assert "6203011203900002" not in str(refused.value) + violation.description


def test_the_same_nik_passes():
    distribution.require_same_person(distribution.check_nik(" 6203011203900001 "), "6203011203900001")
