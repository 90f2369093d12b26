"""The blank ledger over real gRPC, on SQLite and PostgreSQL.

`stub` calls as the documents service (reserve, consume, release, stock); deliveries are
received by the Dinas desk of the office (`dinas_stub`: Kab. Kapuas, 62.03).
"""
from __future__ import annotations

import grpc
import pytest

from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2 as pb
from servicekit.access import Role
from tests.identity import TANAH_BUMBU
from tests.inventory.helpers import error_details, row_counts

OFFICE = "62.03"


def receive(dinas_stub, first="00000001", last="00000003", office=OFFICE):
    request = pb.ReceiveStockRequest(office_code=office, first_serial=first, last_serial=last,
                                     delivery_reference="SPB-2017-001")
    return dinas_stub.ReceiveStock(request, timeout=10)


def reserve(stub, key, office=OFFICE):
    return stub.ReserveBlank(pb.ReserveBlankRequest(office_code=office, idempotency_key=key), timeout=10).reservation


def stock(stub, office=OFFICE):
    return stub.GetStock(pb.GetStockRequest(office_code=office), timeout=10).stock


def event_types(stub) -> list[str]:
    responses = stub.StreamEvents(events_pb2.StreamEventsRequest(after_sequence=0), timeout=10)
    return [r.event.type.rsplit(".", 1)[-1] for r in responses]


def refused(call, *args) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call(*args)
    return caught.value


def test_receive_reserve_consume_takes_exactly_one_blank_for_good(stub, dinas_stub):
    response = receive(dinas_stub)
    assert response.received == 3
    assert (response.stock.available, response.stock.received) == (3, 3)

    reservation = reserve(stub, "card:6203-0001")
    assert reservation.state == pb.RESERVATION_STATE_RESERVED and reservation.serial == "00000001"
    assert reservation.reserved_at.seconds > 0
    consumed = stub.ConsumeBlank(pb.ConsumeBlankRequest(idempotency_key="card:6203-0001",
                                                        serial=reservation.serial), timeout=10).reservation
    assert consumed.state == pb.RESERVATION_STATE_CONSUMED

    after = stock(stub)
    assert (after.available, after.reserved, after.consumed, after.received) == (2, 0, 1, 3)
    others = {reserve(stub, "card:6203-0002").serial, reserve(stub, "card:6203-0003").serial}
    assert reservation.serial not in others


def test_reserving_the_same_key_twice_returns_the_same_serial_and_one_event(stub, dinas_stub):
    receive(dinas_stub)
    first = reserve(stub, "card:6203-0001")
    second = reserve(stub, "card:6203-0001")
    assert second == first
    assert stock(stub).reserved == 1
    assert event_types(stub) == ["StockReceived", "StockReserved"]


def test_reserving_without_stock_fails_precondition_out_of_stock_and_stores_nothing(runtime, stub):
    before = row_counts(runtime.engine)
    err = refused(reserve, stub, "card:6203-0001")
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert err.details() == "no blank cards in stock for office 62.03"
    assert error_details(err)[1] == "OUT_OF_STOCK"
    assert row_counts(runtime.engine) == before


def test_last_blank_reserved_emits_stock_out(stub, dinas_stub):
    receive(dinas_stub, "00000001", "00000001")
    reserve(stub, "card:6203-0001")
    assert event_types(stub) == ["StockReceived", "StockReserved", "StockOut"]


def test_release_returns_the_blank_and_consume_after_release_is_refused(stub, dinas_stub):
    receive(dinas_stub, "00000001", "00000001")
    reservation = reserve(stub, "card:6203-0001")
    released = stub.ReleaseBlank(pb.ReleaseBlankRequest(idempotency_key="card:6203-0001", reason="dibatalkan"),
                                 timeout=10).reservation
    assert released.state == pb.RESERVATION_STATE_RELEASED
    assert stock(stub).available == 1

    err = refused(stub.ConsumeBlank, pb.ConsumeBlankRequest(idempotency_key="card:6203-0001"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(err)[1] == "RESERVATION_RELEASED"
    assert reserve(stub, "card:6203-0002").serial == reservation.serial


def test_consume_with_another_serial_fails_with_serial_mismatch(stub, dinas_stub):
    receive(dinas_stub)
    reserve(stub, "card:6203-0001")
    err = refused(stub.ConsumeBlank, pb.ConsumeBlankRequest(idempotency_key="card:6203-0001", serial="00000002"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(err)[1] == "SERIAL_MISMATCH"
    assert stock(stub).consumed == 0


def test_consume_is_idempotent_and_release_after_consume_is_refused(stub, dinas_stub):
    receive(dinas_stub)
    reserve(stub, "card:6203-0001")
    request = pb.ConsumeBlankRequest(idempotency_key="card:6203-0001")
    assert stub.ConsumeBlank(request, timeout=10) == stub.ConsumeBlank(request, timeout=10)
    err = refused(stub.ReleaseBlank, pb.ReleaseBlankRequest(idempotency_key="card:6203-0001"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(err)[1] == "ALREADY_CONSUMED"
    assert event_types(stub).count("StockConsumed") == 1


@pytest.mark.parametrize("call, request_", [
    ("ConsumeBlank", pb.ConsumeBlankRequest(idempotency_key="card:unknown")),
    ("ReleaseBlank", pb.ReleaseBlankRequest(idempotency_key="card:unknown")),
])
def test_unknown_key_is_not_found(stub, call, request_):
    err = refused(getattr(stub, call), request_)
    assert err.code() == grpc.StatusCode.NOT_FOUND


def test_overlapping_receipt_is_already_exists_and_stores_nothing(runtime, stub, dinas_stub, officer_stub):
    receive(dinas_stub, "00000010", "00000020")
    before = row_counts(runtime.engine)
    err = refused(receive, officer_stub(Role.OPERATOR_DINAS, TANAH_BUMBU), "00000001", "00000010", "63.10")
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert row_counts(runtime.engine) == before
    assert stock(stub, "63.10").received == 0


def test_stock_of_an_office_without_blanks_is_all_zeros(stub):
    assert stock(stub, "63.10") == pb.Stock(office_code="63.10")
