"""Rows <-> read-model dataclasses, the inbox, and the coverage aggregates (done in SQL)."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from reporting import db
from reporting.domain import (
    COUNTERS,
    ChildTargets,
    CounterKey,
    DocumentFact,
    DocumentKind,
    Drive,
    FactCounts,
    OfficeStock,
    ProcurementPackage,
    ProcurementStatus,
    RecordingFact,
    RegionTarget,
    StockOutPeriod,
    VoterCounts,
    grandchild_length,
)
from reporting.errors import FoldCollision

T = TypeVar("T")


@functools.cache
def _keyed_statements(table: sa.Table) -> tuple[sa.Select, sa.Select, sa.Update, sa.Insert]:
    """Select, select for update, update and insert of one row by its key, with bound
    parameters: built once, so a fold spends its time in the database, not building SQL."""
    key = next(iter(table.primary_key.columns))
    select = sa.select(table).where(key == sa.bindparam("_key"))
    update = (table.update().where(key == sa.bindparam("_key"))
              .values({column.name: sa.bindparam(column.name) for column in table.columns}))
    return select, select.with_for_update(), update, table.insert()


@functools.cache
def _increment(table: sa.Table, keys: tuple[str, ...], names: tuple[str, ...]) -> tuple[sa.Update, sa.Delete]:
    """Add `_d_<name>` to each counter of the row keyed by `keys`; delete the row when all zero."""
    where = sa.and_(*(table.c[k] == sa.bindparam(f"_k_{k}") for k in keys))
    update = table.update().where(where).values({n: table.c[n] + sa.bindparam(f"_d_{n}") for n in names})
    zero = table.delete().where(where, *(column == 0 for column in table.columns if column.name not in keys))
    return update, zero


@contextlib.contextmanager
def _collisions() -> Iterator[None]:
    """A duplicate key on insert: another transaction got there first."""
    try:
        yield
    except sa.exc.IntegrityError as err:
        raise FoldCollision() from err


class KeyedRepository(Generic[T]):
    """Get and save one read model by its single-column primary key."""

    table: ClassVar[sa.Table]
    model: ClassVar[type]
    converters: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}     # column value -> field value
    to_row: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}         # field value -> column value

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self._key = next(iter(self.table.primary_key.columns))

    def get(self, key: Any, *, for_update: bool = False) -> T | None:
        """`for_update`: lock the row until the transaction ends (PostgreSQL; SQLite's writers
        are serialised already), so a concurrent fold reads it only after this one commits."""
        select, select_for_update, _, _ = _keyed_statements(self.table)
        row = self._conn.execute(select_for_update if for_update else select, {"_key": key}).first()
        return None if row is None else self._to_model(row._mapping)

    def list(self) -> list[T]:
        rows = self._conn.execute(sa.select(self.table).order_by(self._key))
        return [self._to_model(row._mapping) for row in rows]

    def save(self, item: T) -> None:
        """Update the row, or insert it when there is none."""
        if not self.update(item):
            self.insert(item)

    def insert(self, item: T) -> None:
        """A new row; FoldCollision when a concurrent transaction inserted the same key."""
        with _collisions():
            self._conn.execute(_keyed_statements(self.table)[3], self._values(item))

    def update(self, item: T) -> bool:
        """Change the existing row; False when there is none."""
        values = self._values(item)
        return self._conn.execute(_keyed_statements(self.table)[2], {**values, "_key": values[self._key.name]}
                                  ).rowcount > 0

    def _values(self, item: T) -> dict[str, Any]:
        values = {name: value.value if isinstance(value, enum.Enum) else value
                  for name, value in dataclasses.asdict(item).items()}
        for name, convert in self.to_row.items():
            values[name] = convert(values[name])
        return values

    def _to_model(self, row: Mapping[str, Any]) -> T:
        values = {name: _aware(value) for name, value in row.items()}
        for name, convert in self.converters.items():
            values[name] = convert(values[name])
        return self.model(**values)


def _aware(value: Any) -> Any:
    """SQLite returns naive datetimes; everything stored is UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


class TargetRepository(KeyedRepository[RegionTarget]):
    table, model = db.region_targets, RegionTarget


class RecordingRepository(KeyedRepository[RecordingFact]):
    table, model = db.recording_facts, RecordingFact


class DocumentRepository(KeyedRepository[DocumentFact]):
    table, model = db.document_facts, DocumentFact
    converters = {"kind": DocumentKind}

    def for_register(self, register_number: str) -> list[DocumentFact]:
        """Every document issued for one recording."""
        d = self.table
        rows = self._conn.execute(sa.select(d).where(d.c.register_number == register_number).order_by(d.c.document_id))
        return [self._to_model(row._mapping) for row in rows]


class StockRepository(KeyedRepository[OfficeStock]):
    table, model = db.stock_board, OfficeStock


class ProcurementRepository(KeyedRepository[ProcurementPackage]):
    table, model = db.procurement_board, ProcurementPackage
    converters = {"status": ProcurementStatus}


class DriveRepository(KeyedRepository[Drive]):
    table, model = db.drives, Drive
    converters = {"village_codes": lambda joined: tuple(code for code in joined.split(",") if code)}
    to_row = {"village_codes": ",".join}


class Counters:
    """The per-region counters (totals and per day) and the per-office stock days, changed
    by deltas in the fold's transaction."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def apply(self, delta: Mapping[CounterKey, int]) -> None:
        """Add a counter delta (domain.counter_delta) to the totals and the daily rows."""
        rows: dict[tuple[str, dt.date | None], dict[str, int]] = {}
        for (region, day, name), value in delta.items():
            rows.setdefault((region, day), {})[name] = value
        for (region, day), changes in sorted(rows.items(), key=lambda item: (item[0][0], item[0][1] or dt.date.min)):
            if day is None:
                self._add(db.coverage_counts, {"region_code": region}, changes)
            else:
                self._add(db.coverage_daily, {"region_code": region, "day": day}, changes)

    def add_consumed(self, office_code: str, day: dt.date, quantity: int = 1) -> None:
        self._add(db.stock_daily, {"office_code": office_code, "day": day}, {"consumed": quantity})

    def add_stock_out(self, period: StockOutPeriod) -> None:
        t = db.stock_out_periods
        key = sa.and_(t.c.office_code == period.office_code, t.c.started_on == period.started_on)
        if self._conn.execute(t.update().where(key).values(ended_on=period.ended_on)).rowcount == 0:
            self._conn.execute(t.insert().values(dataclasses.asdict(period)))

    def _add(self, table: sa.Table, key: dict[str, Any], changes: Mapping[str, int]) -> None:
        """Add to a counter row (created when missing); a row a decrease leaves all zero is
        deleted, so the counters hold the same rows whatever order the feeds arrived in."""
        update, zero = _increment(table, tuple(key), tuple(sorted(changes)))
        params = {**{f"_k_{k}": v for k, v in key.items()}, **{f"_d_{n}": v for n, v in changes.items()}}
        if self._conn.execute(update, params).rowcount == 0:
            with _collisions():
                self._conn.execute(table.insert(), {**key, **changes})
        elif any(value < 0 for value in changes.values()):
            self._conn.execute(zero, params)


# ---- aggregates ------------------------------------------------------------------------

def _prefix(column: sa.Column, length: int) -> ColumnElement:
    # Literal arguments so that SELECT and GROUP BY render the same expression on PostgreSQL.
    return sa.func.substr(column, sa.literal_column("1"), sa.literal_column(str(int(length))))


def _under(column: sa.Column, code: str) -> ColumnElement:
    """Codes strictly under `code`, as a key range ('.' sorts right before '/'), so the index
    on the column serves it on both databases."""
    return sa.and_(column > code + ".", column < code + "/")


def _below(column: sa.Column, parent: str | None, min_length: int) -> ColumnElement:
    """Codes strictly under `parent` (all codes when None) that reach `min_length`."""
    deep_enough = sa.func.length(column) >= min_length
    return deep_enough if parent is None else sa.and_(_under(column, parent), deep_enough)


def _within(column: sa.Column, code: str) -> ColumnElement:
    return sa.or_(column == code, _under(column, code))


def _count_if(condition: ColumnElement) -> ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _sum(column: sa.Column) -> ColumnElement:
    return sa.func.coalesce(sa.func.sum(column), 0)


_ALL = "*"


def _grouped(group: ColumnElement | None, where: ColumnElement, *columns: ColumnElement) -> sa.Select:
    """Aggregates per `group` value, or one row keyed `_ALL` when `group` is None."""
    if group is None:
        return sa.select(sa.literal_column(f"'{_ALL}'").label("child"), *columns).where(where)
    return sa.select(group.label("child"), *columns).where(where).group_by(group)


class CoverageQueries:
    """Targets and counters summed by region prefix: a region's figures are the sum of the
    counter rows of the desa under it (hundreds of rows for a kabupaten)."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def child_targets(self, parent: str | None, child_length: int) -> dict[str, ChildTargets]:
        t = db.region_targets
        child = _prefix(t.c.region_code, child_length).label("child")
        length = sa.func.length(t.c.region_code)
        grandchild = grandchild_length(child_length) or -1
        query = (sa.select(
            child,
            sa.func.max(sa.case((length == child_length, t.c.region_name))).label("name"),
            sa.func.max(sa.case((length == child_length, t.c.wajib_ktp))).label("own"),
            sa.func.coalesce(sa.func.sum(sa.case((length == grandchild, t.c.wajib_ktp), else_=0)), 0)
            .label("children_sum"))
            .where(_below(t.c.region_code, parent, child_length)).group_by(child))
        return {row.child: ChildTargets(row.child, row.name, row.own, int(row.children_sum))
                for row in self._conn.execute(query)}

    def fact_counts_by_child(self, parent: str | None, child_length: int) -> dict[str, FactCounts]:
        c = db.coverage_counts
        query = _grouped(_prefix(c.c.region_code, child_length), _below(c.c.region_code, parent, child_length),
                         *self._counter_sums())
        return {code: FactCounts.from_counters(values) for code, values in self._rows(query).items()}

    def fact_counts_within(self, code: str) -> FactCounts:
        c = db.coverage_counts
        rows = self._rows(_grouped(None, _within(c.c.region_code, code), *self._counter_sums()))
        return FactCounts.from_counters(rows.get(_ALL, {}))

    @staticmethod
    def _counter_sums() -> list[ColumnElement]:
        c = db.coverage_counts
        return [_sum(c.c[name]).label(name) for name in COUNTERS]

    def daily(self, code: str, first: dt.date, last: dt.date, counter: str = "recorded") -> dict[dt.date, int]:
        """`counter` per day within `code`, for the days first..last."""
        d = db.coverage_daily
        query = (sa.select(d.c.day, _sum(d.c[counter]).label("n"))
                 .where(_within(d.c.region_code, code), d.c.day >= first, d.c.day <= last).group_by(d.c.day))
        return {row.day: int(row.n) for row in self._conn.execute(query)}

    def total_before(self, code: str, day: dt.date, counter: str = "recorded") -> int:
        d = db.coverage_daily
        query = sa.select(_sum(d.c[counter])).where(_within(d.c.region_code, code), d.c.day < day)
        return int(self._conn.execute(query).scalar_one())

    def suket_expiring_by_child(self, parent: str | None, child_length: int,
                                window: tuple[dt.datetime, dt.datetime]) -> dict[str, int]:
        """Standing Suket whose `valid_until` falls in `window` (inclusive), per child region."""
        d = db.document_facts
        child = _prefix(d.c.region_code, child_length)
        first, last = window
        query = (sa.select(child.label("child"), sa.func.count().label("expiring"))
                 .where(_below(d.c.region_code, parent, child_length),
                        d.c.kind == DocumentKind.SUKET.value, d.c.superseded.is_(False),
                        d.c.expired.is_(False), d.c.voided.is_(False),
                        d.c.valid_until >= first, d.c.valid_until <= last)
                 .group_by(child))
        return {row.child: int(row.expiring) for row in self._conn.execute(query)}

    def suket_expiring_within(self, code: str, window: tuple[dt.datetime, dt.datetime]) -> int:
        d = db.document_facts
        first, last = window
        query = (sa.select(sa.func.count())
                 .where(_within(d.c.region_code, code), d.c.kind == DocumentKind.SUKET.value,
                        d.c.superseded.is_(False), d.c.expired.is_(False), d.c.voided.is_(False),
                        d.c.valid_until >= first, d.c.valid_until <= last))
        return int(self._conn.execute(query).scalar_one())

    def voter_counts(self, code: str, child_length: int | None, election: dt.date,
                     today: dt.date) -> dict[str, VoterCounts]:
        """Per child of `code` (or `_ALL` when child_length is None): recorded residents who may
        vote by `election`, those of them eligible only after `today`, and those ready."""
        r = db.recording_facts
        recorded = sa.and_(r.c.known.is_(True), r.c.duplicate.is_(False), r.c.failed.is_(False),
                           r.c.replaced.is_(False))
        eligible = sa.and_(recorded, sa.or_(r.c.voter_eligible_on.is_(None), r.c.voter_eligible_on <= election))
        turning = sa.and_(eligible, r.c.voter_eligible_on > today)
        ready = sa.and_(eligible, sa.or_(r.c.card_printed.is_(True), r.c.suket_valid_until >= election))
        group = _prefix(r.c.region_code, child_length) if child_length else None
        where = _below(r.c.region_code, code, child_length) if child_length else _within(r.c.region_code, code)
        query = _grouped(group, sa.and_(where, recorded), _count_if(eligible).label("recorded_eligible"),
                         _count_if(turning).label("turning_eligible"), _count_if(ready).label("ready"))
        return {code: VoterCounts(**values) for code, values in self._rows(query).items()}

    def drive_counts(self, code: str) -> dict[int, dict[str, Any]]:
        """Per drive with recordings within `code`: recorded, failed, duplicates, its office and
        the desa its recordings were made in."""
        r = db.recording_facts
        counted = sa.and_(r.c.known.is_(True), r.c.replaced.is_(False))
        recorded = sa.and_(counted, r.c.duplicate.is_(False), r.c.failed.is_(False))
        query = (sa.select(r.c.drive_id, r.c.region_code, sa.func.max(r.c.office_code).label("office_code"),
                           _count_if(recorded).label("recorded"),
                           _count_if(sa.and_(counted, r.c.failed.is_(True))).label("failed"),
                           _count_if(sa.and_(counted, r.c.duplicate.is_(True), r.c.failed.is_(False)))
                           .label("duplicates"))
                 .where(r.c.drive_id != 0, _within(r.c.region_code, code))
                 .group_by(r.c.drive_id, r.c.region_code))
        drives: dict[int, dict[str, Any]] = {}
        for row in self._conn.execute(query):
            drive = drives.setdefault(int(row.drive_id), {"office_code": row.office_code, "villages": {},
                                                          "recorded": 0, "failed": 0, "duplicates": 0})
            drive["villages"][row.region_code] = int(row.recorded)
            for name in ("recorded", "failed", "duplicates"):
                drive[name] += int(row._mapping[name])
        return drives

    def drive_days(self, code: str) -> dict[dt.date, int]:
        r = db.recording_facts
        query = (sa.select(r.c.recorded_on, sa.func.count().label("n"))
                 .where(r.c.drive_id != 0, _within(r.c.region_code, code), r.c.recorded_on.is_not(None),
                        r.c.known.is_(True), r.c.duplicate.is_(False), r.c.failed.is_(False),
                        r.c.replaced.is_(False))
                 .group_by(r.c.recorded_on))
        return {row.recorded_on: int(row.n) for row in self._conn.execute(query)}

    def targets_of(self, codes: list[str]) -> dict[str, int]:
        t = db.region_targets
        if not codes:
            return {}
        query = sa.select(t.c.region_code, t.c.wajib_ktp).where(t.c.region_code.in_(codes))
        return {row.region_code: int(row.wajib_ktp) for row in self._conn.execute(query)}

    def names_of(self, codes: list[str]) -> dict[str, str]:
        t = db.region_targets
        if not codes:
            return {}
        query = sa.select(t.c.region_code, t.c.region_name).where(t.c.region_code.in_(codes))
        return {row.region_code: row.region_name for row in self._conn.execute(query)}

    def consumed_since(self, first: dt.date) -> dict[str, int]:
        """Blanks consumed per office from `first` on."""
        s = db.stock_daily
        query = sa.select(s.c.office_code, _sum(s.c.consumed).label("n")).where(s.c.day >= first).group_by(s.c.office_code)
        return {row.office_code: int(row.n) for row in self._conn.execute(query)}

    def stock_out_periods(self, since: dt.date) -> dict[str, list[StockOutPeriod]]:
        """Closed stock-out periods per office that ended on or after `since`."""
        p = db.stock_out_periods
        periods: dict[str, list[StockOutPeriod]] = {}
        for row in self._conn.execute(sa.select(p).where(p.c.ended_on >= since).order_by(p.c.office_code, p.c.started_on)):
            periods.setdefault(row.office_code, []).append(StockOutPeriod(row.office_code, row.started_on, row.ended_on))
        return periods

    def _rows(self, query: sa.Select) -> dict[str, dict[str, int]]:
        return {row.child: {k: int(v) for k, v in row._mapping.items() if k != "child"}
                for row in self._conn.execute(query)}
