"""Hypothesis drives the ledger through random sequences of receipts, reservations, prints,
releases, expiries, transfers and their receipts, loans and repayments, spoilage, losses and
counts, against a model of where every serial is. After every step: each serial is in exactly
one state, at the office the model says; and for every office, on hand = received + transferred
in - transferred out (incl. loans and repayments) - consumed - spoiled - lost, equal to the kept
balance and to the serials held. Refused steps must store nothing (the model is unchanged and
the invariants still hold)."""
from __future__ import annotations

import datetime as dt
import pathlib
import shutil
import tempfile
from collections.abc import Callable

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from inventory import bootstrap, db
from inventory.config import Settings
from inventory.domain import LedgerFilter, LedgerKind, SerialRange, TransferKind, Witness
from inventory.errors import (
    AlreadyConsumed,
    InvalidRequest,
    OutOfStock,
    ReservationExpired,
    ReservationReleased,
    SerialsNotHeld,
    TransferNotReceived,
)
from servicekit.access import Principal

SYSTEM = Principal.service("inventory", origin="stateful")
SHM = pathlib.Path("/dev/shm")
OFFICES = ("62", "62.03", "62.06")            # a province and two of its kabupaten (loans between them)
WITNESSES = (Witness("Saksi Satu", "S-1"), Witness("Saksi Dua", "S-2"))
TTL = dt.timedelta(minutes=30)
HELD = ("available", "reserved")
OUT_KINDS = (LedgerKind.TRANSFERRED_OUT, LedgerKind.LOANED, LedgerKind.REPAID)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now


class LedgerMachine(RuleBasedStateMachine):
    keys = Bundle("keys")
    transfers = Bundle("transfers")

    # Where each example's fresh database comes from (tmp dir -> URL); the PostgreSQL run sets it.
    new_database: Callable[[str], str] = staticmethod(lambda tmp: f"sqlite:///{tmp}/inventory.db")

    def __init__(self) -> None:
        super().__init__()
        # A fresh database per example; SQLite on tmpfs where there is one (hundreds of fsyncs each).
        self.tmp = tempfile.mkdtemp(prefix="ledger-stateful-", dir=SHM if SHM.is_dir() else None)
        self.core = bootstrap.build_core(Settings(database_url=self.new_database(self.tmp),
                                                  var_dir=pathlib.Path(self.tmp)), migrate=False)
        db.metadata.create_all(self.core.engine)
        self.service = self.core.service
        self.clock = Clock()
        self.service._clock = self.clock
        self.service.seed_offices(SYSTEM, [("ID", "Pusat"), ("62", "Provinsi"), ("62.03", "Kapuas"),
                                           ("62.06", "Katingan")])
        self.next_serial = 10_000_000
        self.serials: dict[str, tuple[str, str]] = {}      # serial -> (office, state) as the model sees it
        self.reservations: dict[str, dict] = {}   # key -> office, serial, state, expires_at (the model's row)
        self.loans: dict[str, int] = {}                      # loan id -> blanks still owed

    def teardown(self) -> None:
        self.core.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- helpers ------------------------------------------------------------------

    def held(self, office: str, state: str = "available") -> list[str]:
        return sorted(s for s, (o, st_) in self.serials.items() if o == office and st_ == state)

    def set_state(self, serials, office: str, state: str) -> None:
        for serial in serials:
            self.serials[serial] = (office, state)

    # ---- rules --------------------------------------------------------------------

    @rule(office=st.sampled_from(OFFICES), quantity=st.integers(1, 6))
    def receive(self, office, quantity):
        first = self.next_serial
        self.next_serial += quantity + 1                 # a gap, so ranges are not always contiguous
        last = first + quantity - 1
        self.service.receive_stock(SYSTEM, office, str(first), str(last), "SPB")
        self.set_state((str(n) for n in range(first, last + 1)), office, "available")

    @rule(target=keys, office=st.sampled_from(OFFICES), n=st.integers(0, 5))
    def reserve(self, office, n):
        """A new key takes the lowest available serial; a key seen before returns its
        reservation as it is, unless it lapsed: then it holds a fresh blank."""
        key = f"card:{office}:{n}"
        known = self.reservations.get(key)
        if known is not None and known["state"] == "reserved" and self.clock.now >= known["expires_at"]:
            self.set_state([known["serial"]], office, "available")      # expired on the way
            known["state"] = "expired"
        if known is not None and known["state"] != "expired":
            reservation = self.service.reserve_blank(SYSTEM, office, key)
            assert (reservation.serial, reservation.state.value) == (known["serial"], known["state"])
            return key
        available = self.held(office)
        try:
            reservation = self.service.reserve_blank(SYSTEM, office, key)
        except OutOfStock:
            assert not available
            return key
        assert reservation.serial == available[0]                 # the lowest available serial
        self.set_state([reservation.serial], office, "reserved")
        self.reservations[key] = {"office": office, "serial": reservation.serial, "state": "reserved",
                                  "expires_at": self.clock.now + TTL}
        return key

    @rule(key=keys)
    def consume(self, key):
        known = self.reservations.get(key)
        if known is None:
            return
        lapsed = known["state"] == "expired" or (known["state"] == "reserved"
                                                 and self.clock.now >= known["expires_at"])
        if lapsed or known["state"] == "released":
            try:
                self.service.consume_blank(SYSTEM, key, known["serial"])
            except (ReservationExpired, ReservationReleased):
                return
            raise AssertionError("a lapsed or released reservation was consumed")
        self.service.consume_blank(SYSTEM, key, known["serial"])      # again when consumed: no change
        known["state"] = "consumed"
        self.set_state([known["serial"]], known["office"], "consumed")

    @rule(key=keys)
    def release(self, key):
        known = self.reservations.get(key)
        if known is None:
            return
        if known["state"] == "consumed":
            try:
                self.service.release_blank(SYSTEM, key, "batal")
            except AlreadyConsumed:
                return
            raise AssertionError("a printed blank was released")
        self.service.release_blank(SYSTEM, key, "batal")
        if known["state"] == "reserved":
            known["state"] = "released"
            self.set_state([known["serial"]], known["office"], "available")

    @rule(minutes=st.integers(1, 45))
    def time_passes_and_the_sweep_runs(self, minutes):
        self.clock.now += dt.timedelta(minutes=minutes)
        expired = self.service.expire_reservations(SYSTEM)
        overdue = [r for r in self.reservations.values()
                   if r["state"] == "reserved" and self.clock.now >= r["expires_at"]]
        assert expired == len(overdue)
        for known in overdue:
            known["state"] = "expired"
            self.set_state([known["serial"]], known["office"], "available")

    @rule(target=transfers, route=st.sampled_from([("62", "62.03"), ("62", "62.06"), ("62.03", "62")]),
          quantity=st.integers(1, 5), loan=st.booleans())
    def dispatch(self, route, quantity, loan):
        from_office, to_office = route
        if loan:
            from_office, to_office = ("62.03", "62.06") if route[0] != "62.06" else ("62.06", "62.03")
        available = self.held(from_office)
        use_case = self.service.loan if loan else self.service.transfer
        try:
            transfer = use_case(SYSTEM, from_office, to_office, quantity, "ALOK")
        except OutOfStock:
            assert len(available) < quantity
            return "none"
        assert [s for r in transfer.ranges for s in r.serials()] == available[:quantity]
        self.set_state(available[:quantity], from_office, "in_transit")
        if loan:
            self.loans[transfer.transfer_id] = quantity
        return transfer.transfer_id

    @rule(transfer_id=transfers)
    def receive_transfer(self, transfer_id):
        if transfer_id == "none":
            return
        transfer = self.service.receive_transfer(SYSTEM, transfer_id)     # again: changes nothing
        self.set_state([s for r in transfer.ranges for s in r.serials()
                        if self.serials[s] == (transfer.from_office, "in_transit")], transfer.to_office, "available")

    @rule(transfer_id=transfers, quantity=st.integers(1, 3))
    def repay(self, transfer_id, quantity):
        if transfer_id not in self.loans:
            return
        loan = self.service.get_transfer(SYSTEM, transfer_id)
        available = self.held(loan.to_office)
        try:
            repayment = self.service.repay(SYSTEM, transfer_id, quantity)
        except TransferNotReceived:
            assert loan.received_at is None
            return
        except InvalidRequest:
            assert quantity > self.loans[transfer_id]
            return
        except OutOfStock:
            assert len(available) < quantity
            return
        self.loans[transfer_id] -= quantity
        assert repayment.loan.outstanding == self.loans[transfer_id]
        self.set_state(available[:quantity], loan.to_office, "in_transit")

    @rule(office=st.sampled_from(OFFICES), pick=st.integers(0, 50), lost=st.booleans(), held=st.booleans())
    def write_off(self, office, pick, lost, held):
        """Spoil or lose one serial: one the office holds available, or any other (refused)."""
        candidates = self.held(office) if held else sorted(self.serials)
        if not candidates:
            return
        serial = candidates[pick % len(candidates)]
        ranges = [SerialRange(serial, serial)]
        try:
            if lost:
                self.service.report_lost(SYSTEM, office, ranges, "hilang")
            else:
                self.service.spoil(SYSTEM, office, ranges, "cetak gagal", WITNESSES, "BA-1")
        except SerialsNotHeld:
            assert self.serials[serial] != (office, "available")
            return
        assert self.serials[serial] == (office, "available")
        self.set_state([serial], office, "lost" if lost else "spoiled")

    @rule(office=st.sampled_from(OFFICES), missing=st.sets(st.integers(0, 20), max_size=3),
          surplus=st.booleans())
    def count(self, office, missing, surplus):
        expected = self.held(office)
        gone = {expected[i] for i in missing if i < len(expected)}
        counted = [s for s in expected if s not in gone]
        extra = [s for s in self.serials if self.serials[s][0] != office][:1] if surplus else []
        report = self.service.count(SYSTEM, office, [SerialRange(s, s) for s in counted + extra])
        assert sorted(s for r in report.missing for s in r.serials()) == sorted(gone)
        assert sorted(s for r in report.surplus for s in r.serials()) == sorted(extra)
        self.set_state(gone, office, "lost")

    # ---- invariants ---------------------------------------------------------------

    @invariant()
    def every_serial_is_where_the_model_says_in_exactly_one_state(self):
        with self.core.engine.connect() as conn:
            stored = {row.serial: (row.office_code, row.state) for row in conn.execute(sa.select(db.blanks))}
        assert stored == self.serials

    @invariant()
    def on_hand_is_what_the_ledger_says(self):
        for office in OFFICES:
            entries = self.service.ledger(SYSTEM, office, LedgerFilter(limit=1000))
            totals = {kind: sum(e.quantity for e in entries if e.kind is kind) for kind in LedgerKind}
            on_hand = (totals[LedgerKind.RECEIVED] + totals[LedgerKind.TRANSFERRED_IN]
                       - sum(totals[k] for k in OUT_KINDS) - totals[LedgerKind.CONSUMED]
                       - totals[LedgerKind.SPOILED] - totals[LedgerKind.LOST] - totals[LedgerKind.COUNT_ADJUSTED])
            held = len(self.held(office)) + len(self.held(office, "reserved"))
            stock = self.service.get_stock(SYSTEM, office)
            assert on_hand == held == stock.available + stock.reserved
            assert stock.available >= 0 and stock.reserved == len(self.held(office, "reserved"))
            assert self.service.check_ledger(SYSTEM, office).ok

    @invariant()
    def loans_owe_what_was_lent_minus_what_was_repaid(self):
        for loan_id, owed in self.loans.items():
            loan = self.service.get_transfer(SYSTEM, loan_id)
            assert loan.kind is TransferKind.LOAN and loan.outstanding == owed


SETTINGS = settings(max_examples=30, stateful_step_count=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def test_ledger_invariants_on_sqlite():
    run_state_machine_as_test(LedgerMachine, settings=SETTINGS)


def test_ledger_invariants_on_postgresql(postgres_server):
    """The same machine, each example on a new PostgreSQL database (fewer examples: creating a
    database costs more than a file)."""
    class OnPostgres(LedgerMachine):
        new_database = staticmethod(lambda tmp: postgres_server.create_database())

    run_state_machine_as_test(OnPostgres, settings=settings(SETTINGS, max_examples=15))
