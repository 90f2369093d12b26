"""Initial schema: inbox, feed cursors and the read models.

Revision ID: 0001
Revises:
Create Date: 2024-01-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("feed", sa.String(40), nullable=False),
        sa.Column("sequence", BigId, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "feed_cursors",
        sa.Column("feed", sa.String(40), primary_key=True),
        sa.Column("sequence", BigId, nullable=False),
    )
    op.create_table(
        "region_targets",
        sa.Column("region_code", sa.String(20), primary_key=True),
        sa.Column("region_name", sa.String(120), nullable=False),
        sa.Column("wajib_ktp", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "recording_facts",
        sa.Column("register_number", sa.String(40), primary_key=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("print_ready", sa.Boolean(), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_recording_facts_region_code", "recording_facts", ["region_code"])
    op.create_table(
        "document_facts",
        sa.Column("document_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("register_number", sa.String(40), nullable=False),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("card_serial", sa.String(40), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_document_facts_region_code", "document_facts", ["region_code"])
    op.create_index("ix_document_facts_register_number", "document_facts", ["register_number"])
    op.create_table(
        "stock_board",
        sa.Column("office_code", sa.String(20), primary_key=True),
        sa.Column("available", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("consumed", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "procurement_board",
        sa.Column("package_id", sa.String(64), primary_key=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    for index, table in (("ix_document_facts_register_number", "document_facts"),
                         ("ix_document_facts_region_code", "document_facts"),
                         ("ix_recording_facts_region_code", "recording_facts")):
        op.drop_index(index, table_name=table)
    for table in ("procurement_board", "stock_board", "document_facts", "recording_facts",
                  "region_targets", "feed_cursors", "inbox"):
        op.drop_table(table)
