"""Tables of the reporting read models (SQLAlchemy Core), plus the inbox and feed cursors."""
from __future__ import annotations

import sqlalchemy as sa

from servicekit.outbox import define_inbox

metadata = sa.MetaData()

inbox, feed_cursors = define_inbox(metadata)

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
    sa.Index("ix_recording_facts_region_code", "region_code"),
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
    sa.Index("ix_document_facts_region_code", "region_code"),
    sa.Index("ix_document_facts_register_number", "register_number"),
)

stock_board = sa.Table(
    "stock_board", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("available", sa.BigInteger(), nullable=False),
    sa.Column("received", sa.BigInteger(), nullable=False),
    sa.Column("consumed", sa.BigInteger(), nullable=False),
)

procurement_board = sa.Table(
    "procurement_board", metadata,
    sa.Column("package_id", sa.String(64), primary_key=True),
    sa.Column("fiscal_year", sa.Integer(), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
)
