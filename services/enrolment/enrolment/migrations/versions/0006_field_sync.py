"""Field devices: sync receipts per device and local id.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_receipts",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("local_id", sa.String(64), nullable=False),
        sa.Column("register_number", sa.String(20),
                  sa.ForeignKey("recordings.register_number", name="fk_sync_receipts_recording"), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "local_id", name="pk_sync_receipts"),
    )


def downgrade() -> None:
    op.drop_table("sync_receipts")
