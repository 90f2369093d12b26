"""Read models for issue 7: the per-desa counters (totals and per day), recordings' and
documents' full state, stock days and stock-out periods, procurement deliveries, drives.

Existing facts get neutral defaults and no counters: after upgrading a database that already
holds facts, run `ektp reporting rebuild` to replay the feeds into the new read models.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")


def _day(name: str) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=True)


NEW_COLUMNS = {
    "recording_facts": lambda: [
        _flag("failed"), _flag("replaced"), sa.Column("known", sa.Boolean(), nullable=False, server_default=sa.true()),
        _day("recorded_on"), _day("voter_eligible_on"), _count("drive_id"), _flag("card_printed"),
        _day("card_printed_on"), _flag("dispatched"), _flag("handed_over"), _day("suket_valid_until")],
    "document_facts": lambda: [
        _flag("expired"), _flag("voided"), _flag("spoiled"), _flag("printed"), _day("printed_on"),
        _flag("dispatched"), _flag("handed_over")],
    "stock_board": lambda: [_count("spoiled"), _day("out_since")],
    "procurement_board": lambda: [
        _count("delivered"), _day("status_since"), _count("deliveries"), _day("first_delivery_on"),
        _day("last_delivery_on")],
}


def upgrade() -> None:
    for table, columns in NEW_COLUMNS.items():
        for column in columns():
            op.add_column(table, column)
    op.create_index("ix_recording_facts_drive_id", "recording_facts", ["drive_id"])
    op.create_index("ix_document_facts_valid_until", "document_facts", ["valid_until"])
    op.create_table(
        "coverage_counts",
        sa.Column("region_code", sa.String(20), primary_key=True),
        *(_count(name) for name in ("persons", "recorded", "print_ready", "print_backlog", "printed",
                                    "dispatched", "handed_over", "suket_outstanding")),
    )
    op.create_table(
        "coverage_daily",
        sa.Column("region_code", sa.String(20), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        _count("recorded"),
        _count("printed"),
    )
    op.create_table(
        "stock_daily",
        sa.Column("office_code", sa.String(20), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        _count("consumed"),
    )
    op.create_table(
        "stock_out_periods",
        sa.Column("office_code", sa.String(20), primary_key=True),
        sa.Column("started_on", sa.Date(), primary_key=True),
        sa.Column("ended_on", sa.Date(), nullable=False),
    )
    op.create_table(
        "drives",
        sa.Column("drive_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("village_codes", sa.String(2000), nullable=False),
        _day("planned_for"),
        _count("planned"),
        _count("recorded"),
        _count("failed"),
        _count("duplicates"),
    )


def downgrade() -> None:
    for table in ("drives", "stock_out_periods", "stock_daily", "coverage_daily", "coverage_counts"):
        op.drop_table(table)
    op.drop_index("ix_document_facts_valid_until", table_name="document_facts")
    op.drop_index("ix_recording_facts_drive_id", table_name="recording_facts")
    for table, columns in NEW_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns():
                batch.drop_column(column.name)
