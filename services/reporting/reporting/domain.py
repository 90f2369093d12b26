"""Read models folded from the other contexts' events, the counters they keep per desa, and the
rules of the reports (coverage, funnel and backlog, stock cover and stock-out days, expected
deliveries, drives, voter readiness). Pure Python.

Facts are keyed by their own ids (register number, document id, office, package), so a
replayed event or events arriving out of order between feeds fold to the same state.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from reporting.errors import InvalidDate, InvalidRegionCode

# Length of a Kemendagri code per level: 62, 62.03, 62.03.01, 62.03.01.2001.
PROVINCE, REGENCY, DISTRICT, VILLAGE = 2, 5, 8, 13
CODE_LENGTHS = (PROVINCE, REGENCY, DISTRICT, VILLAGE)
_REPORT_REGION = re.compile(r"[0-9]{2}(\.[0-9]{2}){0,2}")
_VILLAGE = re.compile(r"[0-9]{2}(\.[0-9]{2}){2}\.[0-9]{4}")


@dataclass(frozen=True)
class Region:
    """A region a coverage report can be asked for: province, kabupaten or kecamatan."""

    code: str

    @classmethod
    def parse(cls, raw: str, field: str = "region_code", *, village: bool = False) -> Region:
        """A province, kabupaten or kecamatan code; also a desa/kelurahan code when `village`."""
        code = (raw or "").strip()
        if not (is_report_region(code) or (village and _VILLAGE.fullmatch(code))):
            raise InvalidRegionCode(field)
        return cls(code)

    @property
    def child_length(self) -> int:
        return CODE_LENGTHS[CODE_LENGTHS.index(len(self.code)) + 1]

    @property
    def parent_code(self) -> str | None:
        index = CODE_LENGTHS.index(len(self.code))
        return self.code[:CODE_LENGTHS[index - 1]] if index else None


def is_report_region(code: str) -> bool:
    return _REPORT_REGION.fullmatch(code or "") is not None


def grandchild_length(child_length: int) -> int | None:
    index = CODE_LENGTHS.index(child_length)
    return CODE_LENGTHS[index + 1] if index + 1 < len(CODE_LENGTHS) else None


def has_children(code: str) -> bool:
    return len(code) in CODE_LENGTHS[:-1]


def within(code: str, region: str) -> bool:
    """Whether `code` is `region` or lies under it."""
    return code == region or code.startswith(region + ".")


def related(office_code: str, region: str) -> bool:
    """An office serves a region when one lies within the other (a kabupaten's Dinas serves its
    kecamatan; a province report lists every Dinas in it)."""
    return within(office_code, region) or within(region, office_code)


MAX_SERIES_DAYS = 3 * 366


def parse_day(raw: str | None, field: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), None when empty."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad_day(field)
    except ValueError:
        return _bad_day(field)


def _bad_day(field: str) -> dt.date:
    raise InvalidDate(field, "Tanggal harus berbentuk TTTT-BB-HH, misalnya 2024-11-27.")


def series_range(from_day: dt.date | None, to_day: dt.date | None, today: dt.date,
                 fields: tuple[str, str] = ("from_day", "to_day")) -> tuple[dt.date, dt.date]:
    """The days of a coverage series: to `to_day` (today), from `from_day` (90 days before)."""
    last = to_day or today
    first = from_day or last - dt.timedelta(days=90)
    if first > last:
        raise InvalidDate(fields[0], "Tanggal awal harus sebelum atau sama dengan tanggal akhir.")
    if (last - first).days > MAX_SERIES_DAYS:
        raise InvalidDate(fields[0], "Rentang paling panjang 3 tahun.")
    return first, last


# ---- facts: the events reporting folds (decoded from the producers' payloads) -----------

@dataclass(frozen=True)
class TargetChanged:
    region_code: str
    region_name: str
    wajib_ktp: int


@dataclass(frozen=True)
class RecordingCaptured:
    register_number: str
    office_code: str
    region_code: str
    captured_at: dt.datetime | None
    voter_eligible_on: dt.date | None = None
    drive_id: int = 0


@dataclass(frozen=True)
class RecordingPrintReady:
    register_number: str
    office_code: str
    region_code: str


@dataclass(frozen=True)
class RecordingDuplicate:
    register_number: str
    office_code: str
    region_code: str


@dataclass(frozen=True)
class RecordingFailed:
    """Stored as FAILED (quality gate or fraud): not recorded, never printed."""

    register_number: str
    office_code: str
    region_code: str


class Adjudication(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    SAME_PERSON = "SAME_PERSON"             # stays a duplicate
    DIFFERENT_PERSON = "DIFFERENT_PERSON"   # counts again (print-ready follows)
    FRAUD = "FRAUD"                         # failed


@dataclass(frozen=True)
class AdjudicationResolved:
    register_number: str
    office_code: str
    region_code: str
    decision: Adjudication


@dataclass(frozen=True)
class ResidentChanged:
    """A resident re-recorded under `register_number` (moved in: a new region; or a data change):
    the person now counts under the new recording, no longer under the previous one."""

    register_number: str
    office_code: str
    region_code: str
    previous_register_number: str


@dataclass(frozen=True)
class RecordingReplaced:
    """The previous recording of a re-recorded resident (derived from ResidentChanged)."""

    register_number: str


@dataclass(frozen=True)
class DriveClosed:
    drive_id: int
    office_code: str
    village_codes: tuple[str, ...]
    planned_for: dt.date | None
    planned: int = 0
    recorded: int = 0
    failed: int = 0
    duplicates: int = 0


@dataclass(frozen=True)
class CardPrinted:
    document_id: str
    register_number: str
    office_code: str
    region_code: str
    card_serial: str


@dataclass(frozen=True)
class SuketIssued:
    document_id: str
    register_number: str
    office_code: str
    region_code: str
    valid_until: dt.datetime | None


@dataclass(frozen=True)
class SuketSuperseded:
    document_id: str
    register_number: str
    region_code: str


@dataclass(frozen=True)
class SuketExpired:
    document_id: str
    register_number: str
    region_code: str


@dataclass(frozen=True)
class DocumentVoided:
    document_id: str
    register_number: str
    region_code: str


@dataclass(frozen=True)
class CardSpoiled:
    """A printed card was spoiled and will be printed again: it no longer counts as printed."""

    document_id: str
    register_number: str
    office_code: str
    region_code: str


@dataclass(frozen=True)
class CardDispatched:
    """One card of a BatchDispatched (the adapter splits a batch into its cards)."""

    document_id: str
    register_number: str
    region_code: str
    batch_id: str


@dataclass(frozen=True)
class CardHandedOver:
    document_id: str
    register_number: str
    region_code: str
    batch_id: str


@dataclass(frozen=True)
class BatchDispatched:
    batch_id: str
    cards: tuple[CardDispatched, ...]


@dataclass(frozen=True)
class StockReceived:
    office_code: str
    quantity: int
    available: int


@dataclass(frozen=True)
class StockReserved:
    office_code: str
    available: int


@dataclass(frozen=True)
class StockConsumed:
    office_code: str


@dataclass(frozen=True)
class StockReleased:
    office_code: str
    available: int


@dataclass(frozen=True)
class StockOut:
    office_code: str


@dataclass(frozen=True)
class StockSpoiled:
    """Spoiled or lost blanks (StockSpoiled, StockLost)."""

    office_code: str
    quantity: int
    available: int


@dataclass(frozen=True)
class StockLevel:
    """Any other event that states an office's available stock (StockLow, StockTransferred,
    StockCounted)."""

    office_code: str
    available: int


class ProcurementStatus(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    PLANNED = "PLANNED"
    ANNOUNCED = "ANNOUNCED"
    FAILED = "FAILED"
    WINNER = "WINNER"
    OBJECTION_PERIOD = "OBJECTION_PERIOD"
    REVIEW = "REVIEW"
    POSTPONED = "POSTPONED"
    CANCELLED = "CANCELLED"
    CONTRACT = "CONTRACT"
    DELIVERY = "DELIVERY"
    ALLOCATED = "ALLOCATED"


@dataclass(frozen=True)
class ProcurementStatusChanged:
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str


@dataclass(frozen=True)
class DeliveryReceived:
    package_id: str
    quantity: int
    delivered_total: int


RecordingEvent = (RecordingCaptured | RecordingPrintReady | RecordingDuplicate | RecordingFailed
                  | AdjudicationResolved | ResidentChanged | RecordingReplaced)
DocumentEvent = (CardPrinted | SuketIssued | SuketSuperseded | SuketExpired | DocumentVoided | CardSpoiled
                 | CardDispatched | CardHandedOver)
StockEvent = StockReceived | StockReserved | StockConsumed | StockReleased | StockOut | StockSpoiled | StockLevel
ProcurementEvent = ProcurementStatusChanged | DeliveryReceived
Fact = (TargetChanged | RecordingEvent | DocumentEvent | BatchDispatched | StockEvent | ProcurementEvent
        | DriveClosed)


@dataclass(frozen=True)
class FeedEvent:
    """One event of a followed feed; `fact` is None for types reporting does not fold.
    `occurred_at` (the producer's commit time) dates what the payload does not."""

    feed: str
    event_id: str
    sequence: int
    fact: Fact | None
    occurred_at: dt.datetime | None = None


# Days are counted in WIB (UTC+7), the offices' clock.
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def wib_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(WIB).date()


# ---- read models and how each fact folds into them ----------------------------------

@dataclass(frozen=True)
class RegionTarget:
    region_code: str
    region_name: str
    wajib_ktp: int


@dataclass(frozen=True)
class RecordingFact:
    """One recording by register number, with what the documents did for it.

    `known` is False while only documents mention it (its recording event has not arrived on
    the enrolment feed yet). It counts as recorded when known and neither a duplicate, failed,
    nor replaced by a later recording of the same resident."""

    register_number: str
    office_code: str
    region_code: str
    captured_at: dt.datetime | None = None
    print_ready: bool = False
    duplicate: bool = False
    failed: bool = False
    replaced: bool = False
    known: bool = True
    recorded_on: dt.date | None = None          # WIB day of capture
    voter_eligible_on: dt.date | None = None
    drive_id: int = 0
    card_printed: bool = False                  # a valid card (printed, not voided, not spoiled)
    card_printed_on: dt.date | None = None
    dispatched: bool = False
    handed_over: bool = False
    suket_valid_until: dt.date | None = None    # the latest Suket still standing

    @property
    def recorded(self) -> bool:
        return self.known and not (self.duplicate or self.failed or self.replaced)


class DocumentKind(enum.StrEnum):
    CARD = "CARD"
    SUKET = "SUKET"


@dataclass(frozen=True)
class DocumentFact:
    """A printed card or a Suket by document id. A Suket stands until superseded, expired or
    voided; a card counts until voided or spoiled."""

    document_id: str
    kind: DocumentKind
    register_number: str
    office_code: str
    region_code: str
    card_serial: str = ""
    valid_until: dt.datetime | None = None
    superseded: bool = False
    expired: bool = False
    voided: bool = False
    spoiled: bool = False
    printed: bool = False                   # its CardPrinted has arrived
    printed_on: dt.date | None = None
    dispatched: bool = False
    handed_over: bool = False

    @property
    def valid_card(self) -> bool:
        return self.kind is DocumentKind.CARD and self.printed and not (self.voided or self.spoiled)

    @property
    def standing_suket(self) -> bool:
        return self.kind is DocumentKind.SUKET and not (self.superseded or self.expired or self.voided)


@dataclass(frozen=True)
class OfficeStock:
    office_code: str
    available: int = 0
    received: int = 0
    consumed: int = 0
    spoiled: int = 0
    out_since: dt.date | None = None     # the day the current stock-out began


@dataclass(frozen=True)
class StockOutPeriod:
    office_code: str
    started_on: dt.date
    ended_on: dt.date


@dataclass(frozen=True)
class ProcurementPackage:
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str
    delivered: int = 0
    status_since: dt.date | None = None
    deliveries: int = 0
    first_delivery_on: dt.date | None = None
    last_delivery_on: dt.date | None = None


@dataclass(frozen=True)
class Drive:
    drive_id: int
    office_code: str
    village_codes: tuple[str, ...]
    planned_for: dt.date | None
    planned: int
    recorded: int
    failed: int
    duplicates: int


def fold_target(_current: RegionTarget | None, fact: TargetChanged) -> RegionTarget:
    return RegionTarget(fact.region_code, fact.region_name, max(fact.wajib_ktp, 0))


def fold_recording(current: RecordingFact | None, fact: RecordingEvent, day: dt.date | None = None) -> RecordingFact:
    """`day`: when the event happened (WIB), the recording day when no capture time is known."""
    if isinstance(fact, RecordingReplaced):
        return replace(current or RecordingFact(fact.register_number, "", "", known=False), replaced=True)
    row = current or RecordingFact(fact.register_number, fact.office_code, fact.region_code, known=False)
    located = replace(row, office_code=fact.office_code or row.office_code,
                      region_code=fact.region_code or row.region_code, known=True,
                      recorded_on=row.recorded_on or day)
    if isinstance(fact, RecordingCaptured):
        return replace(located, captured_at=fact.captured_at or located.captured_at,
                       recorded_on=wib_day(fact.captured_at) or located.recorded_on,
                       voter_eligible_on=fact.voter_eligible_on or located.voter_eligible_on,
                       drive_id=fact.drive_id or located.drive_id)
    if isinstance(fact, RecordingPrintReady):   # also after a duplicate judged another person
        return replace(located, print_ready=True, duplicate=False)
    if isinstance(fact, RecordingFailed):
        return replace(located, failed=True, print_ready=False)
    if isinstance(fact, AdjudicationResolved):
        if fact.decision is Adjudication.DIFFERENT_PERSON:
            return replace(located, duplicate=False)
        if fact.decision is Adjudication.FRAUD:
            return replace(located, failed=True, print_ready=False)
        if fact.decision is Adjudication.SAME_PERSON:
            return replace(located, duplicate=True, print_ready=False)
        return located
    if isinstance(fact, ResidentChanged):
        return located
    return replace(located, duplicate=True, print_ready=False)


def fold_document(current: DocumentFact | None, fact: DocumentEvent, day: dt.date | None = None) -> DocumentFact:
    """Document facts by id; what arrives before the document's own event is kept (flags)."""
    known = current or DocumentFact(fact.document_id, DocumentKind.SUKET, fact.register_number,
                                    getattr(fact, "office_code", ""), fact.region_code)
    if isinstance(fact, CardPrinted):
        return replace(known, kind=DocumentKind.CARD, register_number=fact.register_number,
                       office_code=fact.office_code, region_code=fact.region_code or known.region_code,
                       card_serial=fact.card_serial, printed=True, printed_on=known.printed_on or day)
    if isinstance(fact, SuketIssued):
        return replace(known, kind=DocumentKind.SUKET, register_number=fact.register_number,
                       office_code=fact.office_code, region_code=fact.region_code or known.region_code,
                       valid_until=fact.valid_until)
    if isinstance(fact, SuketSuperseded):
        return replace(known, superseded=True)
    if isinstance(fact, SuketExpired):
        return replace(known, expired=True)
    if isinstance(fact, DocumentVoided):
        return replace(known, voided=True)
    if isinstance(fact, CardSpoiled):
        return replace(known, kind=DocumentKind.CARD, spoiled=True)
    if isinstance(fact, CardDispatched):
        return replace(known, kind=DocumentKind.CARD, dispatched=True)
    return replace(known, kind=DocumentKind.CARD, dispatched=True, handed_over=True)


def with_documents(recording: RecordingFact, documents: list[DocumentFact]) -> RecordingFact:
    """A recording's document state, from all documents issued for its register number."""
    cards = [d for d in documents if d.valid_card]
    printed_on = min((d.printed_on for d in cards if d.printed_on), default=None)
    # A Suket without a validity date (never so from documents) is taken as standing indefinitely.
    suket_until = max((wib_day(d.valid_until) or dt.date.max for d in documents if d.standing_suket), default=None)
    return replace(recording, card_printed=bool(cards), card_printed_on=printed_on,
                   dispatched=any(d.dispatched for d in cards), handed_over=any(d.handed_over for d in cards),
                   suket_valid_until=suket_until)


def document_owner(current: RecordingFact | None, document: DocumentFact) -> RecordingFact:
    """The recording a document belongs to; a placeholder (not yet known) when the enrolment
    feed has not told of it yet."""
    return current or RecordingFact(document.register_number, document.office_code, document.region_code,
                                    known=False)


# ---- the counters kept per desa (and per desa per day), maintained by deltas -----------

COUNTERS = ("persons", "recorded", "print_ready", "print_backlog", "printed", "dispatched", "handed_over",
            "suket_outstanding")
DAILY_COUNTERS = ("recorded", "printed")

CounterKey = tuple[str, dt.date | None, str]   # region, day (None: the running total), counter


def contributions(fact: RecordingFact | None) -> dict[CounterKey, int]:
    """What one recording adds to the counters of its region: totals, and per day."""
    if fact is None or not fact.region_code:
        return {}
    region, printed = fact.region_code, fact.card_printed
    flags = {
        "persons": True,
        "recorded": fact.recorded,
        "print_ready": fact.recorded and fact.print_ready,
        "print_backlog": fact.recorded and fact.print_ready and not printed,
        "printed": printed,
        "dispatched": printed and fact.dispatched,
        "handed_over": printed and fact.handed_over,
        "suket_outstanding": fact.suket_valid_until is not None and not printed,
    }
    counted: dict[CounterKey, int] = {(region, None, name): 1 for name, on in flags.items() if on}
    if fact.recorded and fact.recorded_on is not None:
        counted[(region, fact.recorded_on, "recorded")] = 1
    if printed and fact.card_printed_on is not None:
        counted[(region, fact.card_printed_on, "printed")] = 1
    return counted


def counter_delta(before: RecordingFact | None, after: RecordingFact | None) -> dict[CounterKey, int]:
    """The change to the counters when a recording's fact goes from `before` to `after`."""
    delta = dict(contributions(after))
    for key, value in contributions(before).items():
        delta[key] = delta.get(key, 0) - value
    return {key: value for key, value in delta.items() if value}


def fold_stock(current: OfficeStock | None, fact: StockEvent,
               day: dt.date | None = None) -> tuple[OfficeStock, StockOutPeriod | None]:
    """The office's stock after `fact`, and the stock-out period it closed (if any).

    A stock-out begins on the day the office has nothing available (StockOut, or any event
    stating 0 available) and ends on the day stock is available again."""
    board = current or OfficeStock(fact.office_code)
    if isinstance(fact, StockReceived):
        board = replace(board, available=fact.available, received=board.received + fact.quantity)
    elif isinstance(fact, StockConsumed):
        board = replace(board, consumed=board.consumed + 1)
    elif isinstance(fact, StockSpoiled):
        board = replace(board, available=fact.available, spoiled=board.spoiled + fact.quantity)
    elif isinstance(fact, StockOut):
        board = replace(board, available=0)
    else:
        board = replace(board, available=fact.available)
    if isinstance(fact, StockConsumed) or day is None:
        return board, None
    if board.available <= 0 and board.out_since is None:
        return replace(board, out_since=day), None
    if board.available > 0 and board.out_since is not None:
        return replace(board, out_since=None), StockOutPeriod(board.office_code, board.out_since, day)
    return board, None


def fold_procurement(current: ProcurementPackage | None, fact: ProcurementEvent,
                     day: dt.date | None = None) -> ProcurementPackage:
    if isinstance(fact, ProcurementStatusChanged):
        since = current.status_since if current is not None and current.status is fact.status else day
        base = current or ProcurementPackage(fact.package_id, fact.fiscal_year, fact.quantity, fact.status, fact.reason)
        return replace(base, fiscal_year=fact.fiscal_year, quantity=fact.quantity, status=fact.status,
                       reason=fact.reason, status_since=since)
    base = current or ProcurementPackage(fact.package_id, 0, 0, ProcurementStatus.DELIVERY, "")
    return replace(base, delivered=max(base.delivered, fact.delivered_total), deliveries=base.deliveries + 1,
                   first_delivery_on=base.first_delivery_on or day, last_delivery_on=day or base.last_delivery_on)


def fold_drive(_current: Drive | None, fact: DriveClosed) -> Drive:
    return Drive(fact.drive_id, fact.office_code, tuple(fact.village_codes), fact.planned_for,
                 fact.planned, fact.recorded, fact.failed, fact.duplicates)


# ---- stock, procurement and backlog estimates -------------------------------------------

CONSUMPTION_WINDOW = 30     # days the print/consumption rate is measured over
STOCK_OUT_WINDOW = 90       # days the stock-out days are counted over
CONTRACT_LEAD_TIME = dt.timedelta(days=60)      # contract signed -> first delivery (estimate)
DELIVERY_INTERVAL = dt.timedelta(days=30)       # between partial deliveries, when only one is known
ARRIVING = (ProcurementStatus.CONTRACT, ProcurementStatus.DELIVERY)


def days_of_cover(on_hand: int, consumed_lately: int) -> float:
    """Days the stock lasts at the consumption of the last 30 days; -1 when nothing was consumed."""
    if consumed_lately <= 0:
        return -1.0
    return on_hand / (consumed_lately / CONSUMPTION_WINDOW)


def stock_out_days(periods: list[StockOutPeriod], out_since: dt.date | None, today: dt.date) -> int:
    """Days of the last 90 (today included) on which the office was out of stock: a period counts
    from its first day up to the day before stock came back (at least its first day)."""
    first = today - dt.timedelta(days=STOCK_OUT_WINDOW - 1)
    days: set[dt.date] = set()
    spans = [(p.started_on, max(p.ended_on - dt.timedelta(days=1), p.started_on)) for p in periods]
    if out_since is not None:
        spans.append((out_since, today))
    for start, end in spans:
        day = max(start, first)
        while day <= min(end, today):
            days.add(day)
            day += dt.timedelta(days=1)
    return len(days)


def still_to_arrive(package: ProcurementPackage) -> int:
    return max(package.quantity - package.delivered, 0) if package.status in ARRIVING else 0


def expected_arrival(package: ProcurementPackage) -> dt.date | None:
    """When the next delivery of a contracted package is expected: after the last delivery at the
    average interval between its deliveries (30 days when only one is known), or 60 days after
    the contract; None when nothing more is due or the status says nothing about it."""
    if still_to_arrive(package) <= 0:
        return None
    if package.deliveries >= 2 and package.first_delivery_on and package.last_delivery_on:
        return package.last_delivery_on + (package.last_delivery_on - package.first_delivery_on) / (package.deliveries - 1)
    if package.last_delivery_on is not None:
        return package.last_delivery_on + DELIVERY_INTERVAL
    if package.status_since is not None:
        return package.status_since + CONTRACT_LEAD_TIME
    return None


def backlog_clear_days(backlog: int, printed_lately: int, on_hand: int, arriving: int) -> float:
    """Days to print the backlog at the print rate of the last 30 days. -1 when it will not clear:
    nothing printed lately, or the stock on hand plus what is still to arrive is less than it."""
    if backlog <= 0:
        return 0.0
    if printed_lately <= 0 or on_hand + arriving < backlog:
        return -1.0
    return backlog / (printed_lately / CONSUMPTION_WINDOW)


# ---- coverage ------------------------------------------------------------------------

@dataclass(frozen=True)
class FactCounts:
    """Aggregates of the facts under one region (computed by the database)."""

    facts: int = 0
    recorded: int = 0
    print_ready: int = 0
    print_ready_backlog: int = 0
    cards_printed: int = 0
    suket_outstanding: int = 0
    dispatched: int = 0
    handed_over: int = 0

    @classmethod
    def from_counters(cls, counters: Mapping[str, int]) -> FactCounts:
        """From the counter columns (domain.COUNTERS) of a region."""
        return cls(facts=counters.get("persons", 0), recorded=counters.get("recorded", 0),
                   print_ready=counters.get("print_ready", 0), print_ready_backlog=counters.get("print_backlog", 0),
                   cards_printed=counters.get("printed", 0), suket_outstanding=counters.get("suket_outstanding", 0),
                   dispatched=counters.get("dispatched", 0), handed_over=counters.get("handed_over", 0))


@dataclass(frozen=True)
class ChildTargets:
    """Targets known for a child region: its own, and the sum of its own children's."""

    region_code: str
    region_name: str | None = None
    own: int | None = None
    children_sum: int = 0


@dataclass(frozen=True)
class CoverageRow:
    region_code: str
    region_name: str
    target: int
    counts: FactCounts

    @property
    def coverage_ratio(self) -> float:
        """recorded / wajib KTP; 0 without a target; may exceed 1.0."""
        return self.counts.recorded / self.target if self.target > 0 else 0.0

    # The proto's flat fields (reporting.proto CoverageRow).
    @property
    def recorded(self) -> int:
        return self.counts.recorded

    @property
    def print_ready(self) -> int:
        return self.counts.print_ready

    @property
    def cards_printed(self) -> int:
        return self.counts.cards_printed

    @property
    def suket_outstanding(self) -> int:
        return self.counts.suket_outstanding


@dataclass(frozen=True)
class Coverage:
    total: CoverageRow
    rows: list[CoverageRow]


# ---- query results: mirror reporting.proto (same names and fields; dates as dt.date) ---

@dataclass(frozen=True)
class CoverageSeriesPoint:
    day: dt.date
    recorded: int             # recorded that day (WIB)
    cumulative: int           # recorded up to and including that day
    coverage_ratio: float     # cumulative / target; 0 without a target; may exceed 1.0


@dataclass(frozen=True)
class CoverageSeries:
    region_code: str
    target: int
    points: list[CoverageSeriesPoint]   # one per day from from_day to to_day, days without recordings included
    region_name: str = ""


@dataclass(frozen=True)
class FunnelRow:
    region_code: str
    region_name: str
    target: int
    recorded: int
    print_ready: int
    printed: int
    dispatched: int
    handed_over: int
    suket_outstanding: int    # valid Suket with no card yet: the card debt
    suket_expiring: int       # of those, expiring within 30 days
    print_backlog: int        # print-ready without a card


@dataclass(frozen=True)
class Funnel:
    total: FunnelRow
    rows: list[FunnelRow]
    backlog_clear_days: float     # -1 when it will not clear
    print_rate_per_day: float     # cards printed per day over the last 30 days


@dataclass(frozen=True)
class StockRow:
    office_code: str
    office_name: str
    on_hand: int
    received: int
    consumed: int
    spoiled: int
    days_of_cover: float      # -1 when unknown (nothing consumed lately)
    stock_out_days: int       # days with nothing available, last 90 days
    out_of_stock: bool

    @property
    def available(self) -> int:
        """The older name of `on_hand` (the coverage page's stock table)."""
        return self.on_hand


@dataclass(frozen=True)
class ProcurementRow:
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str
    delivered: int
    expected_arrival: dt.date | None   # None when unknown


@dataclass(frozen=True)
class StockBoard:
    offices: list[StockRow]
    procurements: list[ProcurementRow]


@dataclass(frozen=True)
class DriveRow:
    drive_id: int
    office_code: str
    planned_for: dt.date | None
    village_codes: tuple[str, ...]
    recorded: int
    failed: int
    duplicates: int
    coverage_gained: float    # a ratio like coverage_ratio: recorded under the drive / target of its desa
    closed: bool


@dataclass(frozen=True)
class DriveDay:
    day: dt.date
    recorded: int


@dataclass(frozen=True)
class DriveReport:
    drives: list[DriveRow]
    days: list[DriveDay]


@dataclass(frozen=True)
class VoterReadinessRow:
    region_code: str
    region_name: str
    eligible: int
    not_recorded: int
    recorded_without_document: int
    ready: int


@dataclass(frozen=True)
class VoterReadiness:
    election_date: dt.date
    total: VoterReadinessRow
    rows: list[VoterReadinessRow]


PILKADA_2024 = dt.date(2024, 11, 27)


# Ops are warned this long before a Suket lapses, so the holder's card can be printed in time.
SUKET_EXPIRY_NOTICE = dt.timedelta(days=30)


def suket_expiry_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The `valid_until` range of a Suket that is still valid and lapses within the notice period.

    A Suket is valid through its `valid_until` day, which documents sends as 00:00 UTC of that
    day; so the window runs from today's 00:00 UTC to 00:00 UTC 30 days later, both included.
    """
    today = dt.datetime.combine(now.astimezone(dt.timezone.utc).date(), dt.time(), dt.timezone.utc)
    return today, today + SUKET_EXPIRY_NOTICE


def target_of(targets: ChildTargets) -> int:
    """A region's own target when known, else the sum of its children's targets."""
    return targets.own if targets.own is not None else targets.children_sum


def coverage_rows(targets: dict[str, ChildTargets], counts: dict[str, FactCounts]) -> list[CoverageRow]:
    """One row per region that has a target or a fact, sorted by code."""
    rows = []
    for code in sorted(targets.keys() | counts.keys()):
        known = targets.get(code, ChildTargets(code))
        rows.append(CoverageRow(code, known.region_name or code, target_of(known),
                                counts.get(code, FactCounts())))
    return rows


def build_coverage(region: Region, own: RegionTarget | None, targets: dict[str, ChildTargets],
                   children: dict[str, FactCounts], total: FactCounts) -> Coverage | None:
    """The coverage of `region` by its direct children; None when nothing is known under it."""
    rows = coverage_rows(targets, children)
    if own is None and not rows and total.facts == 0:
        return None
    target = own.wajib_ktp if own is not None else sum(row.target for row in rows)
    name = own.region_name if own is not None and own.region_name else region.code
    return Coverage(CoverageRow(region.code, name, target, total), rows)


def empty_coverage(region: Region) -> Coverage:
    """A region nothing is known about yet: no target, no fact."""
    return Coverage(CoverageRow(region.code, region.code, 0, FactCounts()), [])


def unnamed(coverage: Coverage) -> bool:
    """True when a row knows no name yet (regions without a target have none in the feed)."""
    return any(row.region_name == row.region_code for row in (coverage.total, *coverage.rows))


def with_names(coverage: Coverage, names: Mapping[str, str]) -> Coverage:
    """Rows still named by their code take the name from the region master data."""
    def named(row: CoverageRow) -> CoverageRow:
        if row.region_name == row.region_code and row.region_code in names:
            return replace(row, region_name=names[row.region_code])
        return row
    return Coverage(named(coverage.total), [named(row) for row in coverage.rows])


def series_points(first: dt.date, last: dt.date, before: int, per_day: Mapping[dt.date, int],
                  target: int) -> list[CoverageSeriesPoint]:
    """One point per day from `first` to `last`; `before` was recorded before `first`."""
    points, cumulative, day = [], before, first
    while day <= last:
        recorded = per_day.get(day, 0)
        cumulative += recorded
        points.append(CoverageSeriesPoint(day, recorded, cumulative, cumulative / target if target > 0 else 0.0))
        day += dt.timedelta(days=1)
    return points


def funnel_row(row: CoverageRow, suket_expiring: int) -> FunnelRow:
    c = row.counts
    return FunnelRow(row.region_code, row.region_name, row.target, c.recorded, c.print_ready, c.cards_printed,
                     c.dispatched, c.handed_over, c.suket_outstanding, suket_expiring, c.print_ready_backlog)


@dataclass(frozen=True)
class VoterCounts:
    """Recordings of one region seen from an election date (computed by the database)."""

    recorded_eligible: int = 0      # recorded, may vote by the election date (or date unknown)
    turning_eligible: int = 0       # of those, pre-recordings who may vote only after today
    ready: int = 0                  # of those, with a card or a Suket valid on election day


def voter_row(region_code: str, region_name: str, target: int, counts: VoterCounts) -> VoterReadinessRow:
    """Voter readiness of a region, estimated from the wajib-KTP target.

    eligible = the wajib-KTP target (residents already 17 or ever married) plus the recorded
    pre-recordings who turn 17 between today and the election date; residents who turn 17 in
    that time without a pre-recording are unknown to the platform and not counted. For an
    election date in the past the target (today's) is the estimate as it is.
    not_recorded = max(0, eligible - recorded residents eligible by the election date);
    ready = of those recorded, a card printed (not voided or spoiled) or a Suket valid on the
    election date; recorded_without_document = the rest of them.
    """
    eligible = target + counts.turning_eligible
    return VoterReadinessRow(region_code, region_name, eligible, max(0, eligible - counts.recorded_eligible),
                             counts.recorded_eligible - counts.ready, counts.ready)


def drive_row(drive_id: int, closed: Drive | None, counts: Mapping[str, int], villages: tuple[str, ...],
              office_code: str, village_target: int) -> DriveRow:
    """A drive's row: its counts from the recordings made under it; its desa and plan from its
    DriveClosed when closed (else the desa its recordings were made in)."""
    recorded = counts.get("recorded", 0)
    gained = counts.get("recorded_in_villages", 0) / village_target if village_target > 0 else 0.0
    return DriveRow(drive_id, closed.office_code if closed else office_code,
                    closed.planned_for if closed else None, closed.village_codes if closed else villages,
                    recorded, counts.get("failed", 0), counts.get("duplicates", 0), gained, closed is not None)
