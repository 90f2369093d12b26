"""Alembic environment of the inventory database."""
from inventory import db
from servicekit.migrations import run

run(db.metadata)
