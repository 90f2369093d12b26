"""Rows <-> domain objects, inside the unit of work's transaction."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from inventory import db
from inventory.domain import (
    BlankState,
    ProcurementChannel,
    ProcurementPackage,
    ProcurementStatus,
    Reservation,
    ReservationState,
    SerialRange,
    StatusChange,
    Stock,
)
from inventory.errors import ConcurrentChange, SerialsAlreadyReceived

_OFFICE_LOCK_NAMESPACE = 0x626C6B  # "blk": per-office advisory locks on PostgreSQL


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


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
        return self._stocks(db.blanks.c.office_code == office_code).get(office_code, Stock(office_code))

    def all_stock(self) -> list[Stock]:
        return list(self._stocks(sa.true()).values())

    def _stocks(self, condition: sa.ColumnElement[bool]) -> dict[str, Stock]:
        b = db.blanks.c
        query = (sa.select(b.office_code, b.state, sa.func.count()).where(condition)
                 .group_by(b.office_code, b.state).order_by(b.office_code))
        counts: dict[str, dict[str, int]] = {}
        for office_code, state, count in self.conn.execute(query):
            counts.setdefault(office_code, {})[state] = count
        return {office: Stock(office, available=c.get(BlankState.AVAILABLE.value, 0),
                              reserved=c.get(BlankState.RESERVED.value, 0),
                              consumed=c.get(BlankState.CONSUMED.value, 0))
                for office, c in counts.items()}

    def take_lowest_available(self, office_code: str, at: dt.datetime) -> str | None:
        """Marks the lowest available serial of the office reserved and returns it."""
        b = db.blanks.c
        query = (sa.select(b.serial).where(b.office_code == office_code)
                 .where(b.state == BlankState.AVAILABLE.value).order_by(b.serial).limit(1)
                 .with_for_update(skip_locked=True))
        serial = self.conn.execute(query).scalar()
        if serial is not None:
            self.set_blank_state(serial, BlankState.RESERVED, at)
        return serial

    def set_blank_state(self, serial: str, state: BlankState, at: dt.datetime) -> None:
        self.conn.execute(db.blanks.update().where(db.blanks.c.serial == serial)
                          .values(state=state.value, updated_at=at))

    def get_reservation(self, key: str, *, for_update: bool = False) -> Reservation | None:
        query = sa.select(db.reservations).where(db.reservations.c.idempotency_key == key)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            return None
        return Reservation(
            idempotency_key=row.idempotency_key, office_code=row.office_code, serial=row.serial,
            reserved_at=aware(row.reserved_at), updated_at=aware(row.updated_at),
            state=ReservationState(row.state), release_reason=row.release_reason)

    def add_reservation(self, reservation: Reservation) -> None:
        try:
            self.conn.execute(db.reservations.insert().values(self._reservation_row(reservation)))
        except IntegrityError as exc:
            raise ConcurrentChange("another request used this key at the same time; retry") from exc

    def update_reservation(self, reservation: Reservation) -> None:
        self.conn.execute(db.reservations.update()
                          .where(db.reservations.c.idempotency_key == reservation.idempotency_key)
                          .values(self._reservation_row(reservation)))

    @staticmethod
    def _reservation_row(r: Reservation) -> dict:
        return {"idempotency_key": r.idempotency_key, "office_code": r.office_code, "serial": r.serial,
                "state": r.state.value, "reserved_at": r.reserved_at, "updated_at": r.updated_at,
                "release_reason": r.release_reason}


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
            status_changed_at=aware(row.status_changed_at))

    @staticmethod
    def _package_row(p: ProcurementPackage) -> dict:
        return {"package_id": p.package_id, "fiscal_year": p.fiscal_year, "name": p.name,
                "quantity": p.quantity, "estimated_value_idr": p.estimated_value_idr,
                "channel": p.channel.value, "status": p.status.value, "status_reason": p.status_reason,
                "status_changed_at": p.status_changed_at}


class DemoMarkers:
    """Remembers which demo data sets were loaded, so loading is idempotent."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection

    def is_loaded(self, name: str) -> bool:
        m = db.demo_marker.c
        return self.conn.execute(sa.select(m.name).where(m.name == name)).first() is not None

    def mark_loaded(self, name: str, at: dt.datetime) -> None:
        self.conn.execute(db.demo_marker.insert().values(name=name, loaded_at=at))

