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
    CENTRAL_OFFICE,
    MAX_BACKLOG,
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    OFFICE_TIME,
    BacklogSource,
    BlankRequest,
    BlankRequestChanged,
    BlankState,
    ContractTerms,
    DayUsage,
    Delivery,
    DeliveryReceived,
    Forecast,
    LedgerKind,
    Office,
    PackagePlan,
    ProcurementChannel,
    ProcurementPackage,
    ProcurementStatus,
    ProcurementStatusChanged,
    RequestKind,
    RequestState,
    Reservation,
    ReservationState,
    SerialRange,
    StatusChange,
    Stock,
    StockConsumed,
    StockLevel,
    StockLow,
    StockOut,
    StockReserved,
    StockSpoiled,
    StockThresholds,
    Transfer,
    daily_totals,
    expected_arrival,
    future_violations,
    idempotency_key_violations,
    ledger_office_violations,
    level_crossed,
    office_code_violations,
    package_violations,
    range_texts,
    request_violations,
    required_text_violations,
    serial_range_violations,
    stock_level,
    stock_out_days,
    supplier_for,
    text_violations,
)
from inventory.domain import (
    forecast as project_forecast,
)
from inventory.errors import (
    BlankNotPrinted,
    ConcurrentChange,
    FieldViolation,
    InvalidRequest,
    OfficeNotFound,
    OutOfStock,
    PackageAlreadyExists,
    PackageNotFound,
    RequestNotFound,
    ReservationNotFound,
    SerialMismatch,
    raise_if_invalid,
)
from inventory.ledger_service import DEFAULT_TTL, LedgerUseCases
from inventory.metrics import InventoryMetrics
from inventory.unit_of_work import InventoryUnitOfWork
from servicekit.access import Principal
from servicekit.batching import GroupCommit

log = logging.getLogger(__name__)

T = TypeVar("T")
UowFactory = Callable[..., InventoryUnitOfWork]  # (readonly: bool = False) -> unit of work
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class PackageDetail:
    package: ProcurementPackage
    history: list[StatusChange]
    deliveries: list[Delivery]


@dataclass(frozen=True)
class Receipt:
    received: int
    stock: Stock


class InventoryService(LedgerUseCases):
    """The inventory use cases; the ledger's (offices, transfers, loans, spoilage, counts,
    reservation expiry, receipts into the ledger) come from LedgerUseCases (ledger_service.py)."""

    def __init__(self, uow_factory: UowFactory, metrics: InventoryMetrics, *,
                 clock: Clock = utc_now, attempts: int = 3, thresholds: StockThresholds = StockThresholds(),
                 reservation_ttl: dt.timedelta = DEFAULT_TTL) -> None:
        self._uow = uow_factory
        self._metrics = metrics
        self._clock = clock
        self._attempts = attempts
        self._reservation_ttl = reservation_ttl   # an unconsumed reservation returns to stock after this
        self._thresholds = thresholds   # stock low / out events and the forecast
        # Reserve and consume calls that arrive together share one transaction (servicekit.batching).
        self._holds: GroupCommit[tuple, tuple[Reservation, bool]] = GroupCommit(self._hold_batch, max_batch=64)

    # ---- stock ----------------------------------------------------------------------

    def receive_stock(self, actor: Principal, office_code: str, first_serial: str, last_serial: str,
                      delivery_reference: str = "") -> Receipt:
        """A delivery of an inclusive serial range into an office's stock (RECEIVED in the ledger);
        a serial known anywhere already refuses the whole range. "ID" is the central store."""
        raise_if_invalid(ledger_office_violations(office_code)
                         + serial_range_violations(first_serial, last_serial)
                         + text_violations(delivery_reference, "delivery_reference", MAX_REFERENCE_LENGTH))
        actor.require_region(office_code)
        serials, now = SerialRange(first_serial, last_serial), self._clock()
        with self._uow() as uow:
            stock = self.book_receipt(uow, actor, office_code, serials, delivery_reference, now)
            uow.audit(actor, "stock.receive", "stock", f"{office_code}:{serials.first}-{serials.last}")
            uow.commit()
        log.info("received %d blanks for office %s", serials.quantity, office_code)
        return Receipt(serials.quantity, stock)

    def reserve_blank(self, actor: Principal, office_code: str, idempotency_key: str) -> Reservation:
        """The key's reservation, whatever its state (reserved, consumed, released); else the
        office's lowest available serial, held until `expires_at`. A key whose reservation
        expired (or is past its expiry) gets a fresh hold, possibly on another serial."""
        raise_if_invalid(office_code_violations(office_code) + idempotency_key_violations(idempotency_key))
        actor.require_region(office_code)
        try:
            reservation, booked = self._holds.submit((self._reserve, actor, office_code, idempotency_key))
        except OutOfStock:
            self._metrics.out_of_stock(office_code)
            raise
        if booked:
            self._metrics.reserved(office_code)
        return reservation

    def _hold_batch(self, items: Sequence[tuple]) -> list[tuple[Reservation, bool]]:
        """Reserve and consume steps, each `(step, actor, *arguments)`, in one transaction: one
        commit for all. Any refusal fails the whole batch, which GroupCommit then runs item by
        item, so a refusal (OUT_OF_STOCK, say) reaches only its own caller and nothing of it is
        stored."""
        def attempt() -> list[tuple[Reservation, bool]]:
            now = self._clock()
            with self._uow() as uow:
                results = [step(uow, now, actor, *arguments) for step, actor, *arguments in items]
                uow.commit()
            return results
        return self._retrying(attempt)

    def _reserve(self, uow: InventoryUnitOfWork, now: dt.datetime, actor: Principal, office_code: str,
                 key: str) -> tuple[Reservation, bool]:
        """One reservation inside the batch's unit of work; True when it booked a blank."""
        uow.stock.lock_office(office_code)
        existing = uow.stock.get_reservation(key, for_update=True)
        if existing is not None:
            actor.require_region(existing.office_code)
            if existing.office_code != office_code:
                raise InvalidRequest("the idempotency key belongs to another office", violations=[
                    FieldViolation("office_code", "this idempotency_key was used for another office; "
                                                  "send the same office_code or a new key")])
            if existing.expire(now):       # overdue, not swept yet: its blank goes back first
                self._return_to_stock(uow, actor, existing, now)
                uow.audit(actor, "stock.expire", "stock", existing.serial)
            if existing.state is not ReservationState.EXPIRED:
                return existing, False     # a repeat changes nothing, so it is not audited again
        serial = uow.stock.take_lowest_available(office_code, now)
        if serial is None:
            raise OutOfStock(f"no blank cards in stock for office {office_code}")
        expires_at = now + self._reservation_ttl
        if existing is not None:
            reservation = existing
            reservation.renew(serial, now, expires_at)
            uow.stock.update_reservation(reservation)
        else:
            reservation = Reservation(key, office_code, serial, reserved_at=now, updated_at=now,
                                      expires_at=expires_at)
            uow.stock.add_reservation(reservation)
        serials = [SerialRange(serial, serial)]
        available = self._book(uow, actor, office_code, LedgerKind.RESERVED, serials, now).available
        uow.add_event(StockReserved(occurred_at=now, office_code=office_code, serial=serial,
                                    idempotency_key=key, available=available))
        uow.audit(actor, "stock.reserve", "stock", serial)
        return reservation, True

    def consume_blank(self, actor: Principal, idempotency_key: str, serial: str = "") -> Reservation:
        """Marks the reserved blank as printed; a repeated call returns the same result. After
        the reservation's expiry: ReservationExpired (FAILED_PRECONDITION), nothing stored."""
        raise_if_invalid(idempotency_key_violations(idempotency_key))
        reservation, booked = self._holds.submit((self._consume, actor, idempotency_key, serial))
        if booked:
            self._metrics.blank_consumed(reservation.office_code)
        return reservation

    def _consume(self, uow: InventoryUnitOfWork, now: dt.datetime, actor: Principal, idempotency_key: str,
                 serial: str) -> tuple[Reservation, bool]:
        """One consumption inside the batch's unit of work; True when it booked the blank."""
        reservation = self._reservation(uow, actor, idempotency_key)
        if not reservation.consume(serial, now):
            return reservation, False
        uow.stock.set_blank_state(reservation.serial, BlankState.CONSUMED, now)
        uow.stock.update_reservation(reservation)
        self._book(uow, actor, reservation.office_code, LedgerKind.CONSUMED,
                   [SerialRange(reservation.serial, reservation.serial)], now)
        uow.add_event(StockConsumed(occurred_at=now, office_code=reservation.office_code,
                                    serial=reservation.serial, idempotency_key=idempotency_key))
        uow.audit(actor, "stock.consume", "stock", reservation.serial)
        return reservation, True

    def release_blank(self, actor: Principal, idempotency_key: str, reason: str = "") -> Reservation:
        """Returns the reserved blank to stock; a repeated call (or one after the reservation
        expired) returns the same result."""
        raise_if_invalid(idempotency_key_violations(idempotency_key)
                         + text_violations(reason, "reason", MAX_REASON_LENGTH))
        now = self._clock()
        with self._uow() as uow:
            reservation = self._reservation(uow, actor, idempotency_key)
            if not reservation.release(reason, now):
                return reservation
            self._return_to_stock(uow, actor, reservation, now)
            uow.audit(actor, "stock.release", "stock", reservation.serial)
            uow.commit()
        return reservation

    def spoil_printed_blank(self, actor: Principal, idempotency_key: str, serial: str, cause: str) -> Stock:
        """A printed card found misprinted or damaged (documents' reprint): the blank consumed
        under the key becomes spoiled with the cause (a MISPRINTED ledger entry: consumed -1,
        spoiled +1, on hand unchanged; StockSpoiled). A repeat changes nothing. The office's
        stock afterwards."""
        raise_if_invalid(idempotency_key_violations(idempotency_key)
                         + required_text_violations(cause, "cause", MAX_REASON_LENGTH))
        now = self._clock()
        with self._uow() as uow:
            reservation = self._reservation(uow, actor, idempotency_key)
            if serial and serial != reservation.serial:
                raise SerialMismatch("the serial is not the one reserved for this key")
            office, serials = reservation.office_code, [SerialRange(reservation.serial, reservation.serial)]
            if any(state == BlankState.SPOILED.value for *_, state in uow.ledger.states(serials)):
                return uow.stock.stock(office)   # spoiled already: a repeat
            if reservation.state is not ReservationState.CONSUMED:
                raise BlankNotPrinted("Blanko untuk kunci ini belum dicetak; blanko yang belum dicetak dilepas, "
                                      "bukan dirusakkan.")
            self._move(uow, serials, office, BlankState.CONSUMED, BlankState.SPOILED, now)
            balance = self._book(uow, actor, office, LedgerKind.MISPRINTED, serials, now, cause=cause.strip())
            uow.add_event(StockSpoiled(occurred_at=now, office_code=office, serial_ranges=range_texts(serials),
                                       quantity=1, cause=cause.strip(), record_id="", available=balance.available))
            uow.audit(actor, "stock.spoil", "stock", reservation.serial)
            stock = uow.stock.stock(office)
            uow.commit()
        log.info("printed blank %s of office %s spoiled", reservation.serial, office)
        return stock

    def get_stock(self, actor: Principal, office_code: str) -> Stock:
        """Counts of one office; an office that never received blanks has all zeros."""
        raise_if_invalid(ledger_office_violations(office_code))
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
        """The key's reservation, locked (its office first, then the row: the order every
        use case locks in), if it belongs to an office in the actor's scope."""
        reservation = uow.stock.lock_reservation(key)
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

    # ---- procurement (national: recorded by the provincial admin for Ditjen, not region-scoped) ----

    def create_package(self, actor: Principal, *, fiscal_year: int, name: str, quantity: int,
                       estimated_value_idr: int, channel: ProcurementChannel, package_id: str | None = None,
                       at: dt.datetime | None = None) -> ProcurementPackage:
        """A new package in status PLANNED (recorded in its history and emitted as an event)."""
        now = self._clock()
        at = at or now
        raise_if_invalid(future_violations(at, now, "planned_at"))
        plan = PackagePlan(package_id or uuid.uuid4().hex, fiscal_year, name, quantity, estimated_value_idr,
                           channel, planned_at=at)
        with self._uow() as uow:
            package = self._create(uow, plan)
            uow.audit(actor, "procurement.create", "procurement", package.package_id)
            uow.commit()
        return package

    def change_status(self, actor: Principal, package_id: str, status: ProcurementStatus, reason: str = "",
                      at: dt.datetime | None = None, terms: ContractTerms = ContractTerms()) -> ProcurementPackage:
        """One dated step of the lifecycle; an illegal step is FAILED_PRECONDITION, nothing stored."""
        now = self._clock()
        at = at or now
        raise_if_invalid(future_violations(at, now, "changed_at"))
        with self._uow() as uow:
            package = self._package(uow, package_id, for_update=True)
            change = package.change_status(status, reason.strip(), at, terms)
            uow.procurement.update(package)
            self._record(uow, package, change)
            uow.audit(actor, "procurement.status", "procurement", package_id)
            uow.commit()
        log.info("procurement package status changed to %s", status.value)
        return package

    def record_delivery(self, actor: Principal, package_id: str, first_serial: str, last_serial: str,
                        delivered_at: dt.datetime | None = None, reference: str = "") -> Delivery:
        """A (partial) delivery of a contracted package: its serials enter the central store
        (Ditjen) through the ledger, in the same transaction as the delivery and its events."""
        now = self._clock()
        at = delivered_at or now
        raise_if_invalid(serial_range_violations(first_serial, last_serial)
                         + text_violations(reference, "reference", MAX_REFERENCE_LENGTH)
                         + future_violations(at, now, "delivered_at"))
        serials = SerialRange(first_serial, last_serial)
        with self._uow() as uow:
            package = self._package(uow, package_id, for_update=True)
            change = package.record_delivery(serials, at)
            delivery = Delivery(package_id, uow.procurement.next_delivery_sequence(package_id), CENTRAL_OFFICE,
                                serials.first, serials.last, serials.quantity, at,
                                reference.strip() or f"{package_id}#{package.delivered}")
            self.book_receipt(uow, actor, CENTRAL_OFFICE, serials, delivery.reference, at)   # the ledger's receipt
            uow.procurement.update(package)
            uow.procurement.add_delivery(delivery, recorded_at=now)
            if change is not None:
                self._record(uow, package, change)
            uow.add_event(DeliveryReceived(
                occurred_at=at, package_id=package_id, sequence=delivery.sequence, office_code=delivery.office_code,
                first_serial=delivery.first_serial, last_serial=delivery.last_serial, quantity=delivery.quantity,
                delivered_total=package.delivered))
            uow.audit(actor, "procurement.delivery", "procurement",
                      f"{package_id}:{delivery.first_serial}-{delivery.last_serial}")
            uow.commit()
        log.info("procurement delivery of %d blanks recorded", delivery.quantity)
        return delivery

    def list_packages(self, actor: Principal) -> list[ProcurementPackage]:
        """National procurement: not scoped, every caller the gate admits may read it."""
        with self._uow(readonly=True) as uow:
            return uow.procurement.list()

    def get_package(self, actor: Principal, package_id: str) -> PackageDetail:
        """A package with its dated history and its deliveries."""
        with self._uow(readonly=True) as uow:
            package = self._package(uow, package_id)
            return PackageDetail(package, uow.procurement.history(package_id), uow.procurement.deliveries(package_id))

    def package_history(self, actor: Principal, package_id: str) -> list[StatusChange]:
        return self.get_package(actor, package_id).history

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

    @staticmethod
    def _package(uow: InventoryUnitOfWork, package_id: str, *, for_update: bool = False) -> ProcurementPackage:
        package = uow.procurement.get(package_id, for_update=for_update)
        if package is None:
            raise PackageNotFound("Paket pengadaan tidak ditemukan.")
        return package

    def _create(self, uow: InventoryUnitOfWork, plan: PackagePlan) -> ProcurementPackage:
        raise_if_invalid(package_violations(plan.package_id, plan.fiscal_year, plan.name, plan.quantity,
                                            plan.estimated_value_idr))
        if uow.procurement.exists(plan.package_id):
            raise PackageAlreadyExists("a procurement package with this id already exists")
        package = ProcurementPackage(
            plan.package_id, plan.fiscal_year, plan.name.strip(), plan.quantity, plan.estimated_value_idr,
            plan.channel, ProcurementStatus.PLANNED, status_reason="", status_changed_at=plan.planned_at)
        changes = [StatusChange(package.package_id, package.status, "", plan.planned_at)]
        changes += [package.change_status(step.status, step.reason, step.at, step.terms) for step in plan.steps]
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

    # ---- requests for blanks: allocations and loans (H6) -----------------------------------

    def create_request(self, actor: Principal, *, kind: RequestKind, office_code: str, quantity: int,
                       backlog: int, backlog_source: BacklogSource = BacklogSource.OFFICER,
                       lender_office: str = "", note: str = "") -> BlankRequest:
        """A kabupaten asks its province (allocation) or another kabupaten of its province (loan)
        for blanks, sized by its print-ready backlog (given, with its source)."""
        raise_if_invalid(request_violations(kind, office_code, lender_office, quantity, backlog, note))
        actor.require_region(office_code)
        now = self._clock()
        request = BlankRequest(str(uuid.uuid4()), kind, office_code, supplier_for(kind, office_code, lender_office),
                               quantity, backlog, backlog_source, note.strip(), RequestState.SUBMITTED,
                               requested_at=now, requested_by=actor.subject)
        with self._uow() as uow:
            self._require_offices(uow, request)
            uow.requests.add(request)
            self._request_event(uow, request, now)
            uow.audit(actor, "request.create", "blank_request", request.request_id)
            uow.commit()
        log.info("blank request of kind %s submitted", kind.value)
        return request

    def decide_request(self, actor: Principal, request_id: str, *, approve: bool, quantity: int = 0,
                       reason: str = "") -> BlankRequest:
        """The supplier approves (all or part: the blanks leave as a transfer or a loan, in the
        same transaction) or rejects with a reason."""
        now = self._clock()
        with self._uow() as uow:
            request = self._request(uow, request_id, for_update=True)
            actor.require_region(request.supplier_office)
            if approve:
                request.approve(quantity, reason, actor.subject, now)
                transfer = self._dispatch(uow, actor, request)
                request.dispatched(transfer.transfer_id)
            else:
                request.reject(reason, actor.subject, now)
            uow.requests.update(request)
            self._request_event(uow, request, now)
            uow.audit(actor, "request.approve" if approve else "request.reject", "blank_request", request_id)
            uow.commit()
        return request

    def receive_request(self, actor: Principal, request_id: str) -> BlankRequest:
        """The requesting office confirms the blanks arrived: the transfer is booked in; a
        repeated confirmation returns the same request."""
        now = self._clock()
        with self._uow() as uow:
            request = self._request(uow, request_id, for_update=True)
            actor.require_region(request.office_code)
            if not request.mark_received(now):
                return request
            self._receive_transfer_in(uow, actor, request.transfer_id)   # TRANSFERRED_IN at the asker
            uow.requests.update(request)
            self._request_event(uow, request, now)
            uow.audit(actor, "request.receive", "blank_request", request_id)
            uow.commit()
        return request

    def withdraw_request(self, actor: Principal, request_id: str) -> BlankRequest:
        """The asking office cancels its request before the supplier decides."""
        now = self._clock()
        with self._uow() as uow:
            request = self._request(uow, request_id, for_update=True)
            actor.require_region(request.office_code)
            request.withdraw(actor.subject, now)
            uow.requests.update(request)
            self._request_event(uow, request, now)
            uow.audit(actor, "request.withdraw", "blank_request", request_id)
            uow.commit()
        return request

    def get_request(self, actor: Principal, request_id: str) -> BlankRequest:
        """A request the actor's region asks or supplies."""
        with self._uow(readonly=True) as uow:
            request = self._request(uow, request_id)
        if not (actor.sees(request.office_code) or actor.sees(request.supplier_office)):
            actor.require_view(request.office_code)
        return request

    def list_requests(self, actor: Principal, state: RequestState | None = None, limit: int = 100) -> list[BlankRequest]:
        """Requests the actor's region asks or supplies (a service: all), newest first."""
        raise_if_invalid([] if 0 < limit <= 500 else [FieldViolation("limit", "1 sampai 500")])
        province = None if actor.is_service else [actor.scope.split(".")[0]]
        with self._uow(readonly=True) as uow:
            requests = uow.requests.list(province, state, limit)
        return [r for r in requests if actor.sees(r.office_code) or actor.sees(r.supplier_office)]

    @staticmethod
    def _request(uow: InventoryUnitOfWork, request_id: str, *, for_update: bool = False) -> BlankRequest:
        request = uow.requests.get(request_id, for_update=for_update) if len(request_id) <= 36 else None
        if request is None:
            raise RequestNotFound("Permintaan blanko tidak ditemukan.")
        return request

    @staticmethod
    def _require_offices(uow: InventoryUnitOfWork, request: BlankRequest) -> None:
        """Both offices must be registered stock-holding offices."""
        field_of = {request.office_code: "office_code",
                    request.supplier_office: "lender_office" if request.kind is RequestKind.LOAN else "office_code"}
        missing = [FieldViolation(field_of[code], f"kantor {code} belum terdaftar sebagai pemegang stok blanko")
                   for code in (request.office_code, request.supplier_office) if uow.ledger.get_office(code) is None]
        raise_if_invalid(missing)

    @staticmethod
    def _request_event(uow: InventoryUnitOfWork, request: BlankRequest, at: dt.datetime) -> None:
        uow.add_event(BlankRequestChanged(
            occurred_at=at, office_code=request.office_code, request_id=request.request_id, kind=request.kind,
            supplier_office=request.supplier_office, state=request.state,
            quantity_requested=request.quantity_requested, quantity_approved=request.quantity_approved,
            transfer_id=request.transfer_id, reason=request.decision_reason))

    def _dispatch(self, uow: InventoryUnitOfWork, actor: Principal, request: BlankRequest) -> Transfer:
        """The approved blanks leave the supplier: a loan for a loan request, else a transfer."""
        reference = f"Permintaan {request.request_id[:8]}"
        if request.kind is RequestKind.LOAN:
            return self._loan_in(uow, actor, request.supplier_office, request.office_code,
                                 request.quantity_approved, reference)
        return self._transfer_in(uow, actor, request.supplier_office, request.office_code,
                                 request.quantity_approved, reference)

    # ---- forecast and stock levels (H6) ----------------------------------------------------

    def forecast(self, actor: Principal, office_code: str, backlog: int = 0) -> Forecast:
        """Days of cover of one office, its projected stock-out date and the expected arrival
        of blanks from procurement (unknown when the tender is postponed or cancelled)."""
        raise_if_invalid(ledger_office_violations(office_code)
                         + ([] if 0 <= backlog <= MAX_BACKLOG else [FieldViolation(
                             "backlog", f"jumlah perekaman siap cetak 0 sampai {MAX_BACKLOG:,}".replace(",", "."))]))
        actor.require_view(office_code)
        with self._uow(readonly=True) as uow:
            return self._forecast(uow, office_code, backlog, uow.procurement.list())

    def announcement(self, office_code: str) -> tuple[Office, Forecast]:
        """The public daily stock announcement of a registered office (no actor: the page is
        public by policy): counts and procurement status only, nothing about any resident."""
        raise_if_invalid(ledger_office_violations(office_code))
        with self._uow(readonly=True) as uow:
            office = uow.ledger.get_office(office_code)
            if office is None:
                raise OfficeNotFound("Kantor ini tidak terdaftar sebagai pemegang stok blanko.")
            return office, self._forecast(uow, office_code, 0, uow.procurement.list())

    def forecasts(self, actor: Principal, offices: Iterable[str] = ()) -> list[Forecast]:
        """The forecast (without a backlog) of every office holding blanks the actor sees."""
        with self._uow(readonly=True) as uow:
            packages = uow.procurement.list()
            codes = {stock.office_code for stock in uow.stock.all_stock()} | set(offices)
            return [self._forecast(uow, code, 0, packages) for code in sorted(codes) if actor.sees(code)]

    def _forecast(self, uow: InventoryUnitOfWork, office_code: str, backlog: int,
                  packages: Sequence[ProcurementPackage]) -> Forecast:
        now = self._clock()
        today = now.astimezone(OFFICE_TIME).date()
        stock = uow.stock.stock(office_code)
        return project_forecast(office_code, stock.available, stock.available + stock.reserved, backlog,
                                self._usage(uow, office_code, today), expected_arrival(packages, today), today,
                                self._thresholds)

    def _usage(self, uow: InventoryUnitOfWork, office_code: str, today: dt.date) -> list[DayUsage]:
        """Blanks consumed per day over the recent window (today, still running, left out); a
        day the office had no stock, or had not yet been stocked, is marked stocked out."""
        window = self._thresholds.window_days
        first, last = today - dt.timedelta(days=window), today - dt.timedelta(days=1)
        since = dt.datetime.combine(first, dt.time(), OFFICE_TIME)
        daily = daily_totals(uow.ledger.consumed_since(office_code, since), last, window)
        out = stock_out_days(uow.levels.out_periods(office_code, since), first, last, OFFICE_TIME)
        stocked = uow.levels.first_stocked_at(office_code)
        first_stocked = stocked.astimezone(OFFICE_TIME).date() if stocked else today
        return [DayUsage(d.day, d.consumed, d.day in out or d.day < first_stocked) for d in daily]

    def track_level(self, uow: InventoryUnitOfWork, office_code: str, available: int, at: dt.datetime,
                    *, previous: int) -> None:
        """Called by every ledger booking (`_book`) in its transaction: records the office's stock
        level when it changes and emits StockLow / StockOut once when it falls to that level (not
        again while it stays there; a recovery emits nothing and re-arms the next fall). A fall
        that stays above the low threshold (most reservations) reads and writes nothing."""
        if available == previous:
            return
        level = stock_level(available, self._thresholds)
        if available < previous and level is StockLevel.OK:
            return
        before = uow.levels.current(office_code) or stock_level(previous, self._thresholds)
        if level is before:
            return
        uow.levels.set(office_code, level, at)
        fallen = level_crossed(before, level) if available < previous else None
        if fallen is StockLevel.OUT:
            uow.add_level_event(StockOut(occurred_at=at, office_code=office_code))
        elif fallen is StockLevel.LOW:
            uow.add_level_event(StockLow(occurred_at=at, office_code=office_code, available=available,
                                         threshold=self._thresholds.low_blanks))
