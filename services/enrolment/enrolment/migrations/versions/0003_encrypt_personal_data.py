"""Personal data encrypted at rest: wider columns for sealed values, parents' names, photo and
signature, and the NIK's blind index (which replaces the index on the clear NIK).

The migration cannot encrypt rows written before it (the data keys live outside the database
and migrations read no configuration), so it refuses to run on a table that already holds
recordings rather than leave clear values the service cannot read.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WIDENED = (("nik", 16), ("kk_number", 16), ("full_name", 100), ("birth_place", 200), ("address", 200))


def _refuse_if_recordings_exist(direction: str) -> None:
    if op.get_bind().execute(sa.text("SELECT 1 FROM recordings LIMIT 1")).first() is not None:
        raise RuntimeError(
            f"enrolment migration 0003 ({direction}): the recordings table is not empty. Its personal data "
            "cannot be converted by a migration (the keys live outside the database). In demo mode, delete "
            "the enrolment database under EKTP_VAR_DIR and load the demo again.")


def upgrade() -> None:
    _refuse_if_recordings_exist("upgrade")
    with op.batch_alter_table("recordings") as batch:
        batch.drop_index("ix_recordings_nik")
        for name, length in WIDENED:
            batch.alter_column(name, type_=sa.Text(), existing_type=sa.String(length), existing_nullable=False)
        batch.add_column(sa.Column("nik_index", sa.String(64), nullable=False))
        batch.add_column(sa.Column("mother_name", sa.Text(), nullable=False))
        batch.add_column(sa.Column("father_name", sa.Text(), nullable=False))
        batch.add_column(sa.Column("face_photo", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("signature", sa.LargeBinary(), nullable=True))
        batch.create_index("ix_recordings_nik_index", ["nik_index"])


def downgrade() -> None:
    _refuse_if_recordings_exist("downgrade")
    with op.batch_alter_table("recordings") as batch:
        batch.drop_index("ix_recordings_nik_index")
        for name in ("signature", "face_photo", "father_name", "mother_name", "nik_index"):
            batch.drop_column(name)
        for name, length in WIDENED:
            batch.alter_column(name, type_=sa.String(length), existing_type=sa.Text(), existing_nullable=False)
        batch.create_index("ix_recordings_nik", ["nik"])
