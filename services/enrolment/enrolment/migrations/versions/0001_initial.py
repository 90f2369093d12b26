"""Initial enrolment schema: regions, targets, recordings, register counters, demo state, outbox.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

from servicekit.outbox import BigId

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(20), nullable=False),
        sa.Column("is_kelurahan", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_regions_parent_code", "regions", ["parent_code"])
    op.create_table(
        "targets",
        sa.Column("region_code", sa.String(20), sa.ForeignKey("regions.code", name="fk_targets_region"),
                  primary_key=True),
        sa.Column("wajib_ktp", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "recordings",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("register_number", sa.String(20), nullable=False),
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("nik", sa.String(16), nullable=False),
        sa.Column("kk_number", sa.String(16), nullable=False),
        sa.Column("full_name", sa.String(100), nullable=False),
        sa.Column("birth_place", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(12), nullable=False),
        sa.Column("blood_type", sa.String(2), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("rt", sa.String(3), nullable=False),
        sa.Column("rw", sa.String(3), nullable=False),
        sa.Column("religion", sa.String(20), nullable=False),
        sa.Column("marital_status", sa.String(20), nullable=False),
        sa.Column("occupation", sa.String(200), nullable=False),
        sa.Column("citizenship", sa.String(12), nullable=False),
        sa.Column("review_flags", sa.Text(), nullable=False),
        sa.Column("duplicate_of", sa.String(20), nullable=False),
        sa.Column("template_digest", sa.String(64), nullable=False),
        sa.Column("biometric_qualities", sa.Text(), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("register_number", name="uq_recordings_register_number"),
        sa.UniqueConstraint("request_id", name="uq_recordings_request_id"),
    )
    for column in ("office_code", "region_code", "nik", "template_digest"):
        op.create_index(f"ix_recordings_{column}", "recordings", [column])
    op.create_table(
        "register_counters",
        sa.Column("office_code", sa.String(20), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "demo_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("sequence", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("type", sa.String(120), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    for table in ("outbox", "demo_state", "register_counters", "recordings", "targets", "regions"):
        op.drop_table(table)
