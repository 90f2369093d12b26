"""Use cases of the blank-card ledger by serial: offices, transfers, loans and repayments,
spoilage with its witnessed destruction, losses, physical counts, the ledger itself and the
expiry of reservations.

`InventoryService` (service.py) inherits these, so callers (the servicer, the pages, the
requests/allocations workflows) use one service object. Rules of every use case here:

- the actor comes first; the office's region is checked once it is known (`require_region`
  for a movement, `require_view` for a read);
- one unit of work, committed once: every stock change appends its ledger entries (one per
  serial range), updates the office's balance row and the serials' states, writes its event to
  the outbox and its audit entry, all in the same transaction, or stores nothing;
- offices are locked in code order before anything else (PostgreSQL advisory locks; SQLite's
  `BEGIN IMMEDIATE` serialises writers anyway), then reservation rows, then balance rows, so
  concurrent use cases never deadlock.

On hand = blanks physically at an office (available + reserved). A transfer (allocation, loan
or repayment) leaves the sender's on hand at dispatch and enters the receiver's at receipt;
in between its serials are IN_TRANSIT and belong to no office's on hand.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from inventory.domain import (
    DEFAULT_RESERVATION_MINUTES,
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    OFFICE_TIME,
    Balance,
    BalanceCheck,
    BlankState,
    CountReport,
    DailyConsumption,
    DestructionRecord,
    LedgerEntry,
    LedgerFilter,
    LedgerKind,
    Office,
    Reservation,
    SerialRange,
    Stock,
    StockCounted,
    StockLost,
    StockReceived,
    StockReleased,
    StockSpoiled,
    StockTransferred,
    Transfer,
    TransferKind,
    TransferReceived,
    TransferStatus,
    Witness,
    compress,
    daily_totals,
    ledger_filter_violations,
    ledger_office_violations,
    loan_violations,
    office_level,
    office_violations,
    on_hand_from_ledger,
    parent_office,
    quantity_violations,
    range_texts,
    ranges_violations,
    required_text_violations,
    text_violations,
    total,
    transfer_violations,
    variance,
    witness_violations,
)
from inventory.errors import (
    FieldViolation,
    OfficeAlreadyExists,
    OfficeNotFound,
    OutOfStock,
    SerialsAlreadyReceived,
    SerialsNotHeld,
    TransferNotFound,
    raise_if_invalid,
)
from inventory.unit_of_work import InventoryUnitOfWork
from servicekit.access import Principal

log = logging.getLogger(__name__)

MAX_COUNTED = 1_000_000       # serials in one physical count
STATE_NAMES = {"available": "tersedia", "reserved": "dipesan", "consumed": "tercetak", "in_transit": "dalam kiriman",
               "spoiled": "rusak", "lost": "hilang"}
DEFAULT_TTL = dt.timedelta(minutes=DEFAULT_RESERVATION_MINUTES)


@dataclass(frozen=True)
class Repayment:
    """A repayment dispatched (IN_TRANSIT to the lender) and the loan it reduces."""

    transfer: Transfer
    loan: Transfer


class LedgerUseCases:
    """Mixed into InventoryService, which provides the unit of work, clock and metrics."""

    _uow: Callable[..., InventoryUnitOfWork]
    _clock: Callable[[], dt.datetime]
    _reservation_ttl: dt.timedelta = DEFAULT_TTL

    # ---- offices ------------------------------------------------------------------

    def register_office(self, actor: Principal, code: str, name: str) -> Office:
        """Registers a stock-holding office: central "ID", a province, a kabupaten/kota or a
        kecamatan (UPT). Its parent office must be registered first (central needs none)."""
        raise_if_invalid(office_violations(code, name))
        actor.require_region(code)
        with self._uow() as uow:
            office = self._register(uow, code, name.strip())
            uow.audit(actor, "office.register", "office", code)
            uow.commit()
        return office

    def _register(self, uow: InventoryUnitOfWork, code: str, name: str) -> Office:
        if uow.ledger.get_office(code) is not None:
            raise OfficeAlreadyExists(f"Kantor {code} sudah terdaftar.")
        parent = parent_office(code)
        if parent is not None and uow.ledger.get_office(parent) is None:
            raise OfficeNotFound(f"Daftarkan dulu kantor induknya, {parent}.")
        office = Office(code, name, office_level(code), parent, self._clock())
        uow.ledger.add_office(office)
        return office

    def seed_offices(self, actor: Principal, offices: Sequence[tuple[str, str]]) -> int:
        """Registers the (code, name) offices not yet registered, parents first; how many were new.
        Seed data (the demo), like `seed_packages`: not audited, unlike `register_office`."""
        for code, name in offices:
            raise_if_invalid(office_violations(code, name))
            actor.require_region(code)
        added = 0
        with self._uow() as uow:
            for code, name in sorted(offices, key=lambda o: (o[0] != "ID", o[0].count("."), o[0])):
                if uow.ledger.get_office(code) is None:
                    self._register(uow, code, name)
                    added += 1
            uow.commit()
        return added

    def list_offices(self, actor: Principal) -> list[Office]:
        """The registered offices the actor sees (a service sees all, central included)."""
        with self._uow(readonly=True) as uow:
            return [o for o in uow.ledger.list_offices() if actor.sees(o.code)]

    # ---- transfers, loans, repayments ---------------------------------------------

    def transfer(self, actor: Principal, from_office: str, to_office: str, quantity: int,
                 reference: str) -> Transfer:
        """Dispatches the `quantity` lowest available serials of `from_office` to `to_office`
        (an allocation). Both offices must be registered; the actor's scope must cover the
        sender. The transfer is IN_TRANSIT until `receive_transfer`: a TRANSFERRED_OUT entry at
        the sender now, TRANSFERRED_IN at the receiver then. Not enough available blanks:
        OutOfStock, nothing stored."""
        raise_if_invalid(transfer_violations(from_office, to_office, quantity, reference))
        actor.require_region(from_office)
        with self._uow() as uow:
            transfer = self._transfer_in(uow, actor, from_office, to_office, quantity, reference)
            uow.commit()
        return transfer

    def loan(self, actor: Principal, from_office: str, to_office: str, quantity: int, reference: str) -> Transfer:
        """Lends blanks between two kabupaten/kota of one province: a transfer of kind LOAN
        (LOANED at the lender), received like any transfer, repaid with `repay`."""
        raise_if_invalid(transfer_violations(from_office, to_office, quantity, reference)
                         or loan_violations(from_office, to_office))
        actor.require_region(from_office)
        with self._uow() as uow:
            transfer = self._loan_in(uow, actor, from_office, to_office, quantity, reference)
            uow.commit()
        return transfer

    def repay(self, actor: Principal, loan_id: str, quantity: int, reference: str = "") -> Repayment:
        """The borrower sends `quantity` blanks back against a received loan (kind REPAYMENT,
        REPAID at the borrower, TRANSFERRED_IN at the lender once received). At most what is
        still owed; the loan's `repaid` grows at dispatch."""
        raise_if_invalid(quantity_violations(quantity)
                         + text_violations(reference, "reference", MAX_REFERENCE_LENGTH))
        with self._uow() as uow:
            loan = uow.ledger.get_transfer(loan_id)
            if loan is None:
                raise TransferNotFound("Pinjaman ini tidak ditemukan.")
            actor.require_region(loan.to_office)
            self._lock(uow, loan.to_office, loan.from_office)
            loan = uow.ledger.get_transfer(loan_id, for_update=True)
            assert loan is not None
            loan.record_repayment(quantity)
            uow.ledger.update_transfer(loan)
            repayment = self._dispatch_in(uow, actor, TransferKind.REPAYMENT, loan.to_office, loan.from_office,
                                          quantity, reference or loan.reference, loan_id=loan.transfer_id)
            uow.commit()
        return Repayment(repayment, loan)

    def receive_transfer(self, actor: Principal, transfer_id: str) -> Transfer:
        """The receiving office books the transfer in (TRANSFERRED_IN); receiving it again
        returns it unchanged. The actor's scope must cover the receiving office."""
        raise_if_invalid([] if transfer_id.strip() and len(transfer_id) <= 36
                         else [FieldViolation("transfer_id", "wajib diisi, paling banyak 36 karakter")])
        with self._uow() as uow:
            found = uow.ledger.get_transfer(transfer_id)
            if found is None:
                raise TransferNotFound("Pengiriman ini tidak ditemukan.")
            actor.require_region(found.to_office)
            transfer = self._receive_transfer_in(uow, actor, transfer_id)
            uow.commit()
        return transfer

    # Inside another use case's unit of work (e.g. approving a request dispatches its transfer in
    # the same transaction). These check the input and the stock, not the actor's region: the
    # calling use case has decided who may do it. They never commit.

    def _transfer_in(self, uow: InventoryUnitOfWork, actor: Principal, from_office: str, to_office: str,
                     quantity: int, reference: str) -> Transfer:
        raise_if_invalid(transfer_violations(from_office, to_office, quantity, reference))
        self._lock(uow, from_office, to_office)
        return self._dispatch_in(uow, actor, TransferKind.ALLOCATION, from_office, to_office, quantity, reference)

    def _loan_in(self, uow: InventoryUnitOfWork, actor: Principal, from_office: str, to_office: str,
                 quantity: int, reference: str) -> Transfer:
        raise_if_invalid(transfer_violations(from_office, to_office, quantity, reference)
                         or loan_violations(from_office, to_office))
        self._lock(uow, from_office, to_office)
        return self._dispatch_in(uow, actor, TransferKind.LOAN, from_office, to_office, quantity, reference)

    def _receive_transfer_in(self, uow: InventoryUnitOfWork, actor: Principal, transfer_id: str) -> Transfer:
        found = uow.ledger.get_transfer(transfer_id)
        if found is None:
            raise TransferNotFound("Pengiriman ini tidak ditemukan.")
        self._lock(uow, found.from_office, found.to_office)
        transfer = uow.ledger.get_transfer(transfer_id, for_update=True)
        assert transfer is not None
        now = self._clock()
        if not transfer.receive(now):
            return transfer
        self._move(uow, transfer.ranges, transfer.from_office, BlankState.IN_TRANSIT, BlankState.AVAILABLE, now,
                   to_office=transfer.to_office)
        uow.ledger.update_transfer(transfer)
        balance = self._book(uow, actor, transfer.to_office, LedgerKind.TRANSFERRED_IN, transfer.ranges, now,
                             counterparty=transfer.from_office, transfer_id=transfer.transfer_id,
                             reference=transfer.reference)
        uow.add_event(TransferReceived(occurred_at=now, office_code=transfer.to_office,
                                       from_office=transfer.from_office, transfer_id=transfer.transfer_id,
                                       kind=transfer.kind, quantity=transfer.quantity, available=balance.available))
        uow.audit(actor, "stock.transferred_in", "transfer", transfer.transfer_id)
        return transfer

    def _dispatch_in(self, uow: InventoryUnitOfWork, actor: Principal, kind: TransferKind, from_office: str,
                     to_office: str, quantity: int, reference: str, loan_id: str = "") -> Transfer:
        for field_name, code in (("from_office", from_office), ("to_office", to_office)):
            if uow.ledger.get_office(code) is None:
                raise OfficeNotFound(f"{field_name} {code} bukan kantor yang terdaftar.")
        now = self._clock()
        serials = uow.ledger.lowest_available(from_office, quantity)
        if len(serials) < quantity:
            raise OutOfStock(f"Kantor {from_office} hanya memiliki {len(serials)} blanko tersedia, diminta "
                             f"{quantity}; tidak ada yang dikirim.")
        ranges = tuple(compress(serials))
        transfer = Transfer(uuid.uuid4().hex, kind, from_office, to_office, ranges, reference,
                            TransferStatus.IN_TRANSIT, dispatched_at=now, loan_id=loan_id)
        self._move(uow, ranges, from_office, BlankState.AVAILABLE, BlankState.IN_TRANSIT, now)
        uow.ledger.add_transfer(transfer)
        balance = self._book(uow, actor, from_office, transfer.out_kind, ranges, now, counterparty=to_office,
                             transfer_id=transfer.transfer_id, reference=reference)
        uow.add_event(StockTransferred(occurred_at=now, office_code=from_office, to_office=to_office,
                                       transfer_id=transfer.transfer_id, kind=kind, serial_ranges=range_texts(ranges),
                                       quantity=quantity, available=balance.available))
        uow.audit(actor, f"stock.{transfer.out_kind.value}", "transfer", transfer.transfer_id)
        log.info("dispatched %d blanks from %s to %s (%s)", quantity, from_office, to_office, kind.value)
        return transfer

    def get_transfer(self, actor: Principal, transfer_id: str) -> Transfer:
        with self._uow(readonly=True) as uow:
            transfer = uow.ledger.get_transfer(transfer_id)
        if transfer is None or not (actor.sees(transfer.from_office) or actor.sees(transfer.to_office)):
            raise TransferNotFound("Pengiriman ini tidak ditemukan.")
        return transfer

    def list_transfers(self, actor: Principal, office: str, status: TransferStatus | None = None) -> list[Transfer]:
        """Transfers, loans and repayments sent or received by the office, newest first."""
        raise_if_invalid(ledger_office_violations(office))
        actor.require_view(office)
        with self._uow(readonly=True) as uow:
            return uow.ledger.list_transfers(office, status)

    # ---- spoilage, losses, counts -------------------------------------------------

    def spoil(self, actor: Principal, office: str, serial_ranges: Sequence[SerialRange], cause: str,
              witnesses: Sequence[Witness], reference: str) -> DestructionRecord:
        """Spoiled blanks (misprint, damage) destroyed before at least two witnesses, under the
        berita acara `reference`. Every serial must be available at the office (a reserved one
        is released first); otherwise SerialsNotHeld and nothing is stored."""
        raise_if_invalid(ledger_office_violations(office) + ranges_violations(serial_ranges)
                         + required_text_violations(cause, "cause", MAX_REASON_LENGTH)
                         + witness_violations(witnesses)
                         + required_text_violations(reference, "reference", MAX_REFERENCE_LENGTH))
        actor.require_region(office)
        ranges = tuple(compress(s for r in serial_ranges for s in r.serials()))
        with self._uow() as uow:
            self._lock(uow, office)
            now = self._clock()
            record = DestructionRecord(uuid.uuid4().hex, office, ranges, cause.strip(),
                                       tuple(Witness(w.name.strip(), w.staff_id.strip()) for w in witnesses),
                                       reference.strip(), now)
            self._move(uow, ranges, office, BlankState.AVAILABLE, BlankState.SPOILED, now)
            uow.ledger.add_destruction(record)
            balance = self._book(uow, actor, office, LedgerKind.SPOILED, ranges, now, reference=record.reference,
                                 cause=record.cause, record_id=record.record_id)
            uow.add_event(StockSpoiled(occurred_at=now, office_code=office, serial_ranges=range_texts(ranges),
                                       quantity=total(ranges), cause=record.cause, record_id=record.record_id,
                                       available=balance.available))
            uow.audit(actor, "stock.spoil", "destruction", record.record_id)
            uow.commit()
        return record

    def report_lost(self, actor: Principal, office: str, serial_ranges: Sequence[SerialRange], cause: str,
                    reference: str = "") -> Stock:
        """Blanks the office held and lost (theft, fire, ...); the office's stock afterwards."""
        raise_if_invalid(ledger_office_violations(office) + ranges_violations(serial_ranges)
                         + required_text_violations(cause, "cause", MAX_REASON_LENGTH)
                         + text_violations(reference, "reference", MAX_REFERENCE_LENGTH))
        actor.require_region(office)
        ranges = tuple(compress(s for r in serial_ranges for s in r.serials()))
        with self._uow() as uow:
            self._lock(uow, office)
            now = self._clock()
            self._move(uow, ranges, office, BlankState.AVAILABLE, BlankState.LOST, now)
            balance = self._book(uow, actor, office, LedgerKind.LOST, ranges, now, reference=reference,
                                 cause=cause.strip())
            uow.add_event(StockLost(occurred_at=now, office_code=office, serial_ranges=range_texts(ranges),
                                    quantity=total(ranges), cause=cause.strip(), available=balance.available))
            uow.audit(actor, "stock.lost", "stock", f"{office}:{ranges[0].first}-{ranges[-1].last}")
            uow.commit()
            return uow.stock.stock(office)

    def count(self, actor: Principal, office: str, counted_ranges: Sequence[SerialRange],
              reference: str = "") -> CountReport:
        """A physical count of the office's store. Expected: the serials available there
        (reserved blanks are at the printer, not in the store). Missing serials are written
        off (COUNT_ADJUSTED, the serials LOST); surplus serials (counted, not expected here)
        are reported for investigation and never booked. An empty count is allowed."""
        violations = ledger_office_violations(office) + text_violations(reference, "reference", MAX_REFERENCE_LENGTH)
        if counted_ranges:
            malformed = [v for v in ranges_violations(counted_ranges, "counted") if "paling banyak" not in v.description]
            violations += malformed
            if not malformed and total(counted_ranges) > MAX_COUNTED:   # a malformed range has no total
                violations.append(FieldViolation("counted", f"paling banyak {MAX_COUNTED:,} nomor seri dalam satu hitungan"))
        raise_if_invalid(violations)
        actor.require_region(office)
        counted = tuple(compress(s for r in counted_ranges for s in r.serials()))
        with self._uow() as uow:
            self._lock(uow, office)
            now = self._clock()
            expected = uow.ledger.available_serials(office)
            missing, surplus = variance(expected, (s for r in counted for s in r.serials()))
            report = CountReport(uuid.uuid4().hex, office, now, tuple(compress(expected)), counted, tuple(missing),
                                 tuple(surplus), reference.strip())
            uow.ledger.add_count(report)
            balance = uow.ledger.balance(office)
            if missing:
                self._move(uow, missing, office, BlankState.AVAILABLE, BlankState.LOST, now)
                balance = self._book(uow, actor, office, LedgerKind.COUNT_ADJUSTED, missing, now,
                                     reference=report.reference, cause="missing at physical count",
                                     record_id=report.count_id)
            uow.add_event(StockCounted(occurred_at=now, office_code=office, count_id=report.count_id,
                                       expected=report.expected_quantity, counted=report.counted_quantity,
                                       missing=report.missing_quantity, surplus=report.surplus_quantity,
                                       available=balance.available))
            uow.audit(actor, "stock.count", "count", report.count_id)
            uow.commit()
        return report

    # ---- reading the ledger -------------------------------------------------------

    def ledger(self, actor: Principal, office: str, filters: LedgerFilter | None = None) -> list[LedgerEntry]:
        """The office's ledger entries, newest first, filtered by kinds, office days (WIB,
        `until` inclusive) and a serial its ranges hold."""
        filters = filters or LedgerFilter()
        raise_if_invalid(ledger_office_violations(office) + ledger_filter_violations(filters))
        actor.require_view(office)
        with self._uow(readonly=True) as uow:
            return uow.ledger.entries(office, filters)

    def daily_consumption(self, actor: Principal, office: str, days: int = 30) -> list[DailyConsumption]:
        """Blanks consumed (printed) per office day (WIB) over the last `days` days including
        today, oldest first, zero-filled. Days the office had no stock are not marked here:
        the forecast decides which days to exclude."""
        raise_if_invalid(ledger_office_violations(office) + (
            [] if 1 <= days <= 366 else [FieldViolation("days", "antara 1 dan 366 hari")]))
        actor.require_view(office)
        today = self._clock().astimezone(OFFICE_TIME).date()
        since = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), OFFICE_TIME)
        with self._uow(readonly=True) as uow:
            rows = uow.ledger.consumed_since(office, since)
        return daily_totals(rows, today, days)

    def check_ledger(self, actor: Principal, office: str) -> BalanceCheck:
        """The office's kept balance against the ledger recomputed and the serials counted."""
        raise_if_invalid(ledger_office_violations(office))
        actor.require_view(office)
        with self._uow(readonly=True) as uow:
            return self._check(uow, office)

    def check_all(self, actor: Principal) -> list[BalanceCheck]:
        """`check_ledger` of every office holding blanks that the actor sees."""
        with self._uow(readonly=True) as uow:
            return [self._check(uow, b.office_code) for b in uow.ledger.all_balances() if actor.sees(b.office_code)]

    @staticmethod
    def _check(uow: InventoryUnitOfWork, office: str) -> BalanceCheck:
        ledger_on_hand, ledger_reserved = on_hand_from_ledger(uow.ledger.totals(office))
        serials_on_hand, serials_reserved = uow.ledger.serial_counts(office)
        return BalanceCheck(office, uow.ledger.balance(office), ledger_on_hand, ledger_reserved,
                            serials_on_hand, serials_reserved)

    # ---- reservation expiry -------------------------------------------------------

    def expire_reservations(self, actor: Principal, limit: int = 500) -> int:
        """Returns the blanks of reservations past their expiry to stock (RELEASED entries with
        cause "expired", StockReleased events with reason "expired"); how many. Run
        periodically by the service process (ReservationSweeper, as the service: every office)
        and on demand (an officer: the offices in the officer's scope)."""
        now = self._clock()
        with self._uow() as uow:
            candidates = [r for r in (uow.stock.get_reservation(k)
                                      for k in uow.ledger.overdue_reservation_keys(
                                          now, limit, None if actor.is_service else actor.scope))
                          if r is not None and actor.covers(r.office_code)]
            if not candidates:
                return 0
            keys = [r.idempotency_key for r in candidates]
            self._lock(uow, *{r.office_code for r in candidates})
            expired = 0
            for key in keys:
                reservation = uow.stock.get_reservation(key, for_update=True)
                if reservation is None or not reservation.expire(now):
                    continue   # consumed or released meanwhile
                self._return_to_stock(uow, actor, reservation, now)
                uow.audit(actor, "stock.expire", "stock", reservation.serial)
                expired += 1
            uow.commit()
        if expired:
            log.info("%d overdue reservations returned their blanks to stock", expired)
        return expired

    def _return_to_stock(self, uow: InventoryUnitOfWork, actor: Principal, reservation: Reservation,
                         now: dt.datetime) -> Balance:
        """The reservation (already released or expired) gives its blank back."""
        serial = SerialRange(reservation.serial, reservation.serial)
        self._move(uow, [serial], reservation.office_code, BlankState.RESERVED, BlankState.AVAILABLE, now)
        uow.stock.update_reservation(reservation)
        balance = self._book(uow, actor, reservation.office_code, LedgerKind.RELEASED, [serial], now,
                             cause=reservation.release_reason)
        uow.add_event(StockReleased(occurred_at=now, office_code=reservation.office_code, serial=reservation.serial,
                                    idempotency_key=reservation.idempotency_key, available=balance.available,
                                    reason=reservation.release_reason))
        return balance

    # ---- the one way stock changes ------------------------------------------------

    def book_receipt(self, uow: InventoryUnitOfWork, actor: Principal, office_code: str, serials: SerialRange,
                     reference: str, at: dt.datetime) -> Stock:
        """Inside a unit of work: new serials into an office (the blanks, a RECEIVED ledger
        entry, the balance, StockReceived); the office's stock afterwards. Every way blanks
        enter the system (receipts, procurement deliveries) goes through here. A serial known
        anywhere refuses the whole range (SerialsAlreadyReceived)."""
        uow.stock.lock_office(office_code)
        if uow.stock.any_known(serials):
            raise SerialsAlreadyReceived(
                "some serials of this range were already received; nothing was stored",
                violations=[FieldViolation("first_serial", "the range overlaps blanks already received "
                                                           "(at this or another office)")])
        uow.stock.add_blanks(office_code, serials, reference, at)
        available = self._book(uow, actor, office_code, LedgerKind.RECEIVED, [serials], at,
                              reference=reference).available
        uow.add_event(StockReceived(occurred_at=at, office_code=office_code, first_serial=serials.first,
                                    last_serial=serials.last, quantity=serials.quantity, available=available))
        return uow.stock.stock(office_code)

    @staticmethod
    def _lock(uow: InventoryUnitOfWork, *offices: str) -> None:
        """Office locks in code order, so two use cases never wait on each other in a circle."""
        for office in sorted(set(offices)):
            uow.stock.lock_office(office)

    @staticmethod
    def _move(uow: InventoryUnitOfWork, ranges: Sequence[SerialRange], office: str, from_state: BlankState,
              to_state: BlankState, at: dt.datetime, to_office: str | None = None) -> None:
        """Moves every serial of `ranges` or raises SerialsNotHeld (the transaction rolls back)."""
        moved = uow.ledger.move(ranges, office_code=office, from_state=from_state, to_state=to_state, at=at,
                                to_office=to_office)
        if moved != total(ranges):
            examples = [f"{serial} ({STATE_NAMES.get(state, state)} di {holder})" for serial, holder, state in uow.ledger.states(ranges)
                        if holder != office or state != from_state.value]
            raise SerialsNotHeld(
                f"{total(ranges) - moved} nomor seri tidak berstatus {STATE_NAMES[from_state.value]} di kantor "
                f"{office}; tidak ada yang disimpan.",
                violations=[FieldViolation("serial_ranges", f"hanya nomor seri berstatus {STATE_NAMES[from_state.value]} di kantor "
                                           f"{office} yang dapat dipakai; "
                                           + (", ".join(examples) or "sebagian nomor seri tidak dikenal"))])

    def _book(self, uow: InventoryUnitOfWork, actor: Principal, office: str, kind: LedgerKind,
              ranges: Sequence[SerialRange], at: dt.datetime, **details: str) -> Balance:
        """Appends one ledger entry per range and keeps the office's balance row with them;
        refuses (NegativeStock) anything that would leave a count below zero."""
        uow.stock.lock_office(office)
        balance = uow.ledger.balance(office)
        available_before = balance.available
        entries = []
        for r in ranges:
            balance = balance.after(kind, r.quantity)
            entries.append(LedgerEntry(0, office, kind, r.first, r.last, r.quantity, at, actor=actor.subject,
                                       **details))
        uow.ledger.append(entries)
        uow.ledger.save_balance(balance, at)
        # StockLow / StockOut once per crossing, and the stock-out periods the forecast leaves out (H6)
        self.track_level(uow, office, balance.available, at, previous=available_before)
        return balance


__all__ = ["LedgerUseCases", "Repayment", "DEFAULT_TTL"]
