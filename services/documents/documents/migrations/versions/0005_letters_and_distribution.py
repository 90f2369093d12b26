"""Shortage letters (sets and letters) and distribution batches with their cards.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_sets",
        sa.Column("set_id", sa.String(36), primary_key=True),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("request_id", sa.String(36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatch_key", sa.String(120), nullable=False),
        sa.Column("dispatch_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_letter_sets_office", "letter_sets", ["office_code", "created_at"])
    op.create_table(
        "shortage_letters",
        sa.Column("letter_id", sa.String(36), primary_key=True),
        sa.Column("set_id", sa.String(36), sa.ForeignKey("letter_sets.set_id"), nullable=False),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("recipient_code", sa.String(20), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf_key", sa.String(120), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("office_code", "year", "sequence", name="uq_shortage_letters_number"),
    )
    op.create_index("ix_shortage_letters_set", "shortage_letters", ["set_id"])
    op.create_table(
        "distribution_batches",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("district_code", sa.String(20), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manifest_key", sa.String(120), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("receipt_key", sa.String(120), nullable=True),
        sa.Column("receipt_sha256", sa.String(64), nullable=True),
    )
    op.create_index("ix_distribution_batches_office", "distribution_batches", ["office_code", "status"])
    op.create_table(
        "batch_cards",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("batch_id", sa.String(36), sa.ForeignKey("distribution_batches.batch_id"), nullable=False),
        sa.Column("register_number", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_batch_cards_batch", "batch_cards", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_batch_cards_batch", table_name="batch_cards")
    op.drop_table("batch_cards")
    op.drop_index("ix_distribution_batches_office", table_name="distribution_batches")
    op.drop_table("distribution_batches")
    op.drop_index("ix_shortage_letters_set", table_name="shortage_letters")
    op.drop_table("shortage_letters")
    op.drop_index("ix_letter_sets_office", table_name="letter_sets")
    op.drop_table("letter_sets")
