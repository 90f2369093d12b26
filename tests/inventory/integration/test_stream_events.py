"""StreamEvents serves the outbox in commit order, from a cursor, and follows new commits."""
from __future__ import annotations

import threading

import grpc

from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2 as pb
from tests.conftest import wait_for


def make_history(stub, dinas_stub) -> None:
    dinas_stub.ReceiveStock(pb.ReceiveStockRequest(office_code="62.03", first_serial="00000001",
                                                   last_serial="00000002"), timeout=10)
    stub.ReserveBlank(pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:1"), timeout=10)
    stub.ConsumeBlank(pb.ConsumeBlankRequest(idempotency_key="card:1"), timeout=10)
    stub.ReserveBlank(pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:2"), timeout=10)
    stub.ReleaseBlank(pb.ReleaseBlankRequest(idempotency_key="card:2"), timeout=10)


def read(stub, **request) -> list[events_pb2.Event]:
    responses = stub.StreamEvents(events_pb2.StreamEventsRequest(**request), timeout=10)
    return [r.event for r in responses]


def test_events_come_in_commit_order_with_typed_payloads(stub, dinas_stub):
    make_history(stub, dinas_stub)
    events = read(stub)
    assert [e.type.rsplit(".", 1)[-1] for e in events] == [
        "StockReceived", "StockReserved", "StockConsumed", "StockReserved", "StockOut", "StockReleased"]
    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences))
    assert {e.region_code for e in events} == {"62.03"}
    assert len({e.event_id for e in events}) == len(events)
    received = pb.StockReceived()
    assert events[0].payload.Unpack(received)
    assert (received.first_serial, received.last_serial, received.quantity, received.available) == (
        "00000001", "00000002", 2, 2)
    released = pb.StockReleased()
    assert events[-1].payload.Unpack(released)
    assert (released.serial, released.idempotency_key, released.available) == ("00000002", "card:2", 1)


def test_a_follower_resumes_after_its_cursor_and_honours_the_limit(stub, dinas_stub):
    make_history(stub, dinas_stub)
    everything = read(stub)
    later = read(stub, after_sequence=everything[1].sequence)
    assert [e.event_id for e in later] == [e.event_id for e in everything[2:]]
    assert [e.event_id for e in read(stub, after_sequence=everything[1].sequence, limit=2)] == [
        e.event_id for e in everything[2:4]]


def test_a_following_stream_receives_events_committed_later(stub, dinas_stub):
    received: list[events_pb2.Event] = []
    call = stub.StreamEvents(events_pb2.StreamEventsRequest(follow=True), timeout=30)

    def follow() -> None:
        try:
            for response in call:
                received.append(response.event)
        except grpc.RpcError:
            pass  # cancelled at the end of the test

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    try:
        dinas_stub.ReceiveStock(pb.ReceiveStockRequest(office_code="62.03", first_serial="00000001",
                                                       last_serial="00000001"), timeout=10)
        wait_for(lambda: len(received) == 1, message="StockReceived on the open stream")
        stub.ReserveBlank(pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:1"), timeout=10)
        wait_for(lambda: len(received) == 3, message="StockReserved and StockOut on the open stream")
        assert [e.type.rsplit(".", 1)[-1] for e in received] == ["StockReceived", "StockReserved", "StockOut"]
    finally:
        call.cancel()
        thread.join(5)
