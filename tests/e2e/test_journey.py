"""The main flow across four real processes (DESIGN.md, "The main flow"):

recording with zero stock -> Suket; stock received -> the office's print queue is printed
(every Suket superseded by its card), then the next recording prints a card and stock drops by
exactly one; coverage counts both.
"""
from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys

import grpc
import pytest
from faker import Faker

from ektp.documents.v1 import documents_pb2 as dpb
from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2 as epb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.inventory.v1 import inventory_pb2 as ipb
from ektp.inventory.v1 import inventory_pb2_grpc
from ektp.reporting.v1 import reporting_pb2 as rpb
from ektp.reporting.v1 import reporting_pb2_grpc
from tests.conftest import wait_for
from tests.e2e.conftest import caught_up, get, metric, rpc_code, stub

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(request):
    """Each journey runs on the embedded default and on PostgreSQL."""
    return request.getfixturevalue("platform" if request.param == "sqlite" else "platform_on_postgres")
OFFICE = "62.03"
fake = Faker("id_ID")
Faker.seed(20161128)


@pytest.fixture
def officer(platform) -> str:
    """The session token of the Kapuas Dinas operator, from the login page."""
    return platform.login("kapuas.operator")


def _stubs(platform, token: str):
    return (stub(platform, "enrolment", enrolment_pb2_grpc.EnrolmentServiceStub, token),
            stub(platform, "inventory", inventory_pb2_grpc.InventoryServiceStub, token),
            stub(platform, "documents", documents_pb2_grpc.DocumentsServiceStub, token),
            stub(platform, "reporting", reporting_pb2_grpc.ReportingServiceStub, token))


# What a capture device sends at least: the face the card needs (the default quality gate).
CAPTURE = epb.BiometricCapture(qualities=[epb.ModalityQuality(modality=epb.MODALITY_FACE, quality=90)])


def _resident(kecamatan: str, region_code: str, birth: dt.date, serial: int) -> epb.Resident:
    prefix = kecamatan.replace(".", "")
    nik = f"{prefix}{birth:%d%m%y}{serial:04d}"
    return epb.Resident(
        nik=nik, kk_number=f"{prefix}{random.randint(1, 28):02d}{random.randint(1, 12):02d}{random.randint(10, 25):02d}{serial:04d}", full_name=fake.name_male(),
        birth_place="Kuala Kapuas", birth_date=birth.isoformat(), sex=epb.SEX_MALE, blood_type="O",
        address=fake.street_address(), rt="003", rw="001", region_code=region_code,
        religion=epb.RELIGION_ISLAM, marital_status=epb.MARITAL_STATUS_MARRIED, occupation="Petani/Pekebun",
        citizenship=epb.CITIZENSHIP_WNI)


def _coverage_row(reporting, kecamatan: str) -> rpb.CoverageRow:
    response = reporting.GetCoverage(rpb.GetCoverageRequest(region_code=OFFICE), timeout=5)
    return next((row for row in response.rows if row.region_code == kecamatan), rpb.CoverageRow(region_code=kecamatan))


def _documents(documents, register_number: str) -> list[dpb.Document]:
    return list(documents.ListDocuments(dpb.ListDocumentsRequest(register_number=register_number), timeout=5).documents)


def _deliver_for_the_queue(inventory, documents, first_serial: int, extra: int) -> int:
    """A delivery big enough for the office's whole print queue plus `extra` blanks; returns the
    queue's size once documents has printed it (blanks arriving print the queue, issue 6)."""
    def queued() -> int:
        return documents.ListPrintJobs(dpb.ListPrintJobsRequest(office_code=OFFICE), timeout=5).queued
    waiting = queued()
    inventory.ReceiveStock(ipb.ReceiveStockRequest(
        office_code=OFFICE, first_serial=f"{first_serial:010d}", last_serial=f"{first_serial + waiting + extra - 1:010d}"),
        timeout=5)
    wait_for(lambda: queued() == 0, timeout=120, message="the print queue printed")
    return waiting


def test_suket_without_stock_then_card_after_receipt_and_coverage_counts_both(platform, officer):
    enrolment, inventory, documents, reporting = _stubs(platform, officer)

    kecamatan = "62.03.01"  # Selat
    villages = enrolment.ListRegions(epb.ListRegionsRequest(parent_code=kecamatan), timeout=5).regions
    home = villages[0].code if villages else kecamatan
    wait_for(lambda: caught_up(platform) and caught_up(platform), timeout=60, message="demo events folded")
    before = _coverage_row(reporting, kecamatan)
    assert inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock.available == 0

    # 1. No blanks: the print-ready recording gets a Suket.
    first = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident(kecamatan, home, dt.date(1979, 3, 14), 9901), office_code=OFFICE, biometrics=CAPTURE), timeout=5).recording
    assert first.state == epb.RECORDING_STATE_PRINT_READY
    suket = wait_for(lambda: _documents(documents, first.register_number), message="the Suket")[0]
    assert suket.kind == dpb.DOCUMENT_KIND_SUKET and suket.status == dpb.DOCUMENT_STATUS_ISSUED
    assert suket.qr_payload
    pdf = documents.GetDocument(dpb.GetDocumentRequest(document_id=suket.document_id, include_pdf=True), timeout=5).pdf
    assert pdf.startswith(b"%PDF")
    with get(f"{platform.http('documents')}/dokumen/{suket.document_id}.pdf", officer) as page:
        assert page.headers["Content-Type"] == "application/pdf" and page.read() == pdf
    # Anyone verifies its QR without a token (public VerifyDocument): genuine and valid.
    with grpc.insecure_channel(platform.target("documents")) as channel:
        verified = documents_pb2_grpc.DocumentsServiceStub(channel).VerifyDocument(
            dpb.VerifyDocumentRequest(qr_payload=suket.qr_payload), timeout=5)
    assert verified.result == dpb.VERIFICATION_RESULT_VALID and verified.document_id == suket.document_id

    # 2. A delivery arrives: the queue prints (the Suket superseded by the card); the next
    # recording is printed on a card and uses exactly one blank.
    waiting = _deliver_for_the_queue(inventory, documents, 6203000001, 10)
    old, new = _documents(documents, first.register_number)
    assert (old.document_id, old.status, new.kind) == (
        suket.document_id, dpb.DOCUMENT_STATUS_SUPERSEDED, dpb.DOCUMENT_KIND_CARD_PRINT_JOB)
    second = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident(kecamatan, home, dt.date(1985, 7, 2), 9902), office_code=OFFICE, biometrics=CAPTURE), timeout=5).recording
    card = wait_for(lambda: _documents(documents, second.register_number), message="the card")[0]
    assert card.kind == dpb.DOCUMENT_KIND_CARD_PRINT_JOB and card.status == dpb.DOCUMENT_STATUS_PRINTED
    assert card.card_serial.startswith("6203")
    stock = inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock
    assert (stock.received, stock.available, stock.reserved, stock.consumed) == (waiting + 10, 9, 0, waiting + 1)

    # 3. Reporting folds all three feeds: both recordings, both cards, no Suket outstanding.
    def counted():
        row = _coverage_row(reporting, kecamatan)
        return row if (row.recorded == before.recorded + 2 and row.cards_printed >= before.cards_printed + 2
                       and row.suket_outstanding == 0) else None

    row = wait_for(counted, message="coverage with both recordings")
    assert row.target > 0 and row.coverage_ratio == pytest.approx(row.recorded / row.target)

    # 4. Nothing secret in any service's log: not the NIK, the KK or the name, not a token,
    # not a password; nor in the metrics pages.
    secrets = [officer, *platform.accounts.values()]
    for recording in (first, second):
        secrets += [recording.resident.nik, recording.resident.kk_number, recording.resident.full_name]
    for name in platform.names:
        log = platform.log_path(name).read_text()
        with get(f"{platform.http(name)}/metrics") as response:
            metrics = response.read().decode()
        for secret in secrets:
            assert secret not in log, f"a secret or personal data in the {name} log"
            assert secret not in metrics, f"a secret or personal data in the {name} metrics"

    # 5. The audit logs of the journey are intact, as the operator's command checks them.
    verified = subprocess.run([sys.executable, "-m", "ektp_cli", "audit", "verify"], env=platform.env,
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.count("audit log intact") == 3


def test_every_service_serves_its_page_probes_and_metrics(platform, officer):
    for name in platform.names:
        with get(f"{platform.http(name)}/", officer) as response:
            assert response.status == 200, name
        for path in ("/healthz", "/readyz"):   # open, without a session
            with get(f"{platform.http(name)}{path}") as response:
                assert response.status == 200, (name, path)
        assert metric(platform, name, f"ektp_{name}_database_up") == 1.0
        with get(f"{platform.http(name)}/metrics") as response:
            assert f"ektp_{name}_grpc_requests_total" in response.read().decode()


def test_one_login_is_honoured_by_all_four_and_region_scope_holds_across_them(platform, officer):
    # Without a session every page sends the officer to the one login page, on enrolment.
    for name in platform.names:
        response = get(f"{platform.http(name)}/")
        assert response.status == 302 and response.headers["Location"].startswith(
            f"{platform.http('enrolment')}/masuk?next="), name
    enrolment, inventory, documents, reporting = _stubs(platform, officer)
    recording = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident("62.03.01", "62.03.01", dt.date(1982, 5, 5), 9904), office_code=OFFICE, biometrics=CAPTURE), timeout=5).recording

    # A Tanah Bumbu officer can neither read nor change Kapuas data, in any service.
    t_enrolment, t_inventory, t_documents, t_reporting = _stubs(platform, platform.login("tanahbumbu.operator"))
    denied = grpc.StatusCode.PERMISSION_DENIED
    assert rpc_code(t_enrolment.GetRecording, epb.GetRecordingRequest(register_number=recording.register_number)) == denied
    assert rpc_code(t_enrolment.RecordResident, epb.RecordResidentRequest(
        resident=_resident("62.03.01", "62.03.01", dt.date(1982, 6, 6), 9905), office_code=OFFICE, biometrics=CAPTURE)) == denied
    assert rpc_code(t_inventory.ReceiveStock, ipb.ReceiveStockRequest(
        office_code=OFFICE, first_serial="6203009001", last_serial="6203009002")) == denied
    assert rpc_code(t_inventory.GetStock, ipb.GetStockRequest(office_code=OFFICE)) == denied
    assert rpc_code(t_reporting.GetCoverage, rpb.GetCoverageRequest(region_code=OFFICE)) == denied
    document = wait_for(lambda: _documents(documents, recording.register_number), message="its document")[0]
    assert rpc_code(t_documents.GetDocument, dpb.GetDocumentRequest(document_id=document.document_id)) == denied

    # A lurah never issues a Suket; nobody without a valid token gets anything.
    l_documents = _stubs(platform, platform.login("murung.lurah"))[2]
    assert rpc_code(l_documents.IssueSuket, dpb.IssueSuketRequest(register_number=recording.register_number)) == denied
    anonymous = documents_pb2_grpc.DocumentsServiceStub(grpc.insecure_channel(platform.target("documents")))
    assert rpc_code(anonymous.ListDocuments, dpb.ListDocumentsRequest()) == grpc.StatusCode.UNAUTHENTICATED



def test_services_that_were_down_catch_up_exactly_and_an_unreachable_inventory_issues_no_suket(platform, officer):
    enrolment, inventory, documents, reporting = _stubs(platform, officer)
    kecamatan = "62.03.02"
    wait_for(lambda: caught_up(platform), timeout=60, message="earlier events applied")
    _deliver_for_the_queue(inventory, documents, 6203000101, 5)
    wait_for(lambda: caught_up(platform), timeout=60, message="earlier events folded")
    before = _coverage_row(reporting, kecamatan)
    stock_before = inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock

    # Documents and reporting are down while a resident is recorded.
    platform.stop("documents", "reporting")
    recording = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident(kecamatan, kecamatan, dt.date(1990, 1, 20), 9903), office_code=OFFICE, biometrics=CAPTURE), timeout=5).recording
    # Inventory goes down too: documents comes back, cannot reserve, and must not fall back to a Suket.
    platform.stop("inventory")
    platform.start("documents")
    platform.wait_serving("documents")
    wait_for(lambda: (metric(platform, "documents", "ektp_documents_consumer_errors_total",
                             {"feed": "enrolment"}) or 0) >= 2, message="documents retrying against inventory")
    assert _documents(documents, recording.register_number) == []

    platform.start("inventory", "reporting")
    platform.wait_serving("inventory", "reporting")
    printed = wait_for(lambda: _documents(documents, recording.register_number), message="the card")
    assert [d.kind for d in printed] == [dpb.DOCUMENT_KIND_CARD_PRINT_JOB]
    stock = inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock
    assert (stock.available, stock.consumed) == (stock_before.available - 1, stock_before.consumed + 1)

    def folded_once():
        row = _coverage_row(reporting, kecamatan)
        return row if (row.recorded, row.cards_printed) == (before.recorded + 1, before.cards_printed + 1) else None

    row = wait_for(folded_once, message="reporting caught up")
    assert row.suket_outstanding == before.suket_outstanding
