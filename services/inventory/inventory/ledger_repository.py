"""Rows <-> domain objects of the ledger by serial: offices, ledger entries, balances, serial
states by range, transfers, destruction records, counts and overdue reservations."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from inventory import db
from inventory.domain import (
    Balance,
    BlankState,
    CountReport,
    DestructionRecord,
    LedgerEntry,
    LedgerFilter,
    LedgerKind,
    Office,
    OfficeLevel,
    ReservationState,
    SerialRange,
    Transfer,
    TransferKind,
    TransferStatus,
)
from inventory.repository import aware

WIB = dt.timezone(dt.timedelta(hours=7))


def _in_range(column: sa.ColumnElement, r: SerialRange) -> sa.ColumnElement[bool]:
    """Serials of `r`: same width and between its ends (same-width digit strings sort as numbers)."""
    return sa.and_(column.between(r.first, r.last), sa.func.length(column) == len(r.first))


# The statements of every reservation and print, built once: they run thousands of times a
# minute, and a built statement also keeps its compiled form's cache key.
_sb = db.stock_balances.c
_BALANCE = sa.select(db.stock_balances).where(_sb.office_code == sa.bindparam("office"))
_SAVE_BALANCE = (db.stock_balances.update().where(_sb.office_code == sa.bindparam("office"))
                 .values(on_hand=sa.bindparam("on_hand"), reserved=sa.bindparam("reserved"),
                         consumed=sa.bindparam("consumed"), spoiled=sa.bindparam("spoiled"), lost=sa.bindparam("lost"),
                         updated_at=sa.bindparam("at")))
_INSERT_BALANCE = db.stock_balances.insert()
_APPEND = db.stock_ledger.insert()


class LedgerRepository:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection

    # ---- offices ------------------------------------------------------------------

    def add_office(self, office: Office) -> None:
        self.conn.execute(db.offices.insert().values(
            code=office.code, name=office.name, level=office.level.value, parent_code=office.parent_code,
            registered_at=office.registered_at))

    def get_office(self, code: str) -> Office | None:
        row = self.conn.execute(sa.select(db.offices).where(db.offices.c.code == code)).first()
        return None if row is None else self._office(row)

    def list_offices(self) -> list[Office]:
        o = db.offices.c
        return [self._office(row) for row in self.conn.execute(sa.select(db.offices).order_by(o.code))]

    @staticmethod
    def _office(row: sa.Row) -> Office:
        return Office(row.code, row.name, OfficeLevel(row.level), row.parent_code, aware(row.registered_at))

    # ---- balances -----------------------------------------------------------------

    def balance(self, office_code: str) -> Balance:
        row = self.conn.execute(_BALANCE, {"office": office_code}).first()
        if row is None:
            return Balance(office_code)
        return Balance(office_code, on_hand=row.on_hand, reserved=row.reserved, consumed=row.consumed,
                       spoiled=row.spoiled, lost=row.lost)

    def all_balances(self) -> list[Balance]:
        rows = self.conn.execute(sa.select(db.stock_balances).order_by(db.stock_balances.c.office_code))
        return [Balance(r.office_code, on_hand=r.on_hand, reserved=r.reserved, consumed=r.consumed,
                        spoiled=r.spoiled, lost=r.lost) for r in rows]

    def save_balance(self, balance: Balance, at: dt.datetime) -> None:
        values = {"on_hand": balance.on_hand, "reserved": balance.reserved, "consumed": balance.consumed,
                  "spoiled": balance.spoiled, "lost": balance.lost}
        updated = self.conn.execute(_SAVE_BALANCE, {"office": balance.office_code, "at": at, **values})
        if updated.rowcount == 0:   # the office's first movement; its office lock is held
            self.conn.execute(_INSERT_BALANCE, {"office_code": balance.office_code, "updated_at": at, **values})

    # ---- the ledger ---------------------------------------------------------------

    def append(self, entries: Sequence[LedgerEntry]) -> None:
        self.conn.execute(_APPEND, [{
            "office_code": e.office_code, "kind": e.kind.value, "first_serial": e.first_serial,
            "last_serial": e.last_serial, "quantity": e.quantity, "occurred_at": e.occurred_at,
            "counterparty": e.counterparty, "transfer_id": e.transfer_id, "reference": e.reference,
            "cause": e.cause, "record_id": e.record_id, "actor": e.actor} for e in entries])

    def entries(self, office_code: str, f: LedgerFilter) -> list[LedgerEntry]:
        lc = db.stock_ledger.c
        query = sa.select(db.stock_ledger).where(lc.office_code == office_code)
        if f.kinds:
            query = query.where(lc.kind.in_([k.value for k in f.kinds]))
        if f.since is not None:
            query = query.where(lc.occurred_at >= dt.datetime.combine(f.since, dt.time(), WIB))
        if f.until is not None:
            query = query.where(lc.occurred_at < dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time(), WIB))
        if f.serial:
            query = query.where(lc.first_serial <= f.serial, lc.last_serial >= f.serial,
                                sa.func.length(lc.first_serial) == len(f.serial))
        query = query.order_by(lc.occurred_at.desc(), lc.id.desc()).limit(f.limit)
        return [LedgerEntry(
            entry_id=r.id, office_code=r.office_code, kind=LedgerKind(r.kind), first_serial=r.first_serial,
            last_serial=r.last_serial, quantity=r.quantity, occurred_at=aware(r.occurred_at),
            counterparty=r.counterparty, transfer_id=r.transfer_id, reference=r.reference, cause=r.cause,
            record_id=r.record_id, actor=r.actor) for r in self.conn.execute(query)]

    def totals(self, office_code: str) -> dict[LedgerKind, int]:
        lc = db.stock_ledger.c
        query = (sa.select(lc.kind, sa.func.sum(lc.quantity)).where(lc.office_code == office_code)
                 .group_by(lc.kind))
        return {LedgerKind(kind): int(quantity) for kind, quantity in self.conn.execute(query)}

    def consumed_since(self, office_code: str, since: dt.datetime) -> list[tuple[dt.datetime, int]]:
        lc = db.stock_ledger.c
        query = (sa.select(lc.occurred_at, lc.quantity).where(lc.office_code == office_code)
                 .where(lc.kind == LedgerKind.CONSUMED.value).where(lc.occurred_at >= since))
        return [(aware(at), quantity) for at, quantity in self.conn.execute(query)]

    # ---- serials by range ---------------------------------------------------------

    def serial_counts(self, office_code: str) -> tuple[int, int]:
        """(on hand, reserved) counted from the serials themselves."""
        b = db.blanks.c
        query = (sa.select(b.state, sa.func.count()).where(b.office_code == office_code)
                 .where(b.state.in_([BlankState.AVAILABLE.value, BlankState.RESERVED.value])).group_by(b.state))
        counts = dict(self.conn.execute(query).all())
        reserved = counts.get(BlankState.RESERVED.value, 0)
        return counts.get(BlankState.AVAILABLE.value, 0) + reserved, reserved

    def lowest_available(self, office_code: str, quantity: int) -> list[str]:
        b = db.blanks.c
        query = (sa.select(b.serial).where(b.office_code == office_code)
                 .where(b.state == BlankState.AVAILABLE.value).order_by(b.serial).limit(quantity))
        return list(self.conn.execute(query).scalars())

    def available_serials(self, office_code: str) -> list[str]:
        return self.lowest_available(office_code, 10**9)

    def move(self, ranges: Iterable[SerialRange], *, office_code: str, from_state: BlankState,
             to_state: BlankState, at: dt.datetime, to_office: str | None = None) -> int:
        """Moves the serials of `ranges` that `office_code` holds in `from_state`; the number moved."""
        b = db.blanks.c
        values = {"state": to_state.value, "updated_at": at}
        if to_office is not None:
            values["office_code"] = to_office
        moved = 0
        for r in ranges:
            moved += self.conn.execute(
                db.blanks.update().where(_in_range(b.serial, r)).where(b.office_code == office_code)
                .where(b.state == from_state.value).values(values)).rowcount
        return moved

    def states(self, ranges: Iterable[SerialRange], limit: int = 5) -> list[tuple[str, str, str]]:
        """(serial, office, state) of known serials in `ranges`, a few, to explain a refusal."""
        b = db.blanks.c
        condition = sa.or_(*(_in_range(b.serial, r) for r in ranges))
        query = sa.select(b.serial, b.office_code, b.state).where(condition).order_by(b.serial).limit(limit)
        return [tuple(row) for row in self.conn.execute(query)]

    # ---- transfers ----------------------------------------------------------------

    def add_transfer(self, t: Transfer) -> None:
        self.conn.execute(db.transfers.insert().values(
            transfer_id=t.transfer_id, kind=t.kind.value, from_office=t.from_office, to_office=t.to_office,
            quantity=t.quantity, reference=t.reference, status=t.status.value, dispatched_at=t.dispatched_at,
            received_at=t.received_at, loan_id=t.loan_id, repaid=t.repaid))
        self.conn.execute(db.transfer_ranges.insert(), [
            {"transfer_id": t.transfer_id, "first_serial": r.first, "last_serial": r.last} for r in t.ranges])

    def update_transfer(self, t: Transfer) -> None:
        self.conn.execute(db.transfers.update().where(db.transfers.c.transfer_id == t.transfer_id)
                          .values(status=t.status.value, received_at=t.received_at, repaid=t.repaid))

    def get_transfer(self, transfer_id: str, *, for_update: bool = False) -> Transfer | None:
        query = sa.select(db.transfers).where(db.transfers.c.transfer_id == transfer_id)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else self._transfer(row)

    def list_transfers(self, office_code: str, status: TransferStatus | None = None) -> list[Transfer]:
        t = db.transfers.c
        query = sa.select(db.transfers).where(sa.or_(t.from_office == office_code, t.to_office == office_code))
        if status is not None:
            query = query.where(t.status == status.value)
        return [self._transfer(row) for row in self.conn.execute(query.order_by(t.dispatched_at.desc()))]

    def _transfer(self, row: sa.Row) -> Transfer:
        tr = db.transfer_ranges.c
        ranges = tuple(SerialRange(first, last) for first, last in self.conn.execute(
            sa.select(tr.first_serial, tr.last_serial).where(tr.transfer_id == row.transfer_id)
            .order_by(sa.func.length(tr.first_serial), tr.first_serial)))
        return Transfer(
            transfer_id=row.transfer_id, kind=TransferKind(row.kind), from_office=row.from_office,
            to_office=row.to_office, ranges=ranges, reference=row.reference, status=TransferStatus(row.status),
            dispatched_at=aware(row.dispatched_at),
            received_at=None if row.received_at is None else aware(row.received_at),
            loan_id=row.loan_id, repaid=row.repaid)

    # ---- spoilage and counts ------------------------------------------------------

    def add_destruction(self, record: DestructionRecord) -> None:
        self.conn.execute(db.destruction_records.insert().values(
            record_id=record.record_id, office_code=record.office_code, cause=record.cause,
            witnesses=[{"name": w.name, "staff_id": w.staff_id} for w in record.witnesses],
            reference=record.reference, quantity=sum(r.quantity for r in record.ranges),
            destroyed_at=record.destroyed_at))

    def add_count(self, report: CountReport) -> None:
        self.conn.execute(db.stock_counts.insert().values(
            count_id=report.count_id, office_code=report.office_code, counted_at=report.counted_at,
            reference=report.reference, expected=report.expected_quantity, counted=report.counted_quantity,
            missing=[f"{r.first}-{r.last}" for r in report.missing],
            surplus=[f"{r.first}-{r.last}" for r in report.surplus]))

    # ---- reservations -------------------------------------------------------------

    def overdue_reservation_keys(self, at: dt.datetime, limit: int, region: str | None = None) -> list[str]:
        """Keys of reservations still held past their expiry, oldest first; of offices in
        `region` (the region code itself or below it) when given."""
        r = db.reservations.c
        query = (sa.select(r.idempotency_key).where(r.state == ReservationState.RESERVED.value)
                 .where(r.expires_at.is_not(None)).where(r.expires_at <= at).order_by(r.expires_at).limit(limit))
        if region is not None:
            query = query.where(sa.or_(r.office_code == region, r.office_code.startswith(region + ".")))
        return list(self.conn.execute(query).scalars())
