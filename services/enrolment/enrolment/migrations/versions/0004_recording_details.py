"""Recording details: recording types, pre-recording, quality gate, adjudication, drives.

Recordings get their type and the earlier recording it follows, the quality gate's failure
reason and a pre-recording's hold date; birth dates get an index (demographic de-duplication
blocks on them); per-modality template digests of fingers and irises get their own table,
and suspected duplicates an adjudication queue. Existing rows become NEW, not held, not failed.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

from servicekit.outbox import BigId

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.add_column(sa.Column("recording_type", sa.String(20), nullable=False, server_default="NEW"))
        batch.add_column(sa.Column("previous_register_number", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("failure_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("hold_until", sa.Date(), nullable=True))
        batch.create_index("ix_recordings_hold_until", ["hold_until"])
        batch.create_index("ix_recordings_birth_date", ["birth_date"])
    op.create_table(
        "recording_templates",
        sa.Column("register_number", sa.String(20),
                  sa.ForeignKey("recordings.register_number", name="fk_recording_templates_recording"),
                  nullable=False),
        sa.Column("modality", sa.String(24), nullable=False),
        sa.Column("template_digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("register_number", "modality", name="pk_recording_templates"),
    )
    op.create_index("ix_recording_templates_template_digest", "recording_templates", ["template_digest"])
    op.create_table(
        "adjudications",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("register_number", sa.String(20),
                  sa.ForeignKey("recordings.register_number", name="fk_adjudications_recording"), nullable=False),
        sa.Column("candidate_register_number", sa.String(20), nullable=False),
        sa.Column("reasons", sa.String(400), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("comparison", sa.Text(), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(20), nullable=True),
        sa.Column("resolver", sa.String(120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("register_number", name="uq_adjudications_register_number"),
    )
    op.create_index("ix_adjudications_region_code", "adjudications", ["region_code"])


def downgrade() -> None:
    op.drop_table("adjudications")
    op.drop_table("recording_templates")
    with op.batch_alter_table("recordings") as batch:
        batch.drop_index("ix_recordings_birth_date")
        batch.drop_index("ix_recordings_hold_until")
        for name in ("hold_until", "failure_reason", "previous_register_number", "recording_type"):
            batch.drop_column(name)
