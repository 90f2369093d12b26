"""Blank-card (blanko) stock, reservations and procurement: pure rules, no infrastructure."""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from inventory.errors import (
    AlreadyConsumed,
    FieldViolation,
    InvalidRequest,
    InvalidRequestState,
    InvalidTransition,
    NegativeStock,
    NotALoan,
    ReservationExpired,
    ReservationReleased,
    SerialMismatch,
    TransferNotReceived,
    raise_if_invalid,
)

MAX_SERIALS_PER_RECEIPT = 100_000
SERIAL_DIGITS = (8, 20)
MAX_KEY_LENGTH = 120
MAX_REFERENCE_LENGTH = 120
MAX_REASON_LENGTH = 500
NATIONAL_REGION = "ID"  # envelope region of national procurement events

# Kemendagri code of an office: province "62", regency "62.03" or kecamatan "62.03.01".
_OFFICE_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2}){0,2}")
_DIGITS = re.compile(r"[0-9]+")


# ---- validation ---------------------------------------------------------------------

def is_office_code(value: str) -> bool:
    return _OFFICE_CODE.fullmatch(value) is not None


def office_code_violations(value: str, field_name: str = "office_code") -> list[FieldViolation]:
    if is_office_code(value):
        return []
    return [FieldViolation(field_name, "must be a Kemendagri region code of the office, e.g. 62 or 62.03 or 62.03.01")]


def idempotency_key_violations(value: str) -> list[FieldViolation]:
    if not value.strip():
        return [FieldViolation("idempotency_key", "is required, e.g. card:<register number>")]
    if len(value) > MAX_KEY_LENGTH or not value.isprintable():
        return [FieldViolation("idempotency_key",
                               f"must be at most {MAX_KEY_LENGTH} printable characters")]
    return []


def text_violations(value: str, field_name: str, maximum: int) -> list[FieldViolation]:
    if len(value) > maximum or not value.isprintable():
        return [FieldViolation(field_name, f"must be at most {maximum} printable characters on one line")]
    return []


@dataclass(frozen=True)
class SerialRange:
    """An inclusive range of same-length digit serials, e.g. 00000001..00000100."""

    first: str
    last: str

    @property
    def quantity(self) -> int:
        return int(self.last) - int(self.first) + 1

    def serials(self) -> Iterator[str]:
        width = len(self.first)
        return (str(n).zfill(width) for n in range(int(self.first), int(self.last) + 1))


def serial_range_violations(first: str, last: str) -> list[FieldViolation]:
    low, high = SERIAL_DIGITS
    shape = f"must be {low} to {high} digits (0-9) only"
    violations = [FieldViolation(name, shape) for name, value in (("first_serial", first), ("last_serial", last))
                  if not (_DIGITS.fullmatch(value) and low <= len(value) <= high)]
    if violations:
        return violations
    if len(first) != len(last):
        return [FieldViolation("last_serial", "must have the same number of digits as first_serial")]
    if int(first) > int(last):
        return [FieldViolation("last_serial", "must not be lower than first_serial")]
    if SerialRange(first, last).quantity > MAX_SERIALS_PER_RECEIPT:
        return [FieldViolation("last_serial", f"at most {MAX_SERIALS_PER_RECEIPT:,} serials per receipt; "
                                              "split the delivery into several ranges")]
    return []


# ---- stock and reservations ---------------------------------------------------------

class BlankState(enum.Enum):
    """Where one serial is: held by its office (available, reserved), on the way (in_transit),
    or gone for good (consumed = printed, spoiled, lost)."""

    AVAILABLE = "available"
    RESERVED = "reserved"
    CONSUMED = "consumed"
    IN_TRANSIT = "in_transit"
    SPOILED = "spoiled"
    LOST = "lost"


class ReservationState(enum.Enum):
    RESERVED = "reserved"
    CONSUMED = "consumed"
    RELEASED = "released"
    EXPIRED = "expired"        # not consumed in time: the blank went back to stock


@dataclass(frozen=True)
class Stock:
    office_code: str
    available: int = 0
    reserved: int = 0
    consumed: int = 0
    spoiled: int = 0
    lost: int = 0

    @property
    def on_hand(self) -> int:
        return self.available + self.reserved

    @property
    def received(self) -> int:
        """Every blank the office held and has not passed on: on hand plus what it used up."""
        return self.available + self.reserved + self.consumed + self.spoiled + self.lost

    @property
    def is_empty(self) -> bool:
        return self.available == 0


@dataclass
class Reservation:
    """One blank held for one idempotency key until `expires_at`:
    reserved -> consumed | released | expired (the blank back in stock)."""

    idempotency_key: str
    office_code: str
    serial: str
    reserved_at: dt.datetime
    updated_at: dt.datetime
    state: ReservationState = ReservationState.RESERVED
    release_reason: str = ""
    expires_at: dt.datetime | None = None      # None: never (reservations made before expiry existed)

    def is_overdue(self, at: dt.datetime) -> bool:
        """Still held, but past its expiry: the sweep will return the blank to stock."""
        return (self.state is ReservationState.RESERVED and self.expires_at is not None
                and at >= self.expires_at)

    def consume(self, serial: str, at: dt.datetime) -> bool:
        """Marks the blank as printed; False when it already was (idempotent)."""
        if serial and serial != self.serial:
            raise SerialMismatch("the serial is not the one reserved for this key")
        if self.state is ReservationState.RELEASED:
            raise ReservationReleased("the reservation was released; reserve a blank again")
        if self.state is ReservationState.EXPIRED or self.is_overdue(at):
            raise ReservationExpired("Pemesanan blanko sudah kedaluwarsa dan blankonya kembali ke stok; "
                                     "pesan blanko lagi sebelum mencetak.")
        if self.state is ReservationState.CONSUMED:
            return False
        self.state, self.updated_at = ReservationState.CONSUMED, at
        return True

    def release(self, reason: str, at: dt.datetime) -> bool:
        """Returns the blank to stock; False when it already was (idempotent)."""
        if self.state is ReservationState.CONSUMED:
            raise AlreadyConsumed("the reserved blank was already printed and cannot be released")
        if self.state in (ReservationState.RELEASED, ReservationState.EXPIRED):
            return False
        self.state, self.updated_at, self.release_reason = ReservationState.RELEASED, at, reason
        return True

    def expire(self, at: dt.datetime) -> bool:
        """The sweep: an overdue reservation ends and its blank returns to stock."""
        if not self.is_overdue(at):
            return False
        self.state, self.updated_at, self.release_reason = ReservationState.EXPIRED, at, "expired"
        return True

    def renew(self, serial: str, at: dt.datetime, expires_at: dt.datetime) -> None:
        """The same key reserved again after its reservation expired: a fresh hold on `serial`."""
        self.serial, self.state, self.release_reason = serial, ReservationState.RESERVED, ""
        self.reserved_at = self.updated_at = at
        self.expires_at = expires_at


# ---- offices and the ledger by serial (H5) --------------------------------------------

CENTRAL_OFFICE = NATIONAL_REGION    # Ditjen Dukcapil: the national store that deliveries arrive at
MAX_QUANTITY = MAX_SERIALS_PER_RECEIPT   # one transfer, loan or repayment moves at most this many
MAX_WITNESSES = 10
MAX_NAME_LENGTH = 200
DEFAULT_RESERVATION_MINUTES = 30


class OfficeLevel(enum.Enum):
    """central (Ditjen, "ID") -> province ("62") -> kabupaten ("62.03") -> kecamatan/UPT ("62.03.01")."""

    CENTRAL = "central"
    PROVINCE = "province"
    KABUPATEN = "kabupaten"
    KECAMATAN = "kecamatan"


def office_level(code: str) -> OfficeLevel:
    if code == CENTRAL_OFFICE:
        return OfficeLevel.CENTRAL
    return (OfficeLevel.PROVINCE, OfficeLevel.KABUPATEN, OfficeLevel.KECAMATAN)[code.count(".")]


def parent_office(code: str) -> str | None:
    """The office one level up: 62.03.01 -> 62.03 -> 62 -> ID -> None."""
    if code == CENTRAL_OFFICE:
        return None
    return code.rsplit(".", 1)[0] if "." in code else CENTRAL_OFFICE


def ledger_office_violations(value: str, field_name: str = "office_code") -> list[FieldViolation]:
    """Like office_code_violations, but the central store "ID" is an office too."""
    return [] if value == CENTRAL_OFFICE else office_code_violations(value, field_name)


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    level: OfficeLevel
    parent_code: str | None
    registered_at: dt.datetime


def office_violations(code: str, name: str) -> list[FieldViolation]:
    violations = ledger_office_violations(code, "code")
    if not name.strip() or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        violations.append(FieldViolation("name", f"wajib diisi, paling banyak {MAX_NAME_LENGTH} karakter"))
    return violations


class LedgerKind(enum.Enum):
    """One immutable stock event of one office. Its effect on the office's stock on hand
    (blanks physically held: available + reserved) is `on_hand_effect` x quantity, on the
    reserved count `reserved_effect` x quantity."""

    RECEIVED = "received"                # a delivery (from a supplier or procurement) arrives
    TRANSFERRED_OUT = "transferred_out"  # sent to another office (allocation); in transit until received
    TRANSFERRED_IN = "transferred_in"    # a transfer, loan or repayment arrives
    LOANED = "loaned"                    # lent to another office (a transfer of kind LOAN)
    REPAID = "repaid"                    # sent back to the lender against a loan
    RESERVED = "reserved"
    RELEASED = "released"                # back to stock: released by the caller, or expired
    CONSUMED = "consumed"                # printed
    SPOILED = "spoiled"                  # misprint / damage, destroyed before witnesses
    MISPRINTED = "misprinted"            # a printed (consumed) card found misprinted: consumed -> spoiled
    LOST = "lost"
    COUNT_ADJUSTED = "count_adjusted"    # missing at a physical count, written off

    @property
    def on_hand_effect(self) -> int:
        return _ON_HAND_EFFECT[self]

    @property
    def reported(self) -> LedgerKind:
        """The kind the contract shows: a misprinted card is a SPOILED entry there."""
        return LedgerKind.SPOILED if self is LedgerKind.MISPRINTED else self

    @property
    def reserved_effect(self) -> int:
        return {LedgerKind.RESERVED: 1, LedgerKind.RELEASED: -1, LedgerKind.CONSUMED: -1}.get(self, 0)


_ON_HAND_EFFECT = {
    LedgerKind.RECEIVED: 1, LedgerKind.TRANSFERRED_IN: 1,
    LedgerKind.TRANSFERRED_OUT: -1, LedgerKind.LOANED: -1, LedgerKind.REPAID: -1,
    LedgerKind.CONSUMED: -1, LedgerKind.SPOILED: -1, LedgerKind.LOST: -1, LedgerKind.COUNT_ADJUSTED: -1,
    LedgerKind.RESERVED: 0, LedgerKind.RELEASED: 0,
    LedgerKind.MISPRINTED: 0,   # the blank already left the office's hands when it was printed
}


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the ledger: `kind` moved `ranges` (quantity = their total) at `office_code`."""

    entry_id: int
    office_code: str
    kind: LedgerKind
    first_serial: str
    last_serial: str
    quantity: int
    occurred_at: dt.datetime
    counterparty: str = ""        # the other office of a transfer, loan or repayment
    transfer_id: str = ""
    reference: str = ""           # delivery note, berita acara, letter number
    cause: str = ""               # spoilage cause, loss circumstances, release reason
    record_id: str = ""           # destruction record or count that caused the entry
    actor: str = ""


@dataclass(frozen=True)
class LedgerFilter:
    """What `ledger()` returns: every filter is optional; newest first."""

    kinds: tuple[LedgerKind, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None          # inclusive
    serial: str = ""                      # entries whose range holds this serial
    limit: int = 200


def on_hand_from_ledger(quantities: dict[LedgerKind, int]) -> tuple[int, int]:
    """(on hand, reserved) of an office from the total quantity per ledger kind."""
    on_hand = sum(kind.on_hand_effect * q for kind, q in quantities.items())
    reserved = sum(kind.reserved_effect * q for kind, q in quantities.items())
    return on_hand, reserved


@dataclass(frozen=True)
class Balance:
    """Per-office counters kept in the same transaction as every ledger entry (for speed);
    `check_ledger` recomputes them from the ledger and the serials."""

    office_code: str
    on_hand: int = 0        # available + reserved, physically at the office
    reserved: int = 0
    consumed: int = 0
    spoiled: int = 0
    lost: int = 0           # reported lost + written off at a count

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def after(self, kind: LedgerKind, quantity: int) -> Balance:
        """The balance after one entry; refuses anything that would make a count negative."""
        changed = Balance(
            self.office_code, on_hand=self.on_hand + kind.on_hand_effect * quantity,
            reserved=self.reserved + kind.reserved_effect * quantity,
            consumed=self.consumed + {LedgerKind.CONSUMED: quantity, LedgerKind.MISPRINTED: -quantity}.get(kind, 0),
            spoiled=self.spoiled + (quantity if kind in (LedgerKind.SPOILED, LedgerKind.MISPRINTED) else 0),
            lost=self.lost + (quantity if kind in (LedgerKind.LOST, LedgerKind.COUNT_ADJUSTED) else 0))
        if changed.available < 0 or changed.reserved < 0 or changed.consumed < 0:
            raise NegativeStock(f"stok kantor {self.office_code} akan menjadi kurang dari nol; tidak ada yang disimpan")
        return changed


@dataclass(frozen=True)
class BalanceCheck:
    office_code: str
    balance: Balance            # the kept counters
    ledger_on_hand: int         # recomputed from every ledger entry
    ledger_reserved: int
    serials_on_hand: int        # serials whose state is available or reserved at the office
    serials_reserved: int

    @property
    def ok(self) -> bool:
        return (self.balance.on_hand == self.ledger_on_hand == self.serials_on_hand
                and self.balance.reserved == self.ledger_reserved == self.serials_reserved)


def compress(serials: Iterable[str]) -> list[SerialRange]:
    """Sorted runs of consecutive same-width serials: 01,02,03,07 -> [01..03, 07..07]."""
    ordered = sorted(set(serials), key=lambda s: (len(s), int(s)))
    ranges: list[SerialRange] = []
    for serial in ordered:
        if ranges and len(ranges[-1].last) == len(serial) and int(serial) == int(ranges[-1].last) + 1:
            ranges[-1] = SerialRange(ranges[-1].first, serial)
        else:
            ranges.append(SerialRange(serial, serial))
    return ranges


def total(ranges: Iterable[SerialRange]) -> int:
    return sum(r.quantity for r in ranges)


def parse_ranges(text: str, field_name: str = "serial_ranges") -> tuple[list[SerialRange], list[FieldViolation]]:
    """Ranges typed by an officer: "00000001-00000100, 00000150" (commas, spaces or new lines)."""
    ranges, problems = [], []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        first, _, last = part.partition("-")
        last = last or first
        if serial_range_violations(first, last):
            problems.append(part)
        else:
            ranges.append(SerialRange(first, last))
    if problems:
        return [], [FieldViolation(field_name, "bukan nomor seri atau rentang 8-20 angka (mis. 00000001-00000100): "
                                               + ", ".join(problems[:5]))]
    return ranges, ranges_violations(ranges, field_name)


def ranges_violations(ranges: Sequence[SerialRange], field_name: str = "serial_ranges") -> list[FieldViolation]:
    """At least one range, each well formed, none overlapping another, at most MAX_QUANTITY in all."""
    if not ranges:
        return [FieldViolation(field_name, "isi sedikitnya satu nomor seri atau rentang")]
    for r in ranges:
        if serial_range_violations(r.first, r.last):
            return [FieldViolation(field_name, f"{r.first}-{r.last} bukan rentang nomor seri yang sah")]
    ordered = sorted(ranges, key=lambda r: (len(r.first), int(r.first)))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if len(before.first) == len(after.first) and int(after.first) <= int(before.last):
            return [FieldViolation(field_name, f"rentang {before.first}-{before.last} dan "
                                               f"{after.first}-{after.last} bertumpuk")]
    if total(ranges) > MAX_QUANTITY:
        return [FieldViolation(field_name, f"paling banyak {MAX_QUANTITY:,} nomor seri sekaligus")]
    return []


def quantity_violations(quantity: int, field_name: str = "quantity") -> list[FieldViolation]:
    if not 1 <= quantity <= MAX_QUANTITY:
        return [FieldViolation(field_name, f"jumlah blanko bilangan bulat 1 sampai {MAX_QUANTITY:,}")]
    return []


@dataclass(frozen=True)
class Witness:
    """A witness of a destruction (berita acara pemusnahan): name and NIP / NIK-free staff id."""

    name: str
    staff_id: str


def witness_violations(witnesses: Sequence[Witness]) -> list[FieldViolation]:
    if len(witnesses) < 2:
        return [FieldViolation("witnesses", "pemusnahan memerlukan sedikitnya dua saksi (nama dan NIP/nomor pegawai)")]
    if len(witnesses) > MAX_WITNESSES:
        return [FieldViolation("witnesses", f"paling banyak {MAX_WITNESSES} saksi")]
    for w in witnesses:
        if not w.name.strip() or not w.staff_id.strip() or len(w.name) > MAX_NAME_LENGTH \
                or len(w.staff_id) > 40 or not (w.name + w.staff_id).isprintable():
            return [FieldViolation("witnesses", "setiap saksi perlu nama (paling banyak 200 karakter) "
                                                "dan NIP/nomor pegawai (paling banyak 40 karakter)")]
    if len({w.staff_id.strip() for w in witnesses}) != len(witnesses):
        return [FieldViolation("witnesses", "setiap saksi harus orang yang berbeda (NIP/nomor pegawai)")]
    return []


@dataclass(frozen=True)
class DestructionRecord:
    """The witnessed destruction of spoiled blanks (berita acara pemusnahan)."""

    record_id: str
    office_code: str
    ranges: tuple[SerialRange, ...]
    cause: str
    witnesses: tuple[Witness, ...]
    reference: str
    destroyed_at: dt.datetime


class TransferKind(enum.Enum):
    ALLOCATION = "allocation"   # province / central sends stock down (or any office to another)
    LOAN = "loan"               # between kabupaten of one province, to be repaid
    REPAYMENT = "repayment"     # back to the lender against a loan


class TransferStatus(enum.Enum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


_OUT_KIND = {TransferKind.ALLOCATION: LedgerKind.TRANSFERRED_OUT, TransferKind.LOAN: LedgerKind.LOANED,
             TransferKind.REPAYMENT: LedgerKind.REPAID}


@dataclass
class Transfer:
    """Blanks on their way from one office to another: dispatched (IN_TRANSIT) -> RECEIVED."""

    transfer_id: str
    kind: TransferKind
    from_office: str
    to_office: str
    ranges: tuple[SerialRange, ...]
    reference: str
    status: TransferStatus
    dispatched_at: dt.datetime
    received_at: dt.datetime | None = None
    loan_id: str = ""          # for a repayment: the loan it repays
    repaid: int = 0            # for a loan: blanks repaid so far (repayments dispatched)

    @property
    def quantity(self) -> int:
        return total(self.ranges)

    @property
    def out_kind(self) -> LedgerKind:
        return _OUT_KIND[self.kind]

    @property
    def outstanding(self) -> int:
        """For a loan: blanks still owed to the lender."""
        return self.quantity - self.repaid if self.kind is TransferKind.LOAN else 0

    def receive(self, at: dt.datetime) -> bool:
        """False when it was received before (idempotent)."""
        if self.status is TransferStatus.RECEIVED:
            return False
        self.status, self.received_at = TransferStatus.RECEIVED, at
        return True

    def record_repayment(self, quantity: int) -> None:
        if self.kind is not TransferKind.LOAN:
            raise NotALoan("hanya pinjaman yang dapat dikembalikan")
        if self.status is not TransferStatus.RECEIVED:
            raise TransferNotReceived("pinjaman belum diterima oleh kantor peminjam")
        if quantity > self.outstanding:
            raise InvalidRequest("Melebihi sisa pinjaman.", violations=[FieldViolation(
                "quantity", f"sisa pinjaman yang belum dikembalikan hanya {self.outstanding:,} blanko")])
        self.repaid += quantity


def transfer_violations(from_office: str, to_office: str, quantity: int, reference: str) -> list[FieldViolation]:
    violations = (ledger_office_violations(from_office, "from_office")
                  + ledger_office_violations(to_office, "to_office") + quantity_violations(quantity)
                  + text_violations(reference, "reference", MAX_REFERENCE_LENGTH))
    if from_office == to_office and not violations:
        violations.append(FieldViolation("to_office", "harus kantor lain, bukan kantor pengirim"))
    return violations


def loan_violations(from_office: str, to_office: str) -> list[FieldViolation]:
    """Loans go between kabupaten/kota of one province (e.g. 62.03 -> 62.11)."""
    levels = {office_level(from_office), office_level(to_office)}
    if levels != {OfficeLevel.KABUPATEN} or from_office.split(".")[0] != to_office.split(".")[0]:
        return [FieldViolation("to_office", "pinjaman hanya antar dua kabupaten/kota dalam satu provinsi")]
    return []


@dataclass(frozen=True)
class CountReport:
    """A physical count of an office's store (available blanks; reserved blanks are at the
    printer and not counted) and its variance: missing serials are written off
    (COUNT_ADJUSTED), surplus serials are reported for investigation, never booked."""

    count_id: str
    office_code: str
    counted_at: dt.datetime
    expected: tuple[SerialRange, ...]
    counted: tuple[SerialRange, ...]
    missing: tuple[SerialRange, ...]
    surplus: tuple[SerialRange, ...]
    reference: str = ""

    @property
    def expected_quantity(self) -> int:
        return total(self.expected)

    @property
    def counted_quantity(self) -> int:
        return total(self.counted)

    @property
    def missing_quantity(self) -> int:
        return total(self.missing)

    @property
    def surplus_quantity(self) -> int:
        return total(self.surplus)

    @property
    def matches(self) -> bool:
        return not self.missing and not self.surplus


def variance(expected: Iterable[str], counted: Iterable[str]) -> tuple[list[SerialRange], list[SerialRange]]:
    """(missing, surplus) serial ranges of a count."""
    expected_set, counted_set = set(expected), set(counted)
    return compress(expected_set - counted_set), compress(counted_set - expected_set)


@dataclass(frozen=True)
class DailyConsumption:
    day: dt.date
    consumed: int


OFFICE_TIME = dt.timezone(dt.timedelta(hours=7))   # WIB: an office's day for daily figures


def daily_totals(consumed: Iterable[tuple[dt.datetime, int]], last_day: dt.date, days: int) -> list[DailyConsumption]:
    """Blanks consumed per office day (WIB), oldest first, zero on days without printing."""
    first_day = last_day - dt.timedelta(days=days - 1)
    per_day = {first_day + dt.timedelta(days=i): 0 for i in range(days)}
    for at, quantity in consumed:
        day = at.astimezone(OFFICE_TIME).date()
        if day in per_day:
            per_day[day] += quantity
    return [DailyConsumption(day, quantity) for day, quantity in per_day.items()]


def ledger_filter_violations(f: LedgerFilter) -> list[FieldViolation]:
    violations = []
    if f.since and f.until and f.since > f.until:
        violations.append(FieldViolation("until", "tidak boleh sebelum tanggal awal"))
    if f.until == dt.date.max:   # `until` is inclusive: the query needs the day after it
        violations.append(FieldViolation("until", "paling lambat 9999-12-30"))
    if f.serial and not (_DIGITS.fullmatch(f.serial) and SERIAL_DIGITS[0] <= len(f.serial) <= SERIAL_DIGITS[1]):
        violations.append(FieldViolation("serial", "nomor seri 8 sampai 20 angka"))
    if not 1 <= f.limit <= 1000:
        violations.append(FieldViolation("limit", "antara 1 dan 1000"))
    return violations


def required_text_violations(value: str, field_name: str, maximum: int) -> list[FieldViolation]:
    if not value.strip():
        return [FieldViolation(field_name, "wajib diisi")]
    return text_violations(value, field_name, maximum)


# ---- procurement --------------------------------------------------------------------

class ProcurementChannel(enum.Enum):
    TENDER = "tender"
    E_CATALOGUE = "e_catalogue"


class ProcurementStatus(enum.Enum):
    PLANNED = "planned"
    ANNOUNCED = "announced"
    FAILED = "failed"
    WINNER = "winner"
    OBJECTION_PERIOD = "objection_period"
    REVIEW = "review"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    CONTRACT = "contract"
    DELIVERY = "delivery"
    ALLOCATED = "allocated"


# Names officers read (Bahasa Indonesia), used in messages and on the pages.
STATUS_NAMES: dict[ProcurementStatus, str] = {
    ProcurementStatus.PLANNED: "Direncanakan",
    ProcurementStatus.ANNOUNCED: "Diumumkan",
    ProcurementStatus.FAILED: "Gagal lelang",
    ProcurementStatus.WINNER: "Pemenang ditetapkan",
    ProcurementStatus.OBJECTION_PERIOD: "Masa sanggah",
    ProcurementStatus.REVIEW: "Reviu BPKP/Inspektorat",
    ProcurementStatus.POSTPONED: "Ditunda",
    ProcurementStatus.CANCELLED: "Dibatalkan",
    ProcurementStatus.CONTRACT: "Kontrak",
    ProcurementStatus.DELIVERY: "Pengiriman",
    ProcurementStatus.ALLOCATED: "Dialokasikan",
}

_S = ProcurementStatus
# Tender: planned -> announced -> (failed -> re-tender) | winner -> objection period -> review
# (BPKP/Inspectorate; may end postponed or cancelled) -> contract -> delivery -> allocated.
TRANSITIONS: dict[ProcurementStatus, frozenset[ProcurementStatus]] = {
    _S.PLANNED: frozenset({_S.ANNOUNCED, _S.CANCELLED}),
    _S.ANNOUNCED: frozenset({_S.FAILED, _S.WINNER}),
    _S.FAILED: frozenset({_S.ANNOUNCED, _S.CANCELLED}),  # re-tender, or give up
    _S.WINNER: frozenset({_S.OBJECTION_PERIOD}),
    _S.OBJECTION_PERIOD: frozenset({_S.REVIEW}),
    _S.REVIEW: frozenset({_S.POSTPONED, _S.CANCELLED, _S.CONTRACT}),
    _S.POSTPONED: frozenset({_S.ANNOUNCED, _S.REVIEW, _S.CANCELLED}),  # re-tender, resumed review, or cancelled
    _S.CANCELLED: frozenset(),
    _S.CONTRACT: frozenset({_S.DELIVERY}),
    _S.DELIVERY: frozenset({_S.ALLOCATED}),
    _S.ALLOCATED: frozenset(),
}
# E-catalogue (e-purchasing): no tender; the order is the contract and arrives as tranches.
E_CATALOGUE_TRANSITIONS: dict[ProcurementStatus, frozenset[ProcurementStatus]] = {
    **{status: frozenset() for status in ProcurementStatus},
    _S.PLANNED: frozenset({_S.CONTRACT, _S.CANCELLED}),
    _S.CONTRACT: frozenset({_S.DELIVERY, _S.CANCELLED}),
    _S.DELIVERY: frozenset({_S.ALLOCATED}),
}
REASON_REQUIRED = frozenset({_S.FAILED, _S.POSTPONED, _S.CANCELLED})
# Statuses after which no delivery is coming (the forecast says "unknown" rather than guess).
NO_ARRIVAL = frozenset({_S.POSTPONED, _S.CANCELLED, _S.FAILED})
MAX_PACKAGE_QUANTITY = 50_000_000       # more blanks than Indonesia has wajib-KTP residents in a year
MAX_PACKAGE_VALUE_IDR = 10_000_000_000_000
MAX_VENDOR_LENGTH = 200
MAX_CONTRACT_NUMBER_LENGTH = 80


@dataclass(frozen=True)
class StatusChange:
    package_id: str
    status: ProcurementStatus
    reason: str
    changed_at: dt.datetime


@dataclass(frozen=True)
class ContractTerms:
    """What a WINNER or CONTRACT step records: the vendor, and for the contract its number,
    value and the delivery date it promises (empty when not given)."""

    vendor: str = ""
    contract_number: str = ""
    contract_value_idr: int = 0
    expected_delivery_on: dt.date | None = None


@dataclass(frozen=True)
class Delivery:
    """One (partial) delivery of a package: a serial range received into an office's stock.
    For an e-catalogue package each delivery is one order tranche."""

    package_id: str
    sequence: int
    office_code: str
    first_serial: str
    last_serial: str
    quantity: int
    delivered_at: dt.datetime
    reference: str


@dataclass
class ProcurementPackage:
    """A national tender or e-catalogue purchase of blanks and its lifecycle."""

    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    status: ProcurementStatus
    status_reason: str
    status_changed_at: dt.datetime
    vendor: str = ""
    contract_number: str = ""
    contract_value_idr: int = 0
    expected_delivery_on: dt.date | None = None
    delivered: int = 0

    @property
    def remaining(self) -> int:
        return self.quantity - self.delivered

    def next_statuses(self) -> frozenset[ProcurementStatus]:
        table = E_CATALOGUE_TRANSITIONS if self.channel is ProcurementChannel.E_CATALOGUE else TRANSITIONS
        return table[self.status]

    def change_status(self, status: ProcurementStatus, reason: str, at: dt.datetime,
                      terms: ContractTerms = ContractTerms()) -> StatusChange:
        """One step of the lifecycle, dated `at`; the package is unchanged when refused."""
        allowed = self.next_statuses()
        if status not in allowed:
            names = ", ".join(STATUS_NAMES[s] for s in ProcurementStatus if s in allowed)
            raise InvalidTransition(
                f"Paket berstatus {STATUS_NAMES[self.status]} tidak dapat diubah menjadi {STATUS_NAMES[status]}; "
                + (f"status berikutnya yang sah: {names}." if names else "status ini sudah final."))
        if status is _S.DELIVERY:
            raise InvalidTransition("Status Pengiriman tercatat sendiri saat pengiriman pertama dicatat; "
                                    "catat pengirimannya (nomor seri dan tanggal).")
        if status is _S.ALLOCATED and self.delivered == 0:
            raise InvalidTransition("Belum ada blanko yang diterima dari paket ini, jadi belum dapat dialokasikan.")
        violations = self._step_violations(status, reason, at, terms)
        if violations:
            raise InvalidRequest("Perubahan status belum lengkap: " + ", ".join(v.field for v in violations),
                                 violations=violations)
        if status in (_S.WINNER, _S.CONTRACT):
            self.vendor = terms.vendor.strip() or self.vendor
        if status is _S.CONTRACT:
            self.contract_number = terms.contract_number.strip()
            self.contract_value_idr = terms.contract_value_idr
            self.expected_delivery_on = terms.expected_delivery_on
        self.status, self.status_reason, self.status_changed_at = status, reason, at
        return StatusChange(self.package_id, status, reason, at)

    def _step_violations(self, status: ProcurementStatus, reason: str, at: dt.datetime,
                         terms: ContractTerms) -> list[FieldViolation]:
        violations = text_violations(reason, "reason", MAX_REASON_LENGTH)
        if status in REASON_REQUIRED and not reason.strip():
            violations.append(FieldViolation("reason", f"wajib diisi untuk status {STATUS_NAMES[status]}, "
                                                       "mis. 'Ditunda: menunggu hasil reviu BPKP/Inspektorat'"))
        if at < self.status_changed_at:
            violations.append(FieldViolation("changed_at", "tidak boleh sebelum perubahan status terakhir"))
        violations += text_violations(terms.vendor, "vendor", MAX_VENDOR_LENGTH)
        violations += text_violations(terms.contract_number, "contract_number", MAX_CONTRACT_NUMBER_LENGTH)
        needs_vendor = status is _S.WINNER or (status is _S.CONTRACT and self.channel is ProcurementChannel.E_CATALOGUE)
        if needs_vendor and not (terms.vendor.strip() or self.vendor):
            violations.append(FieldViolation("vendor", "wajib diisi: nama penyedia pemenang"))
        if status is _S.CONTRACT:
            if not terms.contract_number.strip():
                violations.append(FieldViolation("contract_number", "wajib diisi: nomor kontrak atau surat pesanan"))
            if not 0 < terms.contract_value_idr <= MAX_PACKAGE_VALUE_IDR:
                violations.append(FieldViolation("contract_value_idr", "wajib diisi: nilai kontrak dalam rupiah, "
                                                                       "lebih dari 0"))
            if terms.expected_delivery_on is not None and terms.expected_delivery_on < at.date():
                violations.append(FieldViolation("expected_delivery_on", "tidak boleh sebelum tanggal kontrak"))
        return violations

    def record_delivery(self, serials: SerialRange, at: dt.datetime) -> StatusChange | None:
        """Counts a (partial) delivery; the first one moves a contracted package to DELIVERY."""
        if self.status not in (_S.CONTRACT, _S.DELIVERY):
            raise InvalidTransition(f"Pengiriman hanya dapat dicatat untuk paket berstatus Kontrak atau Pengiriman; "
                                    f"paket ini berstatus {STATUS_NAMES[self.status]}.")
        violations = []
        if serials.quantity > self.remaining:
            violations.append(FieldViolation("last_serial", f"pengiriman {serials.quantity:,} blanko melebihi sisa "
                                                            f"kontrak {self.remaining:,} blanko".replace(",", ".")))
        if at < self.status_changed_at:
            violations.append(FieldViolation("delivered_at", "tidak boleh sebelum perubahan status terakhir"))
        raise_if_invalid(violations)
        self.delivered += serials.quantity
        if self.status is _S.CONTRACT:
            self.status, self.status_reason, self.status_changed_at = _S.DELIVERY, "Pengiriman pertama diterima", at
            return StatusChange(self.package_id, _S.DELIVERY, self.status_reason, at)
        return None


def package_violations(package_id: str, fiscal_year: int, name: str, quantity: int,
                       estimated_value_idr: int) -> list[FieldViolation]:
    violations = []
    if not package_id.strip() or len(package_id) > 40 or not package_id.isprintable():
        violations.append(FieldViolation("package_id", "is required, at most 40 printable characters"))
    if not 2000 <= fiscal_year <= 2100:
        violations.append(FieldViolation("fiscal_year", "must be a year between 2000 and 2100"))
    if not name.strip() or len(name) > 200:
        violations.append(FieldViolation("name", "is required, at most 200 characters"))
    if not 0 < quantity <= MAX_PACKAGE_QUANTITY:
        violations.append(FieldViolation("quantity", f"must be a number of blanks from 1 to {MAX_PACKAGE_QUANTITY:,}"))
    if not 0 <= estimated_value_idr <= MAX_PACKAGE_VALUE_IDR:
        violations.append(FieldViolation("estimated_value_idr",
                                         f"must be rupiah from 0 to {MAX_PACKAGE_VALUE_IDR:,}"))
    return violations


def future_violations(at: dt.datetime, now: dt.datetime, field_name: str) -> list[FieldViolation]:
    """A recorded date (a status change, a delivery) may be back-dated, never in the future."""
    if at > now + dt.timedelta(minutes=5):
        return [FieldViolation(field_name, "tidak boleh di masa depan")]
    return []


@dataclass(frozen=True)
class PlannedStep:
    status: ProcurementStatus
    reason: str
    at: dt.datetime
    terms: ContractTerms = ContractTerms()


@dataclass(frozen=True)
class PackagePlan:
    """A package to create and the status steps it went through (e.g. for demo data)."""

    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    planned_at: dt.datetime
    steps: tuple[PlannedStep, ...] = ()


# ---- requests and allocations (H6) -----------------------------------------------------

MAX_BACKLOG = 10_000_000        # print-ready recordings waiting in one office: beyond any kabupaten
MAX_NOTE_LENGTH = 500


class RequestKind(enum.Enum):
    ALLOCATION = "allocation"   # a kabupaten asks its province (a province asks central) for blanks
    LOAN = "loan"               # a kabupaten asks another kabupaten of its province to lend blanks


class RequestState(enum.Enum):
    SUBMITTED = "submitted"     # waiting for the supplier's decision
    APPROVED = "approved"       # approved (maybe partly) and dispatched: the transfer is in transit
    REJECTED = "rejected"
    RECEIVED = "received"       # the requesting office confirmed the blanks arrived
    WITHDRAWN = "withdrawn"     # cancelled by the requester before a decision


class BacklogSource(enum.Enum):
    """Where the print-ready backlog a request is sized by comes from: inventory does not own
    recordings, so the number is input with its source noted."""

    OFFICER = "officer"         # counted by the officer at the Dinas
    ENROLMENT = "enrolment"     # the print-ready count of the enrolment service
    DOCUMENTS = "documents"     # the print queue of the documents service (Suket holders waiting)


REQUEST_STATE_NAMES = {
    RequestState.SUBMITTED: "Menunggu keputusan",
    RequestState.APPROVED: "Disetujui, dalam pengiriman",
    RequestState.REJECTED: "Ditolak",
    RequestState.RECEIVED: "Diterima",
    RequestState.WITHDRAWN: "Dibatalkan pemohon",
}
REQUEST_KIND_NAMES = {RequestKind.ALLOCATION: "Alokasi", RequestKind.LOAN: "Pinjaman antar-kabupaten"}
BACKLOG_SOURCE_NAMES = {BacklogSource.OFFICER: "Hitungan petugas", BacklogSource.ENROLMENT: "Data perekaman (PRR)",
                        BacklogSource.DOCUMENTS: "Antrean cetak"}


def supplier_for(kind: RequestKind, office_code: str, lender: str = "") -> str:
    """Who supplies a request: the parent office for an allocation, the lender for a loan."""
    if kind is RequestKind.LOAN:
        return lender
    return parent_office(office_code) or ""


def proposed_quantity(backlog: int, available: int) -> int:
    """What a request should ask for: the print-ready backlog the office cannot print from its
    own available stock, never below zero and never above one transfer."""
    return max(0, min(backlog - available, MAX_QUANTITY))


def request_violations(kind: RequestKind, office_code: str, lender: str, quantity: int, backlog: int,
                       note: str) -> list[FieldViolation]:
    violations = ledger_office_violations(office_code)
    if not violations and office_level(office_code) not in (OfficeLevel.KABUPATEN, OfficeLevel.PROVINCE):
        violations.append(FieldViolation("office_code", "permintaan diajukan oleh Dinas kabupaten/kota "
                                                         "(mis. 62.03) atau provinsi (mis. 62)"))
    if not violations and kind is RequestKind.LOAN:
        violations += (ledger_office_violations(lender, "lender_office")
                       or [FieldViolation("lender_office", v.description) for v in loan_violations(office_code, lender)]
                       or ([FieldViolation("lender_office", "pilih kabupaten lain sebagai pemberi pinjaman")]
                           if lender == office_code else []))
    if not 0 < quantity <= MAX_QUANTITY:
        violations.append(FieldViolation("quantity", f"jumlah blanko 1 sampai {MAX_QUANTITY:,}".replace(",", ".")))
    if not 0 <= backlog <= MAX_BACKLOG:
        violations.append(FieldViolation("backlog", f"jumlah perekaman siap cetak 0 sampai "
                                                    f"{MAX_BACKLOG:,}".replace(",", ".")))
    violations += text_violations(note, "note", MAX_NOTE_LENGTH)
    if not violations and quantity > backlog and not note.strip():
        violations.append(FieldViolation("note", "jumlah melebihi perekaman siap cetak: tuliskan alasannya"))
    return violations


@dataclass
class BlankRequest:
    """A request for blanks and its decision: SUBMITTED -> APPROVED (a transfer or loan is
    dispatched) -> RECEIVED, or REJECTED / WITHDRAWN."""

    request_id: str
    kind: RequestKind
    office_code: str                # who asks (and receives)
    supplier_office: str            # who decides and sends: the province, central, or the lender
    quantity_requested: int
    backlog: int
    backlog_source: BacklogSource
    note: str
    state: RequestState
    requested_at: dt.datetime
    requested_by: str
    quantity_approved: int = 0
    decision_reason: str = ""
    decided_at: dt.datetime | None = None
    decided_by: str = ""
    transfer_id: str = ""
    received_at: dt.datetime | None = None

    def _require(self, *states: RequestState, step: str) -> None:
        if self.state not in states:
            raise InvalidRequestState(f"Permintaan berstatus {REQUEST_STATE_NAMES[self.state]} tidak dapat {step}.")

    def approve(self, quantity: int, reason: str, by: str, at: dt.datetime) -> None:
        """Approves `quantity` (all or part of what was asked); a cut needs a reason."""
        self._require(RequestState.SUBMITTED, step="disetujui")
        violations = text_violations(reason, "reason", MAX_REASON_LENGTH)
        if not 0 < quantity <= self.quantity_requested:
            violations.append(FieldViolation("quantity", f"disetujui 1 sampai {self.quantity_requested:,} blanko "
                                                         "(jumlah yang diminta)".replace(",", ".")))
        elif quantity < self.quantity_requested and not reason.strip():
            violations.append(FieldViolation("reason", "wajib diisi bila disetujui sebagian"))
        raise_if_invalid(violations)
        self.state, self.quantity_approved, self.decision_reason = RequestState.APPROVED, quantity, reason.strip()
        self.decided_at, self.decided_by = at, by

    def dispatched(self, transfer_id: str) -> None:
        self.transfer_id = transfer_id

    def reject(self, reason: str, by: str, at: dt.datetime) -> None:
        self._require(RequestState.SUBMITTED, step="ditolak")
        violations = text_violations(reason, "reason", MAX_REASON_LENGTH)
        if not reason.strip():
            violations.append(FieldViolation("reason", "wajib diisi: mengapa permintaan ditolak"))
        raise_if_invalid(violations)
        self.state, self.decision_reason, self.decided_at, self.decided_by = (
            RequestState.REJECTED, reason.strip(), at, by)

    def withdraw(self, by: str, at: dt.datetime) -> None:
        self._require(RequestState.SUBMITTED, step="dibatalkan")
        self.state, self.decided_at, self.decided_by = RequestState.WITHDRAWN, at, by

    def mark_received(self, at: dt.datetime) -> bool:
        """False when it was confirmed before (idempotent)."""
        if self.state is RequestState.RECEIVED:
            return False
        self._require(RequestState.APPROVED, step="dikonfirmasi diterima")
        self.state, self.received_at = RequestState.RECEIVED, at
        return True


# ---- forecast and stock levels (H6) ----------------------------------------------------

class StockLevel(enum.Enum):
    OK = "ok"
    LOW = "low"
    OUT = "out"


@dataclass(frozen=True)
class StockThresholds:
    """When an office's stock counts as low: at most `low_blanks` available blanks. The
    forecast also flags fewer than `low_days` days of cover."""

    low_blanks: int = 100
    low_days: int = 14
    window_days: int = 28           # recent days the daily consumption is averaged over


def stock_level(available: int, thresholds: StockThresholds) -> StockLevel:
    if available <= 0:
        return StockLevel.OUT
    return StockLevel.LOW if available <= thresholds.low_blanks else StockLevel.OK


def level_crossed(previous: StockLevel, current: StockLevel) -> StockLevel | None:
    """The level an office has just fallen to (emit StockLow / StockOut once), or None: no
    event while it stays there, none when it recovers (the next fall emits again)."""
    order = (StockLevel.OK, StockLevel.LOW, StockLevel.OUT)
    return current if order.index(current) > order.index(previous) else None


@dataclass(frozen=True)
class DayUsage:
    day: dt.date
    consumed: int
    stocked_out: bool = False       # the office had no blank at some time that day


def stock_out_days(periods: Sequence[tuple[dt.datetime, dt.datetime | None]], since: dt.date, until: dt.date,
                   tz: dt.tzinfo) -> set[dt.date]:
    """Days (in the office's time zone) that overlap a period without stock (end None: still out)."""
    days: set[dt.date] = set()
    for start, end in periods:
        first = max(start.astimezone(tz).date(), since)
        last = min(end.astimezone(tz).date(), until) if end else until
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return days


@dataclass(frozen=True)
class ExpectedArrival:
    """When the next procurement delivery is expected at the central store, if that can be said."""

    on: dt.date | None
    package_id: str
    explanation: str                # Bahasa Indonesia, for the pages

    @property
    def known(self) -> bool:
        return self.on is not None


def expected_arrival(packages: Sequence[ProcurementPackage], today: dt.date) -> ExpectedArrival:
    """The earliest promised delivery of a contracted package with blanks still to come;
    unknown when no contract promises a date, in particular when the tender is postponed or
    cancelled (the date is then anyone's guess and the forecast says so)."""
    coming = [p for p in packages if p.status in (_S.CONTRACT, _S.DELIVERY) and p.remaining > 0]
    dated = sorted((p for p in coming if p.expected_delivery_on), key=lambda p: p.expected_delivery_on)
    if dated:
        p = dated[0]
        late = " (terlambat)" if p.expected_delivery_on < today else ""
        return ExpectedArrival(p.expected_delivery_on, p.package_id,
                               f"Pengiriman {p.name} dijadwalkan kontrak{late}.")
    if coming:
        return ExpectedArrival(None, coming[0].package_id,
                               f"{coming[0].name}: kontrak ada, tetapi jadwal pengiriman belum ditetapkan.")
    open_ = [p for p in packages if p.status is not _S.ALLOCATED]
    if not open_:
        return ExpectedArrival(None, "", "Tidak ada paket pengadaan yang sedang berjalan.")
    latest = max(open_, key=lambda p: (p.fiscal_year, p.status_changed_at))
    status = STATUS_NAMES[latest.status]
    if latest.status in NO_ARRIVAL:
        why = f": {latest.status_reason}" if latest.status_reason else ""
        return ExpectedArrival(None, latest.package_id,
                               f"{latest.name} berstatus {status}{why}. Kedatangan blanko tidak dapat diperkirakan.")
    return ExpectedArrival(None, latest.package_id,
                           f"{latest.name} masih tahap {status}; belum ada kontrak pengiriman.")


@dataclass(frozen=True)
class Forecast:
    """Days of cover of one office: how long its stock lasts at the recent printing rate once
    the print-ready backlog (demand already waiting) is served."""

    office_code: str
    today: dt.date
    on_hand: int
    available: int
    backlog: int
    daily_consumption: float | None     # average over days with stock; None: no such day
    days_averaged: int
    days_excluded: int                  # stock-out days left out of the average
    days_of_cover: float | None         # None: nothing is being consumed and the backlog is served
    stock_out_on: dt.date | None        # projected; today when already out or short for the backlog
    shortfall: int                      # blanks missing to print the backlog
    arrival: ExpectedArrival
    level: StockLevel

    @property
    def runs_out_before_arrival(self) -> bool | None:
        if self.stock_out_on is None:
            return False
        if self.arrival.on is None:
            return None
        return self.stock_out_on < self.arrival.on


def forecast(office_code: str, available: int, on_hand: int, backlog: int, usage: Sequence[DayUsage],
             arrival: ExpectedArrival, today: dt.date, thresholds: StockThresholds) -> Forecast:
    counted = [u for u in usage if not u.stocked_out]
    daily = sum(u.consumed for u in counted) / len(counted) if counted else None
    spare = available - backlog
    if spare <= 0:
        cover: float | None = 0.0
    elif daily:
        cover = spare / daily
    else:
        cover = None
    stock_out_on = None if cover is None else today + dt.timedelta(days=int(cover))
    level = stock_level(available, thresholds)
    if level is StockLevel.OK and cover is not None and cover < thresholds.low_days:
        level = StockLevel.LOW
    return Forecast(office_code, today, on_hand, available, backlog, daily, len(counted), len(usage) - len(counted),
                    cover, stock_out_on, max(0, -spare), arrival, level)


# ---- domain events ------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    occurred_at: dt.datetime

    @property
    def region_code(self) -> str:
        """The region an event is about (envelope region code); national by default."""
        return NATIONAL_REGION


@dataclass(frozen=True, kw_only=True)
class StockEvent(DomainEvent):
    office_code: str

    @property
    def region_code(self) -> str:
        return self.office_code


@dataclass(frozen=True, kw_only=True)
class StockReceived(StockEvent):
    first_serial: str
    last_serial: str
    quantity: int
    available: int


@dataclass(frozen=True, kw_only=True)
class StockReserved(StockEvent):
    serial: str
    idempotency_key: str
    available: int


@dataclass(frozen=True, kw_only=True)
class StockConsumed(StockEvent):
    serial: str
    idempotency_key: str


@dataclass(frozen=True, kw_only=True)
class StockReleased(StockEvent):
    serial: str
    idempotency_key: str
    available: int
    reason: str = ""          # "expired" when the reservation ran out


@dataclass(frozen=True, kw_only=True)
class StockOut(StockEvent):
    pass


def range_texts(ranges: Iterable[SerialRange]) -> tuple[str, ...]:
    """Ranges as event payload strings "first-last"."""
    return tuple(f"{r.first}-{r.last}" for r in ranges)


@dataclass(frozen=True, kw_only=True)
class StockSpoiled(StockEvent):
    serial_ranges: tuple[str, ...]
    quantity: int
    cause: str
    record_id: str            # the destruction record (berita acara)
    available: int


@dataclass(frozen=True, kw_only=True)
class StockLost(StockEvent):
    serial_ranges: tuple[str, ...]
    quantity: int
    cause: str
    available: int


@dataclass(frozen=True, kw_only=True)
class StockTransferred(StockEvent):
    """Dispatched from `office_code` to `to_office` (in transit)."""

    to_office: str
    transfer_id: str
    kind: TransferKind
    serial_ranges: tuple[str, ...]
    quantity: int
    available: int


@dataclass(frozen=True, kw_only=True)
class TransferReceived(StockEvent):
    """Arrived at `office_code` from `from_office`."""

    from_office: str
    transfer_id: str
    kind: TransferKind
    quantity: int
    available: int


@dataclass(frozen=True, kw_only=True)
class StockCounted(StockEvent):
    count_id: str
    expected: int
    counted: int
    missing: int
    surplus: int
    available: int


@dataclass(frozen=True, kw_only=True)
class StockLow(StockEvent):
    """The office's available stock fell to the low threshold (once per crossing)."""

    available: int
    threshold: int


@dataclass(frozen=True, kw_only=True)
class BlankRequestChanged(StockEvent):
    """A blank request was submitted, decided, received or withdrawn (region: the requester)."""

    request_id: str
    kind: RequestKind
    supplier_office: str
    state: RequestState
    quantity_requested: int
    quantity_approved: int
    transfer_id: str = ""
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class DeliveryReceived(DomainEvent):
    """A (partial) delivery of a procurement package arrived at `office_code` (the central store)."""

    package_id: str
    sequence: int
    office_code: str
    first_serial: str
    last_serial: str
    quantity: int
    delivered_total: int        # of the package so far


@dataclass(frozen=True, kw_only=True)
class ProcurementStatusChanged(DomainEvent):
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str = ""
