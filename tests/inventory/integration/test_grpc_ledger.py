"""The ledger RPCs over real gRPC on SQLite and PostgreSQL: a transfer's way from dispatch to
receipt, and bad input -- absurd quantities, overlapping ranges, serials the office does not
hold, an unreserved or foreign serial, a late consume -- each refused with the right status,
field violations where a field is wrong, and nothing stored."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory import demo
from servicekit.access import Principal, Role
from tests.inventory.helpers import error_details, row_counts

SYSTEM = Principal.service("inventory", origin="test")
WITNESSES = [pb.Witness(name="Saksi Satu", staff_id="198001012005012001"),
             pb.Witness(name="Saksi Dua", staff_id="197502022000031002")]


def rng(first: str, last: str | None = None) -> pb.SerialRange:
    return pb.SerialRange(first_serial=first, last_serial=last or first)


@pytest.fixture
def stocked(runtime):
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)
    runtime.service.receive_stock(SYSTEM, "62.03", "40000001", "40000100", "SPB-1")
    runtime.service.receive_stock(SYSTEM, "63.10", "41000001", "41000010", "SPB-2")
    return runtime


@pytest.fixture
def admin_stub(officer_stub):
    return officer_stub(Role.ADMIN_PROVINSI, "62")


def refused(call, request, code: grpc.StatusCode) -> tuple[dict[str, str], str]:
    with pytest.raises(grpc.RpcError) as caught:
        call(request, timeout=10)
    assert caught.value.code() == code, caught.value.details()
    return error_details(caught.value)


def test_a_transfer_goes_from_dispatch_to_receipt_and_shows_in_both_ledgers(stocked, dinas_stub, officer_stub):
    sent = dinas_stub.TransferStock(pb.TransferStockRequest(from_office="62.03", to_office="62.03.02", quantity=30,
                                                            reference="ALOK-UPT-02"), timeout=10).transfer
    assert (sent.status, sent.quantity, sent.kind) == (pb.TRANSFER_STATUS_IN_TRANSIT, 30, pb.TRANSFER_KIND_ALLOCATION)
    assert [(r.first_serial, r.last_serial) for r in sent.ranges] == [("40000001", "40000030")]
    upt = officer_stub(Role.OPERATOR_KECAMATAN, "62.03.02")
    received = upt.ReceiveTransfer(pb.ReceiveTransferRequest(transfer_id=sent.transfer_id), timeout=10).transfer
    assert received.status == pb.TRANSFER_STATUS_RECEIVED and received.HasField("received_at")
    entries = upt.ListLedger(pb.ListLedgerRequest(office_code="62.03.02"), timeout=10).entries
    assert [(e.kind, e.counterparty, e.quantity) for e in entries] == [(pb.LEDGER_KIND_TRANSFERRED_IN, "62.03", 30)]
    kapuas = dinas_stub.ListLedger(pb.ListLedgerRequest(office_code="62.03", kinds=[pb.LEDGER_KIND_TRANSFERRED_OUT]),
                                   timeout=10).entries
    assert [(e.range.first_serial, e.range.last_serial, e.transfer_id) for e in kapuas] == [
        ("40000001", "40000030", sent.transfer_id)]
    assert stocked.service.check_ledger(SYSTEM, "62.03").ok and stocked.service.check_ledger(SYSTEM, "62.03.02").ok


@pytest.mark.parametrize("quantity", [0, -5, 10**12])
def test_an_absurd_quantity_is_invalid_and_stores_nothing(stocked, dinas_stub, quantity):
    before = row_counts(stocked.engine)
    violations, _ = refused(dinas_stub.TransferStock, pb.TransferStockRequest(
        from_office="62.03", to_office="62.03.01", quantity=quantity, reference="ALOK"),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert set(violations) == {"quantity"}
    assert row_counts(stocked.engine) == before


def test_more_than_the_stock_is_out_of_stock_and_stores_nothing(stocked, dinas_stub):
    before = row_counts(stocked.engine)
    _, reason = refused(dinas_stub.TransferStock, pb.TransferStockRequest(
        from_office="62.03", to_office="62.03.01", quantity=101, reference="ALOK"), grpc.StatusCode.FAILED_PRECONDITION)
    assert reason == "OUT_OF_STOCK"
    assert row_counts(stocked.engine) == before


def test_overlapping_ranges_in_one_request_are_invalid(stocked, dinas_stub):
    before = row_counts(stocked.engine)
    violations, _ = refused(dinas_stub.SpoilBlanks, pb.SpoilBlanksRequest(
        office_code="62.03", ranges=[rng("40000010", "40000020"), rng("40000015", "40000016")], cause="rusak",
        witnesses=WITNESSES, reference="BA-1"), grpc.StatusCode.INVALID_ARGUMENT)
    assert "bertumpuk" in violations["serial_ranges"]
    assert row_counts(stocked.engine) == before


def test_receiving_a_serial_that_exists_anywhere_is_already_exists(stocked, admin_stub):
    before = row_counts(stocked.engine)
    violations, reason = refused(admin_stub.ReceiveStock, pb.ReceiveStockRequest(
        office_code="62", first_serial="41000005", last_serial="41000020"), grpc.StatusCode.ALREADY_EXISTS)
    assert reason == "SERIALS_ALREADY_RECEIVED" and "first_serial" in violations
    assert row_counts(stocked.engine) == before


@pytest.mark.parametrize("serial, why", [("41000001", "another office's"), ("49999999", "never received")])
def test_spoiling_or_losing_a_serial_the_office_does_not_hold_stores_nothing(stocked, dinas_stub, serial, why):
    before = row_counts(stocked.engine)
    violations, reason = refused(dinas_stub.SpoilBlanks, pb.SpoilBlanksRequest(
        office_code="62.03", ranges=[rng(serial)], cause="rusak", witnesses=WITNESSES, reference="BA-1"),
        grpc.StatusCode.FAILED_PRECONDITION)
    assert reason == "SERIALS_NOT_HELD" and "serial_ranges" in violations, why
    _, reason = refused(dinas_stub.ReportLost, pb.ReportLostRequest(office_code="62.03", ranges=[rng(serial)],
                                                                    cause="hilang"), grpc.StatusCode.FAILED_PRECONDITION)
    assert reason == "SERIALS_NOT_HELD"
    assert row_counts(stocked.engine) == before


def test_consuming_an_unreserved_or_a_foreign_serial_is_refused(stocked, stub):
    before = row_counts(stocked.engine)
    refused(stub.ConsumeBlank, pb.ConsumeBlankRequest(idempotency_key="card:NEVER", serial="40000001"),
            grpc.StatusCode.NOT_FOUND)
    assert row_counts(stocked.engine) == before
    reserved = stub.ReserveBlank(pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:R1"),
                                 timeout=10).reservation
    assert reserved.HasField("expires_at")
    before = row_counts(stocked.engine)
    _, reason = refused(stub.ConsumeBlank, pb.ConsumeBlankRequest(idempotency_key="card:R1", serial="41000001"),
                        grpc.StatusCode.FAILED_PRECONDITION)
    assert reason == "SERIAL_MISMATCH"
    assert row_counts(stocked.engine) == before


def test_a_consume_after_the_reservation_expired_is_failed_precondition(stocked, stub):
    reserved = stub.ReserveBlank(pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:LATE"),
                                 timeout=10).reservation
    later = reserved.expires_at.ToDatetime(dt.timezone.utc) + dt.timedelta(seconds=1)
    stocked.service._clock = lambda: later                 # the print job took longer than the expiry
    before = row_counts(stocked.engine)
    _, reason = refused(stub.ConsumeBlank, pb.ConsumeBlankRequest(idempotency_key="card:LATE", serial=reserved.serial),
                        grpc.StatusCode.FAILED_PRECONDITION)
    assert reason == "RESERVATION_EXPIRED"
    assert row_counts(stocked.engine) == before
    assert stocked.service.expire_reservations(SYSTEM) == 1
    assert stocked.service.get_stock(SYSTEM, "62.03").available == 100


def test_a_destruction_without_two_witnesses_names_every_wrong_field(stocked, dinas_stub):
    before = row_counts(stocked.engine)
    violations, _ = refused(dinas_stub.SpoilBlanks, pb.SpoilBlanksRequest(
        office_code="62.03", ranges=[rng("40000001")], cause="", witnesses=WITNESSES[:1], reference=""),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert set(violations) == {"cause", "witnesses", "reference"}
    assert row_counts(stocked.engine) == before


def test_a_kabupaten_officer_cannot_move_another_kabupatens_blanks(stocked, dinas_stub):
    refused(dinas_stub.TransferStock, pb.TransferStockRequest(from_office="63.10", to_office="62.03", quantity=1,
                                                              reference="x"), grpc.StatusCode.PERMISSION_DENIED)
    refused(dinas_stub.ListLedger, pb.ListLedgerRequest(office_code="63.10"), grpc.StatusCode.PERMISSION_DENIED)
