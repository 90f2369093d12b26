"""Documents, inbox + feed cursors, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("register_number", sa.String(20), nullable=False),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("card_serial", sa.String(32), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("qr_payload", sa.Text(), nullable=True),
        sa.Column("superseded_by", sa.String(36), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_documents_register_number", "documents", ["register_number"])
    op.create_index("ix_documents_issued_at", "documents", ["issued_at"])
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
        "outbox",
        sa.Column("sequence", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("type", sa.String(120), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("feed_cursors")
    op.drop_table("inbox")
    op.drop_index("ix_documents_issued_at", table_name="documents")
    op.drop_index("ix_documents_register_number", table_name="documents")
    op.drop_table("documents")
