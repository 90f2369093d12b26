"""Tables of the reporting read models (SQLAlchemy Core), plus the inbox and feed cursors.

`coverage_counts` and `coverage_daily` are counters per region (a desa, as the recordings
name it) kept by the folds in the same transaction as the facts, so a kabupaten's coverage is
a sum over its desa rows rather than a count over its recording facts."""
from __future__ import annotations

import sqlalchemy as sa

from servicekit.outbox import define_inbox

metadata = sa.MetaData()

inbox, feed_cursors = define_inbox(metadata)


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")


region_targets = sa.Table(
    "region_targets", metadata,
    sa.Column("region_code", sa.String(20), primary_key=True),
    sa.Column("region_name", sa.String(120), nullable=False),
    sa.Column("wajib_ktp", sa.BigInteger(), nullable=False),
)

recording_facts = sa.Table(
    "recording_facts", metadata,
    sa.Column("register_number", sa.String(40), primary_key=True),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("region_code", sa.String(20), nullable=False),
    sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("print_ready", sa.Boolean(), nullable=False),
    sa.Column("duplicate", sa.Boolean(), nullable=False),
    _flag("failed"),
    _flag("replaced"),
    sa.Column("known", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("recorded_on", sa.Date(), nullable=True),
    sa.Column("voter_eligible_on", sa.Date(), nullable=True),
    _count("drive_id"),
    _flag("card_printed"),
    sa.Column("card_printed_on", sa.Date(), nullable=True),
    _flag("dispatched"),
    _flag("handed_over"),
    sa.Column("suket_valid_until", sa.Date(), nullable=True),
    sa.Index("ix_recording_facts_region_code", "region_code"),
    sa.Index("ix_recording_facts_drive_id", "drive_id"),
)

document_facts = sa.Table(
    "document_facts", metadata,
    sa.Column("document_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("register_number", sa.String(40), nullable=False),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("region_code", sa.String(20), nullable=False),
    sa.Column("card_serial", sa.String(40), nullable=False),
    sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("superseded", sa.Boolean(), nullable=False),
    _flag("expired"),
    _flag("voided"),
    _flag("spoiled"),
    _flag("printed"),
    sa.Column("printed_on", sa.Date(), nullable=True),
    _flag("dispatched"),
    _flag("handed_over"),
    sa.Index("ix_document_facts_region_code", "region_code"),
    sa.Index("ix_document_facts_register_number", "register_number"),
    sa.Index("ix_document_facts_valid_until", "valid_until"),   # Suket expiring soon (funnel, metrics)
)

stock_board = sa.Table(
    "stock_board", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("available", sa.BigInteger(), nullable=False),
    sa.Column("received", sa.BigInteger(), nullable=False),
    sa.Column("consumed", sa.BigInteger(), nullable=False),
    _count("spoiled"),
    sa.Column("out_since", sa.Date(), nullable=True),
)

procurement_board = sa.Table(
    "procurement_board", metadata,
    sa.Column("package_id", sa.String(64), primary_key=True),
    sa.Column("fiscal_year", sa.Integer(), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    _count("delivered"),
    sa.Column("status_since", sa.Date(), nullable=True),
    _count("deliveries"),
    sa.Column("first_delivery_on", sa.Date(), nullable=True),
    sa.Column("last_delivery_on", sa.Date(), nullable=True),
)

coverage_counts = sa.Table(
    "coverage_counts", metadata,
    sa.Column("region_code", sa.String(20), primary_key=True),
    *(_count(name) for name in ("persons", "recorded", "print_ready", "print_backlog", "printed",
                                "dispatched", "handed_over", "suket_outstanding")),
)

coverage_daily = sa.Table(
    "coverage_daily", metadata,
    sa.Column("region_code", sa.String(20), primary_key=True),
    sa.Column("day", sa.Date(), primary_key=True),
    _count("recorded"),
    _count("printed"),
)

stock_daily = sa.Table(
    "stock_daily", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("day", sa.Date(), primary_key=True),
    _count("consumed"),
)

stock_out_periods = sa.Table(
    "stock_out_periods", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("started_on", sa.Date(), primary_key=True),
    sa.Column("ended_on", sa.Date(), nullable=False),
)

drives = sa.Table(
    "drives", metadata,
    sa.Column("drive_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("village_codes", sa.String(2000), nullable=False),   # comma-separated
    sa.Column("planned_for", sa.Date(), nullable=True),
    _count("planned"),
    _count("recorded"),
    _count("failed"),
    _count("duplicates"),
)

# The read models `rebuild` replays and `rebuild --check` compares (not the inbox and cursors).
READ_MODELS = (region_targets, recording_facts, document_facts, stock_board, procurement_board,
               coverage_counts, coverage_daily, stock_daily, stock_out_periods, drives)
