"""Alembic environment for the enrolment database."""
from enrolment import db
from servicekit import migrations

migrations.run(db.metadata)
