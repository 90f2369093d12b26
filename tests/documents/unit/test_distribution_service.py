"""Shortage letters and distribution use cases with fake neighbours, the real renderer and
document store, on a real (SQLite) database."""
import datetime as dt
import hashlib
import logging
import uuid

import pytest
import sqlalchemy as sa

from documents import db, domain
from documents.distribution import BatchStatus
from documents.distribution_service import DistributionService
from documents.domain import IssuerPolicy
from documents.errors import BatchNotFound, DocumentNotFound, InvalidDocumentRequest, NotOutOfStock, WrongBatchState
from documents.metrics import DocumentsMetrics
from documents.render_letters import LetterRenderer
from documents.store import EncryptedDocumentStore, FileStore
from documents.unit_of_work import unit_of_work_factory
from servicekit.access import Principal, Role
from servicekit.db import create_engine
from servicekit.errors import PermissionDenied, Unavailable
from servicekit.fieldcrypto import FieldCipher, Keyring
from servicekit.metrics import ServiceMetrics
from tests.documents import factories, pdfs
from tests.documents.fakes import FakeEnrolment, FakeInventory

NOV_28_WIB = dt.datetime(2016, 11, 28, 2, 0, tzinfo=dt.timezone.utc)
DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, "62.03", origin="10.0.0.7")
SELAT = Principal("operator.selat", Role.OPERATOR_KECAMATAN, "62.03.01", origin="10.0.0.8")
LURAH = Principal("lurah.murung", Role.LURAH, "62.03.01.1006")
TANAH_BUMBU = Principal("operator.tanbu", Role.OPERATOR_DINAS, "63.10")


class World:
    def __init__(self, url: str, tmp_path) -> None:
        self.engine = create_engine(url)
        db.metadata.create_all(self.engine)
        cipher = FieldCipher(Keyring.load(tmp_path / "keys", create=True))
        self.store = EncryptedDocumentStore(FileStore(tmp_path / "store"), cipher)
        self.uow = unit_of_work_factory(self.engine, cipher, self.store)
        self.enrolment = FakeEnrolment()
        self.inventory = FakeInventory()
        self.service = DistributionService(
            uow=self.uow, enrolment=self.enrolment, inventory=self.inventory, renderer=LetterRenderer(),
            issuers=IssuerPolicy("Kepala Dinas", {"62.03": "Kuala Kapuas"}),
            verify_url="https://dokumen.kapuas.example/verifikasi",
            metrics=DocumentsMetrics(ServiceMetrics("documents")), clock=lambda: NOV_28_WIB)

    def printed_card(self, serial: int, village: str = factories.VILLAGE) -> domain.Document:
        """A printed card of a new recording (as the print path stores it)."""
        number = factories.register_number(serial)
        recording = factories.recording(number, seed=serial, village=village)
        self.enrolment.recordings[number] = recording
        card, _ = domain.card_print_job(str(uuid.uuid4()), recording, f"{serial:010d}", b"%PDF card", NOV_28_WIB)
        with self.uow() as uow:
            uow.documents.add(card)
            uow.commit()
        return card

    def outbox_types(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(db.outbox.c.type).order_by(db.outbox.c.sequence)).scalars())

    def audit_actions(self) -> list[tuple[str, str]]:
        t = db.audit_log
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.select(t.c.action, t.c.record_id).order_by(t.c.seq))]


@pytest.fixture
def world(sqlite_url, tmp_path):
    made = World(sqlite_url, tmp_path)
    yield made
    made.engine.dispose()


# ---- shortage letters ---------------------------------------------------------------------

def test_no_shortage_letter_while_the_office_has_blanks(world):
    world.inventory.stock = ["0000000001"]
    with pytest.raises(NotOutOfStock):
        world.service.create_shortage_letters(DINAS, "62.03")
    assert world.service.letter_sets(DINAS, "62.03") == [] and world.outbox_types() == []


def test_one_numbered_letter_per_kecamatan_and_village_and_a_dispatch_list(world):
    created = world.service.create_shortage_letters(DINAS, "62.03")
    letters = created.letter_set.letters
    assert [(x.letter_number, x.recipient_name) for x in letters] == [
        ("470/001/Disdukcapil/2016", "Camat Selat"), ("470/002/Disdukcapil/2016", "Lurah Murung Keramat"),
        ("470/003/Disdukcapil/2016", "Kepala Desa Terusan Tengah"), ("470/004/Disdukcapil/2016", "Camat Kapuas Hilir"),
        ("470/005/Disdukcapil/2016", "Kepala Desa Sei Asam")]
    _, pdf = world.service.letter_pdf(DINAS, letters[0].letter_id)
    text = " ".join(pdfs.text(pdf).split())
    assert pdfs.has_size(pdf, pdfs.A4_POINTS)
    for expected in ("470/001/Disdukcapil/2016", "Camat Selat", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN KAPUAS",
                     "Kuala Kapuas, 28 November 2016", "tersedia 0 lembar", "6 (enam) bulan",
                     "https://dokumen.kapuas.example/verifikasi", "kekuatan hukum", "Tender 2016 berstatus ditunda",
                     "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kapuas"):
        assert expected in text, expected
    dispatch = " ".join(pdfs.text(created.dispatch_list_pdf).split())
    assert all(x.letter_number in dispatch and x.recipient_name in dispatch for x in letters)
    assert "Tanda tangan" in dispatch
    assert world.outbox_types() == ["ektp.documents.v1.ShortageLettersSent"]
    assert world.audit_actions() == [("letters.create", created.letter_set.set_id)]


def test_a_retry_with_the_same_request_id_returns_the_same_set_and_numbering_goes_on(world):
    request_id = str(uuid.uuid4())
    first = world.service.create_shortage_letters(DINAS, "62.03", request_id)
    again = world.service.create_shortage_letters(DINAS, "62.03", request_id)
    assert again.letter_set.set_id == first.letter_set.set_id and again.dispatch_list_pdf == first.dispatch_list_pdf
    later = world.service.create_shortage_letters(DINAS, "62.03")
    assert later.letter_set.letters[0].letter_number == "470/006/Disdukcapil/2016"
    assert [len(s.letters) for s in world.service.letter_sets(DINAS, "62.03")] == [5, 5]
    assert len(world.service.list_shortage_letters(DINAS, "62.03")) == 10


def test_stored_letters_keep_their_sha256(world):
    created = world.service.create_shortage_letters(DINAS, "62.03")
    letter = created.letter_set.letters[0]
    _, pdf = world.service.letter_pdf(DINAS, letter.letter_id)
    assert hashlib.sha256(pdf).hexdigest() == letter.pdf_sha256


@pytest.mark.parametrize("actor", [LURAH, SELAT, TANAH_BUMBU, Principal("auditor", Role.AUDITOR, "62")])
def test_only_the_dinas_of_the_kabupaten_writes_shortage_letters(world, actor):
    with pytest.raises(PermissionDenied):
        world.service.create_shortage_letters(actor, "62.03")


def test_a_malformed_office_is_refused_on_its_field(world):
    with pytest.raises(InvalidDocumentRequest) as refused:
        world.service.create_shortage_letters(DINAS, "62.03.01")
    assert refused.value.violations[0].field == "office_code"


# ---- distribution -------------------------------------------------------------------------

def test_printed_cards_are_packed_per_kecamatan_with_a_manifest_naming_each_resident(world):
    selat = [world.printed_card(1), world.printed_card(2, factories.MURUNG_KERAMAT)]
    hilir = world.printed_card(3, "62.03.02.2003")
    batches = world.service.create_distribution_batches(DINAS, "62.03")
    assert [(b.district_code, b.card_count, b.status) for b in batches] == [
        ("62.03.01", 2, BatchStatus.PACKED), ("62.03.02", 1, BatchStatus.PACKED)]
    batch, manifest = world.service.get_batch(DINAS, batches[0].batch_id, include_manifest=True)
    text = pdfs.text(manifest)
    for card in selat:
        assert card.register_number in text
        assert world.enrolment.recordings[card.register_number].resident.full_name.upper() in text
    assert hilir.register_number not in text
    assert world.service.create_distribution_batches(DINAS, "62.03") == []   # nothing left to pack
    assert ("batch.manifest_read", batch.batch_id) in world.audit_actions()


def received_batch(world, *serials: int):
    for serial in serials or (1,):
        world.printed_card(serial)
    [batch] = world.service.create_distribution_batches(DINAS, "62.03")
    world.service.dispatch_batch(DINAS, batch.batch_id)
    world.service.receive_batch(SELAT, batch.batch_id)
    return batch


def test_dispatch_receive_and_hand_over_close_the_batch_with_their_events(world):
    batch = received_batch(world, 1, 2)
    receipt = world.service.receipt_pdf(SELAT, batch.batch_id)
    assert "BERITA ACARA SERAH TERIMA" in pdfs.text(receipt) and batch.batch_id in pdfs.text(receipt)
    for card in batch.cards:
        nik = world.enrolment.recordings[card.register_number].resident.nik
        handed = world.service.hand_over_card(SELAT, card.document_id, nik)
        assert handed.handed_over_at is not None
    done, _ = world.service.get_batch(DINAS, batch.batch_id)
    assert done.status is BatchStatus.CLOSED and done.handed_over_count == 2
    assert world.outbox_types() == ["ektp.documents.v1.BatchDispatched", "ektp.documents.v1.BatchReceived",
                                    "ektp.documents.v1.CardHandedOver", "ektp.documents.v1.CardHandedOver"]


def test_a_wrong_nik_is_refused_on_its_field_audited_and_never_logged(world, caplog):
    batch = received_batch(world)
    [card] = batch.cards
    other = factories.recording(factories.register_number(99), seed=99).resident.nik
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InvalidDocumentRequest) as refused:
        world.service.hand_over_card(SELAT, card.document_id, other)
    assert [v.field for v in refused.value.violations] == ["nik"]
    assert ("card.hand_over_refused", card.document_id) in world.audit_actions()
    assert other not in caplog.text
    assert world.service.get_batch(DINAS, batch.batch_id)[0].handed_over_count == 0
    assert "ektp.documents.v1.CardHandedOver" not in world.outbox_types()


def test_a_retried_dispatch_or_receive_changes_nothing(world):
    world.printed_card(1)
    [batch] = world.service.create_distribution_batches(DINAS, "62.03")
    first = world.service.dispatch_batch(DINAS, batch.batch_id)
    assert world.service.dispatch_batch(DINAS, batch.batch_id).dispatched_at == first.dispatched_at
    _, receipt = world.service.receive_batch(SELAT, batch.batch_id)
    again, receipt_again = world.service.receive_batch(DINAS, batch.batch_id)
    assert again.status is BatchStatus.RECEIVED and receipt_again == receipt
    with pytest.raises(WrongBatchState):
        world.service.dispatch_batch(DINAS, batch.batch_id)
    assert world.outbox_types() == ["ektp.documents.v1.BatchDispatched", "ektp.documents.v1.BatchReceived"]


def test_nothing_is_received_or_handed_over_before_dispatch(world):
    world.printed_card(1)
    [batch] = world.service.create_distribution_batches(DINAS, "62.03")
    nik = world.enrolment.recordings[batch.cards[0].register_number].resident.nik
    with pytest.raises(WrongBatchState):
        world.service.receive_batch(SELAT, batch.batch_id)
    with pytest.raises(WrongBatchState):
        world.service.hand_over_card(SELAT, batch.cards[0].document_id, nik)


@pytest.mark.parametrize("step", ["create", "dispatch", "receive", "hand_over", "manifest"])
def test_a_lurah_can_do_none_of_the_distribution(world, step):
    batch = received_batch(world)
    card = batch.cards[0]
    nik = world.enrolment.recordings[card.register_number].resident.nik
    calls = {"create": lambda: world.service.create_distribution_batches(LURAH, "62.03"),
             "dispatch": lambda: world.service.dispatch_batch(LURAH, batch.batch_id),
             "receive": lambda: world.service.receive_batch(LURAH, batch.batch_id),
             "hand_over": lambda: world.service.hand_over_card(LURAH, card.document_id, nik),
             "manifest": lambda: world.service.get_batch(LURAH, batch.batch_id, include_manifest=True)}
    with pytest.raises(PermissionDenied):
        calls[step]()


def test_another_kecamatan_cannot_receive_or_hand_over(world):
    batch = received_batch(world)
    hilir = Principal("operator.hilir", Role.OPERATOR_KECAMATAN, "62.03.02")
    card = batch.cards[0]
    with pytest.raises(PermissionDenied):
        world.service.receive_batch(hilir, batch.batch_id)
    with pytest.raises(PermissionDenied):
        world.service.hand_over_card(hilir, card.document_id,
                                     world.enrolment.recordings[card.register_number].resident.nik)
    assert world.service.list_batches(hilir, "62.03") == []
    assert [b.batch_id for b in world.service.list_batches(SELAT, "62.03")] == [batch.batch_id]


def test_unknown_batches_and_cards_are_not_found(world):
    with pytest.raises(BatchNotFound):
        world.service.dispatch_batch(DINAS, str(uuid.uuid4()))
    with pytest.raises(DocumentNotFound):
        world.service.hand_over_card(DINAS, str(uuid.uuid4()), "6203011203900001")


def test_inventory_out_of_reach_is_not_out_of_stock_and_writes_no_letter(world):
    world.inventory.unreachable = True
    with pytest.raises(Unavailable):
        world.service.create_shortage_letters(DINAS, "62.03")
    assert world.service.letter_sets(DINAS, "62.03") == [] and world.outbox_types() == []


def test_a_card_voided_after_packing_is_not_handed_over(world):
    batch = received_batch(world)
    [card] = batch.cards
    with world.uow() as uow:
        document = uow.documents.get(card.document_id)
        document.void("dicetak ulang: foto buram", NOV_28_WIB)
        uow.documents.save_status(document)
        uow.commit()
    nik = world.enrolment.recordings[card.register_number].resident.nik
    with pytest.raises(WrongBatchState, match="dibatalkan"):
        world.service.hand_over_card(SELAT, card.document_id, nik)
    assert world.service.get_batch(DINAS, batch.batch_id)[0].handed_over_count == 0
