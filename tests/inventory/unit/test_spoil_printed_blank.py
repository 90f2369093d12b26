"""SpoilPrintedBlank: documents' reprint turns a printed (consumed) blank into a spoiled one,
with the cause, once per key; the balance and the ledger stay equal (`inventory ledger-check`)."""
from __future__ import annotations

import pytest

from inventory.domain import LedgerKind, StockSpoiled
from inventory.errors import BlankNotPrinted, InvalidRequest, ReservationNotFound, SerialMismatch
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied
from tests.inventory.helpers import audit_entries, row_counts
from tests.inventory.unit.test_ledger import SYSTEM, assert_balanced, kinds, offices, stored_events  # noqa: F401

DOCUMENTS = Principal.service("documents", origin="test")
DINAS_KAPUAS = Principal("dinas.kapuas", Role.OPERATOR_DINAS, "62.03", origin="10.0.0.7")
DINAS_TANBU = Principal("dinas.tanbu", Role.OPERATOR_DINAS, "63.10", origin="10.0.0.9")
KEY = "card:6203-20261128-000001"


@pytest.fixture
def printed(service, offices):  # noqa: F811
    service.receive_stock(DINAS_KAPUAS, "62.03", "00000001", "00000010")
    reservation = service.reserve_blank(DOCUMENTS, "62.03", KEY)
    service.consume_blank(DOCUMENTS, KEY, reservation.serial)
    return reservation.serial


def test_a_printed_blank_becomes_spoiled_with_its_cause_and_the_ledger_still_balances(core, service, printed):
    stock = service.spoil_printed_blank(DOCUMENTS, KEY, printed, "foto tidak tercetak")
    assert (stock.available, stock.consumed, stock.spoiled) == (9, 0, 1)
    assert kinds(service, "62.03")[-1] is LedgerKind.MISPRINTED
    [entry] = [e for e in service.ledger(SYSTEM, "62.03") if e.kind is LedgerKind.MISPRINTED]
    assert (entry.first_serial, entry.quantity, entry.cause) == (printed, 1, "foto tidak tercetak")
    [event] = [e for e in stored_events(core) if isinstance(e, StockSpoiled)]
    assert (event.serial_ranges, event.quantity, event.available) == ((f"{printed}-{printed}",), 1, 9)
    assert audit_entries(core.engine)[-1][2:5] == ("stock.spoil", "stock", printed)
    assert_balanced(service, "62.03")


def test_spoiling_the_same_printed_blank_again_changes_nothing(core, service, printed):
    service.spoil_printed_blank(DOCUMENTS, KEY, printed, "foto tidak tercetak")
    before = row_counts(core.engine)
    stock = service.spoil_printed_blank(DOCUMENTS, KEY, printed, "foto tidak tercetak")
    assert (stock.consumed, stock.spoiled) == (0, 1)
    assert row_counts(core.engine) == before


def test_a_blank_only_reserved_is_not_spoiled_as_printed(core, service, offices):  # noqa: F811
    service.receive_stock(DINAS_KAPUAS, "62.03", "00000001", "00000010")
    reservation = service.reserve_blank(DOCUMENTS, "62.03", KEY)
    before = row_counts(core.engine)
    with pytest.raises(BlankNotPrinted):
        service.spoil_printed_blank(DOCUMENTS, KEY, reservation.serial, "salah cetak")
    assert row_counts(core.engine) == before


@pytest.mark.parametrize("key, serial, cause, error", [
    ("card:unknown", "00000001", "salah cetak", ReservationNotFound),
    (KEY, "00000002", "salah cetak", SerialMismatch),
    (KEY, "00000001", "  ", InvalidRequest),
])
def test_a_wrong_key_serial_or_missing_cause_stores_nothing(core, service, printed, key, serial, cause, error):
    before = row_counts(core.engine)
    with pytest.raises(error):
        service.spoil_printed_blank(DOCUMENTS, key, serial, cause)
    assert row_counts(core.engine) == before


def test_an_officer_of_another_kabupaten_cannot_spoil_this_offices_blank(core, service, printed):
    with pytest.raises(PermissionDenied):
        service.spoil_printed_blank(DINAS_TANBU, KEY, printed, "salah cetak")
