"""Ledger by serial: offices, stock events with serial ranges, reservations with expiry.

Adds the offices, the append-only stock ledger (one row per serial range moved), the per-office
balance counters kept with it, transfers (allocations, loans, repayments) with their ranges,
destruction records of spoiled blanks and physical counts. Reservations gain `expires_at`
(NULL for the ones made before) and the live-serial index now treats an expired reservation
like a released one. Existing blanks are carried into the ledger: one RECEIVED entry per
serial at its office (plus RESERVED / CONSUMED for the ones in those states) and a balance row
per office, so the balances equal the ledger from the first day.

The append-only triggers follow servicekit.audit's pattern, copied literally: a migration is a
frozen snapshot.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD_LIVE = sa.text("state <> 'released'")
LIVE = sa.text("state IN ('reserved', 'consumed')")

APPEND_ONLY = {
    "postgresql": (
        "CREATE OR REPLACE FUNCTION ektp_stock_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "    RAISE EXCEPTION 'stock_ledger is append-only';\n"
        "END;\n"
        "$$",
        "CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger "
        "FOR EACH ROW EXECUTE FUNCTION ektp_stock_ledger_append_only()",
        "CREATE TRIGGER stock_ledger_no_truncate BEFORE TRUNCATE ON stock_ledger "
        "FOR EACH STATEMENT EXECUTE FUNCTION ektp_stock_ledger_append_only()",
    ),
    "sqlite": (
        "CREATE TRIGGER stock_ledger_no_update BEFORE UPDATE ON stock_ledger "
        "BEGIN SELECT RAISE(ABORT, 'stock_ledger is append-only'); END",
        "CREATE TRIGGER stock_ledger_no_delete BEFORE DELETE ON stock_ledger "
        "BEGIN SELECT RAISE(ABORT, 'stock_ledger is append-only'); END",
    ),
}


def upgrade() -> None:
    op.create_table(
        "offices",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(20), nullable=True),
        sa.Column("registered_at", Timestamp, nullable=False),
    )
    op.create_table(
        "stock_ledger",
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
    )
    op.create_index("ix_stock_ledger_office_occurred", "stock_ledger", ["office_code", "occurred_at"])
    op.create_index("ix_stock_ledger_office_kind", "stock_ledger", ["office_code", "kind"])
    op.create_table(
        "stock_balances",
        sa.Column("office_code", sa.String(20), primary_key=True),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("reserved", sa.BigInteger(), nullable=False),
        sa.Column("consumed", sa.BigInteger(), nullable=False),
        sa.Column("spoiled", sa.BigInteger(), nullable=False),
        sa.Column("lost", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.CheckConstraint("reserved >= 0 AND on_hand >= reserved", name="ck_stock_balances_never_negative"),
    )
    op.create_table(
        "transfers",
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
    )
    op.create_index("ix_transfers_to_office_status", "transfers", ["to_office", "status"])
    op.create_index("ix_transfers_from_office_status", "transfers", ["from_office", "status"])
    op.create_table(
        "transfer_ranges",
        sa.Column("transfer_id", sa.String(36), sa.ForeignKey("transfers.transfer_id"), primary_key=True),
        sa.Column("first_serial", sa.String(20), primary_key=True),
        sa.Column("last_serial", sa.String(20), nullable=False),
    )
    op.create_table(
        "destruction_records",
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("cause", sa.String(500), nullable=False),
        sa.Column("witnesses", sa.JSON(), nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("destroyed_at", Timestamp, nullable=False),
    )
    op.create_index("ix_destruction_records_office_code", "destruction_records", ["office_code"])
    op.create_table(
        "stock_counts",
        sa.Column("count_id", sa.String(36), primary_key=True),
        sa.Column("office_code", sa.String(20), nullable=False),
        sa.Column("counted_at", Timestamp, nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("expected", sa.BigInteger(), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("surplus", sa.JSON(), nullable=False),
    )
    op.create_index("ix_stock_counts_office_code", "stock_counts", ["office_code"])

    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("expires_at", Timestamp, nullable=True))
    op.create_index("ix_reservations_state_expires_at", "reservations", ["state", "expires_at"])
    op.drop_index("uq_reservations_live_serial", "reservations")
    op.create_index("uq_reservations_live_serial", "reservations", ["serial"], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)

    # Carry the blanks already stored into the ledger and the balances.
    for kind, states in (("received", "('available', 'reserved', 'consumed')"), ("reserved", "('reserved', 'consumed')"),
                         ("consumed", "('consumed')")):
        op.execute(
            "INSERT INTO stock_ledger (office_code, kind, first_serial, last_serial, quantity, occurred_at, "
            "counterparty, transfer_id, reference, cause, record_id, actor) "
            f"SELECT office_code, '{kind}', serial, serial, 1, received_at, '', '', delivery_reference, "
            f"'migrated (0003)', '', 'migration:0003' FROM blanks WHERE state IN {states} ORDER BY serial")
    op.execute(
        "INSERT INTO stock_balances (office_code, on_hand, reserved, consumed, spoiled, lost, updated_at) "
        "SELECT office_code, "
        "SUM(CASE WHEN state IN ('available', 'reserved') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN state = 'reserved' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN state = 'consumed' THEN 1 ELSE 0 END), 0, 0, MAX(updated_at) "
        "FROM blanks GROUP BY office_code")

    dialect = op.get_bind().dialect.name
    if dialect not in APPEND_ONLY:
        raise NotImplementedError(f"no append-only triggers for dialect {dialect!r}")
    for statement in APPEND_ONLY[dialect]:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("uq_reservations_live_serial", "reservations")
    op.create_index("uq_reservations_live_serial", "reservations", ["serial"], unique=True,
                    sqlite_where=OLD_LIVE, postgresql_where=OLD_LIVE)
    op.drop_index("ix_reservations_state_expires_at", "reservations")
    with op.batch_alter_table("reservations") as batch:
        batch.drop_column("expires_at")
    for table in ("stock_counts", "destruction_records", "transfer_ranges", "transfers", "stock_balances",
                  "stock_ledger", "offices"):
        op.drop_table(table)   # indexes and triggers go with their table
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ektp_stock_ledger_append_only()")
