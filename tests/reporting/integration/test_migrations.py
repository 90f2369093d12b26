from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from reporting import db
from reporting.bootstrap import MIGRATIONS
from servicekit.db import normalise_url, run_migrations


def test_migrations_build_exactly_the_schema_of_db_metadata(database_url):
    run_migrations(database_url, MIGRATIONS)
    engine = sa.create_engine(normalise_url(database_url))
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    engine.dispose()
    assert differences == []
