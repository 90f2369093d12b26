"""Concurrent reservations never share a serial and never take more than the stock."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import grpc

from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2 as pb
from tests.inventory.helpers import error_details

THREADS, PER_THREAD, STOCK = 16, 5, 40  # 80 attempts on 40 blanks


def run_together(count: int, work):
    barrier = threading.Barrier(count)

    def start(index: int):
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def stream(stub) -> list[events_pb2.Event]:
    return [r.event for r in stub.StreamEvents(events_pb2.StreamEventsRequest(), timeout=10)]


def test_sixteen_threads_reserve_exactly_the_stock_without_duplicates(stub, dinas_stub):
    dinas_stub.ReceiveStock(pb.ReceiveStockRequest(office_code="62.03", first_serial="10000001",
                                                   last_serial=f"{10000000 + STOCK}"), timeout=10)

    def reserve_many(thread: int) -> list[str]:
        outcomes = []
        for n in range(PER_THREAD):
            try:
                outcomes.append(stub.ReserveBlank(pb.ReserveBlankRequest(
                    office_code="62.03", idempotency_key=f"card:{thread}-{n}"), timeout=30).reservation.serial)
            except grpc.RpcError as err:
                outcomes.append(error_details(err)[1])
        return outcomes

    outcomes = [o for per_thread in run_together(THREADS, reserve_many) for o in per_thread]
    serials = [o for o in outcomes if o.isdigit()]
    assert len(serials) == STOCK
    assert sorted(set(serials)) == [f"{10000001 + i}" for i in range(STOCK)]
    assert outcomes.count("OUT_OF_STOCK") == THREADS * PER_THREAD - STOCK

    final = stub.GetStock(pb.GetStockRequest(office_code="62.03"), timeout=10).stock
    assert (final.available, final.reserved) == (0, STOCK)
    reserved_events = [e for e in stream(stub) if e.type == "ektp.inventory.v1.StockReserved"]
    availables = []
    for event in reserved_events:
        payload = pb.StockReserved()
        event.payload.Unpack(payload)
        availables.append(payload.available)
    assert sorted(availables) == list(range(STOCK))  # exact, never negative
    assert [e.type for e in stream(stub)].count("ektp.inventory.v1.StockOut") == 1


def test_the_same_key_reserved_concurrently_gets_one_serial(stub, dinas_stub):
    dinas_stub.ReceiveStock(pb.ReceiveStockRequest(office_code="62.03", first_serial="10000001",
                                                   last_serial="10000005"), timeout=10)
    request = pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:same")
    serials = run_together(THREADS, lambda _: stub.ReserveBlank(request, timeout=30).reservation.serial)
    assert set(serials) == {"10000001"}
    assert stub.GetStock(pb.GetStockRequest(office_code="62.03"), timeout=10).stock.reserved == 1
    assert [e.type for e in stream(stub)].count("ektp.inventory.v1.StockReserved") == 1
