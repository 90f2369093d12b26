"""Use cases on a real SQLite database: effects, events in the outbox, audit entries, region
scope, nothing half-stored."""
from __future__ import annotations

import datetime as dt

import pytest
from prometheus_client import generate_latest

from inventory import demo, events
from inventory.domain import (
    ProcurementChannel,
    ProcurementStatus,
    ProcurementStatusChanged,
    ReservationState,
    Stock,
    StockConsumed,
    StockOut,
    StockReceived,
    StockReleased,
    StockReserved,
)
from inventory.errors import (
    InvalidRequest,
    InvalidTransition,
    OutOfStock,
    PackageNotFound,
    ReservationNotFound,
    SerialsAlreadyReceived,
)
from servicekit import outbox
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied
from tests.inventory.helpers import audit_entries, row_counts

DOCUMENTS = Principal.service("documents", origin="10.0.0.3")   # reserves, prints, releases for card jobs
AUDITOR = Principal("auditor.kalteng", Role.AUDITOR, "62", origin="10.0.0.9")
CLI = Principal.service("inventory", origin="cli")
ADMIN = Principal("admin.kalteng", Role.ADMIN_PROVINSI, "62", origin="10.0.0.7")   # records national procurement


def dinas(office: str) -> Principal:
    """An operator at the Dinas desk of the office's kabupaten."""
    return Principal(f"dinas.{office}", Role.OPERATOR_DINAS, ".".join(office.split(".")[:2]), origin="10.0.0.7")


def stored_events(core, after: int = 0) -> list:
    return [events.decode_event(e.type, e.payload, e.occurred_at) for e in outbox.read_events(core.engine, after, 1000)]


def test_receiving_stock_stores_every_serial_and_emits_stock_received(core, service):
    receipt = service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000010", "SPB-001")
    assert receipt.received == 10
    assert receipt.stock == Stock("62.03", available=10)
    [event] = stored_events(core)
    assert isinstance(event, StockReceived)
    assert (event.first_serial, event.last_serial, event.quantity, event.available, event.region_code) == (
        "00000001", "00000010", 10, 10, "62.03")


def test_receiving_a_range_overlapping_known_serials_stores_nothing(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000005", "00000006")
    before = row_counts(core.engine)
    with pytest.raises(SerialsAlreadyReceived):
        service.receive_stock(dinas("63.10"), "63.10", "00000001", "00000005")
    assert row_counts(core.engine) == before


def test_serials_of_another_length_are_different_serials(service):
    service.receive_stock(dinas("62.03"), "62.03", "00000005", "00000006")
    assert service.receive_stock(dinas("62.03"), "62.03", "000000005", "000000006").received == 2


def test_bad_receipt_reports_every_field_at_once(core, service):
    with pytest.raises(InvalidRequest) as caught:
        service.receive_stock(dinas("62.03"), "62-03", "12AB", "1", "x" * 121)
    assert [v.field for v in caught.value.violations] == [
        "office_code", "first_serial", "last_serial", "delivery_reference"]
    assert sum(row_counts(core.engine).values()) == 0


def test_reserving_takes_the_lowest_available_serial_of_the_office(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000003", "00000004")
    service.receive_stock(dinas("63.10"), "63.10", "00000001", "00000002")
    reservation = service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    assert (reservation.serial, reservation.state) == ("00000003", ReservationState.RESERVED)
    assert service.get_stock(DOCUMENTS, "62.03") == Stock("62.03", available=1, reserved=1)
    event = stored_events(core)[-1]
    assert isinstance(event, StockReserved) and (event.serial, event.available) == ("00000003", 1)


def test_reserving_the_same_key_again_returns_the_same_reservation_and_stores_nothing(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000003")
    first = service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    before = row_counts(core.engine)
    assert service.reserve_blank(DOCUMENTS, "62.03", "card:A") == first
    assert row_counts(core.engine) == before


def test_reserving_a_known_key_for_another_office_is_refused(service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000003")
    service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    with pytest.raises(InvalidRequest) as caught:
        service.reserve_blank(DOCUMENTS, "63.10", "card:A")
    assert [v.field for v in caught.value.violations] == ["office_code"]


def test_taking_the_last_blank_emits_stock_out(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000001")
    service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    assert [type(e) for e in stored_events(core)] == [StockReceived, StockReserved, StockOut]


def test_out_of_stock_is_refused_counted_and_stores_nothing(core, service):
    before = row_counts(core.engine)
    with pytest.raises(OutOfStock) as caught:
        service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    assert caught.value.message == "no blank cards in stock for office 62.03"
    assert row_counts(core.engine) == before
    assert core.inventory_metrics.reservations.labels("62.03", "out_of_stock")._value.get() == 1


def test_consuming_marks_the_blank_printed_once(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000002")
    reservation = service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    consumed = service.consume_blank(DOCUMENTS, "card:A", reservation.serial)
    assert consumed.state is ReservationState.CONSUMED
    assert service.consume_blank(DOCUMENTS, "card:A", reservation.serial).state is ReservationState.CONSUMED
    assert [type(e) for e in stored_events(core)].count(StockConsumed) == 1
    assert service.get_stock(DOCUMENTS, "62.03") == Stock("62.03", available=1, consumed=1)
    assert core.inventory_metrics.consumed.labels("62.03")._value.get() == 1


def test_consuming_an_unknown_key_is_not_found(service):
    with pytest.raises(ReservationNotFound):
        service.consume_blank(DOCUMENTS, "card:unknown")


def test_releasing_returns_the_blank_to_stock_for_the_next_key(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000001")
    reservation = service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    released = service.release_blank(DOCUMENTS, "card:A", "print job cancelled")
    assert (released.state, released.release_reason) == (ReservationState.RELEASED, "print job cancelled")
    event = stored_events(core)[-1]
    assert isinstance(event, StockReleased) and event.available == 1
    assert service.reserve_blank(DOCUMENTS, "62.03", "card:B").serial == reservation.serial
    assert service.release_blank(DOCUMENTS, "card:A").state is ReservationState.RELEASED


def test_stock_overview_lists_watched_offices_with_zero_stock(service):
    service.receive_stock(dinas("63.10"), "63.10", "00000001", "00000002")
    assert service.stock_overview(DOCUMENTS, ["62.03"]) == [Stock("62.03"), Stock("63.10", available=2)]


def test_available_blanks_gauge_is_read_from_the_database_on_scrape(core, service):
    service.receive_stock(dinas("63.10"), "63.10", "00000001", "00000002")
    text = generate_latest(core.metrics.registry).decode()
    assert 'ektp_inventory_blanks_available{office_code="63.10"} 2.0' in text
    assert 'ektp_inventory_blanks_available{office_code="62.03"} 0.0' in text


# ---- region scope ---------------------------------------------------------------------

def test_receiving_for_an_office_outside_the_scope_is_denied_and_stores_nothing(core, service):
    before = row_counts(core.engine)
    with pytest.raises(PermissionDenied) as caught:
        service.receive_stock(dinas("62.03"), "63.10", "00000001", "00000005")
    assert caught.value.reason == "OUT_OF_SCOPE"
    assert row_counts(core.engine) == before


def test_the_province_admin_receives_for_any_office_of_the_province(service):
    admin = Principal("admin.kalteng", Role.ADMIN_PROVINSI, "62")
    assert service.receive_stock(admin, "62.03.01", "00000001", "00000002").received == 2
    with pytest.raises(PermissionDenied):
        service.receive_stock(admin, "63.10", "00000003", "00000004")


def test_reserving_in_another_kabupaten_is_denied_and_takes_no_blank(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000002")
    before = row_counts(core.engine)
    with pytest.raises(PermissionDenied):
        service.reserve_blank(dinas("63.10"), "62.03", "card:A")
    assert row_counts(core.engine) == before
    assert service.get_stock(DOCUMENTS, "62.03") == Stock("62.03", available=2)


def test_a_known_key_of_an_office_outside_the_scope_is_denied_not_returned(service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000002")
    service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    with pytest.raises(PermissionDenied):
        service.reserve_blank(dinas("63.10"), "63.10", "card:A")


@pytest.mark.parametrize("move", ["consume_blank", "release_blank"])
def test_a_reserved_blank_outside_the_scope_cannot_be_moved(core, service, move):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000001")
    service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    before = row_counts(core.engine)
    with pytest.raises(PermissionDenied):
        getattr(service, move)(dinas("63.10"), "card:A")
    assert row_counts(core.engine) == before
    assert service.get_stock(DOCUMENTS, "62.03") == Stock("62.03", reserved=1)
    assert getattr(service, move)(dinas("62.03"), "card:A").state is not ReservationState.RESERVED


@pytest.mark.parametrize("office, visible", [
    ("62.03.01", True),    # its own office
    ("62.03", True),       # its kabupaten's stock, which it draws on
    ("62", True),          # the province above it
    ("62.03.02", False),   # the neighbouring kecamatan
    ("63.10", False),      # another province
])
def test_a_kecamatan_operator_sees_stock_of_its_office_and_the_offices_above_it(service, office, visible):
    operator = Principal("operator.selat", Role.OPERATOR_KECAMATAN, "62.03.01")
    if visible:
        assert service.get_stock(operator, office) == Stock(office)
    else:
        with pytest.raises(PermissionDenied):
            service.get_stock(operator, office)


def test_stock_overview_lists_only_the_offices_the_actor_sees(service):
    service.receive_stock(dinas("62.03"), "62.03.01", "00000001", "00000001")
    service.receive_stock(dinas("63.10"), "63.10", "00000002", "00000002")
    assert [s.office_code for s in service.stock_overview(dinas("62.03"), ["62.03"])] == ["62.03", "62.03.01"]
    assert [s.office_code for s in service.stock_overview(dinas("63.10"), ["62.03"])] == ["63.10"]
    assert [s.office_code for s in service.stock_overview(DOCUMENTS, ["62.03"])] == ["62.03", "62.03.01", "63.10"]


# ---- audit --------------------------------------------------------------------------

def test_every_stock_movement_is_audited_by_serial_with_actor_role_and_origin(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000002", "SPB-001")
    a = service.reserve_blank(DOCUMENTS, "62.03", "card:6203-0001")
    service.consume_blank(DOCUMENTS, "card:6203-0001", a.serial)
    b = service.reserve_blank(dinas("62.03"), "62.03", "card:6203-0002")
    service.release_blank(dinas("62.03"), "card:6203-0002", "salah cetak dihindari")
    assert audit_entries(core.engine) == [
        ("dinas.62.03", "operator_dinas", "stock.receive", "stock", "62.03:00000001-00000002", "10.0.0.7"),
        ("service:documents", "service", "stock.reserve", "stock", a.serial, "10.0.0.3"),
        ("service:documents", "service", "stock.consume", "stock", a.serial, "10.0.0.3"),
        ("dinas.62.03", "operator_dinas", "stock.reserve", "stock", b.serial, "10.0.0.7"),
        ("dinas.62.03", "operator_dinas", "stock.release", "stock", b.serial, "10.0.0.7"),
    ]


def test_repeating_a_movement_that_changes_nothing_is_not_audited_again(core, service):
    service.receive_stock(dinas("62.03"), "62.03", "00000001", "00000002")
    service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    service.reserve_blank(DOCUMENTS, "62.03", "card:B")
    for _ in range(2):
        service.reserve_blank(DOCUMENTS, "62.03", "card:A")
        service.consume_blank(DOCUMENTS, "card:A")
        service.release_blank(DOCUMENTS, "card:B")
    actions = [entry[2] for entry in audit_entries(core.engine)]
    assert actions == ["stock.receive", "stock.reserve", "stock.reserve", "stock.consume", "stock.release"]


def test_reading_stock_and_refused_movements_leave_no_audit_entry(core, service):
    service.get_stock(DOCUMENTS, "62.03")
    service.stock_overview(DOCUMENTS, ["62.03"])
    with pytest.raises(OutOfStock):
        service.reserve_blank(DOCUMENTS, "62.03", "card:A")
    with pytest.raises(PermissionDenied):
        service.receive_stock(dinas("63.10"), "62.03", "00000001", "00000001")
    assert audit_entries(core.engine) == []


# ---- procurement --------------------------------------------------------------------

def test_changing_a_package_status_appends_history_and_emits_an_event(core, service):
    at = dt.datetime(2016, 4, 1, tzinfo=dt.timezone.utc)
    package = service.create_package(ADMIN, fiscal_year=2016, name="Blanko 2016", quantity=8_000_000,
                                     estimated_value_idr=115_200_000_000, channel=ProcurementChannel.TENDER,
                                     package_id="p2016", at=at)
    service.change_status(ADMIN, package.package_id, ProcurementStatus.ANNOUNCED, "Pengumuman",
                          at + dt.timedelta(days=1))
    history = service.package_history(AUDITOR, "p2016")
    assert [(h.status, h.reason) for h in history] == [
        (ProcurementStatus.PLANNED, ""), (ProcurementStatus.ANNOUNCED, "Pengumuman")]
    last = stored_events(core)[-1]
    assert isinstance(last, ProcurementStatusChanged)
    assert (last.status, last.quantity, last.region_code) == (ProcurementStatus.ANNOUNCED, 8_000_000, "ID")
    assert last.occurred_at == at + dt.timedelta(days=1)


def test_invalid_package_transition_stores_nothing(core, service):
    service.create_package(ADMIN, fiscal_year=2016, name="Blanko 2016", quantity=1, estimated_value_idr=1,
                           channel=ProcurementChannel.TENDER, package_id="p2016")
    before = row_counts(core.engine)
    with pytest.raises(InvalidTransition):
        service.change_status(ADMIN, "p2016", ProcurementStatus.CONTRACT)
    assert row_counts(core.engine) == before


def test_changing_an_unknown_package_is_not_found(service):
    with pytest.raises(PackageNotFound):
        service.change_status(ADMIN, "nope", ProcurementStatus.ANNOUNCED)


def test_bad_package_reports_every_field(service):
    with pytest.raises(InvalidRequest) as caught:
        service.create_package(ADMIN, fiscal_year=1999, name=" ", quantity=0, estimated_value_idr=-1,
                               channel=ProcurementChannel.TENDER)
    assert [v.field for v in caught.value.violations] == [
        "fiscal_year", "name", "quantity", "estimated_value_idr"]


def test_demo_loads_the_postponed_2016_tender_once(core, service):
    first = demo.load_demo(CLI, service)
    count = row_counts(core.engine)
    second = demo.load_demo(CLI, service)
    assert first.startswith("inventory demo loaded: 2 procurement packages")
    assert second.startswith("inventory demo already loaded: 2 procurement packages")
    assert row_counts(core.engine) == count
    p2016, p2017 = service.list_packages(AUDITOR)
    assert (p2016.status, p2016.status_reason) == (
        ProcurementStatus.POSTPONED, "Ditunda: menunggu hasil reviu BPKP/Inspektorat")
    assert (p2016.quantity, p2016.estimated_value_idr) == (8_000_000, 115_200_000_000)
    assert (p2017.fiscal_year, p2017.status, p2017.quantity) == (2017, ProcurementStatus.CONTRACT, 7_000_000)
    assert (p2017.contract_value_idr, p2017.expected_delivery_on) == (82_250_000_000, dt.date(2017, 7, 31))
    assert [h.status.value for h in service.package_history(AUDITOR, p2017.package_id)] == [
        "planned", "announced", "winner", "objection_period", "review", "contract"]
    assert [h.status.value for h in service.package_history(AUDITOR, p2016.package_id)] == [
        "planned", "announced", "winner", "objection_period", "review", "postponed"]
    # Kab. Kapuas holds no blank; Kab. Tanah Bumbu still holds one delivery
    assert [(s.office_code, s.available) for s in service.stock_overview(DOCUMENTS)] == [("63.10", 1000)]
