"""`python -m inventory demo` is idempotent and leaves the 2016 tender postponed; it acts as the
inventory service itself from the command line; Kab. Kapuas holds no blank, Kab. Tanah Bumbu one
delivery (its receipt the only stock movement, audited)."""
from __future__ import annotations

import pytest

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory.__main__ import main
from servicekit.access import Role
from tests.identity import KAPUAS
from tests.inventory.helpers import audit_entries, outbox_types


@pytest.mark.usefixtures("restore_logging")
def test_demo_command_twice_loads_once(database_url, tmp_path, monkeypatch, capsys, runtime, stub, officer_stub):
    monkeypatch.setenv("INVENTORY_DATABASE_URL", database_url)
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    first, second = [line for line in capsys.readouterr().out.splitlines() if line.startswith("inventory demo")]
    assert first.startswith("inventory demo loaded: 2 procurement packages (2016 postponed, 2017 contract)")
    assert second.startswith("inventory demo already loaded")
    assert first.endswith(" 1000 blanks available")

    auditor = officer_stub(Role.AUDITOR, KAPUAS)
    packages = auditor.ListProcurements(pb.ListProcurementsRequest(), timeout=10).packages
    assert [(p.fiscal_year, p.status, p.quantity, p.estimated_value_idr) for p in packages] == [
        (2016, pb.PROCUREMENT_STATUS_POSTPONED, 8_000_000, 115_200_000_000),
        (2017, pb.PROCUREMENT_STATUS_CONTRACT, 7_000_000, 82_250_000_000)]
    assert packages[0].status_reason == "Ditunda: menunggu hasil reviu BPKP/Inspektorat"
    assert packages[0].channel == pb.PROCUREMENT_CHANNEL_TENDER
    types = outbox_types(runtime.engine)
    assert types.count("ektp.inventory.v1.ProcurementStatusChanged") == 12   # 6 steps each
    assert types.count("ektp.inventory.v1.StockReceived") == 1
    assert stub.GetStock(pb.GetStockRequest(office_code="62.03"), timeout=10).stock.received == 0
    assert stub.GetStock(pb.GetStockRequest(office_code="63.10"), timeout=10).stock.received == 1000
    assert [entry[2] for entry in audit_entries(runtime.engine)] == ["stock.receive"]
