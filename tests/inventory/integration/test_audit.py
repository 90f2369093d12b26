"""Every stock movement over gRPC lands in the audit log with who, role, serial and origin; and
`python -m inventory audit-verify` passes an intact log and names the entry someone changed."""
from __future__ import annotations

import grpc
import pytest

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory import db
from inventory.__main__ import main
from servicekit.access import Role
from servicekit.audit import verify_chain
from tests.identity import TANAH_BUMBU
from tests.inventory.helpers import audit_entries

OFFICE = "62.03"


def receive(dinas_stub, first: str, last: str) -> None:
    dinas_stub.ReceiveStock(pb.ReceiveStockRequest(office_code=OFFICE, first_serial=first, last_serial=last,
                                                   delivery_reference="SPB-2017-001"), timeout=10)


def reserve(stub, key: str) -> pb.Reservation:
    return stub.ReserveBlank(pb.ReserveBlankRequest(office_code=OFFICE, idempotency_key=key), timeout=10).reservation


def test_stock_movements_over_grpc_are_audited_with_the_callers_identity(runtime, stub, dinas_stub, officer_stub):
    receive(dinas_stub, "00000001", "00000003")
    printed = reserve(stub, "card:6203-0001")
    reserve(stub, "card:6203-0001")                     # a repeat moves nothing: no second entry
    stub.ConsumeBlank(pb.ConsumeBlankRequest(idempotency_key="card:6203-0001"), timeout=10)
    held = reserve(dinas_stub, "card:6203-0002")
    dinas_stub.ReleaseBlank(pb.ReleaseBlankRequest(idempotency_key="card:6203-0002", reason="batal"), timeout=10)
    with pytest.raises(grpc.RpcError) as refused:       # another kabupaten's desk: refused, not recorded
        reserve(officer_stub(Role.OPERATOR_DINAS, TANAH_BUMBU), "card:6203-0003")
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

    assert audit_entries(runtime.engine) == [
        ("petugas.uji", "operator_dinas", "stock.receive", "stock", "62.03:00000001-00000003", "127.0.0.1"),
        ("service:documents", "service", "stock.reserve", "stock", printed.serial, "127.0.0.1"),
        ("service:documents", "service", "stock.consume", "stock", printed.serial, "127.0.0.1"),
        ("petugas.uji", "operator_dinas", "stock.reserve", "stock", held.serial, "127.0.0.1"),
        ("petugas.uji", "operator_dinas", "stock.release", "stock", held.serial, "127.0.0.1"),
    ]
    assert verify_chain(runtime.engine, db.audit_log).ok


def tamper(engine, statement: str) -> None:
    """Change the log past its append-only triggers, as a database superuser could."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql(statement)


@pytest.mark.usefixtures("restore_logging")
def test_audit_verify_passes_an_intact_log_and_names_the_tampered_entry(
        database_url, tmp_path, monkeypatch, capsys, runtime, stub, dinas_stub):
    monkeypatch.setenv("INVENTORY_DATABASE_URL", database_url)
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    receive(dinas_stub, "00000001", "00000002")
    reserve(stub, "card:6203-0001")
    stub.ConsumeBlank(pb.ConsumeBlankRequest(idempotency_key="card:6203-0001"), timeout=10)

    assert main(["audit-verify"]) == 0
    assert "inventory: audit log intact, 3 entries" in capsys.readouterr().out

    # Pin the receipt on someone else.
    tamper(runtime.engine, "UPDATE audit_log SET actor = 'service:documents', role = 'service' WHERE seq = 1")
    assert main(["audit-verify"]) == 1
    assert "inventory: audit log BROKEN at entry 1" in capsys.readouterr().out
