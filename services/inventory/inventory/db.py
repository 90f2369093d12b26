"""Tables of the inventory database (SQLAlchemy Core). Migrations must match these exactly."""
from __future__ import annotations

import sqlalchemy as sa

from servicekit.audit import define_audit_log
from servicekit.outbox import BigId, define_outbox

metadata = sa.MetaData()

Timestamp = sa.DateTime(timezone=True)

blanks = sa.Table(
    "blanks", metadata,
    sa.Column("serial", sa.String(20), primary_key=True),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("received_at", Timestamp, nullable=False),
    sa.Column("delivery_reference", sa.String(120), nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_blanks_office_state_serial", "office_code", "state", "serial"),
)

reservations = sa.Table(
    "reservations", metadata,
    sa.Column("idempotency_key", sa.String(120), primary_key=True),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("serial", sa.String(20), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("reserved_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("release_reason", sa.String(500), nullable=False),
    sa.Column("expires_at", Timestamp, nullable=True),   # NULL: made before reservations expired (0003)
    sa.Index("ix_reservations_state_expires_at", "state", "expires_at"),
)
# A serial belongs to at most one live (reserved or consumed) reservation; a released or
# expired reservation keeps its serial for the record while the blank goes back to stock.
LIVE_RESERVATION = sa.text("state IN ('reserved', 'consumed')")
sa.Index("uq_reservations_live_serial", reservations.c.serial, unique=True,
         sqlite_where=LIVE_RESERVATION, postgresql_where=LIVE_RESERVATION)

# ---- the ledger by serial (0003) ------------------------------------------------------

offices = sa.Table(
    "offices", metadata,
    sa.Column("code", sa.String(20), primary_key=True),        # "ID" (central) or a Kemendagri code
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("parent_code", sa.String(20), nullable=True),
    sa.Column("registered_at", Timestamp, nullable=False),
)

# Immutable stock events (append-only triggers in the migration), one row per serial range.
stock_ledger = sa.Table(
    "stock_ledger", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("first_serial", sa.String(20), nullable=False),
    sa.Column("last_serial", sa.String(20), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("occurred_at", Timestamp, nullable=False),
    sa.Column("counterparty", sa.String(20), nullable=False),
    sa.Column("transfer_id", sa.String(36), nullable=False),
    sa.Column("reference", sa.String(120), nullable=False),
    sa.Column("cause", sa.String(500), nullable=False),
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.CheckConstraint("quantity > 0", name="ck_stock_ledger_quantity_positive"),
    sa.Index("ix_stock_ledger_office_occurred", "office_code", "occurred_at"),
    sa.Index("ix_stock_ledger_office_kind", "office_code", "kind"),
)

# Per-office counters, updated in the same transaction as each ledger entry.
stock_balances = sa.Table(
    "stock_balances", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("on_hand", sa.BigInteger(), nullable=False),
    sa.Column("reserved", sa.BigInteger(), nullable=False),
    sa.Column("consumed", sa.BigInteger(), nullable=False),
    sa.Column("spoiled", sa.BigInteger(), nullable=False),
    sa.Column("lost", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.CheckConstraint("reserved >= 0 AND on_hand >= reserved", name="ck_stock_balances_never_negative"),
)

transfers = sa.Table(
    "transfers", metadata,
    sa.Column("transfer_id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("from_office", sa.String(20), nullable=False),
    sa.Column("to_office", sa.String(20), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("reference", sa.String(120), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("dispatched_at", Timestamp, nullable=False),
    sa.Column("received_at", Timestamp, nullable=True),
    sa.Column("loan_id", sa.String(36), nullable=False),
    sa.Column("repaid", sa.BigInteger(), nullable=False),
    sa.Index("ix_transfers_to_office_status", "to_office", "status"),
    sa.Index("ix_transfers_from_office_status", "from_office", "status"),
)

transfer_ranges = sa.Table(
    "transfer_ranges", metadata,
    sa.Column("transfer_id", sa.String(36), sa.ForeignKey("transfers.transfer_id"), primary_key=True),
    sa.Column("first_serial", sa.String(20), primary_key=True),
    sa.Column("last_serial", sa.String(20), nullable=False),
)

destruction_records = sa.Table(
    "destruction_records", metadata,
    sa.Column("record_id", sa.String(36), primary_key=True),
    sa.Column("office_code", sa.String(20), nullable=False, index=True),
    sa.Column("cause", sa.String(500), nullable=False),
    sa.Column("witnesses", sa.JSON(), nullable=False),     # [{"name", "staff_id"}], never a NIK
    sa.Column("reference", sa.String(120), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("destroyed_at", Timestamp, nullable=False),
)

stock_counts = sa.Table(
    "stock_counts", metadata,
    sa.Column("count_id", sa.String(36), primary_key=True),
    sa.Column("office_code", sa.String(20), nullable=False, index=True),
    sa.Column("counted_at", Timestamp, nullable=False),
    sa.Column("reference", sa.String(120), nullable=False),
    sa.Column("expected", sa.BigInteger(), nullable=False),
    sa.Column("counted", sa.BigInteger(), nullable=False),
    sa.Column("missing", sa.JSON(), nullable=False),       # ["first-last", ...]
    sa.Column("surplus", sa.JSON(), nullable=False),
)

procurement_packages = sa.Table(
    "procurement_packages", metadata,
    sa.Column("package_id", sa.String(40), primary_key=True),
    sa.Column("fiscal_year", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("estimated_value_idr", sa.BigInteger(), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("status_reason", sa.String(500), nullable=False),
    sa.Column("status_changed_at", Timestamp, nullable=False),
    # 0004: the award and the contract, and what has arrived so far
    sa.Column("vendor", sa.String(200), nullable=False, server_default=""),
    sa.Column("contract_number", sa.String(80), nullable=False, server_default=""),
    sa.Column("contract_value_idr", sa.BigInteger(), nullable=False, server_default="0"),
    sa.Column("expected_delivery_on", sa.Date(), nullable=True),
    sa.Column("delivered", sa.BigInteger(), nullable=False, server_default="0"),
)

procurement_status_history = sa.Table(
    "procurement_status_history", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("package_id", sa.String(40), sa.ForeignKey("procurement_packages.package_id"),
              nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
)

# ---- procurement deliveries, requests for blanks, stock levels (0004) ----------------------

procurement_deliveries = sa.Table(
    "procurement_deliveries", metadata,
    sa.Column("package_id", sa.String(40), sa.ForeignKey("procurement_packages.package_id"), primary_key=True),
    sa.Column("sequence", sa.Integer(), primary_key=True),       # the order tranche of an e-catalogue package
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("first_serial", sa.String(20), nullable=False),
    sa.Column("last_serial", sa.String(20), nullable=False),
    sa.Column("quantity", sa.BigInteger(), nullable=False),
    sa.Column("delivered_at", Timestamp, nullable=False),
    sa.Column("reference", sa.String(120), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

blank_requests = sa.Table(
    "blank_requests", metadata,
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
    sa.Column("requested_by", sa.String(120), nullable=False),   # officer username, never a resident
    sa.Column("quantity_approved", sa.BigInteger(), nullable=False),
    sa.Column("decision_reason", sa.String(500), nullable=False),
    sa.Column("decided_at", Timestamp, nullable=True),
    sa.Column("decided_by", sa.String(120), nullable=False),
    sa.Column("transfer_id", sa.String(36), nullable=False),
    sa.Column("received_at", Timestamp, nullable=True),
    sa.Index("ix_blank_requests_office_state", "office_code", "state"),
    sa.Index("ix_blank_requests_supplier_state", "supplier_office", "state"),
)

# The level (ok / low / out) each office last fell to or recovered to, so StockLow / StockOut
# are emitted once per crossing; the history gives the stock-out days the forecast leaves out.
stock_levels = sa.Table(
    "stock_levels", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("level", sa.String(8), nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
)

stock_level_history = sa.Table(
    "stock_level_history", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("level", sa.String(8), nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
    sa.Index("ix_stock_level_history_office_changed", "office_code", "changed_at"),
)

demo_marker = sa.Table(
    "demo_marker", metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("loaded_at", Timestamp, nullable=False),
)

outbox = define_outbox(metadata)

# Every stock movement: who received, reserved, consumed or released which blanks (servicekit.audit).
audit_log = define_audit_log(metadata)
