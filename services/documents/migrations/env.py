"""Alembic environment of the documents database."""
from servicekit.migrations import run

from documents import db

run(db.metadata)
