"""Requests for blanks over gRPC on SQLite and PostgreSQL: a kabupaten asks, its province
approves (maybe partly) and the blanks travel as a transfer until the Dinas confirms receipt;
loans between kabupaten of one province; forecasts; bad input stores nothing."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
import sqlalchemy as sa

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory import db, demo
from inventory.events import decode_event
from servicekit.access import Principal, Role
from tests.identity import KAPUAS
from tests.inventory.helpers import audit_entries, error_details, outbox_types, row_counts

SYSTEM = Principal.service("inventory", origin="test")
KATINGAN = "62.06"


@pytest.fixture
def world(runtime):
    """The demo offices and procurement; 300 blanks at the province, 50 at Katingan."""
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)
    runtime.service.receive_stock(SYSTEM, "62", "50000001", "50000300", "SPB-PROV")
    runtime.service.receive_stock(SYSTEM, KATINGAN, "51000001", "51000050", "SPB-KTG")
    return runtime


@pytest.fixture
def dinas(officer_stub):
    return officer_stub(Role.OPERATOR_DINAS, KAPUAS)


@pytest.fixture
def province(officer_stub):
    return officer_stub(Role.ADMIN_PROVINSI, "62")


def ask(stub, **fields) -> pb.BlankRequest:
    values = dict(kind=pb.BLANK_REQUEST_KIND_ALLOCATION, office_code=KAPUAS, quantity=200, backlog=240,
                  backlog_source=pb.BACKLOG_SOURCE_ENROLMENT) | fields
    return stub.CreateBlankRequest(pb.CreateBlankRequestRequest(**values), timeout=10).request


def test_the_province_approves_part_and_the_dinas_receives_it(world, dinas, province):
    asked = ask(dinas)
    assert (asked.state, asked.supplier_office, asked.backlog_source) == (
        pb.BLANK_REQUEST_STATE_SUBMITTED, "62", pb.BACKLOG_SOURCE_ENROLMENT)
    decided = province.DecideBlankRequest(pb.DecideBlankRequestRequest(
        request_id=asked.request_id, approve=True, quantity=150, reason="Stok provinsi dibagi dua kabupaten"),
        timeout=10).request
    assert (decided.state, decided.quantity_approved) == (pb.BLANK_REQUEST_STATE_APPROVED, 150)
    assert decided.transfer_id
    assert world.service.get_stock(SYSTEM, "62").available == 150           # left the province
    assert world.service.get_stock(SYSTEM, KAPUAS).available == 0           # still in transit

    received = dinas.ReceiveBlankRequest(pb.ReceiveBlankRequestRequest(request_id=asked.request_id),
                                         timeout=10).request
    again = dinas.ReceiveBlankRequest(pb.ReceiveBlankRequestRequest(request_id=asked.request_id), timeout=10).request
    assert received.state == again.state == pb.BLANK_REQUEST_STATE_RECEIVED
    assert world.service.get_stock(SYSTEM, KAPUAS).available == 150
    assert world.service.get_transfer(SYSTEM, decided.transfer_id).quantity == 150

    states = [decode_event(t, p, o).state.name for t, p, o in request_events(world)]
    assert states == ["SUBMITTED", "APPROVED", "RECEIVED"]
    actions = [e[2] for e in audit_entries(world.engine) if e[3] == "blank_request"]
    assert actions == ["request.create", "request.approve", "request.receive"]


def request_events(runtime):
    o = db.outbox.c
    with runtime.engine.connect() as conn:
        rows = conn.execute(sa.select(o.type, o.payload, o.occurred_at).where(
            o.type == "ektp.inventory.v1.BlankRequestChanged").order_by(o.sequence))
        return [tuple(row) for row in rows]


def test_a_loan_goes_between_kabupaten_of_one_province_and_the_lender_decides(world, dinas, officer_stub):
    asked = ask(dinas, kind=pb.BLANK_REQUEST_KIND_LOAN, lender_office=KATINGAN, quantity=30, backlog=30)
    assert asked.supplier_office == KATINGAN
    with pytest.raises(grpc.RpcError) as caught:                       # Kapuas cannot approve its own loan
        officer_stub(Role.KEPALA_DINAS, KAPUAS).DecideBlankRequest(pb.DecideBlankRequestRequest(
            request_id=asked.request_id, approve=True, quantity=30), timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    lender = officer_stub(Role.KEPALA_DINAS, KATINGAN)
    decided = lender.DecideBlankRequest(pb.DecideBlankRequestRequest(
        request_id=asked.request_id, approve=True, quantity=30), timeout=10).request
    loan = world.service.get_transfer(SYSTEM, decided.transfer_id)
    assert (loan.kind.name, loan.from_office, loan.to_office, loan.quantity) == ("LOAN", KATINGAN, KAPUAS, 30)
    dinas.ReceiveBlankRequest(pb.ReceiveBlankRequestRequest(request_id=asked.request_id), timeout=10)
    assert world.service.get_stock(SYSTEM, KAPUAS).available == 30
    repayment = world.service.repay(SYSTEM, loan.transfer_id, 10, "Pengembalian tahap 1")
    assert repayment.loan.outstanding == 20                            # repayment tracked on the loan


def test_a_rejection_needs_a_reason_and_a_decided_request_is_not_decided_again(world, dinas, province):
    asked = ask(dinas)
    before = row_counts(world.engine)
    with pytest.raises(grpc.RpcError) as caught:
        province.DecideBlankRequest(pb.DecideBlankRequestRequest(request_id=asked.request_id, approve=False),
                                    timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(error_details(caught.value)[0]) == {"reason"}
    assert row_counts(world.engine) == before
    province.DecideBlankRequest(pb.DecideBlankRequestRequest(
        request_id=asked.request_id, approve=False, reason="Stok provinsi kosong"), timeout=10)
    with pytest.raises(grpc.RpcError) as caught:
        province.DecideBlankRequest(pb.DecideBlankRequestRequest(request_id=asked.request_id, approve=True,
                                                                 quantity=1), timeout=10)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(caught.value)[1] == "INVALID_REQUEST_STATE"
    with pytest.raises(grpc.RpcError) as caught:
        dinas.ReceiveBlankRequest(pb.ReceiveBlankRequestRequest(request_id=asked.request_id), timeout=10)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_approving_more_than_the_supplier_holds_stores_nothing(world, dinas, province):
    asked = ask(dinas, quantity=400, backlog=400)
    before = row_counts(world.engine)
    with pytest.raises(grpc.RpcError) as caught:
        province.DecideBlankRequest(pb.DecideBlankRequestRequest(request_id=asked.request_id, approve=True,
                                                                 quantity=400), timeout=10)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert row_counts(world.engine) == before
    assert world.service.get_request(SYSTEM, asked.request_id).state.name == "SUBMITTED"
    assert world.service.get_stock(SYSTEM, "62").available == 300


@pytest.mark.parametrize("fields, bad", [
    ({"quantity": 0}, {"quantity"}),
    ({"quantity": -3}, {"quantity"}),
    ({"quantity": 5_000_000_000}, {"quantity"}),
    ({"backlog": -1}, {"backlog"}),
    ({"quantity": 900, "backlog": 10}, {"note"}),
    ({"kind": pb.BLANK_REQUEST_KIND_UNSPECIFIED}, {"kind"}),
    ({"kind": pb.BLANK_REQUEST_KIND_LOAN, "lender_office": "63.10"}, {"lender_office"}),
    ({"kind": pb.BLANK_REQUEST_KIND_LOAN, "lender_office": "62.99"}, {"lender_office"}),   # not registered
    ({"office_code": "62.03.01"}, {"office_code"}),
])
def test_a_bad_request_is_invalid_argument_and_stores_nothing(world, dinas, fields, bad):
    before = row_counts(world.engine)
    with pytest.raises(grpc.RpcError) as caught:
        ask(dinas, **fields)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(error_details(caught.value)[0]) == bad
    assert row_counts(world.engine) == before


def test_another_kabupaten_neither_asks_for_kapuas_nor_reads_its_requests(world, dinas, officer_stub):
    asked = ask(dinas)
    tanah_bumbu = officer_stub(Role.KEPALA_DINAS, "63.10")
    with pytest.raises(grpc.RpcError) as caught:
        ask(tanah_bumbu)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        tanah_bumbu.GetBlankRequest(pb.GetBlankRequestRequest(request_id=asked.request_id), timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert tanah_bumbu.ListBlankRequests(pb.ListBlankRequestsRequest(), timeout=10).requests == []
    assert [r.request_id for r in officer_stub(Role.OPERATOR_KECAMATAN, "62.03.01").ListBlankRequests(
        pb.ListBlankRequestsRequest(), timeout=10).requests] == [asked.request_id]


def test_the_forecast_of_an_empty_office_says_the_next_delivery_is_overdue_or_unknown(world, dinas):
    forecast = dinas.GetForecast(pb.GetForecastRequest(office_code=KAPUAS, backlog=240), timeout=10).forecast
    assert (forecast.available, forecast.level, forecast.shortfall) == (0, "out", 240)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
    assert (forecast.has_days_of_cover, forecast.days_of_cover, forecast.stock_out_on) == (True, 0.0, today)
    assert forecast.expected_arrival_on == "2017-07-31"             # the 2017 contract's promised date
    assert "terlambat" in forecast.arrival_explanation
    with pytest.raises(grpc.RpcError) as caught:
        dinas.GetForecast(pb.GetForecastRequest(office_code=KAPUAS, backlog=-1), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_blanks_running_low_and_out_are_announced_once_per_fall(world, province):
    world.service.transfer(SYSTEM, "62", KAPUAS, 101, "ALOK-1")     # province 300 -> 199: still OK
    assert "ektp.inventory.v1.StockLow" not in outbox_types(world.engine)
    world.service.transfer(SYSTEM, "62", KAPUAS, 100, "ALOK-2")     # -> 99: low
    world.service.transfer(SYSTEM, "62", KAPUAS, 50, "ALOK-3")      # -> 49: still low, no new event
    world.service.transfer(SYSTEM, "62", KAPUAS, 49, "ALOK-4")      # -> 0: out
    types = outbox_types(world.engine)
    assert (types.count("ektp.inventory.v1.StockLow"), types.count("ektp.inventory.v1.StockOut")) == (1, 1)
    world.service.receive_stock(SYSTEM, "62", "52000001", "52000500", "SPB-2")   # recovers: nothing emitted
    world.service.transfer(SYSTEM, "62", KAPUAS, 450, "ALOK-5")                 # falls to 50 again: low again
    types = outbox_types(world.engine)
    assert (types.count("ektp.inventory.v1.StockLow"), types.count("ektp.inventory.v1.StockOut")) == (2, 1)
