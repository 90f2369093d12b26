"""Read models folded from the other contexts' events, and the coverage rules. Pure Python.

Facts are keyed by their own ids (register number, document id, office, package), so a
replayed event or events arriving out of order between feeds fold to the same state.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from reporting.errors import InvalidRegionCode

# Length of a Kemendagri code per level: 62, 62.03, 62.03.01, 62.03.01.2001.
PROVINCE, REGENCY, DISTRICT, VILLAGE = 2, 5, 8, 13
CODE_LENGTHS = (PROVINCE, REGENCY, DISTRICT, VILLAGE)
_REPORT_REGION = re.compile(r"[0-9]{2}(\.[0-9]{2}){0,2}")


@dataclass(frozen=True)
class Region:
    """A region a coverage report can be asked for: province, kabupaten or kecamatan."""

    code: str

    @classmethod
    def parse(cls, raw: str, field: str = "region_code") -> Region:
        code = (raw or "").strip()
        if not is_report_region(code):
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


RecordingEvent = RecordingCaptured | RecordingPrintReady | RecordingDuplicate
DocumentEvent = CardPrinted | SuketIssued | SuketSuperseded
StockEvent = StockReceived | StockReserved | StockConsumed | StockReleased | StockOut
Fact = TargetChanged | RecordingEvent | DocumentEvent | StockEvent | ProcurementStatusChanged


@dataclass(frozen=True)
class FeedEvent:
    """One event of a followed feed; `fact` is None for types reporting does not fold."""

    feed: str
    event_id: str
    sequence: int
    fact: Fact | None


# ---- read models and how each fact folds into them ----------------------------------

@dataclass(frozen=True)
class RegionTarget:
    region_code: str
    region_name: str
    wajib_ktp: int


@dataclass(frozen=True)
class RecordingFact:
    """One recording by register number. Counts as recorded unless it is a duplicate."""

    register_number: str
    office_code: str
    region_code: str
    captured_at: dt.datetime | None = None
    print_ready: bool = False
    duplicate: bool = False


class DocumentKind(enum.StrEnum):
    CARD = "CARD"
    SUKET = "SUKET"


@dataclass(frozen=True)
class DocumentFact:
    """A printed card or a Suket by document id. A Suket is outstanding until superseded."""

    document_id: str
    kind: DocumentKind
    register_number: str
    office_code: str
    region_code: str
    card_serial: str = ""
    valid_until: dt.datetime | None = None
    superseded: bool = False


@dataclass(frozen=True)
class StockBoard:
    office_code: str
    available: int = 0
    received: int = 0
    consumed: int = 0


@dataclass(frozen=True)
class ProcurementPackage:
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str


def fold_target(_current: RegionTarget | None, fact: TargetChanged) -> RegionTarget:
    return RegionTarget(fact.region_code, fact.region_name, max(fact.wajib_ktp, 0))


def fold_recording(current: RecordingFact | None, fact: RecordingEvent) -> RecordingFact:
    fact_row = current or RecordingFact(fact.register_number, fact.office_code, fact.region_code)
    located = replace(fact_row, office_code=fact.office_code or fact_row.office_code,
                      region_code=fact.region_code or fact_row.region_code)
    if isinstance(fact, RecordingCaptured):
        return replace(located, captured_at=fact.captured_at or located.captured_at)
    if isinstance(fact, RecordingPrintReady):   # also after a duplicate judged another person
        return replace(located, print_ready=True, duplicate=False)
    return replace(located, duplicate=True)


def fold_document(current: DocumentFact | None, fact: DocumentEvent) -> DocumentFact:
    if isinstance(fact, CardPrinted):
        return DocumentFact(fact.document_id, DocumentKind.CARD, fact.register_number,
                            fact.office_code, fact.region_code, card_serial=fact.card_serial)
    superseded = current.superseded if current else False
    if isinstance(fact, SuketIssued):
        return DocumentFact(fact.document_id, DocumentKind.SUKET, fact.register_number,
                            fact.office_code, fact.region_code, valid_until=fact.valid_until,
                            superseded=superseded)
    # Superseded, possibly seen before its issue: keep what is known, mark it settled.
    known = current or DocumentFact(fact.document_id, DocumentKind.SUKET, fact.register_number,
                                    "", fact.region_code)
    return replace(known, superseded=True)


def fold_stock(current: StockBoard | None, fact: StockEvent) -> StockBoard:
    board = current or StockBoard(fact.office_code)
    if isinstance(fact, StockReceived):
        return replace(board, available=fact.available, received=board.received + fact.quantity)
    if isinstance(fact, (StockReserved, StockReleased)):
        return replace(board, available=fact.available)
    if isinstance(fact, StockConsumed):
        return replace(board, consumed=board.consumed + 1)
    return replace(board, available=0)


def fold_procurement(_current: ProcurementPackage | None, fact: ProcurementStatusChanged) -> ProcurementPackage:
    return ProcurementPackage(fact.package_id, fact.fiscal_year, fact.quantity, fact.status, fact.reason)


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


@dataclass(frozen=True)
class Coverage:
    total: CoverageRow
    rows: list[CoverageRow]


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
