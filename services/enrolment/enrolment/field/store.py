"""The field device's local database (SQLite, stdlib): one file under the device's data dir.

Tables: `device` (its id, the server, the office), `regions` (the cached reference data) with
`complete_parents` (parents whose children are all cached: a code missing under one of them
does not exist; under any other parent it cannot be checked offline), and `items` (each
recording as the serialized RecordResidentRequest, with its status and the server's result).
The file holds personal data: its directory is 0700 and the file 0600.
"""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from enrolment import domain

SCHEMA_VERSION = 1
_SCHEMA = (
    "CREATE TABLE device (id INTEGER PRIMARY KEY CHECK (id = 1), device_id TEXT NOT NULL,"
    " server TEXT NOT NULL, office_code TEXT NOT NULL, ca_file TEXT NOT NULL DEFAULT '',"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL,"
    " parent_code TEXT NOT NULL, is_kelurahan INTEGER NOT NULL)",
    "CREATE TABLE complete_parents (parent_code TEXT PRIMARY KEY)",
    "CREATE TABLE items (seq INTEGER PRIMARY KEY AUTOINCREMENT, local_id TEXT NOT NULL UNIQUE,"
    " payload BLOB NOT NULL, status TEXT NOT NULL, register_number TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL DEFAULT '', duplicate_of TEXT NOT NULL DEFAULT '',"
    " violations TEXT NOT NULL DEFAULT '[]', message TEXT NOT NULL DEFAULT '',"
    " recorded_at TEXT NOT NULL, synced_at TEXT)",
    "CREATE INDEX items_by_status ON items (status, seq)",
)

PENDING = "PENDING"
# Results after which the officer may fix the recording and send it again (no receipt exists).
FIXABLE = frozenset({domain.SyncOutcome.INVALID.value, domain.SyncOutcome.NOT_ELIGIBLE.value,
                     domain.SyncOutcome.OUT_OF_SCOPE.value})
STATUSES = (PENDING, *(o.value for o in domain.SyncOutcome))


class StoreError(Exception):
    """The device store cannot do what was asked (not initialised, unknown local id...)."""


@dataclass(frozen=True)
class Device:
    device_id: str
    server: str
    office_code: str
    ca_file: str


@dataclass(frozen=True)
class Item:
    seq: int
    local_id: str
    payload: bytes
    status: str
    register_number: str = ""
    state: str = ""
    duplicate_of: str = ""
    violations: tuple[domain.Violation, ...] = ()
    message: str = ""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class FieldStore:
    DB_NAME = "field.db"

    def __init__(self, data_dir: pathlib.Path) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = data_dir / self.DB_NAME
        if not path.exists():
            path.touch(mode=0o600)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._migrate()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"database perangkat versi {version} lebih baru dari program ini; perbarui ektp.")
        if version < 1:
            with self._transaction() as db:
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # ---- the device ---------------------------------------------------------------------

    def init(self, server: str, office_code: str, device_id: str = "", ca_file: str = "") -> Device:
        """Set (or change) the server and office; the device id is kept once chosen."""
        current = self.device(required=False)
        chosen = current.device_id if current else (device_id or f"dev-{uuid.uuid4().hex[:16]}")
        with self._transaction() as db:
            db.execute("INSERT INTO device (id, device_id, server, office_code, ca_file, created_at)"
                       " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET server = excluded.server,"
                       " office_code = excluded.office_code, ca_file = excluded.ca_file",
                       (chosen, server, office_code, ca_file, _now()))
        return Device(chosen, server, office_code, ca_file)

    def device(self, *, required: bool = True) -> Device | None:
        row = self._db.execute("SELECT device_id, server, office_code, ca_file FROM device").fetchone()
        if row is None and required:
            raise StoreError("Perangkat belum disiapkan: jalankan `ektp field init` dahulu.")
        return Device(*row) if row else None

    # ---- regions --------------------------------------------------------------------------

    def cache_regions(self, children: dict[str, Sequence[domain.Region]]) -> int:
        """Replace the cached children of each parent (all of them: the parent becomes complete)."""
        with self._transaction() as db:
            for parent, regions in children.items():
                db.execute("DELETE FROM regions WHERE parent_code = ?", (parent,))
                db.executemany("INSERT OR REPLACE INTO regions VALUES (?, ?, ?, ?, ?)",
                               [(r.code, r.name, int(r.level), r.parent_code, int(r.is_kelurahan)) for r in regions])
                db.execute("INSERT OR IGNORE INTO complete_parents VALUES (?)", (parent,))
        return sum(len(r) for r in children.values())

    def region_levels(self, codes: Iterable[str]) -> dict[str, domain.RegionLevel]:
        """Levels for validation: a cached code has its level; a code under a complete parent
        that is not cached does not exist (left out); a code under a parent never fetched
        cannot be checked offline, so its shape decides and the server checks it at sync."""
        codes = sorted(set(codes))
        if not codes:
            return {}
        marks = ",".join("?" * len(codes))
        known = {code: domain.RegionLevel(level) for code, level in self._db.execute(
            f"SELECT code, level FROM regions WHERE code IN ({marks})", codes)}  # noqa: S608 - placeholders only
        complete = {p for (p,) in self._db.execute("SELECT parent_code FROM complete_parents")}
        for code in codes:
            level = domain.region_level(code)
            if code not in known and level is not None and domain.parent_of(code) not in complete:
                known[code] = level
        return known

    def region_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM regions").fetchone()[0]

    # ---- recordings --------------------------------------------------------------------------

    def add(self, payloads: Sequence[bytes]) -> list[str]:
        """Store recordings (serialized RecordResidentRequest) as PENDING; their new local ids."""
        ids = [uuid.uuid4().hex for _ in payloads]
        now = _now()
        with self._transaction() as db:
            db.executemany("INSERT INTO items (local_id, payload, status, recorded_at) VALUES (?, ?, ?, ?)",
                           [(i, p, PENDING, now) for i, p in zip(ids, payloads, strict=True)])
        return ids

    def fix(self, local_id: str, payload: bytes) -> None:
        """Replace a refused recording by its corrected version, PENDING again, same local id."""
        item = self.get(local_id)
        if item.status not in FIXABLE:
            raise StoreError(f"Perekaman {local_id} berstatus {item.status}: hanya yang ditolak "
                             "(INVALID, NOT_ELIGIBLE, OUT_OF_SCOPE) dapat diperbaiki.")
        with self._transaction() as db:
            db.execute("UPDATE items SET payload = ?, status = ?, violations = '[]', message = '' WHERE local_id = ?",
                       (payload, PENDING, local_id))

    def get(self, local_id: str) -> Item:
        row = self._db.execute(f"SELECT {_ITEM_COLUMNS} FROM items WHERE local_id = ?", (local_id,)).fetchone()  # noqa: S608
        if row is None:
            raise StoreError(f"Tidak ada perekaman dengan ID lokal {local_id}.")
        return _item(row)

    def pending(self, limit: int) -> list[Item]:
        rows = self._db.execute(f"SELECT {_ITEM_COLUMNS} FROM items WHERE status = ? ORDER BY seq LIMIT ?",  # noqa: S608
                                (PENDING, limit))
        return [_item(row) for row in rows]

    def items(self, status: str | None = None) -> list[Item]:
        query, args = f"SELECT {_ITEM_COLUMNS} FROM items", ()  # noqa: S608
        if status:
            query, args = query + " WHERE status = ?", (status,)
        return [_item(row) for row in self._db.execute(query + " ORDER BY seq", args)]

    def counts(self) -> dict[str, int]:
        found = dict(self._db.execute("SELECT status, count(*) FROM items GROUP BY status").fetchall())
        return {status: found.get(status, 0) for status in STATUSES}

    def save_results(self, results: Sequence[domain.SyncResult]) -> None:
        """The server's results, in one transaction. Only a PENDING item takes a result (a
        late result of an earlier stream never overwrites a fix made since)."""
        now = _now()
        with self._transaction() as db:
            db.executemany(
                "UPDATE items SET status = ?, register_number = ?, state = ?, duplicate_of = ?, violations = ?,"
                " message = ?, synced_at = ? WHERE local_id = ? AND status = ?",
                [(r.outcome.value, r.register_number, r.state.value if r.state else "", r.duplicate_of,
                  json.dumps([[v.field, v.description] for v in r.violations]), r.message, now, r.local_id, PENDING)
                 for r in results])


_ITEM_COLUMNS = "seq, local_id, payload, status, register_number, state, duplicate_of, violations, message"


def _item(row: tuple) -> Item:
    seq, local_id, payload, status, number, state, duplicate_of, violations, message = row
    return Item(seq, local_id, bytes(payload), status, number, state, duplicate_of,
                tuple(domain.Violation(f, d) for f, d in json.loads(violations)), message)


