"""The Alembic migrations build exactly the schema of db.metadata, on both databases, and the
audit log they create is append-only."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from inventory import bootstrap, db
from inventory.config import Settings
from servicekit.audit import AuditEntry, append_audit, verify_chain
from servicekit.db import create_engine


def test_migrations_match_the_metadata(database_url):
    bootstrap.migrate(Settings(database_url=database_url))
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []
            tables = set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert set(db.metadata.tables) <= tables


def test_migrating_twice_is_harmless(database_url):
    settings = Settings(database_url=database_url)
    bootstrap.migrate(settings)
    bootstrap.migrate(settings)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ("0004",)
    engine.dispose()


def test_migrated_audit_log_refuses_updates_and_deletes(database_url):
    bootstrap.migrate(Settings(database_url=database_url))
    engine = create_engine(database_url)
    try:
        entry = AuditEntry(actor="service:documents", role="service", action="stock.reserve", record_type="stock",
                           record_id="00000001", origin="10.0.0.3", occurred_at=dt.datetime.now(dt.timezone.utc))
        with engine.begin() as conn:
            append_audit(conn, [entry], db.audit_log)
        statements = ["UPDATE audit_log SET origin = 'cli'", "DELETE FROM audit_log"]
        if engine.dialect.name == "postgresql":
            statements.append("TRUNCATE audit_log")
        for statement in statements:
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement))
        report = verify_chain(engine, db.audit_log)
        assert (report.ok, report.entries) == (True, 1)
    finally:
        engine.dispose()
