import datetime as dt

import pytest
import sqlalchemy as sa

from documents import db, domain
from documents.domain import DocumentKind, DocumentStatus, FeedEvent, IssuerPolicy, PrintReady
from documents.errors import DocumentNotFound, InvalidDocumentRequest, UpstreamError
from documents.metrics import DocumentsMetrics
from documents.service import DocumentsService
from documents.signing import Ed25519Signer
from documents.unit_of_work import unit_of_work_factory
from servicekit import outbox
from servicekit.db import create_engine
from servicekit.metrics import ServiceMetrics
from tests.documents import factories
from tests.documents.fakes import FakeEnrolment, FakeInventory, FakeRenderer

AUG_31_WIB = dt.datetime(2026, 8, 31, 2, 0, tzinfo=dt.timezone.utc)
REG = factories.register_number(1)


class World:
    def __init__(self, url: str, stock: list[str]) -> None:
        self.engine = create_engine(url)
        db.metadata.create_all(self.engine)
        self.enrolment = FakeEnrolment(factories.recording(REG))
        self.inventory = FakeInventory(stock)
        self.renderer = FakeRenderer()
        self.signer = Ed25519Signer.generate()
        self.metrics = DocumentsMetrics(ServiceMetrics("documents"))
        self.service = DocumentsService(
            uow=unit_of_work_factory(self.engine), enrolment=self.enrolment, inventory=self.inventory,
            renderer=self.renderer, signer=self.signer, issuers=IssuerPolicy("Kepala Dinas", {}),
            metrics=self.metrics, clock=self.tick)
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
        self.service.apply(event)
        return event

    def documents(self) -> list[domain.Document]:
        return self.service.list_documents(REG)

    def outbox_types(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(db.outbox.c.type).order_by(db.outbox.c.sequence)).scalars())

    def issued_count(self, kind: str) -> float:
        return self.metrics.issued.labels(kind, factories.OFFICE)._value.get()


@pytest.fixture
def world(sqlite_url):
    made = []

    def make(stock: list[str] | None = None) -> World:
        made.append(World(sqlite_url, stock or []))
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
    assert w.outbox_types() == ["ektp.documents.v1.SuketIssued"]
    assert w.service.verify_qr(suket.qr_payload).document_id == suket.document_id
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
    assert w.service.document_pdf(card.document_id) == b"%PDF card 000123"


def test_card_supersedes_the_issued_suket_of_the_same_register_number(world):
    w = world()
    w.print_ready()
    w.inventory.stock.append("000777")
    w.print_ready()
    suket, card = w.documents()
    assert (suket.status, suket.superseded_by) == (DocumentStatus.SUPERSEDED, card.document_id)
    assert card.status is DocumentStatus.PRINTED
    assert w.outbox_types() == ["ektp.documents.v1.SuketIssued", "ektp.documents.v1.SuketSuperseded",
                                "ektp.documents.v1.CardPrinted"]


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
    w.service.apply(event)
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
    failing = unit_of_work_factory(w.engine)

    def crash_on_write(readonly: bool = False):
        if not readonly:
            raise RuntimeError("crash before commit")
        return failing(readonly=True)
    w.service._uow = crash_on_write
    with pytest.raises(RuntimeError):
        w.service.apply(event)
    w.service._uow = failing
    w.service.apply(event)
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
    w.service.apply(FeedEvent("enrolment", "other-1", 9, None))
    assert outbox.read_cursor(w.engine, "enrolment") == 9 and w.outbox_types() == []


def test_list_documents_refuses_a_malformed_register_number(world):
    with pytest.raises(InvalidDocumentRequest) as caught:
        world().service.list_documents("6203/1")
    assert caught.value.violations[0].field == "register_number"


def test_list_documents_of_an_unknown_register_number_is_empty(world):
    assert world().service.list_documents(factories.register_number(99)) == []


def test_get_document_unknown_id_is_not_found(world):
    with pytest.raises(DocumentNotFound):
        world().service.get_document("0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e")


def test_overview_counts_by_outcome(world):
    w = world()
    w.print_ready()
    w.inventory.stock.append("000009")
    w.print_ready()
    overview = w.service.overview()
    assert (overview.counts.cards_printed, overview.counts.sukets_issued, overview.counts.sukets_active,
            overview.counts.superseded) == (1, 1, 0, 1)
    assert len(overview.latest) == 2
