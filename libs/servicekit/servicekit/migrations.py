"""The body of every service's Alembic `env.py`: `run(target_metadata)`.

The URL comes from `config.attributes["url"]` (set by `servicekit.db.run_migrations`) or,
for the `alembic` command line, from the `-x url=...` argument.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from servicekit.db import normalise_url


def run(target_metadata: sa.MetaData) -> None:
    config = context.config
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("no database URL: pass -x url=... or use servicekit.db.run_migrations")
    url = normalise_url(url)
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                          render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
