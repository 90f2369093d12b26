"""`ektp reporting rebuild [--check]`: the read models replayed from every feed.

`rebuild` replays each producer's feed from sequence 0 into fresh tables built aside (a
temporary SQLite database migrated to head), then swaps them in: one transaction empties the
live read models, inbox and cursors and copies the rebuilt ones in. Run it with the reporting
consumers stopped (a Job, like the migrations): events they fold during the replay would be
overwritten, and are folded again from the rebuilt cursor afterwards.

`rebuild --check` replays each feed up to the live cursor into the aside tables and compares
them with the live ones, table by table; it prints a summary of the differences and exits 1
when there is any, 0 when they are equal. The comparison hashes rows into buckets by primary
key on both sides (streaming, in any order) and reads in full only the rows of buckets that
differ, so it needs little memory even with millions of recordings.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import logging
import pathlib
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import grpc
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ektp.events.v1 import events_pb2
from reporting import db
from reporting.bootstrap import MIGRATIONS
from reporting.clients import ProducerFeeds
from reporting.events import decode
from reporting.service import ReportingService
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit import outbox
from servicekit.cli import Command
from servicekit.config import SecuritySettings
from servicekit.db import create_engine, run_migrations
from servicekit.security import Security

log = logging.getLogger(__name__)

TABLES = (*db.READ_MODELS, db.feed_cursors)          # compared by --check
COPIED = (*db.READ_MODELS, db.inbox, db.feed_cursors)  # swapped in by rebuild
BATCH = 500
BUCKETS = 4096
CHUNK = 5000
EXAMPLES = 5


# ---- replay ------------------------------------------------------------------------------

def replay(service: ReportingService, feeds: ProducerFeeds, *, up_to: Mapping[str, int] | None = None,
           deadline: float = 120.0) -> dict[str, int]:
    """Replay every feed from sequence 0 (up to `up_to[feed]` when given) into `service`;
    returns the last sequence folded per feed. A stream that reaches its deadline resumes."""
    last_folded = {}
    for feed in feeds.names:
        limit = up_to.get(feed, 0) if up_to is not None else None
        last, done = 0, limit == 0
        while not done:
            request = events_pb2.StreamEventsRequest(after_sequence=last, follow=False)
            stream = feeds.opener(feed)(request, deadline)
            pending: list[Any] = []
            try:
                done = True
                for response in stream:
                    if limit is not None and response.event.sequence > limit:
                        stream.cancel()
                        break
                    pending.append(decode(feed, response.event))
                    last = response.event.sequence
                    if len(pending) >= BATCH:
                        service.apply_batch(pending)
                        pending = []
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                    raise
                done = False
            service.apply_batch(pending)
            done = done or (limit is not None and last >= limit)
        last_folded[feed] = last
        log.info("feed %s replayed up to sequence %d", feed, last)
    return last_folded


# ---- comparison --------------------------------------------------------------------------

def _normal(value: Any) -> Any:
    """One form for what the two databases return: aware UTC datetimes, plain ints."""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    return value


def _rows(engine: Engine, table: sa.Table) -> Iterator[tuple[tuple, tuple]]:
    """(primary key, normalised row) of every row, streamed."""
    keys = [column.name for column in table.primary_key.columns]
    names = [column.name for column in table.columns]
    with engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=CHUNK).execute(sa.select(table)):
            values = row._mapping
            yield tuple(_normal(values[k]) for k in keys), tuple(_normal(values[n]) for n in names)


def _bucket(key: tuple) -> int:
    return hash(key) % BUCKETS


def _digests(engine: Engine, table: sa.Table) -> dict[int, tuple[int, int]]:
    """Per bucket of primary keys: the row count and a sum of row hashes."""
    found: dict[int, tuple[int, int]] = {}
    for key, row in _rows(engine, table):
        count, total = found.get(_bucket(key), (0, 0))
        found[_bucket(key)] = (count + 1, (total + hash(row)) % (1 << 64))
    return found


def _rows_in(engine: Engine, table: sa.Table, buckets: set[int]) -> dict[tuple, tuple]:
    return {key: row for key, row in _rows(engine, table) if _bucket(key) in buckets}


@dataclasses.dataclass(frozen=True)
class TableDifference:
    table: str
    only_live: list[tuple]
    only_rebuilt: list[tuple]
    changed: list[tuple[tuple, list[tuple[str, Any, Any]]]]   # key, [(column, live, rebuilt)]

    def summary(self) -> list[str]:
        lines = [f"{self.table}: {len(self.only_live)} rows only in live, {len(self.only_rebuilt)} only in "
                 f"rebuilt, {len(self.changed)} differ"]
        lines += [f"  only in live: {_key(key)}" for key in self.only_live[:EXAMPLES]]
        lines += [f"  only in rebuilt: {_key(key)}" for key in self.only_rebuilt[:EXAMPLES]]
        for key, columns in self.changed[:EXAMPLES]:
            lines.append(f"  {_key(key)}: " + ", ".join(f"{name} live={live!r} rebuilt={rebuilt!r}"
                                                          for name, live, rebuilt in columns))
        return lines


def _key(key: tuple) -> str:
    return "/".join(str(part) for part in key)


def compare(live: Engine, rebuilt: Engine, tables: Sequence[sa.Table] = TABLES) -> list[TableDifference]:
    """The tables that differ between the live and the rebuilt read models."""
    differences = []
    for table in tables:
        live_digest, rebuilt_digest = _digests(live, table), _digests(rebuilt, table)
        buckets = {b for b in live_digest.keys() | rebuilt_digest.keys() if live_digest.get(b) != rebuilt_digest.get(b)}
        if not buckets:
            continue
        live_rows, rebuilt_rows = _rows_in(live, table, buckets), _rows_in(rebuilt, table, buckets)
        names = [column.name for column in table.columns]
        changed = [(key, [(n, a, b) for n, a, b in zip(names, live_rows[key], rebuilt_rows[key], strict=True)
                          if a != b])
                   for key in sorted(live_rows.keys() & rebuilt_rows.keys(), key=repr)
                   if live_rows[key] != rebuilt_rows[key]]
        differences.append(TableDifference(table.name, sorted(live_rows.keys() - rebuilt_rows.keys(), key=repr),
                                           sorted(rebuilt_rows.keys() - live_rows.keys(), key=repr), changed))
    return differences


# ---- swap --------------------------------------------------------------------------------

def swap(live: Engine, rebuilt: Engine) -> None:
    """Replace the live read models, inbox and cursors by the rebuilt ones, in one transaction."""
    with live.begin() as target:
        for table in reversed(COPIED):
            target.execute(table.delete())
        for table in COPIED:
            with rebuilt.connect() as source:
                result = source.execution_options(stream_results=True, yield_per=CHUNK).execute(sa.select(table))
                for chunk in result.mappings().partitions(CHUNK):
                    target.execute(table.insert(), [dict(row) for row in chunk])


# ---- the command -------------------------------------------------------------------------

def rebuild(live: Engine, feeds: ProducerFeeds, *, check: bool, workdir: pathlib.Path,
            out=print) -> int:
    """Replay aside; with `check`, compare with live (exit 1 on any difference), else swap in."""
    url = f"sqlite:///{workdir / 'reporting-rebuild.db'}"
    run_migrations(url, MIGRATIONS)
    aside = create_engine(url)
    try:
        up_to = {feed: outbox.read_cursor(live, feed) for feed in feeds.names} if check else None
        service = ReportingService(functools.partial(ReportingUnitOfWork, aside))
        replayed = replay(service, feeds, up_to=up_to)
        positions = ", ".join(f"{feed} {sequence}" for feed, sequence in replayed.items())
        if not check:
            swap(live, aside)
            out(f"reporting: read models rebuilt from the feeds ({positions})")
            return 0
        differences = compare(live, aside)
        if not differences:
            out(f"reporting: read models match a replay of the feeds ({positions})")
            return 0
        out(f"reporting: read models DIFFER from a replay of the feeds ({positions}):")
        for difference in differences:
            for line in difference.summary():
                out(line)
        return 1
    finally:
        aside.dispose()


def _run(args: argparse.Namespace, settings: Any) -> int:
    security = Security.load("reporting", settings.security or SecuritySettings.demo(settings.var_dir, "reporting"))
    feeds = ProducerFeeds(settings.feed_targets, open_channel=security.channel)
    live = create_engine(settings.database_url)
    try:
        with tempfile.TemporaryDirectory(prefix="reporting-rebuild-") as workdir:
            return rebuild(live, feeds, check=args.check, workdir=pathlib.Path(workdir))
    finally:
        feeds.close()
        live.dispose()


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="compare a replay with the live read models; exit 1 on any difference")


COMMAND = Command("rebuild", "replay every feed into fresh read models and swap them in (--check: compare only)",
                  _run, _arguments)
