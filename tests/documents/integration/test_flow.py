"""RecordingPrintReady in the (fake) enrolment feed -> a Suket or a card, end to end."""
import datetime as dt

from ektp.documents.v1 import documents_pb2
from ektp.events.v1 import events_pb2
from tests.conftest import wait_for
from tests.documents import factories
from tests.documents.pdfs import A4_POINTS, ID1_POINTS, has_size, text

DEADLINE = 5


def _documents(stub, number):
    return list(stub.ListDocuments(documents_pb2.ListDocumentsRequest(register_number=number),
                                   timeout=DEADLINE).documents)


def _wait_documents(stub, number, count):
    return wait_for(lambda: (docs := _documents(stub, number)) and len(docs) == count and docs,
                    message=f"{count} document(s)")


def _feed(reporting_stub):
    """The documents feed, read as reporting (the only service that may follow it)."""
    request = events_pb2.StreamEventsRequest(after_sequence=0, follow=False)
    return [r.event for r in reporting_stub.StreamEvents(request, timeout=DEADLINE)]


def test_suket_is_issued_when_inventory_is_out_of_stock(runtime, fakes, stub, reporting_stub):
    number = factories.register_number(1)
    fakes.enrolment.add_print_ready(factories.recording_pb(number))
    [document] = _wait_documents(stub, number, 1)
    assert document.kind == documents_pb2.DOCUMENT_KIND_SUKET
    assert document.status == documents_pb2.DOCUMENT_STATUS_ISSUED
    assert document.region_code == factories.VILLAGE and document.office_code == factories.OFFICE
    claim = runtime.service.verify_document(document.qr_payload).claim
    assert claim.document_id == document.document_id and claim.register_number == number
    assert document.valid_until.ToDatetime().date() == claim.valid_until

    response = stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document.document_id,
                                                                 include_pdf=True), timeout=DEADLINE)
    assert has_size(response.pdf, A4_POINTS) and number in text(response.pdf)

    queued, event = _feed(reporting_stub)
    assert queued.type == "ektp.documents.v1.PrintJobQueued"
    assert event.type == "ektp.documents.v1.SuketIssued" and event.region_code == factories.VILLAGE
    issued = documents_pb2.SuketIssued()
    assert event.payload.Unpack(issued) and issued.document_id == document.document_id
    assert fakes.inventory.consumed == []
    # the feed, the recording and the blank were asked for as the documents service itself
    assert set(fakes.enrolment.callers) == set(fakes.inventory.callers) == {"service:documents"}


def test_card_is_printed_when_inventory_has_stock(runtime, fakes, stub, reporting_stub):
    fakes.inventory.stock = ["0000000101"]
    number = factories.register_number(2)
    fakes.enrolment.add_print_ready(factories.recording_pb(number, seed=11))
    [document] = _wait_documents(stub, number, 1)
    assert (document.kind, document.status, document.card_serial) == (
        documents_pb2.DOCUMENT_KIND_CARD_PRINT_JOB, documents_pb2.DOCUMENT_STATUS_PRINTED, "0000000101")
    assert fakes.inventory.consumed == ["0000000101"]

    pdf = stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document.document_id, include_pdf=True),
                           timeout=DEADLINE).pdf
    assert has_size(pdf, ID1_POINTS) and number in text(pdf)
    assert [e.type for e in _feed(reporting_stub)] == ["ektp.documents.v1.CardPrinted"]


def test_card_printed_after_a_delivery_supersedes_the_suket(runtime, fakes, stub, reporting_stub):
    number = factories.register_number(3)
    recording = factories.recording_pb(number)
    fakes.enrolment.add_print_ready(recording)
    [suket] = _wait_documents(stub, number, 1)
    fakes.inventory.stock = ["0000000200"]
    fakes.enrolment.add_print_ready(recording)
    old, card = _wait_documents(stub, number, 2)
    assert old.document_id == suket.document_id and old.status == documents_pb2.DOCUMENT_STATUS_SUPERSEDED
    assert card.card_serial == "0000000200"
    assert [e.type for e in _feed(reporting_stub)] == ["ektp.documents.v1.PrintJobQueued",
                                                       "ektp.documents.v1.SuketIssued",
                                                       "ektp.documents.v1.SuketSuperseded",
                                                       "ektp.documents.v1.CardPrinted"]


def test_pdf_is_left_out_unless_asked_for(runtime, fakes, stub):
    number = factories.register_number(4)
    fakes.enrolment.add_print_ready(factories.recording_pb(number))
    [document] = _wait_documents(stub, number, 1)
    response = stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=document.document_id),
                                timeout=DEADLINE)
    assert response.pdf == b"" and response.document.issued_at.ToDatetime().year >= dt.date.today().year
