"""Suket renewal, expiry and voiding: why and when a document was voided; the expiry job's index.

Expand only: two nullable columns and an index; no existing row changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("void_reason", sa.String(500), nullable=True))
    op.add_column("documents", sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_documents_status_valid_until", "documents", ["status", "valid_until"])


def downgrade() -> None:
    op.drop_index("ix_documents_status_valid_until", table_name="documents")
    with op.batch_alter_table("documents") as batch:   # SQLite drops columns by copying the table
        batch.drop_column("voided_at")
        batch.drop_column("void_reason")
