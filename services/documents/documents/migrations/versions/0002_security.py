"""Audit log: append-only, hash-chained record of who issued, read and printed which document.

The triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) are copied here as
literal SQL from servicekit.audit at the time of writing: a migration is a frozen snapshot
and must not change when the library does.

Revision ID: 0002
Revises: 0001
Create Date: 2026-02-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

POSTGRESQL_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION ektp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "    RAISE EXCEPTION 'audit_log is append-only';\n"
    "END;\n"
    "$$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION ektp_audit_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION ektp_audit_append_only()",
)

SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)

APPEND_ONLY = {"postgresql": POSTGRESQL_APPEND_ONLY, "sqlite": SQLITE_APPEND_ONLY}

DROP_APPEND_ONLY = {
    "postgresql": ("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
                   "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
                   "DROP FUNCTION IF EXISTS ektp_audit_append_only()"),
    "sqlite": ("DROP TRIGGER IF EXISTS audit_log_no_delete",
               "DROP TRIGGER IF EXISTS audit_log_no_update"),
}


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", BigId, primary_key=True, autoincrement=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("record_type", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(120), nullable=False),
        sa.Column("origin", sa.String(80), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table("audit_log")
