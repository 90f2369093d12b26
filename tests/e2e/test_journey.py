"""The main flow across four real processes (DESIGN.md, "The main flow"):

recording with zero stock -> Suket; stock received -> the next recording prints a card and
stock drops by exactly one; coverage counts both.
"""
from __future__ import annotations

import datetime as dt
import random
import urllib.request

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
from tests.e2e.conftest import caught_up, metric

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(request):
    """Each journey runs on the embedded default and on PostgreSQL."""
    return request.getfixturevalue("platform" if request.param == "sqlite" else "platform_on_postgres")
OFFICE = "62.03"
fake = Faker("id_ID")
Faker.seed(20161128)


def _stub(platform, name, stub_class):
    return stub_class(grpc.insecure_channel(platform.target(name)))


def _resident(kecamatan: str, region_code: str, birth: dt.date, serial: int) -> epb.Resident:
    prefix = kecamatan.replace(".", "")
    nik = f"{prefix}{birth:%d%m%y}{serial:04d}"
    return epb.Resident(
        nik=nik, kk_number=f"{prefix}{random.randint(1, 9999999999):010d}", full_name=fake.name_male(),
        birth_place="Kuala Kapuas", birth_date=birth.isoformat(), sex=epb.SEX_MALE, blood_type="O",
        address=fake.street_address(), rt="003", rw="001", region_code=region_code,
        religion=epb.RELIGION_ISLAM, marital_status=epb.MARITAL_STATUS_MARRIED, occupation="Petani/Pekebun",
        citizenship=epb.CITIZENSHIP_WNI)


def _coverage_row(reporting, kecamatan: str) -> rpb.CoverageRow:
    response = reporting.GetCoverage(rpb.GetCoverageRequest(region_code=OFFICE), timeout=5)
    return next((row for row in response.rows if row.region_code == kecamatan), rpb.CoverageRow(region_code=kecamatan))


def _documents(documents, register_number: str) -> list[dpb.Document]:
    return list(documents.ListDocuments(dpb.ListDocumentsRequest(register_number=register_number), timeout=5).documents)


def test_suket_without_stock_then_card_after_receipt_and_coverage_counts_both(platform):
    enrolment = _stub(platform, "enrolment", enrolment_pb2_grpc.EnrolmentServiceStub)
    inventory = _stub(platform, "inventory", inventory_pb2_grpc.InventoryServiceStub)
    documents = _stub(platform, "documents", documents_pb2_grpc.DocumentsServiceStub)
    reporting = _stub(platform, "reporting", reporting_pb2_grpc.ReportingServiceStub)

    kecamatan = "62.03.01"  # Selat
    villages = enrolment.ListRegions(epb.ListRegionsRequest(parent_code=kecamatan), timeout=5).regions
    home = villages[0].code if villages else kecamatan
    wait_for(lambda: caught_up(platform) and caught_up(platform), timeout=60, message="demo events folded")
    before = _coverage_row(reporting, kecamatan)
    assert inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock.available == 0

    # 1. No blanks: the print-ready recording gets a Suket.
    first = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident(kecamatan, home, dt.date(1979, 3, 14), 9901), office_code=OFFICE), timeout=5).recording
    assert first.state == epb.RECORDING_STATE_PRINT_READY
    suket = wait_for(lambda: _documents(documents, first.register_number), message="the Suket")[0]
    assert suket.kind == dpb.DOCUMENT_KIND_SUKET and suket.status == dpb.DOCUMENT_STATUS_ISSUED
    assert suket.qr_payload
    pdf = documents.GetDocument(dpb.GetDocumentRequest(document_id=suket.document_id, include_pdf=True), timeout=5).pdf
    assert pdf.startswith(b"%PDF")
    with urllib.request.urlopen(f"{platform.http('documents')}/dokumen/{suket.document_id}.pdf", timeout=5) as page:
        assert page.headers["Content-Type"] == "application/pdf" and page.read() == pdf

    # 2. A delivery arrives; the next recording is printed on a card and uses exactly one blank.
    inventory.ReceiveStock(ipb.ReceiveStockRequest(office_code=OFFICE, first_serial="6203000001",
                                                   last_serial="6203000010"), timeout=5)
    second = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident(kecamatan, home, dt.date(1985, 7, 2), 9902), office_code=OFFICE), timeout=5).recording
    card = wait_for(lambda: _documents(documents, second.register_number), message="the card")[0]
    assert card.kind == dpb.DOCUMENT_KIND_CARD_PRINT_JOB and card.status == dpb.DOCUMENT_STATUS_PRINTED
    assert card.card_serial.startswith("6203")
    stock = inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock
    assert (stock.received, stock.available, stock.reserved, stock.consumed) == (10, 9, 0, 1)

    # 3. Reporting folds all three feeds: both recordings, one card, one Suket outstanding.
    def counted():
        row = _coverage_row(reporting, kecamatan)
        return row if (row.recorded, row.cards_printed, row.suket_outstanding) == (
            before.recorded + 2, before.cards_printed + 1, before.suket_outstanding + 1) else None

    row = wait_for(counted, message="coverage with both recordings")
    assert row.target > 0 and row.coverage_ratio == pytest.approx(row.recorded / row.target)

    # 4. No personal data in any service's log: not the NIK, the KK or the name.
    for name in platform.names:
        log = platform.log_path(name).read_text()
        for recording in (first, second):
            for secret in (recording.resident.nik, recording.resident.kk_number, recording.resident.full_name):
                assert secret not in log, f"personal data in the {name} log"


def test_every_service_serves_its_page_probes_and_metrics(platform):
    for name in platform.names:
        for path in ("/", "/healthz", "/readyz"):
            with urllib.request.urlopen(f"{platform.http(name)}{path}", timeout=5) as response:
                assert response.status == 200, (name, path)
        assert metric(platform, name, f"ektp_{name}_database_up") == 1.0
        with urllib.request.urlopen(f"{platform.http(name)}/metrics", timeout=5) as response:
            assert f"ektp_{name}_grpc_requests_total" in response.read().decode()



def test_services_that_were_down_catch_up_exactly_and_an_unreachable_inventory_issues_no_suket(platform):
    enrolment = _stub(platform, "enrolment", enrolment_pb2_grpc.EnrolmentServiceStub)
    inventory = _stub(platform, "inventory", inventory_pb2_grpc.InventoryServiceStub)
    documents = _stub(platform, "documents", documents_pb2_grpc.DocumentsServiceStub)
    reporting = _stub(platform, "reporting", reporting_pb2_grpc.ReportingServiceStub)
    kecamatan = "62.03.02"
    wait_for(lambda: caught_up(platform), timeout=60, message="earlier events folded")
    before = _coverage_row(reporting, kecamatan)
    inventory.ReceiveStock(ipb.ReceiveStockRequest(office_code=OFFICE, first_serial="6203000101",
                                                   last_serial="6203000105"), timeout=5)
    stock_before = inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=5).stock

    # Documents and reporting are down while a resident is recorded.
    platform.stop("documents", "reporting")
    recording = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident(kecamatan, kecamatan, dt.date(1990, 1, 20), 9903), office_code=OFFICE), timeout=5).recording
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
