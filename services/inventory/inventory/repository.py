"""Rows <-> domain objects, inside the unit of work's transaction."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from inventory import db
from inventory.domain import (
    BacklogSource,
    BlankRequest,
    BlankState,
    Delivery,
    LedgerKind,
    ProcurementChannel,
    ProcurementPackage,
    ProcurementStatus,
    RequestKind,
    RequestState,
    Reservation,
    ReservationState,
    SerialRange,
    StatusChange,
    Stock,
    StockLevel,
)
from inventory.errors import ConcurrentChange, SerialsAlreadyReceived

_OFFICE_LOCK_NAMESPACE = 0x626C6B  # "blk": per-office advisory locks on PostgreSQL


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


# Statements of the reservation path, built once (see ledger_repository).
_b, _r = db.blanks.c, db.reservations.c
_lowest = db.blanks.alias("lowest")
_TAKE_LOWEST_AVAILABLE = (  # one statement: pick the lowest available serial and mark it reserved
    db.blanks.update()
    .where(_b.serial == sa.select(_lowest.c.serial).where(_lowest.c.office_code == sa.bindparam("office"))
           .where(_lowest.c.state == BlankState.AVAILABLE.value).order_by(_lowest.c.serial).limit(1)
           .with_for_update(skip_locked=True).scalar_subquery())
    .values(state=BlankState.RESERVED.value, updated_at=sa.bindparam("at"))
    .returning(_b.serial))
_SET_BLANK_STATE = (db.blanks.update().where(_b.serial == sa.bindparam("s"))
                    .values(state=sa.bindparam("state"), updated_at=sa.bindparam("at")))
_RESERVATION = sa.select(db.reservations).where(_r.idempotency_key == sa.bindparam("key"))
_RESERVATION_FOR_UPDATE = _RESERVATION.with_for_update()
_INSERT_RESERVATION = db.reservations.insert()
_UPDATE_RESERVATION = (db.reservations.update().where(_r.idempotency_key == sa.bindparam("key"))
                       .values({c: sa.bindparam(f"v_{c}") for c in ("office_code", "serial", "state", "reserved_at",
                                                                   "updated_at", "release_reason", "expires_at")}))


class StockRepository:
    """Blanks (one row per serial) and reservations."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection
        self.postgres = connection.dialect.name == "postgresql"

    def lock_office(self, office_code: str) -> None:
        """Serialises stock changes of one office until the transaction ends.

        On SQLite `BEGIN IMMEDIATE` already serialises every writer.
        """
        if self.postgres:
            self.conn.execute(sa.text("SELECT pg_advisory_xact_lock(:ns, hashtext(:office))"),
                              {"ns": _OFFICE_LOCK_NAMESPACE, "office": office_code})

    def any_known(self, serials: SerialRange) -> bool:
        b = db.blanks.c
        query = (sa.select(b.serial).where(b.serial.between(serials.first, serials.last))
                 .where(sa.func.length(b.serial) == len(serials.first)).limit(1))
        return self.conn.execute(query).first() is not None

    def add_blanks(self, office_code: str, serials: SerialRange, reference: str, at: dt.datetime) -> None:
        rows = [{"serial": serial, "office_code": office_code, "state": BlankState.AVAILABLE.value,
                 "received_at": at, "delivery_reference": reference, "updated_at": at}
                for serial in serials.serials()]
        try:
            self.conn.execute(db.blanks.insert(), rows)
        except IntegrityError as exc:  # a concurrent receipt of another office took some serials
            raise SerialsAlreadyReceived("some serials of this range were already received") from exc

    def stock(self, office_code: str) -> Stock:
        """From the office's balance row, kept with every ledger entry (LedgerRepository)."""
        return self._stocks(db.stock_balances.c.office_code == office_code).get(office_code, Stock(office_code))

    def all_stock(self) -> list[Stock]:
        return list(self._stocks(sa.true()).values())

    def _stocks(self, condition: sa.ColumnElement[bool]) -> dict[str, Stock]:
        s = db.stock_balances.c
        query = sa.select(db.stock_balances).where(condition).order_by(s.office_code)
        return {r.office_code: Stock(r.office_code, available=r.on_hand - r.reserved, reserved=r.reserved,
                                     consumed=r.consumed, spoiled=r.spoiled, lost=r.lost)
                for r in self.conn.execute(query)}

    def take_lowest_available(self, office_code: str, at: dt.datetime) -> str | None:
        """Marks the lowest available serial of the office reserved and returns it."""
        return self.conn.execute(_TAKE_LOWEST_AVAILABLE, {"office": office_code, "at": at}).scalar()

    def set_blank_state(self, serial: str, state: BlankState, at: dt.datetime) -> None:
        self.conn.execute(_SET_BLANK_STATE, {"s": serial, "state": state.value, "at": at})

    def get_reservation(self, key: str, *, for_update: bool = False) -> Reservation | None:
        row = self.conn.execute(_RESERVATION_FOR_UPDATE if for_update else _RESERVATION, {"key": key}).first()
        if row is None:
            return None
        return Reservation(
            idempotency_key=row.idempotency_key, office_code=row.office_code, serial=row.serial,
            reserved_at=aware(row.reserved_at), updated_at=aware(row.updated_at),
            state=ReservationState(row.state), release_reason=row.release_reason,
            expires_at=None if row.expires_at is None else aware(row.expires_at))

    def lock_reservation(self, key: str) -> Reservation | None:
        """The key's reservation, locked in the order every use case locks: its office, then
        the row (PostgreSQL). On SQLite `BEGIN IMMEDIATE` holds everything already: one read."""
        if not self.postgres:
            return self.get_reservation(key)
        found = self.get_reservation(key)
        if found is None:
            return None
        self.lock_office(found.office_code)
        return self.get_reservation(key, for_update=True)

    def add_reservation(self, reservation: Reservation) -> None:
        try:
            self.conn.execute(_INSERT_RESERVATION, self._reservation_row(reservation))
        except IntegrityError as exc:
            raise ConcurrentChange("another request used this key at the same time; retry") from exc

    def update_reservation(self, reservation: Reservation) -> None:
        row = self._reservation_row(reservation)
        self.conn.execute(_UPDATE_RESERVATION, {"key": row.pop("idempotency_key"),
                                                **{f"v_{name}": value for name, value in row.items()}})

    @staticmethod
    def _reservation_row(r: Reservation) -> dict:
        return {"idempotency_key": r.idempotency_key, "office_code": r.office_code, "serial": r.serial,
                "state": r.state.value, "reserved_at": r.reserved_at, "updated_at": r.updated_at,
                "release_reason": r.release_reason, "expires_at": r.expires_at}


class ProcurementRepository:
    """Procurement packages and their status history."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection

    def exists(self, package_id: str) -> bool:
        p = db.procurement_packages.c
        return self.conn.execute(sa.select(p.package_id).where(p.package_id == package_id)).first() is not None

    def get(self, package_id: str, *, for_update: bool = False) -> ProcurementPackage | None:
        query = sa.select(db.procurement_packages).where(db.procurement_packages.c.package_id == package_id)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else self._package(row)

    def list(self) -> list[ProcurementPackage]:
        p = db.procurement_packages.c
        query = sa.select(db.procurement_packages).order_by(p.fiscal_year, p.name, p.package_id)
        return [self._package(row) for row in self.conn.execute(query)]

    def add(self, package: ProcurementPackage) -> None:
        self.conn.execute(db.procurement_packages.insert().values(self._package_row(package)))

    def update(self, package: ProcurementPackage) -> None:
        self.conn.execute(db.procurement_packages.update()
                          .where(db.procurement_packages.c.package_id == package.package_id)
                          .values(self._package_row(package)))

    def add_history(self, change: StatusChange) -> None:
        self.conn.execute(db.procurement_status_history.insert().values(
            package_id=change.package_id, status=change.status.value, reason=change.reason,
            changed_at=change.changed_at))

    def history(self, package_id: str) -> list[StatusChange]:
        h = db.procurement_status_history.c
        query = (sa.select(db.procurement_status_history).where(h.package_id == package_id)
                 .order_by(h.changed_at, h.id))
        return [StatusChange(row.package_id, ProcurementStatus(row.status), row.reason, aware(row.changed_at))
                for row in self.conn.execute(query)]

    @staticmethod
    def _package(row: sa.Row) -> ProcurementPackage:
        return ProcurementPackage(
            package_id=row.package_id, fiscal_year=row.fiscal_year, name=row.name, quantity=row.quantity,
            estimated_value_idr=row.estimated_value_idr, channel=ProcurementChannel(row.channel),
            status=ProcurementStatus(row.status), status_reason=row.status_reason,
            status_changed_at=aware(row.status_changed_at), vendor=row.vendor, contract_number=row.contract_number,
            contract_value_idr=row.contract_value_idr, expected_delivery_on=row.expected_delivery_on,
            delivered=row.delivered)

    @staticmethod
    def _package_row(p: ProcurementPackage) -> dict:
        return {"package_id": p.package_id, "fiscal_year": p.fiscal_year, "name": p.name,
                "quantity": p.quantity, "estimated_value_idr": p.estimated_value_idr,
                "channel": p.channel.value, "status": p.status.value, "status_reason": p.status_reason,
                "status_changed_at": p.status_changed_at, "vendor": p.vendor, "contract_number": p.contract_number,
                "contract_value_idr": p.contract_value_idr, "expected_delivery_on": p.expected_delivery_on,
                "delivered": p.delivered}

    def next_delivery_sequence(self, package_id: str) -> int:
        d = db.procurement_deliveries.c
        query = sa.select(sa.func.coalesce(sa.func.max(d.sequence), 0)).where(d.package_id == package_id)
        return int(self.conn.execute(query).scalar_one()) + 1

    def add_delivery(self, delivery: Delivery, *, recorded_at: dt.datetime) -> None:
        self.conn.execute(db.procurement_deliveries.insert().values(
            package_id=delivery.package_id, sequence=delivery.sequence, office_code=delivery.office_code,
            first_serial=delivery.first_serial, last_serial=delivery.last_serial, quantity=delivery.quantity,
            delivered_at=delivery.delivered_at, reference=delivery.reference, recorded_at=recorded_at))

    def deliveries(self, package_id: str) -> list[Delivery]:
        d = db.procurement_deliveries.c
        query = sa.select(db.procurement_deliveries).where(d.package_id == package_id).order_by(d.sequence)
        return [Delivery(r.package_id, r.sequence, r.office_code, r.first_serial, r.last_serial, r.quantity,
                         aware(r.delivered_at), r.reference) for r in self.conn.execute(query)]


class DemoMarkers:
    """Remembers which demo data sets were loaded, so loading is idempotent."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection

    def is_loaded(self, name: str) -> bool:
        m = db.demo_marker.c
        return self.conn.execute(sa.select(m.name).where(m.name == name)).first() is not None

    def mark_loaded(self, name: str, at: dt.datetime) -> None:
        self.conn.execute(db.demo_marker.insert().values(name=name, loaded_at=at))


class RequestRepository:
    """Requests for blanks (allocations and loans) and their decisions."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection

    def add(self, request: BlankRequest) -> None:
        self.conn.execute(db.blank_requests.insert().values(self._row(request)))

    def update(self, request: BlankRequest) -> None:
        r = db.blank_requests.c
        self.conn.execute(db.blank_requests.update().where(r.request_id == request.request_id)
                          .values(self._row(request)))

    def get(self, request_id: str, *, for_update: bool = False) -> BlankRequest | None:
        query = sa.select(db.blank_requests).where(db.blank_requests.c.request_id == request_id)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else self._request(row)

    def list(self, offices: Sequence[str] | None, state: RequestState | None = None,
             limit: int = 100) -> list[BlankRequest]:
        """Requests asked by or supplied by an office under one of `offices` (None: every office)."""
        r = db.blank_requests.c
        query = sa.select(db.blank_requests).order_by(r.requested_at.desc(), r.request_id).limit(limit)
        if offices is not None:
            under = [sa.or_(column == code, column.startswith(code + "."))
                     for code in offices for column in (r.office_code, r.supplier_office)]
            query = query.where(sa.or_(*under) if under else sa.false())
        if state is not None:
            query = query.where(r.state == state.value)
        return [self._request(row) for row in self.conn.execute(query)]

    @staticmethod
    def _row(q: BlankRequest) -> dict:
        return {"request_id": q.request_id, "kind": q.kind.value, "office_code": q.office_code,
                "supplier_office": q.supplier_office, "quantity_requested": q.quantity_requested,
                "backlog": q.backlog, "backlog_source": q.backlog_source.value, "note": q.note,
                "state": q.state.value, "requested_at": q.requested_at, "requested_by": q.requested_by,
                "quantity_approved": q.quantity_approved, "decision_reason": q.decision_reason,
                "decided_at": q.decided_at, "decided_by": q.decided_by, "transfer_id": q.transfer_id,
                "received_at": q.received_at}

    @staticmethod
    def _request(row: sa.Row) -> BlankRequest:
        return BlankRequest(
            request_id=row.request_id, kind=RequestKind(row.kind), office_code=row.office_code,
            supplier_office=row.supplier_office, quantity_requested=row.quantity_requested, backlog=row.backlog,
            backlog_source=BacklogSource(row.backlog_source), note=row.note, state=RequestState(row.state),
            requested_at=aware(row.requested_at), requested_by=row.requested_by,
            quantity_approved=row.quantity_approved, decision_reason=row.decision_reason,
            decided_at=aware(row.decided_at) if row.decided_at else None, decided_by=row.decided_by,
            transfer_id=row.transfer_id, received_at=aware(row.received_at) if row.received_at else None)


class StockLevelRepository:
    """The level (ok / low / out) each office last crossed to, and when."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection

    def current(self, office_code: str) -> StockLevel | None:
        """The level last recorded for the office; None before its first recorded change."""
        lv = db.stock_levels.c
        level = self.conn.execute(sa.select(lv.level).where(lv.office_code == office_code)).scalar()
        return StockLevel(level) if level else None

    def set(self, office_code: str, level: StockLevel, at: dt.datetime) -> None:
        lv = db.stock_levels.c
        updated = self.conn.execute(db.stock_levels.update().where(lv.office_code == office_code)
                                    .values(level=level.value, changed_at=at)).rowcount
        if not updated:
            self.conn.execute(db.stock_levels.insert().values(office_code=office_code, level=level.value,
                                                              changed_at=at))
        self.conn.execute(db.stock_level_history.insert().values(office_code=office_code, level=level.value,
                                                                 changed_at=at))

    def first_stocked_at(self, office_code: str) -> dt.datetime | None:
        """When blanks first came into the office (received or transferred in), if ever."""
        lc = db.stock_ledger.c
        query = (sa.select(sa.func.min(lc.occurred_at)).where(lc.office_code == office_code)
                 .where(lc.kind.in_([LedgerKind.RECEIVED.value, LedgerKind.TRANSFERRED_IN.value])))
        first = self.conn.execute(query).scalar()
        return aware(first) if first else None

    def out_periods(self, office_code: str, since: dt.datetime) -> list[tuple[dt.datetime, dt.datetime | None]]:
        """(start, end) of each period the office had no stock that overlaps `since`..now."""
        h = db.stock_level_history.c
        query = (sa.select(h.level, h.changed_at).where(h.office_code == office_code)
                 .order_by(h.changed_at, h.id))
        periods: list[tuple[dt.datetime, dt.datetime | None]] = []
        start: dt.datetime | None = None
        for level, changed_at in self.conn.execute(query):
            at = aware(changed_at)
            if level == StockLevel.OUT.value and start is None:
                start = at
            elif level != StockLevel.OUT.value and start is not None:
                if at >= since:
                    periods.append((start, at))
                start = None
        if start is not None:
            periods.append((start, None))
        return periods
