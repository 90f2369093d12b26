"""Initial inventory schema: blanks, reservations, procurement, demo marker, outbox.

Revision ID: 0001
Revises:
Create Date: 2024-01-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LIVE_RESERVATION = sa.text("state <> 'released'")


def upgrade() -> None:
    op.create_table(
        "blanks",
        sa.Column("serial", sa.String(20), primary_key=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("received_at", Timestamp, nullable=False),
        sa.Column("delivery_reference", sa.String(120), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
    )
    op.create_index("ix_blanks_office_state_serial", "blanks", ["office_code", "state", "serial"])

    op.create_table(
        "reservations",
        sa.Column("idempotency_key", sa.String(120), primary_key=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("serial", sa.String(20), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reserved_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("release_reason", sa.String(500), nullable=False),
    )
    op.create_index("uq_reservations_live_serial", "reservations", ["serial"], unique=True,
                    sqlite_where=LIVE_RESERVATION, postgresql_where=LIVE_RESERVATION)

    op.create_table(
        "procurement_packages",
        sa.Column("package_id", sa.String(40), primary_key=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("estimated_value_idr", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_reason", sa.String(500), nullable=False),
        sa.Column("status_changed_at", Timestamp, nullable=False),
    )

    op.create_table(
        "procurement_status_history",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("package_id", sa.String(40), sa.ForeignKey("procurement_packages.package_id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("changed_at", Timestamp, nullable=False),
    )
    op.create_index("ix_procurement_status_history_package_id", "procurement_status_history", ["package_id"])

    op.create_table(
        "demo_marker",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("loaded_at", Timestamp, nullable=False),
    )

    op.create_table(
        "outbox",
        sa.Column("sequence", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("type", sa.String(120), nullable=False),
        sa.Column("occurred_at", Timestamp, nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("demo_marker")
    op.drop_index("ix_procurement_status_history_package_id", "procurement_status_history")
    op.drop_table("procurement_status_history")
    op.drop_table("procurement_packages")
    op.drop_index("uq_reservations_live_serial", "reservations")
    op.drop_table("reservations")
    op.drop_index("ix_blanks_office_state_serial", "blanks")
    op.drop_table("blanks")
