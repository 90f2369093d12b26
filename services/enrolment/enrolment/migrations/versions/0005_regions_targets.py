"""Region master data: historic codes; pick-up drives (jemput bola) and recordings under them.

A code missing from a newer Kemendagri import is kept and marked historic (a NIK or KK prefix
may still name it). A drive belongs to an office (kabupaten), visits one or more desa, and on
closing stores its reconciliation per desa and in total. `recordings.drive_id` names the drive
a recording was made under (NULL: at the office); the use case checks the drive, so no
foreign key here (SQLite cannot add one to an existing table without rebuilding it).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

from servicekit.outbox import BigId

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("regions", sa.Column("historic", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "drives",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("office_code", sa.String(20), sa.ForeignKey("regions.code", name="fk_drives_office"),
                  nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("planned_for", sa.Date(), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("devices", sa.Text(), nullable=False),
        sa.Column("planned_by", sa.String(40), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(40), nullable=False),
        sa.Column("planned_persons", sa.Integer(), nullable=False),
        sa.Column("recorded", sa.Integer(), nullable=True),
        sa.Column("failed", sa.Integer(), nullable=True),
        sa.Column("duplicates", sa.Integer(), nullable=True),
    )
    op.create_index("ix_drives_office_code", "drives", ["office_code"])
    op.create_table(
        "drive_villages",
        sa.Column("drive_id", BigId, sa.ForeignKey("drives.id", name="fk_drive_villages_drive"), primary_key=True),
        sa.Column("region_code", sa.String(20), sa.ForeignKey("regions.code", name="fk_drive_villages_region"),
                  primary_key=True),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("recorded", sa.Integer(), nullable=True),
        sa.Column("failed", sa.Integer(), nullable=True),
        sa.Column("duplicates", sa.Integer(), nullable=True),
    )
    op.add_column("recordings", sa.Column("drive_id", BigId, nullable=True))
    op.create_index("ix_recordings_drive_id", "recordings", ["drive_id"])


def downgrade() -> None:
    op.drop_index("ix_recordings_drive_id", table_name="recordings")
    with op.batch_alter_table("recordings") as batch:
        batch.drop_column("drive_id")
    op.drop_table("drive_villages")
    op.drop_index("ix_drives_office_code", table_name="drives")
    op.drop_table("drives")
    with op.batch_alter_table("regions") as batch:
        batch.drop_column("historic")
