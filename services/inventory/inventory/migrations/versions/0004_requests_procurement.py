"""Requests, allocations, loans, procurement deliveries and history.

Procurement packages gain the award and contract (vendor, contract number and value, the
delivery date the contract promises) and the quantity delivered so far; each (partial)
delivery is a row (for an e-catalogue package: an order tranche). Blank requests of a
kabupaten to its province (allocation) or to another kabupaten (loan) keep their decision
and the transfer that carried them. Stock levels remember the level (ok / low / out) each
office last crossed to, with its history, for once-per-crossing StockLow / StockOut events
and for the stock-out days the forecast leaves out of its average.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("procurement_packages") as batch:
        batch.add_column(sa.Column("vendor", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("contract_number", sa.String(80), nullable=False, server_default=""))
        batch.add_column(sa.Column("contract_value_idr", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("expected_delivery_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("delivered", sa.BigInteger(), nullable=False, server_default="0"))

    op.create_table(
        "procurement_deliveries",
        sa.Column("package_id", sa.String(40), sa.ForeignKey("procurement_packages.package_id"), primary_key=True),
        sa.Column("sequence", sa.Integer(), primary_key=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("first_serial", sa.String(20), nullable=False),
        sa.Column("last_serial", sa.String(20), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("delivered_at", Timestamp, nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("recorded_at", Timestamp, nullable=False),
    )

    op.create_table(
        "blank_requests",
        sa.Column("request_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("supplier_office", sa.String(20), nullable=False),
        sa.Column("quantity_requested", sa.BigInteger(), nullable=False),
        sa.Column("backlog", sa.BigInteger(), nullable=False),
        sa.Column("backlog_source", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("requested_at", Timestamp, nullable=False),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("quantity_approved", sa.BigInteger(), nullable=False),
        sa.Column("decision_reason", sa.String(500), nullable=False),
        sa.Column("decided_at", Timestamp, nullable=True),
        sa.Column("decided_by", sa.String(120), nullable=False),
        sa.Column("transfer_id", sa.String(36), nullable=False),
        sa.Column("received_at", Timestamp, nullable=True),
    )
    op.create_index("ix_blank_requests_office_state", "blank_requests", ["office_code", "state"])
    op.create_index("ix_blank_requests_supplier_state", "blank_requests", ["supplier_office", "state"])

    op.create_table(
        "stock_levels",
        sa.Column("office_code", sa.String(20), primary_key=True),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("changed_at", Timestamp, nullable=False),
    )
    op.create_table(
        "stock_level_history",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("changed_at", Timestamp, nullable=False),
    )
    op.create_index("ix_stock_level_history_office_changed", "stock_level_history", ["office_code", "changed_at"])


def downgrade() -> None:
    op.drop_index("ix_stock_level_history_office_changed", "stock_level_history")
    op.drop_table("stock_level_history")
    op.drop_table("stock_levels")
    op.drop_index("ix_blank_requests_supplier_state", "blank_requests")
    op.drop_index("ix_blank_requests_office_state", "blank_requests")
    op.drop_table("blank_requests")
    op.drop_table("procurement_deliveries")
    with op.batch_alter_table("procurement_packages") as batch:
        for column in ("delivered", "expected_delivery_on", "contract_value_idr", "contract_number", "vendor"):
            batch.drop_column(column)
