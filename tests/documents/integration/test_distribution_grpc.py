"""Shortage letters and distribution through gRPC on a real process (SQLite and PostgreSQL):
cards printed from the enrolment feed, packed per kecamatan, dispatched, received and handed
over; letters refused while blanks remain; every PDF opened and read back."""
import hashlib
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from ektp.events.v1 import events_pb2
from servicekit.access import Role
from servicekit.clients import make_channel
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories, pdfs
from tests.identity import KAPUAS

DEADLINE = 10
SELAT = "62.03.01"
UNKNOWN = "0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e"


def _field_violations(err: grpc.RpcError) -> list[str]:
    fields = []
    for detail in rpc_status.from_call(err).details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations]
    return fields


def _code(call, request) -> grpc.StatusCode:
    try:
        call(request, timeout=DEADLINE)
    except grpc.RpcError as err:
        return err.code()
    return grpc.StatusCode.OK


def print_cards(stub, fakes, serials, village=factories.VILLAGE) -> dict[str, str]:
    """Cards printed from the feed with blanks in stock; register number -> the resident's NIK."""
    fakes.inventory.stock = [f"{9000 + s:010d}" for s in serials]
    made = {}
    for serial in serials:
        number = factories.register_number(serial)
        recording = factories.recording_pb(number, seed=serial, village=village)
        fakes.enrolment.add_print_ready(recording)
        made[number] = recording.resident.nik
    for number in made:
        wait_for(lambda n=number: any(d.kind == documents_pb2.DOCUMENT_KIND_CARD_PRINT_JOB for d in stub.ListDocuments(
            documents_pb2.ListDocumentsRequest(register_number=n), timeout=DEADLINE).documents),
            message=f"the card of {number}")
    return made


@pytest.fixture
def kecamatan_stub(runtime, identity):
    """Calls as the operator of kecamatan Selat."""
    token = identity.officer(Role.OPERATOR_KECAMATAN, SELAT, subject="operator.selat")
    with make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token) as channel:
        yield documents_pb2_grpc.DocumentsServiceStub(channel)


@pytest.fixture
def lurah_stub(runtime, identity):
    token = identity.officer(Role.LURAH, factories.VILLAGE, subject="lurah.terusan")
    with make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token) as channel:
        yield documents_pb2_grpc.DocumentsServiceStub(channel)


# ---- shortage letters ---------------------------------------------------------------------

def test_shortage_letters_are_refused_while_blanks_remain_then_written_to_every_region(runtime, fakes, stub,
                                                                                      reporting_stub):
    fakes.inventory.stock = ["0000000001"]
    with pytest.raises(grpc.RpcError) as refused:
        stub.CreateShortageLetters(documents_pb2.CreateShortageLettersRequest(office_code=KAPUAS), timeout=DEADLINE)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    fakes.inventory.stock = []
    request = documents_pb2.CreateShortageLettersRequest(office_code=KAPUAS, request_id=UNKNOWN)
    created = stub.CreateShortageLetters(request, timeout=DEADLINE)
    assert [(x.recipient_code, x.recipient_name, x.letter_number) for x in created.letters][:2] == [
        (SELAT, "Camat Selat", f"470/001/Disdukcapil/{created.letters[0].letter_number[-4:]}"),
        (factories.MURUNG_KERAMAT, "Lurah Murung Keramat", f"470/002/Disdukcapil/{created.letters[0].letter_number[-4:]}")]
    assert len(created.letters) == 5 and all(len(x.pdf_sha256) == 64 for x in created.letters)
    dispatch = pdfs.text(created.dispatch_list_pdf)
    assert all(x.letter_number in dispatch for x in created.letters)
    assert stub.CreateShortageLetters(request, timeout=DEADLINE).set_id == created.set_id   # retried: same set
    listed = stub.ListShortageLetters(documents_pb2.ListShortageLettersRequest(office_code=KAPUAS), timeout=DEADLINE)
    assert [x.letter_id for x in listed.letters] == [x.letter_id for x in created.letters]

    events = [r.event for r in reporting_stub.StreamEvents(
        events_pb2.StreamEventsRequest(after_sequence=0, follow=False), timeout=DEADLINE)]
    [sent] = [e for e in events if e.type == "ektp.documents.v1.ShortageLettersSent"]
    message = documents_pb2.ShortageLettersSent()
    assert sent.payload.Unpack(message) and (message.set_id, message.letters) == (created.set_id, 5)


def test_each_letter_pdf_names_its_recipient_and_number(runtime, fakes, stub, dinas_token):
    fakes.inventory.stock = []
    created = stub.CreateShortageLetters(documents_pb2.CreateShortageLettersRequest(office_code=KAPUAS),
                                         timeout=DEADLINE)
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, dinas_token)
    for letter in created.letters:
        response = client.get(f"/surat-kekosongan/surat/{letter.letter_id}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == letter.pdf_sha256
        text = " ".join(pdfs.text(response.data).split())
        assert letter.recipient_name in text and letter.letter_number in text


# ---- distribution -------------------------------------------------------------------------

def test_cards_go_from_packing_to_handover_and_the_batch_closes(runtime, fakes, stub, kecamatan_stub, reporting_stub):
    niks = print_cards(stub, fakes, [1, 2])
    print_cards(stub, fakes, [3], village="62.03.02.2003")
    created = stub.CreateDistributionBatches(
        documents_pb2.CreateDistributionBatchesRequest(office_code=KAPUAS), timeout=DEADLINE).batches
    assert [(b.district_code, b.cards, b.status) for b in created] == [
        (SELAT, 2, documents_pb2.BATCH_STATUS_PACKED), ("62.03.02", 1, documents_pb2.BATCH_STATUS_PACKED)]
    batch_id = created[0].batch_id

    got = stub.GetDistributionBatch(documents_pb2.GetDistributionBatchRequest(batch_id=batch_id,
                                                                             include_manifest_pdf=True), timeout=DEADLINE)
    assert sorted(i.register_number for i in got.batch.items) == sorted(niks)
    manifest = pdfs.text(got.manifest_pdf)
    assert all(number in manifest for number in niks)
    # only the kecamatan's own batch is listed for its operator
    listed = kecamatan_stub.ListDistributionBatches(
        documents_pb2.ListDistributionBatchesRequest(office_code=KAPUAS), timeout=DEADLINE).batches
    assert [b.batch_id for b in listed] == [batch_id]

    assert _code(kecamatan_stub.ReceiveBatch, documents_pb2.ReceiveBatchRequest(batch_id=batch_id)) == \
        grpc.StatusCode.FAILED_PRECONDITION       # not dispatched yet
    dispatched = stub.DispatchBatch(documents_pb2.DispatchBatchRequest(batch_id=batch_id), timeout=DEADLINE).batch
    assert dispatched.status == documents_pb2.BATCH_STATUS_DISPATCHED and dispatched.HasField("dispatched_at")
    received = kecamatan_stub.ReceiveBatch(documents_pb2.ReceiveBatchRequest(batch_id=batch_id), timeout=DEADLINE)
    assert received.batch.status == documents_pb2.BATCH_STATUS_RECEIVED
    receipt = pdfs.text(received.receipt_pdf)
    assert "BERITA ACARA SERAH TERIMA" in receipt and "operator.selat" in receipt

    items = {i.register_number: i for i in got.batch.items}
    first, second = sorted(items)
    with pytest.raises(grpc.RpcError) as wrong:
        kecamatan_stub.HandOverCard(documents_pb2.HandOverCardRequest(
            document_id=items[first].document_id, nik=niks[second]), timeout=DEADLINE)
    assert wrong.value.code() == grpc.StatusCode.INVALID_ARGUMENT and _field_violations(wrong.value) == ["nik"]
    for number in (first, second):
        card = kecamatan_stub.HandOverCard(documents_pb2.HandOverCardRequest(
            document_id=items[number].document_id, nik=niks[number]), timeout=DEADLINE).card
        assert card.HasField("handed_over_at")
    closed = stub.GetDistributionBatch(documents_pb2.GetDistributionBatchRequest(batch_id=batch_id),
                                       timeout=DEADLINE).batch
    assert (closed.status, closed.handed_over) == (documents_pb2.BATCH_STATUS_CLOSED, 2)

    types = [r.event.type for r in reporting_stub.StreamEvents(
        events_pb2.StreamEventsRequest(after_sequence=0, follow=False), timeout=DEADLINE)]
    assert [t for t in types if "Batch" in t or "HandedOver" in t] == [
        "ektp.documents.v1.BatchDispatched", "ektp.documents.v1.BatchReceived",
        "ektp.documents.v1.CardHandedOver", "ektp.documents.v1.CardHandedOver"]


@pytest.mark.parametrize("method", ["GetDistributionBatch", "DispatchBatch", "ReceiveBatch"])
def test_unknown_batches_are_not_found_and_malformed_ids_invalid(stub, method):
    request = getattr(documents_pb2, f"{method}Request")
    assert _code(getattr(stub, method), request(batch_id=UNKNOWN)) == grpc.StatusCode.NOT_FOUND
    assert _code(getattr(stub, method), request(batch_id="paket-1")) == grpc.StatusCode.INVALID_ARGUMENT


def test_an_unknown_card_is_not_found_and_a_malformed_nik_is_invalid_on_its_field(stub):
    assert _code(stub.HandOverCard, documents_pb2.HandOverCardRequest(
        document_id=UNKNOWN, nik="6203011203900001")) == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as malformed:
        stub.HandOverCard(documents_pb2.HandOverCardRequest(document_id=UNKNOWN, nik="12"), timeout=DEADLINE)
    assert _field_violations(malformed.value) == ["nik"]


def test_a_lurah_can_do_none_of_it(runtime, fakes, stub, lurah_stub):
    niks = print_cards(stub, fakes, [1])
    fakes.inventory.stock = []
    [batch] = stub.CreateDistributionBatches(
        documents_pb2.CreateDistributionBatchesRequest(office_code=KAPUAS), timeout=DEADLINE).batches
    card = stub.GetDistributionBatch(documents_pb2.GetDistributionBatchRequest(batch_id=batch.batch_id),
                                     timeout=DEADLINE).batch.items[0]
    calls = [
        (lurah_stub.CreateShortageLetters, documents_pb2.CreateShortageLettersRequest(office_code=KAPUAS)),
        (lurah_stub.ListShortageLetters, documents_pb2.ListShortageLettersRequest(office_code=KAPUAS)),
        (lurah_stub.CreateDistributionBatches, documents_pb2.CreateDistributionBatchesRequest(office_code=KAPUAS)),
        (lurah_stub.ListDistributionBatches, documents_pb2.ListDistributionBatchesRequest(office_code=KAPUAS)),
        (lurah_stub.GetDistributionBatch, documents_pb2.GetDistributionBatchRequest(batch_id=batch.batch_id)),
        (lurah_stub.DispatchBatch, documents_pb2.DispatchBatchRequest(batch_id=batch.batch_id)),
        (lurah_stub.ReceiveBatch, documents_pb2.ReceiveBatchRequest(batch_id=batch.batch_id)),
        (lurah_stub.HandOverCard, documents_pb2.HandOverCardRequest(document_id=card.document_id,
                                                                    nik=niks[card.register_number])),
    ]
    assert [_code(call, request) for call, request in calls] == [grpc.StatusCode.PERMISSION_DENIED] * len(calls)


def test_letter_sets_made_at_the_same_time_never_share_a_number(runtime, fakes, stub):
    fakes.inventory.stock = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        made = list(pool.map(lambda _: stub.CreateShortageLetters(
            documents_pb2.CreateShortageLettersRequest(office_code=KAPUAS), timeout=30), range(3)))
    numbers = sorted(int(x.letter_number.split("/")[1]) for response in made for x in response.letters)
    assert numbers == list(range(1, 16))
    assert len({response.set_id for response in made}) == 3
