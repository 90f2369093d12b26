"""Audit log on both databases: chained, append-only, and tampering is found at the right entry."""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading

import pytest
import sqlalchemy as sa

from servicekit import audit, outbox
from servicekit.audit import AUDIT_LOG, AuditEntry, append_audit, entry_hash, verify_chain
from servicekit.db import create_engine

T0 = dt.datetime(2025, 3, 1, 8, 30, 0, 123456, tzinfo=dt.timezone.utc)
GENESIS = "0" * 64


def _audit_engine(url: str):
    engine = create_engine(url)
    metadata = sa.MetaData()
    audit.define_audit_log(metadata)
    metadata.create_all(engine)
    with engine.begin() as conn:
        audit.install_append_only(conn)
    return engine


@pytest.fixture
def engine(database_url):
    engine = _audit_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(postgres_server):
    engine = _audit_engine(postgres_server.create_database())
    yield engine
    engine.dispose()


def _entry(n: int, **changes) -> AuditEntry:
    fields = dict(actor="petugas.andi", role="officer", action="recording.read", record_type="recording",
                  record_id=f"REG-{n:06d}", origin="10.0.0.7", occurred_at=T0 + dt.timedelta(seconds=n))
    fields.update(changes)
    return AuditEntry(**fields)


def _append(engine, count: int, start: int = 1) -> None:
    with engine.begin() as conn:
        append_audit(conn, [_entry(n) for n in range(start, start + count)])


def _stored(engine) -> list[sa.Row]:
    with engine.connect() as conn:
        return conn.execute(sa.select(AUDIT_LOG).order_by(AUDIT_LOG.c.seq)).all()


def _tamper(engine, statement: str | sa.Executable, params: dict | None = None) -> None:
    """Run `statement` past the append-only triggers, as a database superuser could."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute(sa.text(statement) if isinstance(statement, str) else statement, params or {})


# ---- hashing ------------------------------------------------------------------------

def test_entry_hash_is_sha256_of_the_documented_canonical_json():
    entry = _entry(0, actor="petugas.ñoman", record_id="DOC-7")
    canonical = ('[3,"2025-03-01T08:30:00.123456+00:00","petugas.ñoman","officer","recording.read",'
                 '"recording","DOC-7","10.0.0.7","' + "a" * 64 + '"]')
    assert entry_hash(3, entry, "a" * 64) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_entry_hash_is_the_same_instant_in_any_zone_and_changes_with_every_field():
    wib = dt.timezone(dt.timedelta(hours=7))
    entry = _entry(1)
    assert entry_hash(1, entry, GENESIS) == entry_hash(1, _entry(1, occurred_at=entry.occurred_at.astimezone(wib)),
                                                       GENESIS)
    base = entry_hash(1, entry, GENESIS)
    variants = [entry_hash(2, entry, GENESIS), entry_hash(1, entry, "f" * 64),
                entry_hash(1, _entry(1, occurred_at=entry.occurred_at + dt.timedelta(microseconds=1)), GENESIS)]
    variants += [entry_hash(1, _entry(1, **{name: "x"}), GENESIS)
                 for name in ("actor", "role", "action", "record_type", "record_id", "origin")]
    assert base not in variants and len(set(variants)) == len(variants)


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError):
        entry_hash(1, _entry(1, occurred_at=dt.datetime(2025, 3, 1, 8, 30)), GENESIS)


def test_audit_lock_is_not_the_outbox_lock():
    assert audit._AUDIT_LOCK_KEY != outbox._OUTBOX_LOCK_KEY


# ---- appending and verifying --------------------------------------------------------

def test_empty_log_is_intact_with_the_genesis_head(engine):
    report = verify_chain(engine)
    assert report.ok and report.entries == 0 and report.head_hash == GENESIS
    assert report.broken_at is None and report.problem == ""


def test_appended_entries_form_a_chain_that_verifies(engine):
    _append(engine, 3)
    _append(engine, 2, start=4)
    rows = _stored(engine)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(rows))
    assert rows[2].record_id == "REG-000003" and rows[2].actor == "petugas.andi"
    report = verify_chain(engine)
    assert report.ok and report.entries == 5 and report.head_hash == rows[-1].hash and report.problem == ""


def test_a_rolled_back_append_leaves_no_gap(engine):
    _append(engine, 2)
    with engine.connect() as conn:
        with conn.begin() as transaction:
            append_audit(conn, [_entry(99)])
            transaction.rollback()
    _append(engine, 1, start=3)
    assert [r.record_id for r in _stored(engine)] == ["REG-000001", "REG-000002", "REG-000003"]
    assert verify_chain(engine).ok


def test_an_over_long_field_is_refused_on_both_databases_and_nothing_is_written(engine):
    with pytest.raises(ValueError, match="record_id"):
        with engine.begin() as conn:
            append_audit(conn, [_entry(1), _entry(2, record_id="R" * 121)])
    assert _stored(engine) == []


def test_entries_stamped_in_another_zone_verify_after_the_round_trip(engine):
    wib = dt.timezone(dt.timedelta(hours=7))
    with engine.begin() as conn:
        append_audit(conn, [_entry(1, occurred_at=T0.astimezone(wib))])
    row = _stored(engine)[0]
    stored = row.occurred_at if row.occurred_at.tzinfo else row.occurred_at.replace(tzinfo=dt.timezone.utc)
    assert stored == T0
    assert verify_chain(engine).ok


def test_concurrent_appenders_build_one_unbroken_chain(engine):
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for i in range(25):
                with engine.begin() as conn:
                    append_audit(conn, [_entry(worker * 1000 + i)])
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_chain(engine)
    assert report.ok, report.problem
    assert report.entries == 100
    assert len({r.record_id for r in _stored(engine)}) == 100


@pytest.mark.parametrize("batch_size", [1, 4, 5, 100])
def test_verification_carries_the_chain_across_batches(engine, batch_size):
    _append(engine, 10)
    _tamper(engine, "UPDATE audit_log SET origin = 'cli' WHERE seq = 6")
    report = verify_chain(engine, batch_size=batch_size)
    assert (report.entries, report.broken_at) == (10, 6)
    assert report.head_hash == _stored(engine)[-1].hash


def test_twelve_thousand_entries_verify_in_batches(engine):
    _append(engine, 12_000)
    report = verify_chain(engine, batch_size=5000)
    assert report.ok and report.entries == 12_000
    assert report.head_hash == _stored(engine)[-1].hash
    _rewrite_with_hash(engine, 5000, actor="someone.else")  # last entry of the first batch
    report = verify_chain(engine, batch_size=5000)
    assert (report.entries, report.broken_at) == (12_000, 5001)
    assert report.problem == "entry 5001: previous hash does not match entry 5000"


def test_verification_does_not_wait_for_an_open_write_transaction(engine):
    _append(engine, 3)
    with engine.begin() as conn:
        append_audit(conn, [_entry(4)])  # uncommitted: holds SQLite's write lock
        report = verify_chain(engine)
    assert report.ok and report.entries == 3


# ---- the triggers -------------------------------------------------------------------

def test_update_is_refused(engine):
    _append(engine, 2)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with engine.begin() as conn:
            conn.execute(AUDIT_LOG.update().where(AUDIT_LOG.c.seq == 1).values(actor="someone.else"))
    assert _stored(engine)[0].actor == "petugas.andi"


def test_delete_is_refused(engine):
    _append(engine, 2)
    for statement in (AUDIT_LOG.delete().where(AUDIT_LOG.c.seq == 2), AUDIT_LOG.delete()):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(statement)
    assert len(_stored(engine)) == 2


def test_truncate_is_refused_on_postgresql(pg_engine):   # SQLite has no TRUNCATE
    _append(pg_engine, 2)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with pg_engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE audit_log")
    assert len(_stored(pg_engine)) == 2


def test_install_append_only_creates_the_documented_triggers(engine):
    if engine.dialect.name == "postgresql":
        query = ("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal")
        expected = {"audit_log_append_only", "audit_log_no_truncate"}
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        expected = {"audit_log_no_update", "audit_log_no_delete"}
    with engine.connect() as conn:
        assert {r[0] for r in conn.exec_driver_sql(query)} == expected


# ---- tampering past the triggers ----------------------------------------------------

def _rewrite_with_hash(engine, seq: int, **changes) -> None:
    """Change an entry and recompute its own hash, as a careful attacker would."""
    row = _stored_row(engine, seq)
    fields = {name: getattr(row, name) for name in
              ("actor", "role", "action", "record_type", "record_id", "origin", "occurred_at")}
    if fields["occurred_at"].tzinfo is None:
        fields["occurred_at"] = fields["occurred_at"].replace(tzinfo=dt.timezone.utc)
    prev_hash = changes.get("prev_hash", row.prev_hash)
    fields.update({name: value for name, value in changes.items() if name != "prev_hash"})
    new_hash = entry_hash(seq, AuditEntry(**fields), prev_hash)
    _tamper(engine, AUDIT_LOG.update().where(AUDIT_LOG.c.seq == seq).values(**changes, hash=new_hash))


def _stored_row(engine, seq: int) -> sa.Row:
    with engine.connect() as conn:
        return conn.execute(sa.select(AUDIT_LOG).where(AUDIT_LOG.c.seq == seq)).one()


@pytest.mark.parametrize("column, value", [
    ("actor", "someone.else"), ("role", "admin"), ("action", "recording.create"), ("record_type", "document"),
    ("record_id", "REG-999999"), ("origin", "cli"), ("occurred_at", T0 + dt.timedelta(days=1)),
])
def test_a_changed_field_is_reported_at_its_entry(engine, column, value):
    _append(engine, 6)
    _tamper(engine, AUDIT_LOG.update().where(AUDIT_LOG.c.seq == 4).values({column: value}))
    report = verify_chain(engine)
    assert not report.ok
    assert (report.broken_at, report.entries) == (4, 6)
    assert report.problem == "entry 4: hash does not match its contents"


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(engine):
    _append(engine, 6)
    _rewrite_with_hash(engine, 3, actor="someone.else")
    report = verify_chain(engine)
    assert report.broken_at == 4
    assert report.problem == "entry 4: previous hash does not match entry 3"


def test_a_changed_previous_hash_is_reported_as_a_broken_link(engine):
    _append(engine, 3)
    _tamper(engine, "UPDATE audit_log SET prev_hash = :h WHERE seq = 2", {"h": "f" * 64})
    report = verify_chain(engine)
    assert report.broken_at == 2
    assert report.problem == "entry 2: previous hash does not match entry 1"


def test_a_deleted_middle_entry_is_reported_missing(engine):
    _append(engine, 20)
    _tamper(engine, "DELETE FROM audit_log WHERE seq = 12")
    report = verify_chain(engine)
    assert (report.broken_at, report.entries) == (12, 19)
    assert report.problem == "entry 12 is missing (sequence jumps from 11 to 13)"


def test_several_deleted_entries_are_reported_as_a_range(engine):
    _append(engine, 20)
    _tamper(engine, "DELETE FROM audit_log WHERE seq BETWEEN 12 AND 14")
    report = verify_chain(engine)
    assert report.broken_at == 12
    assert report.problem == "entries 12 to 14 are missing (sequence jumps from 11 to 15)"


def test_a_deleted_first_entry_is_reported(engine):
    _append(engine, 3)
    _tamper(engine, "DELETE FROM audit_log WHERE seq = 1")
    report = verify_chain(engine)
    assert report.broken_at == 1
    assert report.problem == "first entry is 2, expected 1"


def test_a_first_entry_not_linked_to_genesis_is_reported(engine):
    _append(engine, 2)
    _rewrite_with_hash(engine, 1, prev_hash="e" * 64)
    report = verify_chain(engine)
    assert report.broken_at == 1
    assert report.problem == "entry 1: previous hash is not the genesis hash"


def test_only_the_first_break_is_reported(engine):
    _append(engine, 8)
    _tamper(engine, "UPDATE audit_log SET origin = 'cli' WHERE seq IN (3, 6)")
    report = verify_chain(engine)
    assert (report.broken_at, report.entries) == (3, 8)
