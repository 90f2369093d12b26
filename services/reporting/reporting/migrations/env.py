"""Alembic environment of the reporting service."""
from reporting import db
from servicekit.migrations import run

run(db.metadata)
