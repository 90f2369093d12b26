"""The Alembic migrations build exactly the schema of db.metadata, on both databases."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from inventory import bootstrap, db
from inventory.config import Settings
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
        assert MigrationContext.configure(conn).get_current_heads() == ("0001",)
    engine.dispose()
