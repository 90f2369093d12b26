"""Tamper-evident audit log: append-only, hash-chained, in the service's own database.

Every read and write of a resident's data, every document issued and every stock movement
appends an entry (who, role, what, which record, when, from where). Each entry carries the
hash of the one before it and a SHA-256 over its own contents, so changing, removing or
reordering an entry breaks the chain at that point and `verify_chain` names the first
broken link.

Two layers, because neither is enough alone:

* Triggers refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on `audit_log`, which stops
  the application and careless operators. A superuser can still bypass them
  (`session_replication_role = replica`, `DROP TRIGGER`).
* The chain detects what got past the triggers. An attacker who rewrites an entry and its
  hash breaks the link of the next entry. Only the newest entries can be rewritten or cut
  off without a trace, which is why the report gives the head hash: an operator who notes
  it down can later tell that the tail is still the one they saw.

Sequence numbers are assigned here (last + 1), not by the database, so a chain has no gaps
from rolled-back transactions: a gap always means a deleted entry. On PostgreSQL the
append takes a transaction-scoped advisory lock so concurrent writers extend the chain one
after the other; SQLite's `BEGIN IMMEDIATE` already serialises writers. The primary key on
`seq` is the last line of defence: two writers that somehow read the same head cannot both
commit, so the chain can never fork.

Entries name records by register number, document id or serial, never by NIK or name:
the log itself must not become a second copy of personal data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from servicekit.outbox import BigId

GENESIS_HASH = "0" * 64

# pg_advisory_xact_lock key for appends; "ektpaudt" in ASCII. Must differ from
# servicekit.outbox._OUTBOX_LOCK_KEY so that audit appends and outbox appends do not queue
# on each other.
_AUDIT_LOCK_KEY = 0x656B747061756474

_APPEND_ONLY_MESSAGE = "audit_log is append-only"


def define_audit_log(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "audit_log", metadata,
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


AUDIT_LOG = define_audit_log(sa.MetaData())

# Migrations are frozen snapshots and embed this SQL literally; these constants let a test
# check that a migrated database really has the guards.
POSTGRESQL_APPEND_ONLY: tuple[str, ...] = (
    "CREATE OR REPLACE FUNCTION ektp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    f"    RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}';\n"
    "END;\n"
    "$$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION ektp_audit_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION ektp_audit_append_only()",
)

SQLITE_APPEND_ONLY: tuple[str, ...] = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END",
)


def install_append_only(conn: Connection) -> None:
    """Create the triggers that refuse changes to `audit_log`, for the connection's dialect."""
    statements = {"postgresql": POSTGRESQL_APPEND_ONLY, "sqlite": SQLITE_APPEND_ONLY}.get(conn.dialect.name)
    if statements is None:
        raise NotImplementedError(f"no append-only triggers for dialect {conn.dialect.name!r}")
    for statement in statements:
        conn.exec_driver_sql(statement)


@dataclass(frozen=True)
class AuditEntry:
    actor: str          # subject: officer username or "service:documents"
    role: str
    action: str         # e.g. "recording.read", "recording.create", "document.issue", "stock.reserve"
    record_type: str    # e.g. "recording", "document", "blank", "account"
    record_id: str      # register number, document id, serial... never a NIK or a name
    origin: str         # where from: client IP, or "cli", "consumer"
    occurred_at: dt.datetime  # aware; stored and hashed in UTC


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(dt.timezone.utc)


def entry_hash(seq: int, entry: AuditEntry, prev_hash: str) -> str:
    """SHA-256 (hex) of the entry's canonical form.

    The canonical form is the compact JSON array
    `[seq, occurred_at, actor, role, action, record_type, record_id, origin, prev_hash]`
    with `occurred_at` in UTC as `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, encoded as UTF-8.
    It is a stored format: changing it invalidates every existing chain.
    """
    canonical = json.dumps(
        [seq, _utc(entry.occurred_at).isoformat(timespec="microseconds"), entry.actor, entry.role,
         entry.action, entry.record_type, entry.record_id, entry.origin, prev_hash],
        separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append_audit(conn: Connection, entries: Sequence[AuditEntry], table: sa.Table = AUDIT_LOG) -> None:
    """Append `entries` to the chain, in order, inside the caller's transaction."""
    if not entries:
        return
    for entry in entries:  # refuse bad input before queueing on the lock
        _check_lengths(entry, table)
        _utc(entry.occurred_at)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    head_query, insert = _statements(table)
    head = conn.execute(head_query).first()
    seq, prev_hash = (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)
    rows = []
    for entry in entries:
        seq += 1
        # Stored in UTC: SQLite drops the offset, so any other zone would read back shifted.
        occurred_at = _utc(entry.occurred_at)
        digest = entry_hash(seq, entry, prev_hash)
        rows.append({"seq": seq, "occurred_at": occurred_at, "actor": entry.actor, "role": entry.role,
                     "action": entry.action, "record_type": entry.record_type, "record_id": entry.record_id,
                     "origin": entry.origin, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    conn.execute(insert, rows)


_STATEMENTS: dict[sa.Table, tuple[sa.Select, sa.Insert]] = {}


def _statements(table: sa.Table) -> tuple[sa.Select, sa.Insert]:
    """The head query and the insert of an audit table, built once per table: every write
    transaction appends, and a statement built per call pays SQLAlchemy's cache key each time."""
    statements = _STATEMENTS.get(table)
    if statements is None:
        statements = _STATEMENTS[table] = (
            sa.select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1), table.insert())
    return statements


_TEXT_FIELDS = ("actor", "role", "action", "record_type", "record_id", "origin")


def _check_lengths(entry: AuditEntry, table: sa.Table) -> None:
    # PostgreSQL refuses an over-long value and SQLite silently keeps it; refuse it on both,
    # before the caller's commit, naming the field but not the value.
    for name in _TEXT_FIELDS:
        limit = table.c[name].type.length
        if limit is not None and len(getattr(entry, name)) > limit:
            raise ValueError(f"audit entry {name} is longer than {limit} characters")


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_hash: str            # hash of the last entry (GENESIS_HASH when empty)
    broken_at: int | None     # seq of the first entry whose link or hash is wrong
    problem: str              # "" when intact, else one English sentence naming the entry

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(engine: Engine, table: sa.Table = AUDIT_LOG, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in `seq` order and report the first broken link.

    Reads in keyset batches of `batch_size` (constant memory) inside one read-only
    transaction, so the walk sees one snapshot and does not hold SQLite's write lock.
    The walk goes on past a break to count every entry and report the real head.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    # Imported here: servicekit.db appends audit entries at commit and imports this module.
    from servicekit.db import READONLY

    count = 0
    last_seq: int | None = None
    last_hash = GENESIS_HASH
    broken_at: int | None = None
    problem = ""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            conn = conn.execution_options(**{READONLY: True})
        with conn.begin():
            while True:
                query = sa.select(table).order_by(table.c.seq).limit(batch_size)
                if last_seq is not None:
                    query = query.where(table.c.seq > last_seq)
                rows = conn.execute(query).all()
                for row in rows:
                    if broken_at is None:
                        broken_at, problem = _check(row, last_seq, last_hash)
                    count += 1
                    last_seq, last_hash = row.seq, row.hash
                if len(rows) < batch_size:
                    break
    return ChainReport(entries=count, head_hash=last_hash, broken_at=broken_at, problem=problem)


def _check(row: sa.Row, last_seq: int | None, last_hash: str) -> tuple[int | None, str]:
    """The first thing wrong with `row` given the entry before it, as (seq, sentence)."""
    expected = 1 if last_seq is None else last_seq + 1
    if row.seq != expected:
        if last_seq is None:
            return min(row.seq, 1), f"first entry is {row.seq}, expected 1"
        if row.seq == expected + 1:
            missing = f"entry {expected} is missing"
        else:
            missing = f"entries {expected} to {row.seq - 1} are missing"
        return expected, f"{missing} (sequence jumps from {last_seq} to {row.seq})"
    if row.prev_hash != last_hash:
        if last_seq is None:
            return row.seq, f"entry {row.seq}: previous hash is not the genesis hash"
        return row.seq, f"entry {row.seq}: previous hash does not match entry {last_seq}"
    occurred_at = row.occurred_at
    if occurred_at.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
        occurred_at = occurred_at.replace(tzinfo=dt.timezone.utc)
    entry = AuditEntry(actor=row.actor, role=row.role, action=row.action, record_type=row.record_type,
                       record_id=row.record_id, origin=row.origin, occurred_at=occurred_at)
    if entry_hash(row.seq, entry, row.prev_hash) != row.hash:
        return row.seq, f"entry {row.seq}: hash does not match its contents"
    return None, ""
