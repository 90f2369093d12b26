"""Transactional outbox (producer side) and inbox + cursor (consumer side).

Producers write events in the same transaction as the state change. On PostgreSQL the
append takes a transaction-scoped advisory lock so that sequence order equals commit
order and a follower reading `sequence > cursor` can never skip a late commit; SQLite's
BEGIN IMMEDIATE already serialises writers.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

_OUTBOX_LOCK_KEY = 0x656B7470  # "ektp"

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


@dataclass(frozen=True)
class EncodedEvent:
    type: str             # full protobuf name of the payload
    region_code: str
    payload: bytes        # serialised payload message
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


@dataclass(frozen=True)
class StoredEvent:
    sequence: int
    event_id: str
    type: str
    occurred_at: dt.datetime
    region_code: str
    payload: bytes


def define_outbox(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "outbox", metadata,
        sa.Column("sequence", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("type", sa.String(120), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )


def define_inbox(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    inbox = sa.Table(
        "inbox", metadata,
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("feed", sa.String(40), nullable=False),
        sa.Column("sequence", BigId, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    cursors = sa.Table(
        "feed_cursors", metadata,
        sa.Column("feed", sa.String(40), primary_key=True),
        sa.Column("sequence", BigId, nullable=False),
    )
    return inbox, cursors


_outbox_meta = sa.MetaData()
OUTBOX = define_outbox(_outbox_meta)
_inbox_meta = sa.MetaData()
INBOX, FEED_CURSORS = define_inbox(_inbox_meta)


_INSERT_EVENTS = OUTBOX.insert()   # built once: every write transaction appends


def append_events(conn: Connection, events: list[EncodedEvent]) -> None:
    if not events:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _OUTBOX_LOCK_KEY})
    conn.execute(_INSERT_EVENTS, [
        {"event_id": e.event_id, "type": e.type, "occurred_at": e.occurred_at,
         "region_code": e.region_code, "payload": e.payload} for e in events])


def read_events(engine: Engine, after_sequence: int, limit: int) -> list[StoredEvent]:
    query = (sa.select(OUTBOX).where(OUTBOX.c.sequence > after_sequence)
             .order_by(OUTBOX.c.sequence).limit(limit))
    with engine.connect() as conn:
        return [StoredEvent(r.sequence, r.event_id, r.type, _aware(r.occurred_at), r.region_code, r.payload)
                for r in conn.execute(query)]


def last_sequence(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(OUTBOX.c.sequence), 0))).scalar_one()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


# ---- consumer side -----------------------------------------------------------------

def already_applied(conn: Connection, event_id: str) -> bool:
    return conn.execute(sa.select(INBOX.c.event_id).where(INBOX.c.event_id == event_id)).first() is not None


def mark_applied(conn: Connection, feed: str, event_id: str, sequence: int) -> None:
    """Record the event in the inbox and move the feed's cursor, in the caller's transaction."""
    conn.execute(INBOX.insert().values(event_id=event_id, feed=feed, sequence=sequence,
                                       applied_at=dt.datetime.now(dt.timezone.utc)))
    updated = conn.execute(FEED_CURSORS.update().where(FEED_CURSORS.c.feed == feed)
                           .where(FEED_CURSORS.c.sequence < sequence).values(sequence=sequence))
    if updated.rowcount == 0:
        exists = conn.execute(sa.select(FEED_CURSORS.c.feed).where(FEED_CURSORS.c.feed == feed)).first()
        if exists is None:
            conn.execute(FEED_CURSORS.insert().values(feed=feed, sequence=sequence))


def read_cursor(engine: Engine, feed: str) -> int:
    with engine.connect() as conn:
        value = conn.execute(sa.select(FEED_CURSORS.c.sequence).where(FEED_CURSORS.c.feed == feed)).scalar()
    return value or 0


class Inbox:
    """A consumer's inbox and feed cursors as a repository, in the unit of work's transaction."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def already_applied(self, event_id: str) -> bool:
        return already_applied(self._conn, event_id)

    def mark_applied(self, feed: str, event_id: str, sequence: int) -> None:
        mark_applied(self._conn, feed, event_id, sequence)
