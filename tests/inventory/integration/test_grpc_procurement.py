"""Procurement over gRPC on SQLite and PostgreSQL: the lifecycle with its dated history,
partial deliveries into the central store, and bad input refused with nothing stored."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
from google.protobuf import timestamp_pb2

from ektp.inventory.v1 import inventory_pb2 as pb
from servicekit.access import Principal, Role
from tests.identity import KAPUAS
from tests.inventory.helpers import audit_entries, error_details, outbox_types, row_counts

ADMIN_SCOPE = "62"   # the provincial admin of Kalimantan Tengah records national procurement
SYSTEM = Principal.service("inventory", origin="test")


def stamp(year: int, month: int, day: int) -> timestamp_pb2.Timestamp:
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(dt.datetime(year, month, day, 2, 0, tzinfo=dt.timezone.utc))
    return value


@pytest.fixture
def admin(officer_stub):
    return officer_stub(Role.ADMIN_PROVINSI, ADMIN_SCOPE)


@pytest.fixture
def central(runtime):
    """The central store, where deliveries arrive."""
    runtime.service.register_office(SYSTEM, "ID", "Ditjen Dukcapil (gudang pusat)")


def create_2017(admin) -> pb.ProcurementPackage:
    return admin.CreateProcurement(pb.CreateProcurementRequest(
        package_id="blanko-2017", fiscal_year=2017, name="Pengadaan blanko KTP-el 2017", quantity=7_000_000,
        estimated_value_idr=82_250_000_000, channel=pb.PROCUREMENT_CHANNEL_TENDER, planned_at=stamp(2017, 1, 9)),
        timeout=10).package


def step(admin, status, year_month_day, reason="", **terms) -> pb.ProcurementPackage:
    return admin.ChangeProcurementStatus(pb.ChangeProcurementStatusRequest(
        package_id="blanko-2017", status=status, reason=reason, changed_at=stamp(*year_month_day), **terms),
        timeout=10).package


def contracted(admin) -> None:
    create_2017(admin)
    step(admin, pb.PROCUREMENT_STATUS_ANNOUNCED, (2017, 2, 6), "Pengumuman tender")
    step(admin, pb.PROCUREMENT_STATUS_WINNER, (2017, 4, 10), "Penetapan pemenang", vendor="PT Uji Kartu")
    step(admin, pb.PROCUREMENT_STATUS_OBJECTION_PERIOD, (2017, 4, 11))
    step(admin, pb.PROCUREMENT_STATUS_REVIEW, (2017, 4, 24), "Reviu BPKP")
    step(admin, pb.PROCUREMENT_STATUS_CONTRACT, (2017, 5, 15), "Tanda tangan kontrak",
         contract_number="KTR-2017/001", contract_value_idr=82_250_000_000, expected_delivery_on="2017-07-31")


def test_a_tender_goes_from_plan_to_contract_and_partial_deliveries_fill_the_central_store(
        runtime, admin, officer_stub, central):
    contracted(admin)
    first = admin.RecordDelivery(pb.RecordDeliveryRequest(
        package_id="blanko-2017", first_serial="7000000001", last_serial="7000000400",
        delivered_at=stamp(2017, 7, 20), reference="SJ-001"), timeout=10)
    second = admin.RecordDelivery(pb.RecordDeliveryRequest(
        package_id="blanko-2017", first_serial="7000000401", last_serial="7000000500",
        delivered_at=stamp(2017, 7, 28), reference="SJ-002"), timeout=10)
    assert (first.delivery.sequence, first.delivery.quantity, first.package.status) == (
        1, 400, pb.PROCUREMENT_STATUS_DELIVERY)
    assert (second.delivery.sequence, second.package.delivered) == (2, 500)

    detail = officer_stub(Role.AUDITOR, KAPUAS).GetProcurement(
        pb.GetProcurementRequest(package_id="blanko-2017"), timeout=10)
    assert [(pb.ProcurementStatus.Name(h.status), h.changed_at.ToDatetime().date().isoformat())
            for h in detail.history] == [
        ("PROCUREMENT_STATUS_PLANNED", "2017-01-09"), ("PROCUREMENT_STATUS_ANNOUNCED", "2017-02-06"),
        ("PROCUREMENT_STATUS_WINNER", "2017-04-10"), ("PROCUREMENT_STATUS_OBJECTION_PERIOD", "2017-04-11"),
        ("PROCUREMENT_STATUS_REVIEW", "2017-04-24"), ("PROCUREMENT_STATUS_CONTRACT", "2017-05-15"),
        ("PROCUREMENT_STATUS_DELIVERY", "2017-07-20")]
    assert (detail.package.vendor, detail.package.contract_number, detail.package.contract_value_idr,
            detail.package.expected_delivery_on) == ("PT Uji Kartu", "KTR-2017/001", 82_250_000_000, "2017-07-31")
    assert [(d.first_serial, d.last_serial, d.reference) for d in detail.deliveries] == [
        ("7000000001", "7000000400", "SJ-001"), ("7000000401", "7000000500", "SJ-002")]

    assert runtime.service.get_stock(SYSTEM, "ID").available == 500
    types = outbox_types(runtime.engine)
    assert types.count("ektp.inventory.v1.DeliveryReceived") == 2
    assert types.count("ektp.inventory.v1.StockReceived") == 2
    assert types.count("ektp.inventory.v1.ProcurementStatusChanged") == 7
    actions = [entry[2] for entry in audit_entries(runtime.engine)]
    assert actions.count("procurement.status") == 5 and actions.count("procurement.delivery") == 2


@pytest.mark.parametrize("forbidden", ["CONTRACT", "WINNER", "DELIVERY", "ALLOCATED", "REVIEW"])
def test_a_status_change_the_lifecycle_forbids_is_failed_precondition_and_stores_nothing(
        runtime, admin, forbidden):
    create_2017(admin)   # PLANNED
    before = row_counts(runtime.engine)
    with pytest.raises(grpc.RpcError) as caught:
        step(admin, pb.ProcurementStatus.Value(f"PROCUREMENT_STATUS_{forbidden}"), (2017, 2, 1), "x",
             vendor="PT", contract_number="K", contract_value_idr=1)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(caught.value)[1] == "INVALID_TRANSITION"
    assert "Direncanakan" in caught.value.details()
    assert row_counts(runtime.engine) == before


def test_postponing_without_a_reason_names_the_field(runtime, admin):
    create_2017(admin)
    step(admin, pb.PROCUREMENT_STATUS_ANNOUNCED, (2017, 2, 6))
    step(admin, pb.PROCUREMENT_STATUS_WINNER, (2017, 4, 10), vendor="PT Uji Kartu")
    step(admin, pb.PROCUREMENT_STATUS_OBJECTION_PERIOD, (2017, 4, 11))
    step(admin, pb.PROCUREMENT_STATUS_REVIEW, (2017, 4, 24))
    before = row_counts(runtime.engine)
    with pytest.raises(grpc.RpcError) as caught:
        step(admin, pb.PROCUREMENT_STATUS_POSTPONED, (2017, 5, 1), "")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(error_details(caught.value)[0]) == {"reason"}
    assert row_counts(runtime.engine) == before


@pytest.mark.parametrize("request_fields, fields", [
    ({"quantity": 0}, {"quantity"}),
    ({"quantity": -5}, {"quantity"}),
    ({"quantity": 900_000_000}, {"quantity"}),                      # more blanks than there are Indonesians
    ({"estimated_value_idr": -1}, {"estimated_value_idr"}),
    ({"fiscal_year": 1999, "name": " "}, {"fiscal_year", "name"}),
    ({"channel": pb.PROCUREMENT_CHANNEL_UNSPECIFIED}, {"channel"}),
])
def test_a_bad_package_is_invalid_argument_with_every_field_named(runtime, admin, request_fields, fields):
    values = dict(fiscal_year=2017, name="Blanko 2017", quantity=7_000_000, estimated_value_idr=1,
                  channel=pb.PROCUREMENT_CHANNEL_E_CATALOGUE) | request_fields
    before = row_counts(runtime.engine)
    with pytest.raises(grpc.RpcError) as caught:
        admin.CreateProcurement(pb.CreateProcurementRequest(**values), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(error_details(caught.value)[0]) == fields
    assert row_counts(runtime.engine) == before


def test_deliveries_beyond_the_contract_or_over_known_serials_store_nothing(runtime, admin, central):
    contracted(admin)
    admin.RecordDelivery(pb.RecordDeliveryRequest(package_id="blanko-2017", first_serial="7000000001",
                                                  last_serial="7000000100"), timeout=10)
    before = row_counts(runtime.engine)
    for first, last, code in [("7000000050", "7000000150", grpc.StatusCode.ALREADY_EXISTS),   # overlaps
                              ("70000001", "7000000150", grpc.StatusCode.INVALID_ARGUMENT),    # widths differ
                              ("7000000300", "7000000200", grpc.StatusCode.INVALID_ARGUMENT)]:  # reversed
        with pytest.raises(grpc.RpcError) as caught:
            admin.RecordDelivery(pb.RecordDeliveryRequest(package_id="blanko-2017", first_serial=first,
                                                          last_serial=last), timeout=10)
        assert caught.value.code() == code, (first, last)
    with pytest.raises(grpc.RpcError) as caught:
        admin.RecordDelivery(pb.RecordDeliveryRequest(package_id="nope", first_serial="7000000200",
                                                      last_serial="7000000300"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert row_counts(runtime.engine) == before
    assert runtime.service.get_stock(SYSTEM, "ID").available == 100


def test_a_delivery_before_the_contract_is_refused(runtime, admin, central):
    create_2017(admin)
    with pytest.raises(grpc.RpcError) as caught:
        admin.RecordDelivery(pb.RecordDeliveryRequest(package_id="blanko-2017", first_serial="7000000001",
                                                      last_serial="7000000100"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert runtime.service.get_stock(SYSTEM, "ID").available == 0


def test_the_dinas_reads_procurement_but_cannot_change_it(officer_stub, admin):
    create_2017(admin)
    dinas = officer_stub(Role.KEPALA_DINAS, KAPUAS)
    assert dinas.GetProcurement(pb.GetProcurementRequest(package_id="blanko-2017"), timeout=10).package.quantity \
        == 7_000_000
    with pytest.raises(grpc.RpcError) as caught:
        dinas.ChangeProcurementStatus(pb.ChangeProcurementStatusRequest(
            package_id="blanko-2017", status=pb.PROCUREMENT_STATUS_ANNOUNCED), timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
