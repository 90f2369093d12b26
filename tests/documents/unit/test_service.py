"""Use cases with fake neighbours on a real database: the feed, and the officer's reads."""
import datetime as dt
import hashlib
import pathlib

import pytest
import sqlalchemy as sa

from documents import db, domain
from documents.domain import DocumentKind, DocumentStatus, FeedEvent, IssuerPolicy, PrintReady
from documents.errors import DocumentNotFound, InvalidDocumentRequest, StoredDocumentCorrupt, UpstreamError
from documents.metrics import DocumentsMetrics
from documents.service import Backoff, DocumentsService
from documents.signing import Ed25519Signer
from documents.store import EncryptedDocumentStore, FileStore
from documents.unit_of_work import unit_of_work_factory
from servicekit import outbox
from servicekit.access import Principal, Role
from servicekit.db import create_engine
from servicekit.errors import FailedPrecondition, NotFound, PermissionDenied
from servicekit.fieldcrypto import FieldCipher, Keyring
from servicekit.metrics import ServiceMetrics
from tests.documents import factories
from tests.documents.fakes import FakeEnrolment, FakeInventory, FakeRenderer

AUG_31_WIB = dt.datetime(2026, 8, 31, 2, 0, tzinfo=dt.timezone.utc)
REG = factories.register_number(1)
CONSUMER = Principal.service("documents", origin="consumer")
DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, "62.03", origin="10.0.0.7")


class World:
    def __init__(self, url: str, stock: list[str], keys: pathlib.Path) -> None:
        self.engine = create_engine(url)
        db.metadata.create_all(self.engine)
        self.enrolment = FakeEnrolment(factories.recording(REG))
        self.inventory = FakeInventory(stock)
        self.renderer = FakeRenderer()
        self.sleeps: list[float] = []   # backoff waits while a neighbour is unreachable (not slept)
        self.signer = Ed25519Signer.generate()
        self.metrics = DocumentsMetrics(ServiceMetrics("documents"))
        self.cipher = FieldCipher(Keyring.load(keys, create=True))
        self.files = FileStore(keys.parent / "store")
        self.store = EncryptedDocumentStore(self.files, self.cipher)
        self.service = DocumentsService(
            uow=unit_of_work_factory(self.engine, self.cipher, self.store), enrolment=self.enrolment, inventory=self.inventory,
            renderer=self.renderer, signer=self.signer, issuers=IssuerPolicy("Kepala Dinas", {}),
            metrics=self.metrics, clock=self.tick, retry=Backoff(sleep=self.sleeps.append))
        self.sequence = 0
        self.minutes = 0

    def tick(self) -> dt.datetime:
        """31 Aug 2026 in WIB, a minute later at every call (documents list in issue order)."""
        self.minutes += 1
        return AUG_31_WIB + dt.timedelta(minutes=self.minutes)

    def print_ready(self, register_number: str = REG) -> FeedEvent:
        self.sequence += 1
        event = FeedEvent("enrolment", f"event-{self.sequence}", self.sequence,
                          PrintReady(register_number, factories.OFFICE, factories.VILLAGE))
        self.service.apply(CONSUMER, event)
        return event

    def documents(self, register_number: str = REG) -> list[domain.Document]:
        return self.service.list_documents(DINAS, register_number)

    def outbox_types(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(db.outbox.c.type).order_by(db.outbox.c.sequence)).scalars())

    def issued_count(self, kind: str) -> float:
        return self.metrics.issued.labels(kind, factories.OFFICE)._value.get()

    def audit(self) -> list[tuple[str, str, str, str, str]]:
        """(actor, role, action, record id, origin) of every audit entry, in order."""
        t = db.audit_log
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(
                sa.select(t.c.actor, t.c.role, t.c.action, t.c.record_id, t.c.origin).order_by(t.c.seq))]


@pytest.fixture
def world(sqlite_url, tmp_path):
    made = []

    def make(stock: list[str] | None = None) -> World:
        made.append(World(sqlite_url, stock or [], tmp_path / "data-keys"))
        return made[-1]
    yield make
    for w in made:
        w.engine.dispose()


def test_suket_is_issued_when_office_has_no_blanks(world):
    w = world()
    w.print_ready()
    [suket] = w.documents()
    assert (suket.kind, suket.status) == (DocumentKind.SUKET, DocumentStatus.ISSUED)
    assert suket.valid_until == dt.date(2027, 2, 28)  # 31 Aug + 6 months, clamped
    assert w.outbox_types() == ["ektp.documents.v1.PrintJobQueued", "ektp.documents.v1.SuketIssued"]
    assert w.service.verify_document(suket.qr_payload).claim.document_id == suket.document_id
    assert w.renderer.sukets[0].valid_until == dt.date(2027, 2, 28)
    assert w.issued_count("suket") == 1


def test_card_is_printed_and_the_reserved_serial_consumed_when_stock_exists(world):
    w = world(["000123"])
    w.print_ready()
    [card] = w.documents()
    assert (card.kind, card.status, card.card_serial) == (DocumentKind.CARD, DocumentStatus.PRINTED, "000123")
    assert w.inventory.consumed == [(f"card:{REG}", "000123")]
    assert w.renderer.cards[0].card_serial == "000123"
    assert w.outbox_types() == ["ektp.documents.v1.CardPrinted"]
    assert w.service.document_pdf(DINAS, card.document_id) == b"%PDF card 000123"


def test_card_supersedes_the_issued_suket_of_the_same_register_number(world):
    w = world()
    w.print_ready()
    w.inventory.stock.append("000777")
    w.print_ready()
    suket, card = w.documents()
    assert (suket.status, suket.superseded_by) == (DocumentStatus.SUPERSEDED, card.document_id)
    assert card.status is DocumentStatus.PRINTED
    assert w.outbox_types() == ["ektp.documents.v1.PrintJobQueued", "ektp.documents.v1.SuketIssued",
                                "ektp.documents.v1.SuketSuperseded", "ektp.documents.v1.CardPrinted"]


@pytest.mark.parametrize("down", ["inventory", "enrolment"])
def test_unreachable_dependency_raises_and_stores_nothing(world, down):
    w = world()
    getattr(w, down).unreachable = True
    with pytest.raises(UpstreamError):
        w.print_ready()
    assert w.documents() == [] and w.outbox_types() == []
    assert outbox.read_cursor(w.engine, "enrolment") == 0  # the consumer retries from here


def test_replay_of_the_same_event_issues_no_second_document(world):
    w = world()
    event = w.print_ready()
    w.service.apply(CONSUMER, event)
    assert len(w.documents()) == 1 and len(w.renderer.sukets) == 1


def test_new_print_ready_while_still_out_of_stock_keeps_the_one_suket(world):
    w = world()
    w.print_ready()
    w.print_ready()
    assert len(w.documents()) == 1
    assert outbox.read_cursor(w.engine, "enrolment") == 2


def test_new_print_ready_after_the_card_printed_prints_nothing(world):
    w = world(["000001", "000002"])
    w.print_ready()
    w.print_ready()
    assert [d.card_serial for d in w.documents()] == ["000001"]
    assert w.inventory.stock == ["000002"]


def test_crash_after_consume_replays_with_the_same_serial(world):
    w = world(["000050", "000051"])
    event = FeedEvent("enrolment", "event-x", 1, PrintReady(REG, factories.OFFICE, factories.VILLAGE))
    failing = unit_of_work_factory(w.engine, w.cipher, w.store)

    def crash_on_write(readonly: bool = False):
        if not readonly:
            raise RuntimeError("crash before commit")
        return failing(readonly=True)
    w.service._uow = crash_on_write
    with pytest.raises(RuntimeError):
        w.service.apply(CONSUMER, event)
    w.service._uow = failing
    w.service.apply(CONSUMER, event)
    [card] = w.documents()
    assert card.card_serial == "000050" and w.inventory.consumed == [(f"card:{REG}", "000050")]


def test_recording_no_longer_print_ready_gets_no_document(world):
    w = world(["000001"])
    w.enrolment.recordings[REG] = factories.recording(REG, print_ready=False)
    w.print_ready()
    assert w.documents() == [] and w.inventory.stock == ["000001"]
    assert outbox.read_cursor(w.engine, "enrolment") == 1


def test_unknown_event_types_are_just_marked_applied(world):
    w = world()
    w.service.apply(CONSUMER, FeedEvent("enrolment", "other-1", 9, None))
    assert outbox.read_cursor(w.engine, "enrolment") == 9 and w.outbox_types() == []


def test_list_documents_refuses_a_malformed_register_number(world):
    with pytest.raises(InvalidDocumentRequest) as caught:
        world().service.list_documents(DINAS, "6203/1")
    assert caught.value.violations[0].field == "register_number"


def test_list_documents_of_an_unknown_register_number_is_empty(world):
    assert world().service.list_documents(DINAS, factories.register_number(99)) == []


def test_get_document_unknown_id_is_not_found(world):
    with pytest.raises(DocumentNotFound):
        world().service.get_document(DINAS, "0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e")


def test_overview_counts_by_outcome(world):
    w = world()
    w.print_ready()
    w.inventory.stock.append("000009")
    w.print_ready()
    overview = w.service.overview(DINAS)
    assert (overview.counts.cards_printed, overview.counts.sukets_issued, overview.counts.sukets_active,
            overview.counts.superseded) == (1, 1, 0, 1)
    assert len(overview.latest) == 2


# ---- the Suket counter ------------------------------------------------------------------

LURAH = Principal("lurah.terusan", Role.LURAH, factories.VILLAGE, origin="10.0.0.9")
TANAH_BUMBU_DINAS = Principal("operator.tanbu", Role.OPERATOR_DINAS, "63.10", origin="10.0.0.8")
TANAH_BUMBU_AUDITOR = Principal("auditor.kalsel", Role.AUDITOR, "63", origin="10.0.0.8")
REQUEST_ID = "7d1c2b3a-0000-4000-8000-000000000001"


def test_counter_issues_a_suket_for_a_print_ready_recording_and_audits_the_officer(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG)
    assert (suket.kind, suket.status, suket.register_number) == (DocumentKind.SUKET, DocumentStatus.ISSUED, REG)
    [listed] = w.documents()
    assert listed.document_id == suket.document_id and listed.qr_payload == suket.qr_payload
    assert w.outbox_types() == ["ektp.documents.v1.SuketIssued"]
    assert w.service.verify_document(suket.qr_payload).claim.document_id == suket.document_id
    assert w.audit() == [("operator.kapuas", "operator_dinas", "document.issue", suket.document_id, "10.0.0.7")]
    assert w.issued_count("suket") == 1


def test_counter_returns_the_active_suket_instead_of_issuing_a_second(world):
    w = world()
    w.print_ready()
    [first] = w.documents()
    again = w.service.issue_suket(DINAS, REG)
    assert again.document_id == first.document_id and len(w.documents()) == 1
    assert len(w.renderer.sukets) == 1
    assert w.outbox_types() == ["ektp.documents.v1.PrintJobQueued", "ektp.documents.v1.SuketIssued"]
    assert [a[2] for a in w.audit()] == ["document.issue", "document.read"]
    assert w.audit()[0][:2] == ("service:documents", "service") and w.audit()[0][4] == "consumer"


def test_a_retry_with_the_same_request_id_returns_that_suket_even_after_its_card_printed(world):
    w = world()
    suket = w.service.issue_suket(DINAS, REG, REQUEST_ID)
    assert suket.document_id == REQUEST_ID
    w.inventory.stock.append("000321")
    w.print_ready()  # the card prints and supersedes the Suket
    replayed = w.service.issue_suket(DINAS, REG, REQUEST_ID)
    assert (replayed.document_id, replayed.status) == (REQUEST_ID, DocumentStatus.SUPERSEDED)
    assert len(w.documents()) == 2


def test_a_request_id_already_used_for_another_register_number_is_refused(world):
    w = world()
    other = factories.register_number(2)
    w.enrolment.recordings[other] = factories.recording(other)
    w.service.issue_suket(DINAS, REG, REQUEST_ID)
    with pytest.raises(InvalidDocumentRequest) as caught:
        w.service.issue_suket(DINAS, other, REQUEST_ID)
    assert [v.field for v in caught.value.violations] == ["request_id"]
    assert w.documents(other) == []


def test_counter_refuses_a_recording_that_is_not_print_ready(world):
    w = world()
    w.enrolment.recordings[REG] = factories.recording(REG, print_ready=False)
    with pytest.raises(FailedPrecondition) as caught:
        w.service.issue_suket(DINAS, REG)
    assert caught.value.reason == "NOT_PRINT_READY" and "siap cetak" in caught.value.message
    assert w.documents() == [] and w.outbox_types() == [] and w.audit() == []


def test_counter_refuses_when_the_card_is_already_printed(world):
    w = world(["000001"])
    w.print_ready()
    with pytest.raises(FailedPrecondition) as caught:
        w.service.issue_suket(DINAS, REG)
    assert caught.value.reason == "CARD_ALREADY_PRINTED" and "sudah dicetak" in caught.value.message
    assert [d.kind for d in w.documents()] == [DocumentKind.CARD]


def test_counter_reports_an_unknown_register_number_as_not_found(world):
    with pytest.raises(NotFound):
        world().service.issue_suket(DINAS, factories.register_number(77))


@pytest.mark.parametrize("actor", [LURAH, Principal("operator.selat", Role.OPERATOR_KECAMATAN, "62.03.01"),
                                   Principal("auditor.kalteng", Role.AUDITOR, "62")])
def test_only_the_dinas_issues_a_suket_not_even_the_lurah_of_the_desa(world, actor):
    w = world()
    with pytest.raises(PermissionDenied):
        w.service.issue_suket(actor, REG)
    assert w.documents() == [] and w.renderer.sukets == []


def test_the_dinas_of_another_kabupaten_cannot_issue_for_this_resident(world):
    w = world()
    with pytest.raises(PermissionDenied):
        w.service.issue_suket(TANAH_BUMBU_DINAS, REG)
    assert w.documents() == [] and w.audit() == []


def test_the_feed_issues_no_second_suket_after_the_counter_issued_one(world):
    w = world()
    counter = w.service.issue_suket(DINAS, REG)
    w.print_ready()
    assert [d.document_id for d in w.documents()] == [counter.document_id]
    assert outbox.read_cursor(w.engine, "enrolment") == 1


def test_officers_issuing_at_the_same_time_get_one_suket(database_url, tmp_path):
    """Two desks, one resident: on PostgreSQL the advisory lock, on SQLite the one writer."""
    import threading

    w = World(database_url, [], tmp_path / "data-keys")
    try:
        results, errors = [], []
        start = threading.Barrier(4)

        def issue():
            start.wait()
            try:
                results.append(w.service.issue_suket(DINAS, REG).document_id)
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
        threads = [threading.Thread(target=issue) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == [] and len(results) == 4 and len(set(results)) == 1
        assert len(w.documents()) == 1 and w.outbox_types() == ["ektp.documents.v1.SuketIssued"]
    finally:
        w.engine.dispose()


# ---- reading within the officer's region ------------------------------------------------

def test_lists_keep_only_documents_of_residents_the_officer_covers(world):
    w = world()
    w.print_ready()
    assert len(w.service.list_documents(DINAS, REG)) == 1
    assert w.service.list_documents(TANAH_BUMBU_DINAS, REG) == []
    assert w.service.list_documents(Principal("lurah.lain", Role.LURAH, "62.03.01.2002"), REG) == []
    assert w.service.overview(TANAH_BUMBU_DINAS).latest == []
    assert w.service.overview(TANAH_BUMBU_DINAS).counts.sukets_issued == 0
    assert w.service.overview(Principal("operator.selat", Role.OPERATOR_KECAMATAN, "62.03.01")
                              ).counts.sukets_issued == 1
    assert w.service.overview(Principal("operator.lain", Role.OPERATOR_KECAMATAN, "62.03.1")).latest == []


def test_the_lurah_sees_the_status_only(world):
    w = world()
    w.print_ready()
    [seen] = w.service.list_documents(LURAH, REG)
    assert (seen.kind, seen.status, seen.register_number) == (DocumentKind.SUKET, DocumentStatus.ISSUED, REG)
    assert seen.qr_payload is None and seen.card_serial is None and seen.pdf is None
    [latest] = w.service.overview(LURAH).latest
    assert latest.qr_payload is None
    one = w.service.get_document(LURAH, seen.document_id)
    assert one.qr_payload is None and one.status is DocumentStatus.ISSUED


def test_a_document_outside_the_officers_region_is_refused_and_not_audited(world):
    w = world()
    w.print_ready()
    [suket] = w.documents()
    for read in (lambda: w.service.get_document(TANAH_BUMBU_DINAS, suket.document_id),
                 lambda: w.service.document_pdf(TANAH_BUMBU_AUDITOR, suket.document_id)):
        with pytest.raises(PermissionDenied):
            read()
    assert [a[2] for a in w.audit()] == ["document.issue"]


@pytest.mark.parametrize("role", [Role.OPERATOR_KECAMATAN, Role.ADMIN_PROVINSI, Role.LURAH])
def test_only_the_dinas_and_the_auditor_get_the_pdf(world, role):
    w = world()
    w.print_ready()
    [suket] = w.documents()
    actor = Principal("petugas", role, {Role.OPERATOR_KECAMATAN: "62.03.01", Role.ADMIN_PROVINSI: "62",
                                        Role.LURAH: factories.VILLAGE}[role])
    with pytest.raises(PermissionDenied):
        w.service.get_document(actor, suket.document_id, include_pdf=True)
    with pytest.raises(PermissionDenied):
        w.service.document_pdf(actor, suket.document_id)
    assert w.service.get_document(actor, suket.document_id).document_id == suket.document_id


def test_reading_a_document_and_its_pdf_is_audited(world):
    w = world()
    w.print_ready()
    [suket] = w.documents()
    auditor = Principal("auditor.kalteng", Role.AUDITOR, "62", origin="10.0.0.5")
    assert w.service.get_document(auditor, suket.document_id, include_pdf=True).pdf.startswith(b"%PDF")
    w.service.document_pdf(DINAS, suket.document_id)
    assert w.audit()[1:] == [("auditor.kalteng", "auditor", "document.read", suket.document_id, "10.0.0.5"),
                             ("auditor.kalteng", "auditor", "document.print", suket.document_id, "10.0.0.5"),
                             ("operator.kapuas", "operator_dinas", "document.print", suket.document_id, "10.0.0.7")]


# ---- the PDF at rest ---------------------------------------------------------------------

def test_the_stored_pdf_is_an_encrypted_file_bound_to_its_document(world):
    w = world(["000001"])
    w.print_ready()
    other = factories.register_number(2)
    w.enrolment.recordings[other] = factories.recording(other, seed=9)
    w.print_ready(other)
    card, suket = w.documents()[0], w.documents(other)[0]
    with w.engine.connect() as conn:
        rows = {row.document_id: row for row in conn.execute(sa.select(db.documents))}
    assert rows[card.document_id].pdf is None   # no longer in the row
    assert rows[card.document_id].pdf_sha256 == hashlib.sha256(b"%PDF card 000001").hexdigest()
    card_file = w.files.path(rows[card.document_id].pdf_key)
    sealed = card_file.read_bytes()
    assert not sealed.startswith(b"%PDF") and b"000001" not in sealed
    assert w.cipher.key_id_of(sealed) == w.cipher.keyring.active_kid
    assert w.service.document_pdf(DINAS, card.document_id) == b"%PDF card 000001"
    # someone with write access to the store swaps the PDFs of two residents
    w.files.path(rows[suket.document_id].pdf_key).write_bytes(sealed)
    with pytest.raises(StoredDocumentCorrupt):
        w.service.document_pdf(DINAS, suket.document_id)


def test_a_document_from_before_the_store_is_read_from_its_row(world):
    w = world(["000001"])
    w.print_ready()
    [card] = w.documents()
    legacy = w.cipher.encrypt_bytes(b"%PDF legacy", table="documents", column="pdf", row=card.document_id)
    with w.engine.begin() as conn:
        conn.execute(db.documents.update().where(db.documents.c.document_id == card.document_id)
                     .values(pdf=legacy, pdf_key=None, pdf_sha256=None))
    assert w.service.document_pdf(DINAS, card.document_id) == b"%PDF legacy"
