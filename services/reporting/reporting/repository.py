"""Rows <-> read-model dataclasses, the inbox, and the coverage aggregates (done in SQL)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from reporting import db
from reporting.domain import (
    ChildTargets,
    DocumentFact,
    DocumentKind,
    FactCounts,
    ProcurementPackage,
    ProcurementStatus,
    RecordingFact,
    RegionTarget,
    StockBoard,
    grandchild_length,
)

T = TypeVar("T")


class KeyedRepository(Generic[T]):
    """Get and save one read model by its single-column primary key."""

    table: ClassVar[sa.Table]
    model: ClassVar[type]
    converters: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self._key = next(iter(self.table.primary_key.columns))

    def get(self, key: str) -> T | None:
        row = self._conn.execute(sa.select(self.table).where(self._key == key)).first()
        return None if row is None else self._to_model(row._mapping)

    def list(self) -> list[T]:
        rows = self._conn.execute(sa.select(self.table).order_by(self._key))
        return [self._to_model(row._mapping) for row in rows]

    def save(self, item: T) -> None:
        values = {name: value.value if isinstance(value, enum.Enum) else value
                  for name, value in dataclasses.asdict(item).items()}
        key = values[self._key.name]
        updated = self._conn.execute(self.table.update().where(self._key == key).values(**values))
        if updated.rowcount == 0:
            self._conn.execute(self.table.insert().values(**values))

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


class StockRepository(KeyedRepository[StockBoard]):
    table, model = db.stock_board, StockBoard


class ProcurementRepository(KeyedRepository[ProcurementPackage]):
    table, model = db.procurement_board, ProcurementPackage
    converters = {"status": ProcurementStatus}




# ---- coverage aggregates -------------------------------------------------------------

def _prefix(column: sa.Column, length: int) -> ColumnElement:
    # Literal arguments so that SELECT and GROUP BY render the same expression on PostgreSQL.
    return sa.func.substr(column, sa.literal_column("1"), sa.literal_column(str(int(length))))


def _below(column: sa.Column, parent: str | None, min_length: int) -> ColumnElement:
    """Codes strictly under `parent` (all codes when None) that reach `min_length`."""
    deep_enough = sa.func.length(column) >= min_length
    return deep_enough if parent is None else sa.and_(column.like(parent + ".%"), deep_enough)


def _within(column: sa.Column, code: str) -> ColumnElement:
    return sa.or_(column == code, column.like(code + ".%"))


def _count_if(condition: ColumnElement) -> ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


class CoverageQueries:
    """Targets and fact counts grouped by region prefix, aggregated by the database."""

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
        recordings, documents = db.recording_facts, db.document_facts
        by_recording = self._recording_counts(
            _prefix(recordings.c.region_code, child_length), _below(recordings.c.region_code, parent, child_length))
        by_document = self._document_counts(
            _prefix(documents.c.region_code, child_length), _below(documents.c.region_code, parent, child_length))
        return {code: _merge(by_recording.get(code), by_document.get(code))
                for code in by_recording.keys() | by_document.keys()}

    def fact_counts_within(self, code: str) -> FactCounts:
        recordings = self._recording_counts(None, _within(db.recording_facts.c.region_code, code))
        documents = self._document_counts(None, _within(db.document_facts.c.region_code, code))
        return _merge(recordings.get(_ALL), documents.get(_ALL))

    def _recording_counts(self, group: ColumnElement | None, where: ColumnElement) -> dict[str, dict[str, int]]:
        r, d = db.recording_facts, db.document_facts
        counted = r.c.duplicate.is_(False)
        ready = sa.and_(counted, r.c.print_ready.is_(True))
        printed = (sa.exists().where(d.c.register_number == r.c.register_number)
                   .where(d.c.kind == DocumentKind.CARD.value))
        query = _grouped(group, where, sa.func.count().label("facts"),
                           _count_if(counted).label("recorded"), _count_if(ready).label("print_ready"),
                           _count_if(sa.and_(ready, ~printed)).label("print_ready_backlog"))
        return self._rows(query)

    def _document_counts(self, group: ColumnElement | None, where: ColumnElement) -> dict[str, dict[str, int]]:
        d = db.document_facts
        outstanding = sa.and_(d.c.kind == DocumentKind.SUKET.value, d.c.superseded.is_(False))
        query = _grouped(group, where, sa.func.count().label("facts"),
                           _count_if(d.c.kind == DocumentKind.CARD.value).label("cards_printed"),
                           _count_if(outstanding).label("suket_outstanding"))
        return self._rows(query)

    def suket_expiring_by_child(self, parent: str | None, child_length: int,
                                window: tuple[dt.datetime, dt.datetime]) -> dict[str, int]:
        """Suket not superseded whose `valid_until` falls in `window` (inclusive), per child region."""
        d = db.document_facts
        child = _prefix(d.c.region_code, child_length)
        first, last = window
        query = (sa.select(child.label("child"), sa.func.count().label("expiring"))
                 .where(_below(d.c.region_code, parent, child_length),
                        d.c.kind == DocumentKind.SUKET.value, d.c.superseded.is_(False),
                        d.c.valid_until >= first, d.c.valid_until <= last)
                 .group_by(child))
        return {row.child: int(row.expiring) for row in self._conn.execute(query)}

    def _rows(self, query: sa.Select) -> dict[str, dict[str, int]]:
        return {row.child: {k: int(v) for k, v in row._mapping.items() if k != "child"}
                for row in self._conn.execute(query)}


_ALL = "*"


def _grouped(group: ColumnElement | None, where: ColumnElement, *columns: ColumnElement) -> sa.Select:
    """Aggregates per `group` value, or one row keyed `_ALL` when `group` is None."""
    if group is None:
        return sa.select(sa.literal_column(f"'{_ALL}'").label("child"), *columns).where(where)
    return sa.select(group.label("child"), *columns).where(where).group_by(group)


def _merge(recordings: dict[str, int] | None, documents: dict[str, int] | None) -> FactCounts:
    recordings, documents = recordings or {}, documents or {}
    return FactCounts(facts=recordings.get("facts", 0) + documents.get("facts", 0),
                      **{k: v for k, v in (recordings | documents).items() if k != "facts"})
