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
)
# A serial belongs to at most one live (reserved or consumed) reservation; a released
# reservation keeps its serial for the record while the blank goes back to stock.
LIVE_RESERVATION = sa.text("state <> 'released'")
sa.Index("uq_reservations_live_serial", reservations.c.serial, unique=True,
         sqlite_where=LIVE_RESERVATION, postgresql_where=LIVE_RESERVATION)

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

demo_marker = sa.Table(
    "demo_marker", metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("loaded_at", Timestamp, nullable=False),
)

outbox = define_outbox(metadata)

# Every stock movement: who received, reserved, consumed or released which blanks (servicekit.audit).
audit_log = define_audit_log(metadata)
