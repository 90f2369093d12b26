"""Migration 0003 carries blanks stored before it into the ledger and the balances, and the
ledger it creates is append-only (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from inventory import bootstrap
from inventory.config import Settings
from inventory.domain import LedgerKind
from servicekit.access import Principal
from servicekit.db import create_engine, normalise_url
from tests.inventory.helpers import row_counts

SYSTEM = Principal.service("inventory", origin="test")


def upgrade(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(bootstrap.MIGRATIONS))
    config.attributes["url"] = normalise_url(url)
    command.upgrade(config, revision)


def test_blanks_stored_before_the_ledger_are_carried_into_it(database_url, tmp_path):
    upgrade(database_url, "0002")
    engine = create_engine(database_url)
    at = dt.datetime(2016, 11, 1, tzinfo=dt.timezone.utc)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO blanks (serial, office_code, state, received_at, delivery_reference, updated_at) "
            "VALUES (:serial, :office, :state, :at, 'SPB-LAMA', :at)"), [
            {"serial": f"{n:08d}", "office": "62.03", "state": state, "at": at}
            for n, state in enumerate(["available"] * 5 + ["reserved"] * 2 + ["consumed"] * 3, start=1)])
        conn.execute(sa.text(
            "INSERT INTO reservations (idempotency_key, office_code, serial, state, reserved_at, updated_at, "
            "release_reason) VALUES ('card:lama', '62.03', '00000006', 'reserved', :at, :at, '')"), {"at": at})
    engine.dispose()

    bootstrap.migrate(Settings(database_url=database_url))
    core = bootstrap.build_core(Settings(database_url=database_url, var_dir=tmp_path), migrate=False)
    try:
        check = core.service.check_ledger(SYSTEM, "62.03")
        assert check.ok, check
        assert (check.balance.on_hand, check.balance.reserved, check.balance.consumed) == (7, 2, 3)
        kinds = [e.kind for e in core.service.ledger(SYSTEM, "62.03")]
        assert (kinds.count(LedgerKind.RECEIVED), kinds.count(LedgerKind.RESERVED),
                kinds.count(LedgerKind.CONSUMED)) == (10, 5, 3)
        # an old reservation (no expiry) still works, and never expires
        assert core.service.expire_reservations(SYSTEM) == 0
        assert core.service.consume_blank(SYSTEM, "card:lama").serial == "00000006"
        assert core.service.check_ledger(SYSTEM, "62.03").ok
    finally:
        core.close()


def test_the_migrated_ledger_refuses_updates_and_deletes(database_url, tmp_path):
    bootstrap.migrate(Settings(database_url=database_url))
    core = bootstrap.build_core(Settings(database_url=database_url, var_dir=tmp_path), migrate=False)
    try:
        core.service.receive_stock(SYSTEM, "62.03", "00000001", "00000010", "SPB-1")
        before = row_counts(core.engine)
        statements = ["UPDATE stock_ledger SET quantity = 1", "DELETE FROM stock_ledger"]
        if core.engine.dialect.name == "postgresql":
            statements.append("TRUNCATE stock_ledger")
        for statement in statements:
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), core.engine.begin() as conn:
                conn.execute(sa.text(statement))
        assert row_counts(core.engine) == before
    finally:
        core.close()


def test_a_balance_can_never_be_stored_negative(database_url, tmp_path):
    """The database refuses it too, whatever a future bug in the code would try."""
    bootstrap.migrate(Settings(database_url=database_url))
    engine = create_engine(database_url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO stock_balances (office_code, on_hand, reserved, consumed, spoiled, lost, updated_at) "
                "VALUES ('62.03', 1, 2, 0, 0, 0, :at)"), {"at": dt.datetime.now(dt.timezone.utc)})
    finally:
        engine.dispose()
