"""`python -m inventory demo` is idempotent and leaves the 2016 tender postponed."""
from __future__ import annotations

import logging

import pytest

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory.__main__ import main
from tests.inventory.helpers import outbox_types


@pytest.fixture
def restore_logging():
    """`main` configures the root logger (to the captured stdout); put it back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.mark.usefixtures("restore_logging")
def test_demo_command_twice_loads_once(database_url, tmp_path, monkeypatch, capsys, runtime, stub):
    monkeypatch.setenv("INVENTORY_DATABASE_URL", database_url)
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    first, second = [line for line in capsys.readouterr().out.splitlines() if line.startswith("inventory demo")]
    assert first.startswith("inventory demo loaded: 2 procurement packages (2016 postponed, 2017 planned)")
    assert second.startswith("inventory demo already loaded")
    assert first.endswith("0 blanks available")

    packages = stub.ListProcurements(pb.ListProcurementsRequest(), timeout=10).packages
    assert [(p.fiscal_year, p.status, p.quantity, p.estimated_value_idr) for p in packages] == [
        (2016, pb.PROCUREMENT_STATUS_POSTPONED, 8_000_000, 115_200_000_000),
        (2017, pb.PROCUREMENT_STATUS_PLANNED, 7_000_000, 82_250_000_000)]
    assert packages[0].status_reason == "Ditunda: menunggu hasil reviu BPKP/Inspektorat"
    assert packages[0].channel == pb.PROCUREMENT_CHANNEL_TENDER
    assert outbox_types(runtime.engine) == ["ektp.inventory.v1.ProcurementStatusChanged"] * 7
    assert stub.GetStock(pb.GetStockRequest(office_code="62.03"), timeout=10).stock.received == 0
