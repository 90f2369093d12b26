"""The Alembic migration builds exactly the schema of db.metadata."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from documents import db
from documents.bootstrap import MIGRATIONS
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
    assert {"documents", "inbox", "feed_cursors", "outbox"} <= tables


def test_migration_is_idempotent(database_url):
    run_migrations(database_url, MIGRATIONS)
    run_migrations(database_url, MIGRATIONS)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ("0001",)
    engine.dispose()
