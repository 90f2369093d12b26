"""The Alembic migrations build exactly the schema of db.metadata, audit guards included."""
import datetime as dt
import importlib.util

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from documents import db
from documents.bootstrap import MIGRATIONS
from servicekit import audit
from servicekit.db import create_engine, run_migrations


def test_migration_on_a_fresh_database_matches_the_metadata(database_url):
    run_migrations(database_url, MIGRATIONS)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert {"documents", "inbox", "feed_cursors", "outbox", "audit_log"} <= tables


def test_migration_is_idempotent(database_url):
    run_migrations(database_url, MIGRATIONS)
    run_migrations(database_url, MIGRATIONS)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ("0006",)
    engine.dispose()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"])
def test_migrated_audit_log_refuses_changes_to_its_entries(database_url, statement):
    run_migrations(database_url, MIGRATIONS)
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            audit.append_audit(conn, [audit.AuditEntry(
                actor="operator.kapuas", role="operator_dinas", action="document.read", record_type="document",
                record_id="0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e", origin="10.0.0.7",
                occurred_at=dt.datetime.now(dt.timezone.utc))], db.audit_log)
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
        with engine.connect() as conn:
            assert conn.execute(sa.select(db.audit_log.c.actor)).scalars().all() == ["operator.kapuas"]
    finally:
        engine.dispose()


def test_the_migration_embeds_the_guards_of_servicekit_as_they_are_today():
    """Frozen copies may drift on purpose later, but not by a typo now."""
    path = MIGRATIONS / "versions" / "0002_security.py"
    spec = importlib.util.spec_from_file_location("documents_migration_0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.POSTGRESQL_APPEND_ONLY == audit.POSTGRESQL_APPEND_ONLY
    assert module.SQLITE_APPEND_ONLY == audit.SQLITE_APPEND_ONLY
