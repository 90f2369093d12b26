"""The forecast use case over a real ledger on SQLite, with a clock the test moves: the daily
average leaves out stock-out days and the days before the office was first stocked, and the
level events come once per fall."""
from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import replace

import pytest

from inventory import db
from inventory.domain import StockLevel, StockLow, StockOut, StockThresholds
from inventory.errors import OfficeNotFound
from inventory.events import encode_event
from inventory.service import InventoryService
from inventory.unit_of_work import InventoryUnitOfWork
from servicekit.access import Principal, Role
from tests.inventory.unit.test_service import stored_events

WIB = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.date(2016, 11, 14)
SYSTEM = Principal.service("inventory", origin="test")
DOCUMENTS = Principal.service("documents", origin="test")


def at(days_ago: int, hour: int) -> dt.datetime:
    """An office time (WIB) on a day before TODAY, as the service's UTC clock gives it."""
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour), WIB).astimezone(dt.timezone.utc)


@pytest.fixture
def clock():
    now = [at(6, 8)]
    return now


@pytest.fixture
def kapuas(core, clock):
    uow = functools.partial(InventoryUnitOfWork, core.engine, encode_event=encode_event, audit_log=db.audit_log)
    service = InventoryService(uow, core.inventory_metrics, clock=lambda: clock[0],
                               thresholds=StockThresholds(low_blanks=5, low_days=3, window_days=7))
    for code, name in (("ID", "Ditjen"), ("62", "Kalimantan Tengah"), ("62.03", "Kab. Kapuas")):
        service.register_office(SYSTEM, code, name)
    return service


keys = (f"card:{n}" for n in itertools.count())


def print_blanks(service: InventoryService, clock, when: dt.datetime, count: int) -> None:
    clock[0] = when
    for _ in range(count):
        key = next(keys)
        service.reserve_blank(DOCUMENTS, "62.03", key)
        service.consume_blank(DOCUMENTS, key)


def test_the_daily_average_leaves_out_stock_out_days_and_days_before_the_first_stock(core, kapuas, clock):
    clock[0] = at(6, 10)
    kapuas.receive_stock(SYSTEM, "62.03", "00000001", "00000005", "SPB-1")
    print_blanks(kapuas, clock, at(6, 11), 2)
    print_blanks(kapuas, clock, at(5, 11), 3)            # the last blank: out from D-5 11:00 ...
    clock[0] = at(3, 9)
    kapuas.receive_stock(SYSTEM, "62.03", "00000006", "00000015", "SPB-2")   # ... until D-3 09:00
    print_blanks(kapuas, clock, at(2, 14), 4)
    print_blanks(kapuas, clock, at(1, 14), 2)
    clock[0] = at(0, 8)

    f = kapuas.forecast(Principal("dinas.kapuas", Role.OPERATOR_DINAS, "62.03"), "62.03", backlog=1)
    # window D-7..D-1: D-7 not yet stocked, D-5..D-3 out of stock; counted D-6 (2), D-2 (4), D-1 (2)
    assert (f.days_averaged, f.days_excluded) == (3, 4)
    assert f.daily_consumption == pytest.approx(8 / 3)
    assert (f.available, f.on_hand) == (4, 4)
    assert f.days_of_cover == pytest.approx((4 - 1) / (8 / 3))                      # the backlog is served first
    assert f.stock_out_on == TODAY + dt.timedelta(days=1)
    assert f.level is StockLevel.LOW

    falls = [(type(e).__name__, e.occurred_at) for e in stored_events(core) if isinstance(e, StockLow | StockOut)]
    assert falls == [("StockOut", at(5, 11)), ("StockLow", at(1, 14))]   # the first receipt (5) rose to LOW


def test_the_public_announcement_is_only_for_registered_offices(kapuas):
    office, forecast = kapuas.announcement("62.03")
    assert (office.name, forecast.available, forecast.level) == ("Kab. Kapuas", 0, StockLevel.OUT)
    assert forecast.arrival.on is None
    with pytest.raises(OfficeNotFound):
        kapuas.announcement("63.10")


def test_gauges_report_on_hand_and_cover_with_kabupaten_labels_only(core, service):
    from prometheus_client import generate_latest

    for code, name in (("ID", "Ditjen"), ("62", "Kalteng"), ("62.03", "Kapuas"), ("62.03.01", "UPT Selat")):
        service.register_office(SYSTEM, code, name)
    service.receive_stock(SYSTEM, "62.03", "00000001", "00000040", "SPB-1")
    service.receive_stock(SYSTEM, "62.03.01", "00000041", "00000050", "SPB-2")   # a kecamatan UPT's store
    service.receive_stock(SYSTEM, "62", "00000051", "00000070", "SPB-3")
    text = generate_latest(core.metrics.registry).decode()
    assert 'ektp_inventory_blanks_on_hand{office_code="62.03"} 50.0' in text    # UPT counted with Kapuas
    assert 'ektp_inventory_blanks_on_hand{office_code="62"} 20.0' in text
    assert 'office_code="62.03.01"' not in text.split("# HELP ektp_inventory_blanks_on_hand")[1]
    assert "ektp_inventory_days_of_cover{" not in text       # nothing consumed yet: no cover to report


def test_cover_by_label_sums_spare_stock_over_summed_consumption():
    from inventory.domain import ExpectedArrival, forecast
    from inventory.metrics import cover_by_label

    arrival = ExpectedArrival(None, "", "")
    upt = forecast("62.03.01", 30, 30, 0, [], arrival, TODAY, StockThresholds())
    dinas = forecast("62.03", 90, 100, 0, [], arrival, TODAY, StockThresholds())
    upt, dinas = replace(upt, daily_consumption=10.0), replace(dinas, daily_consumption=20.0)
    assert cover_by_label([upt, dinas]) == {"62.03": (130, 4.0)}                # (30 + 90) / (10 + 20)


def test_stock_thresholds_come_from_the_environment_and_bad_ones_fail_fast(tmp_path):
    from inventory.config import Settings
    from servicekit.config import ConfigError

    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "INVENTORY_STOCK_LOW_BLANKS": "250",
                                  "INVENTORY_STOCK_LOW_DAYS": "10", "INVENTORY_FORECAST_WINDOW_DAYS": "14"})
    assert settings.thresholds == StockThresholds(low_blanks=250, low_days=10, window_days=14)
    assert Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)}).thresholds == StockThresholds()
    with pytest.raises(ConfigError, match="INVENTORY_FORECAST_WINDOW_DAYS"):
        Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "INVENTORY_FORECAST_WINDOW_DAYS": "0"})
