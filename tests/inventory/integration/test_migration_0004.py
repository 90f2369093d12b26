"""Migration 0004 on a database that already holds procurement packages: they keep their data,
gain an empty award and contract and nothing delivered, and the downgrade removes only 0004."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from inventory import bootstrap
from inventory.config import Settings
from inventory.domain import ProcurementStatus
from servicekit.access import Principal
from servicekit.db import create_engine, normalise_url


def alembic(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(bootstrap.MIGRATIONS))
    config.attributes["url"] = normalise_url(url)
    return config


def test_existing_packages_survive_0004_and_it_downgrades_cleanly(database_url, tmp_path):
    config = alembic(database_url)
    command.upgrade(config, "0003")
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO procurement_packages (package_id, fiscal_year, name, quantity, estimated_value_idr, "
                "channel, status, status_reason, status_changed_at) VALUES ('lama-2016', 2016, 'Blanko 2016', "
                "8000000, 115200000000, 'tender', 'postponed', 'Ditunda', :at)"),
                {"at": dt.datetime(2016, 11, 14, tzinfo=dt.timezone.utc)})
        command.upgrade(config, "head")
        core = bootstrap.build_core(Settings(database_url=database_url, var_dir=tmp_path), migrate=False)
        try:
            (package,) = core.service.list_packages(Principal.service("reporting"))
        finally:
            core.close()
        assert (package.package_id, package.status, package.quantity) == (
            "lama-2016", ProcurementStatus.POSTPONED, 8_000_000)
        assert (package.vendor, package.contract_number, package.contract_value_idr, package.delivered,
                package.expected_delivery_on) == ("", "", 0, 0, None)

        command.downgrade(config, "0003")
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            columns = {c["name"] for c in sa.inspect(conn).get_columns("procurement_packages")}
        assert not tables & {"blank_requests", "procurement_deliveries", "stock_levels", "stock_level_history"}
        assert "vendor" not in columns and "stock_ledger" in tables
    finally:
        engine.dispose()
