"""Print jobs (the card print queue) and office policies (Suket when out of stock).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("job_id", sa.String(36), primary_key=True),
        sa.Column("register_number", sa.String(20), nullable=False),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blank_key", sa.String(64), nullable=False, unique=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("card_serial", sa.String(32), nullable=True),
        sa.Column("document_id", sa.String(36), nullable=True),
        sa.Column("reprint_of", sa.String(36), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_print_jobs_queue", "print_jobs", ["office_code", "status", "priority", "queued_at"])
    op.create_index("ix_print_jobs_register_number", "print_jobs", ["register_number"])
    op.create_index("ix_print_jobs_document_id", "print_jobs", ["document_id"])
    op.create_table(
        "office_policies",
        sa.Column("office_code", sa.String(10), primary_key=True),
        sa.Column("suket_when_out_of_stock", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("office_policies")
    op.drop_index("ix_print_jobs_document_id", table_name="print_jobs")
    op.drop_index("ix_print_jobs_register_number", table_name="print_jobs")
    op.drop_index("ix_print_jobs_queue", table_name="print_jobs")
    op.drop_table("print_jobs")
