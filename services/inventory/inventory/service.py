"""Use cases of the inventory context. Each runs in one unit of work and commits once.

Every use case a gRPC method or a page calls takes the `actor` first. The gate has already
checked the actor's role; here, where the office is known, the region scope is checked: a
blank movement needs the office inside the actor's scope (`require_region`), a stock count
only that the actor `sees` the office. Every movement appends an audit entry in the same
transaction (record id: the serial, or the office and serial range of a delivery; never the
idempotency key, which holds a register number).
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from inventory.domain import (
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    BlankState,
    PackagePlan,
    ProcurementChannel,
    ProcurementPackage,
    ProcurementStatus,
    ProcurementStatusChanged,
    Reservation,
    SerialRange,
    StatusChange,
    Stock,
    StockConsumed,
    StockOut,
    StockReceived,
    StockReleased,
    StockReserved,
    idempotency_key_violations,
    office_code_violations,
    package_violations,
    serial_range_violations,
    text_violations,
)
from inventory.errors import (
    ConcurrentChange,
    FieldViolation,
    InvalidRequest,
    OutOfStock,
    PackageAlreadyExists,
    PackageNotFound,
    ReservationNotFound,
    SerialsAlreadyReceived,
    raise_if_invalid,
)
from inventory.metrics import InventoryMetrics
from inventory.unit_of_work import InventoryUnitOfWork
from servicekit.access import Principal

log = logging.getLogger(__name__)

T = TypeVar("T")
UowFactory = Callable[..., InventoryUnitOfWork]  # (readonly: bool = False) -> unit of work
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Receipt:
    received: int
    stock: Stock


class InventoryService:
    def __init__(self, uow_factory: UowFactory, metrics: InventoryMetrics, *,
                 clock: Clock = utc_now, attempts: int = 3) -> None:
        self._uow = uow_factory
        self._metrics = metrics
        self._clock = clock
        self._attempts = attempts

    # ---- stock ----------------------------------------------------------------------

    def receive_stock(self, actor: Principal, office_code: str, first_serial: str, last_serial: str,
                      delivery_reference: str = "") -> Receipt:
        raise_if_invalid(office_code_violations(office_code)
                         + serial_range_violations(first_serial, last_serial)
                         + text_violations(delivery_reference, "delivery_reference", MAX_REFERENCE_LENGTH))
        actor.require_region(office_code)
        serials, now = SerialRange(first_serial, last_serial), self._clock()
        with self._uow() as uow:
            uow.stock.lock_office(office_code)
            if uow.stock.any_known(serials):
                raise SerialsAlreadyReceived("some serials of this range were already received; nothing was stored")
            uow.stock.add_blanks(office_code, serials, delivery_reference, now)
            stock = uow.stock.stock(office_code)
            uow.add_event(StockReceived(occurred_at=now, office_code=office_code, first_serial=serials.first,
                                        last_serial=serials.last, quantity=serials.quantity,
                                        available=stock.available))
            uow.audit(actor, "stock.receive", "stock", f"{office_code}:{serials.first}-{serials.last}")
            uow.commit()
        log.info("received %d blanks for office %s", serials.quantity, office_code)
        return Receipt(serials.quantity, stock)

    def reserve_blank(self, actor: Principal, office_code: str, idempotency_key: str) -> Reservation:
        """The key's reservation, whatever its state; else the office's lowest available serial."""
        raise_if_invalid(office_code_violations(office_code) + idempotency_key_violations(idempotency_key))
        actor.require_region(office_code)
        try:
            return self._retrying(lambda: self._reserve(actor, office_code, idempotency_key))
        except OutOfStock:
            self._metrics.out_of_stock(office_code)
            raise

    def _reserve(self, actor: Principal, office_code: str, key: str) -> Reservation:
        now = self._clock()
        with self._uow() as uow:
            uow.stock.lock_office(office_code)
            existing = uow.stock.get_reservation(key)
            if existing is not None:  # a repeat changes nothing, so it is not audited again
                actor.require_region(existing.office_code)
                if existing.office_code != office_code:
                    raise InvalidRequest("the idempotency key belongs to another office", violations=[
                        FieldViolation("office_code", "this idempotency_key was used for another office; "
                                                      "send the same office_code or a new key")])
                return existing
            serial = uow.stock.take_lowest_available(office_code, now)
            if serial is None:
                raise OutOfStock(f"no blank cards in stock for office {office_code}")
            reservation = Reservation(key, office_code, serial, reserved_at=now, updated_at=now)
            uow.stock.add_reservation(reservation)
            available = uow.stock.stock(office_code).available
            uow.add_event(StockReserved(occurred_at=now, office_code=office_code, serial=serial,
                                        idempotency_key=key, available=available))
            if available == 0:
                uow.add_event(StockOut(occurred_at=now, office_code=office_code))
            uow.audit(actor, "stock.reserve", "stock", serial)
            uow.commit()
        self._metrics.reserved(office_code)
        return reservation

    def consume_blank(self, actor: Principal, idempotency_key: str, serial: str = "") -> Reservation:
        """Marks the reserved blank as printed; a repeated call returns the same result."""
        raise_if_invalid(idempotency_key_violations(idempotency_key))
        now = self._clock()
        with self._uow() as uow:
            reservation = self._reservation(uow, actor, idempotency_key)
            if not reservation.consume(serial, now):
                return reservation
            uow.stock.set_blank_state(reservation.serial, BlankState.CONSUMED, now)
            uow.stock.update_reservation(reservation)
            uow.add_event(StockConsumed(occurred_at=now, office_code=reservation.office_code,
                                        serial=reservation.serial, idempotency_key=idempotency_key))
            uow.audit(actor, "stock.consume", "stock", reservation.serial)
            uow.commit()
        self._metrics.blank_consumed(reservation.office_code)
        return reservation

    def release_blank(self, actor: Principal, idempotency_key: str, reason: str = "") -> Reservation:
        """Returns the reserved blank to stock; a repeated call returns the same result."""
        raise_if_invalid(idempotency_key_violations(idempotency_key)
                         + text_violations(reason, "reason", MAX_REASON_LENGTH))
        now = self._clock()
        with self._uow() as uow:
            reservation = self._reservation(uow, actor, idempotency_key)
            uow.stock.lock_office(reservation.office_code)
            if not reservation.release(reason, now):
                return reservation
            uow.stock.set_blank_state(reservation.serial, BlankState.AVAILABLE, now)
            uow.stock.update_reservation(reservation)
            available = uow.stock.stock(reservation.office_code).available
            uow.add_event(StockReleased(occurred_at=now, office_code=reservation.office_code,
                                        serial=reservation.serial, idempotency_key=idempotency_key,
                                        available=available))
            uow.audit(actor, "stock.release", "stock", reservation.serial)
            uow.commit()
        return reservation

    def get_stock(self, actor: Principal, office_code: str) -> Stock:
        """Counts of one office; an office that never received blanks has all zeros."""
        raise_if_invalid(office_code_violations(office_code))
        actor.require_view(office_code)
        with self._uow(readonly=True) as uow:
            return uow.stock.stock(office_code)

    def stock_overview(self, actor: Principal, offices: Iterable[str] = ()) -> list[Stock]:
        """Every office holding blanks, plus the given offices (zeros when they hold none),
        of those the actor `sees`."""
        with self._uow(readonly=True) as uow:
            stocks = {stock.office_code: stock for stock in uow.stock.all_stock()}
        for office_code in offices:
            stocks.setdefault(office_code, Stock(office_code))
        return sorted((stock for stock in stocks.values() if actor.sees(stock.office_code)),
                      key=lambda stock: stock.office_code)

    @staticmethod
    def _reservation(uow: InventoryUnitOfWork, actor: Principal, key: str) -> Reservation:
        """The key's reservation, locked, if it belongs to an office in the actor's scope."""
        reservation = uow.stock.get_reservation(key, for_update=True)
        if reservation is None:
            raise ReservationNotFound("no reservation for this idempotency key")
        actor.require_region(reservation.office_code)
        return reservation

    def _retrying(self, attempt: Callable[[], T]) -> T:
        for remaining in reversed(range(self._attempts)):
            try:
                return attempt()
            except ConcurrentChange:
                if not remaining:
                    raise
                log.info("concurrent change; retrying")
        raise AssertionError("unreachable")

    # ---- procurement ----------------------------------------------------------------

    def create_package(self, *, fiscal_year: int, name: str, quantity: int, estimated_value_idr: int,
                       channel: ProcurementChannel, package_id: str | None = None,
                       at: dt.datetime | None = None) -> ProcurementPackage:
        """A new package in status PLANNED (recorded in its history and emitted as an event)."""
        plan = PackagePlan(package_id or uuid.uuid4().hex, fiscal_year, name, quantity, estimated_value_idr,
                           channel, planned_at=at or self._clock())
        with self._uow() as uow:
            package = self._create(uow, plan)
            uow.commit()
        return package

    def change_status(self, package_id: str, status: ProcurementStatus, reason: str = "",
                      at: dt.datetime | None = None) -> ProcurementPackage:
        raise_if_invalid(text_violations(reason, "reason", MAX_REASON_LENGTH))
        with self._uow() as uow:
            package = uow.procurement.get(package_id, for_update=True)
            if package is None:
                raise PackageNotFound("no procurement package with this id")
            change = package.change_status(status, reason, at or self._clock())
            uow.procurement.update(package)
            self._record(uow, package, change)
            uow.commit()
        return package

    def list_packages(self, actor: Principal) -> list[ProcurementPackage]:
        """National procurement: not scoped, every caller the gate admits may read it."""
        with self._uow(readonly=True) as uow:
            return uow.procurement.list()

    def package_history(self, package_id: str) -> list[StatusChange]:
        with self._uow(readonly=True) as uow:
            return uow.procurement.history(package_id)

    def seed_packages(self, marker: str, plans: Sequence[PackagePlan]) -> bool:
        """Creates the packages with their histories once; False when `marker` was loaded before."""
        with self._uow() as uow:
            if uow.demo.is_loaded(marker):
                return False
            for plan in plans:
                self._create(uow, plan)
            uow.demo.mark_loaded(marker, self._clock())
            uow.commit()
        return True

    def _create(self, uow: InventoryUnitOfWork, plan: PackagePlan) -> ProcurementPackage:
        raise_if_invalid(package_violations(plan.package_id, plan.fiscal_year, plan.name, plan.quantity,
                                            plan.estimated_value_idr))
        if uow.procurement.exists(plan.package_id):
            raise PackageAlreadyExists("a procurement package with this id already exists")
        package = ProcurementPackage(
            plan.package_id, plan.fiscal_year, plan.name, plan.quantity, plan.estimated_value_idr,
            plan.channel, ProcurementStatus.PLANNED, status_reason="", status_changed_at=plan.planned_at)
        changes = [StatusChange(package.package_id, package.status, "", plan.planned_at)]
        changes += [package.change_status(step.status, step.reason, step.at) for step in plan.steps]
        uow.procurement.add(package)
        for change in changes:
            self._record(uow, package, change)
        return package

    @staticmethod
    def _record(uow: InventoryUnitOfWork, package: ProcurementPackage, change: StatusChange) -> None:
        uow.procurement.add_history(change)
        uow.add_event(ProcurementStatusChanged(
            occurred_at=change.changed_at, package_id=package.package_id, fiscal_year=package.fiscal_year,
            quantity=package.quantity, status=change.status, reason=change.reason))
