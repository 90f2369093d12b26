"""Alembic environment of the documents database."""
from documents import db
from servicekit.migrations import run

run(db.metadata)
