"""Engines, the unit-of-work base and migrations. SQLite (embedded) and PostgreSQL.

SQLite: WAL, synchronous=FULL, foreign keys, `BEGIN IMMEDIATE` for writing units of work
(`BEGIN` for read-only ones). PostgreSQL: psycopg 3, READ COMMITTED.
"""
from __future__ import annotations

import datetime as dt
import logging
import pathlib
import threading
import weakref
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from servicekit.access import Principal
from servicekit.audit import AuditEntry, append_audit
from servicekit.outbox import EncodedEvent, append_events

log = logging.getLogger(__name__)

READONLY = "ektp_readonly"

# SQLite allows one writer at a time. Writers of one process queue on this lock, which wakes
# the next one at once, instead of meeting SQLITE_BUSY and sleeping in SQLite's busy handler
# (which backs off up to 100 ms and ruins tail latency); busy_timeout still covers writers in
# other processes.
_sqlite_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_engine(url: str, *, pool_size: int = 8) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=pool_size, max_overflow=8)

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            readonly = conn.get_execution_options().get(READONLY, False)
            conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        _sqlite_write_locks[engine] = threading.Lock()
        return engine
    return sa.create_engine(url, pool_size=pool_size, max_overflow=8, pool_pre_ping=True)



def check_database(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
        log.warning("database check failed", exc_info=True)
        return False


def run_migrations(url: str, script_location: pathlib.Path) -> None:
    """`alembic upgrade head` for one service, programmatically."""
    from alembic import command
    from alembic.config import Config

    url = normalise_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        pathlib.Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["url"] = url
    command.upgrade(config, "head")


class SqlUnitOfWork:
    """One transaction. Rolls back unless `commit()` was called.

    Subclasses create their repositories in `_open(connection)`. Domain events added with
    `add_event` are encoded and written to the outbox, and audit entries added with `audit`
    are chained onto the audit log, inside the same transaction at `commit()`: a change and
    its record of who made it commit together or not at all. `after_commit` callbacks run
    once the commit has succeeded.
    """

    def __init__(self, engine: Engine, *, readonly: bool = False,
                 encode_event: Callable[[object], EncodedEvent] | None = None,
                 after_commit: Callable[[], None] | None = None,
                 audit_log: sa.Table | None = None) -> None:
        self.engine = engine
        self.readonly = readonly
        self._encode_event = encode_event
        self._after_commit = after_commit
        self._audit_log = audit_log
        self.connection: Connection | None = None

    def __enter__(self):
        self._write_lock = None if self.readonly else _sqlite_write_locks.get(self.engine)
        if self._write_lock is not None:
            self._write_lock.acquire()
        try:
            conn = self.engine.connect()
            if self.readonly:
                conn = conn.execution_options(**{READONLY: True})
            self.connection = conn
            self._transaction = conn.begin()
            self._committed = False
            self._events: list[object] = []
            self._audit_entries: list[AuditEntry] = []
            self._open(conn)
        except BaseException:
            if self.connection is not None:
                self.connection.close()
                self.connection = None
            self._release()
            raise
        return self

    def _open(self, connection: Connection) -> None:  # pragma: no cover - overridden
        pass

    def add_event(self, event: object) -> None:
        if self._encode_event is None:
            raise RuntimeError("this unit of work has no outbox")
        self._events.append(event)

    def audit(self, actor: Principal, action: str, record_type: str, record_id: str) -> None:
        """Record who did what to which record, from where; chained at commit."""
        if self._audit_log is None or self.readonly:
            raise RuntimeError("this unit of work cannot write the audit log")
        self._audit_entries.append(AuditEntry(
            actor=actor.subject, role=actor.role.value, action=action, record_type=record_type,
            record_id=record_id, origin=actor.origin or "-", occurred_at=dt.datetime.now(dt.timezone.utc)))

    def commit(self) -> None:
        assert self.connection is not None
        if self._events:
            append_events(self.connection, [self._encode_event(e) for e in self._events])
            self._events.clear()
        if self._audit_entries:
            assert self._audit_log is not None
            append_audit(self.connection, self._audit_entries, self._audit_log)
            self._audit_entries.clear()
        self._transaction.commit()
        self._committed = True
        if self._after_commit is not None:
            self._after_commit()

    def rollback(self) -> None:
        self._transaction.rollback()

    def __exit__(self, *exc_info: object) -> None:
        try:
            if not self._committed and self._transaction.is_active:
                self._transaction.rollback()
        finally:
            assert self.connection is not None
            self.connection.close()
            self.connection = None
            self._release()

    def _release(self) -> None:
        if self._write_lock is not None:
            self._write_lock.release()
            self._write_lock = None
