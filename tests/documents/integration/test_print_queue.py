"""The card print queue end to end: a real documents process (both databases) with fake
enrolment and inventory; blanks arriving on inventory's feed print the queue by priority,
two replicas never print a card twice, inventory down never yields a Suket, the gRPC API of
print jobs, and the /cetak page in a real browser."""
from __future__ import annotations

import pathlib
import threading

import grpc
import pytest
from playwright.sync_api import expect

from documents.bootstrap import build
from documents.service import Backoff
from ektp.documents.v1 import documents_pb2 as pb
from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2
from servicekit.access import Principal, Role
from servicekit.clients import make_channel
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories, pdfs
from tests.identity import KAPUAS

DEADLINE = 10
OFFICE = factories.OFFICE
DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, KAPUAS)


def print_ready(fakes, n: int, recording_type=enrolment_pb2.RECORDING_TYPE_NEW) -> str:
    number = factories.register_number(n)
    recording = factories.recording_pb(number, seed=n)
    recording.recording_type = recording_type
    fakes.enrolment.add_print_ready(recording)
    return number


def jobs(stub, status=pb.PRINT_JOB_STATUS_UNSPECIFIED) -> pb.ListPrintJobsResponse:
    return stub.ListPrintJobs(pb.ListPrintJobsRequest(office_code=OFFICE, status=status), timeout=DEADLINE)


def wait_jobs(stub, status, count: int) -> list[pb.PrintJob]:
    return wait_for(lambda: (found := list(jobs(stub, status).jobs)) and len(found) == count and found,
                    message=f"{count} print job(s) of status {status}")


@pytest.fixture
def head_stub(runtime, identity):
    token = identity.officer(Role.KEPALA_DINAS, KAPUAS, subject="kepala.kapuas")
    with make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token) as channel:
        yield documents_pb2_grpc.DocumentsServiceStub(channel)


def test_blanks_arriving_print_the_queue_by_priority_and_supersede_the_sukets(runtime, fakes, stub, head_stub):
    head_stub.SetOfficePolicy(pb.SetOfficePolicyRequest(policy=pb.OfficePolicy(
        office_code=OFFICE, suket_when_out_of_stock=False)), timeout=DEADLINE)
    replacement = print_ready(fakes, 11, enrolment_pb2.RECORDING_TYPE_REPLACEMENT)
    first = print_ready(fakes, 12)
    holder = print_ready(fakes, 13, enrolment_pb2.RECORDING_TYPE_REPLACEMENT)
    wait_jobs(stub, pb.PRINT_JOB_STATUS_QUEUED, 3)
    suket = stub.IssueSuket(pb.IssueSuketRequest(register_number=holder), timeout=DEADLINE).document
    fakes.inventory.receive_stock(OFFICE, ["0000000301", "0000000302"])
    printed = wait_jobs(stub, pb.PRINT_JOB_STATUS_PRINTED, 2)
    assert {(j.register_number, j.card_serial) for j in printed} == {(holder, "0000000301"), (first, "0000000302")}
    [queued] = jobs(stub, pb.PRINT_JOB_STATUS_QUEUED).jobs
    assert (queued.register_number, queued.priority) == (replacement, 2)
    assert jobs(stub).queued == 1
    documents = {d.document_id: d for d in stub.ListDocuments(
        pb.ListDocumentsRequest(register_number=holder), timeout=DEADLINE).documents}
    assert documents[suket.document_id].status == pb.DOCUMENT_STATUS_SUPERSEDED


def test_two_replicas_printing_the_same_queue_print_every_card_once(runtime, fakes, stub, database_url, tmp_path):
    numbers = [print_ready(fakes, n) for n in range(21, 27)]
    wait_jobs(stub, pb.PRINT_JOB_STATUS_QUEUED, len(numbers))   # each with a Suket (policy on)
    other = build(runtime.settings, migrate=False)              # a second replica on the same database
    fakes.inventory.stock = [f"00000004{n:02d}" for n in range(len(numbers))]
    runs, errors = [], []

    def replica(service):
        try:
            runs.append(service.print_backlog(DINAS, OFFICE))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=replica, args=(s,)) for s in (runtime.service, other.service)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    other.engine.dispose()
    assert errors == []
    printed = jobs(stub, pb.PRINT_JOB_STATUS_PRINTED).jobs
    assert sorted(j.register_number for j in printed) == numbers
    assert len({j.card_serial for j in printed}) == len(numbers) == len(fakes.inventory.consumed)
    assert sum(r.printed for r in runs) == len(numbers)
    for number in numbers:
        cards = [d for d in stub.ListDocuments(pb.ListDocumentsRequest(register_number=number), timeout=DEADLINE)
                 .documents if d.kind == pb.DOCUMENT_KIND_CARD_PRINT_JOB]
        assert len(cards) == 1


def test_inventory_down_issues_no_suket_and_the_recording_is_handled_once_it_is_back(runtime, fakes, stub):
    runtime.service._retry = Backoff(attempts=3, first=0.01, cap=0.02)   # keep the test short
    errors = runtime.metrics.consumer_errors.labels("enrolment")
    before = errors._value.get()
    fakes.inventory.down = True
    number = print_ready(fakes, 31)
    wait_for(lambda: errors._value.get() > before, message="the feed event failing while inventory is down")
    assert list(stub.ListDocuments(pb.ListDocumentsRequest(register_number=number), timeout=DEADLINE).documents) == []
    assert list(jobs(stub).jobs) == []
    fakes.inventory.down = False
    [suket] = wait_for(lambda: list(stub.ListDocuments(pb.ListDocumentsRequest(register_number=number),
                                                       timeout=DEADLINE).documents), message="the Suket")
    assert suket.kind == pb.DOCUMENT_KIND_SUKET


def test_reprint_batch_sheet_and_policy_over_grpc(runtime, fakes, stub, head_stub):
    fakes.inventory.stock = ["0000000501", "0000000502"]
    number = print_ready(fakes, 41)
    [job] = wait_jobs(stub, pb.PRINT_JOB_STATUS_PRINTED, 1)
    sheet = stub.GetBatchSheet(pb.GetBatchSheetRequest(job_ids=[job.job_id]), timeout=DEADLINE).pdf
    assert sheet.startswith(b"%PDF")
    with pytest.raises(grpc.RpcError) as caught:
        stub.ReprintCard(pb.ReprintCardRequest(document_id=job.document_id, reason=" "), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    reprint = stub.ReprintCard(pb.ReprintCardRequest(document_id=job.document_id, reason="foto buram"),
                               timeout=DEADLINE).job
    assert (reprint.status, reprint.card_serial, reprint.reprint_of) == (
        pb.PRINT_JOB_STATUS_PRINTED, "0000000502", job.job_id)
    assert fakes.inventory.spoiled == ["0000000501"]
    statuses = {d.card_serial: d.status for d in stub.ListDocuments(
        pb.ListDocumentsRequest(register_number=number), timeout=DEADLINE).documents}
    assert statuses == {"0000000501": pb.DOCUMENT_STATUS_VOID, "0000000502": pb.DOCUMENT_STATUS_PRINTED}
    with pytest.raises(grpc.RpcError) as caught:
        stub.ReprintCard(pb.ReprintCardRequest(document_id="1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                                               reason="rusak"), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    policy = head_stub.GetOfficePolicy(pb.GetOfficePolicyRequest(office_code=OFFICE), timeout=DEADLINE).policy
    assert policy.suket_when_out_of_stock is True
    with pytest.raises(grpc.RpcError) as caught:   # an operator may read the policy, not set it
        stub.SetOfficePolicy(pb.SetOfficePolicyRequest(policy=pb.OfficePolicy(office_code=OFFICE)), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


# ---- the /cetak page in a real browser ----------------------------------------------------------

@pytest.fixture
def open_as(browser, runtime, identity):
    base = f"http://127.0.0.1:{runtime.process.http.port}"
    contexts = []

    def make(role: Role, scope: str):
        context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="id-ID", base_url=base)
        context.add_cookies([{"name": SESSION_COOKIE, "value": identity.officer(role, scope), "url": base}])
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_print_room_prints_the_queue_and_reprints_a_card_with_a_reason(open_as, runtime, fakes, stub):
    queued = print_ready(fakes, 51)
    wait_jobs(stub, pb.PRINT_JOB_STATUS_QUEUED, 1)
    page = open_as(Role.OPERATOR_DINAS, KAPUAS)
    page.goto("/cetak")
    expect(page.get_by_role("heading", name="Cetak KTP-el: antrean dan pekerjaan cetak")).to_be_visible()
    expect(page.locator("#jumlah-queued")).to_have_text("1")
    expect(page.locator("#pekerjaan-cetak")).to_contain_text(queued)
    fakes.inventory.stock = ["0000000601", "0000000602"]
    page.get_by_role("button", name="Cetak antrean").click()
    expect(page.locator("#hasil-antrean")).to_contain_text("1 KTP-el dicetak, 1 Suket digantikan, 0 masih antre")
    row = page.locator("#pekerjaan-cetak tbody tr", has_text=queued)
    expect(row).to_contain_text("0000000601")
    row.get_by_label(f"Masukkan {queued} ke lembar cetak").check()     # the printer's batch sheet
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh lembar cetak printer (yang dicentang)").click()
    sheet = pathlib.Path(download.value.path()).read_bytes()
    assert pdfs.has_size(sheet, pdfs.A4_POINTS) and "0000000601" in pdfs.text(sheet)
    too_long = "x" * 501
    row.get_by_label("Alasan cetak ulang").fill(too_long)
    row.get_by_role("button", name="Cetak ulang").click()             # refused next to the field, text kept
    row = page.locator("#pekerjaan-cetak tbody tr", has_text=queued)
    expect(row.locator(".invalid-feedback")).to_contain_text("alasan paling panjang 500 karakter")
    expect(row.get_by_label("Alasan cetak ulang")).to_have_value(too_long)
    row.get_by_label("Alasan cetak ulang").fill("foto buram")
    row.get_by_role("button", name="Cetak ulang").click()
    expect(page.locator("#hasil-ulang")).to_contain_text("KTP-el baru sudah dicetak")
    expect(page.locator("#pekerjaan-cetak")).to_contain_text("0000000602")
    expect(page.locator("#pekerjaan-cetak")).to_contain_text("Rusak")

    lurah = open_as(Role.LURAH, factories.VILLAGE)
    assert lurah.goto("/cetak").status == 403


def test_bad_office_or_limit_is_said_not_crashed(runtime, identity, stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListPrintJobs(pb.ListPrintJobsRequest(office_code=OFFICE, limit=-1), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as caught:
        stub.PrintBacklog(pb.PrintBacklogRequest(office_code="Kapuas"), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, KAPUAS))
    response = client.get("/cetak?kantor=Kapuas")
    assert response.status_code == 400 and "kode kantor harus berformat PP.KK" in response.get_data(as_text=True)
