"""Shortage letters and distribution batches: their rules, states and numbering. Pure Python.

Shortage letter (surat pemberitahuan kekosongan blanko): when a kabupaten's Dinas has no blank
left, it tells every kecamatan and kelurahan/desa that Suket apply in place of the KTP-el. A
letter would be false while blanks are in stock, so it is refused then. Every letter gets a
number `470/<seq>/Disdukcapil/<year>` (470: the archive classification of population
administration), counted per Dinas and year.

Distribution: printed cards are packed per kecamatan of the resident into batches that travel
with a manifest; a batch goes PACKED -> DISPATCHED (by the Dinas) -> RECEIVED (at the kecamatan,
with a handover receipt) -> CLOSED once every card is handed over to its resident, whose
identity is checked against the recording (the NIK typed from the resident's KK).
"""
from __future__ import annotations

import datetime as dt
import enum
import hmac
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from documents.domain import Issuer
from documents.errors import InvalidDocumentRequest, NotOutOfStock, WrongBatchState
from servicekit.errors import FieldViolation

LETTER_CLASSIFICATION = "470"      # kode klasifikasi arsip: kependudukan
BATCH_CAPACITY = 500               # cards in one package
MAX_CARDS_PER_PACKING = 2000       # cards packed by one call; the rest wait for the next
_NIK = re.compile(r"^\d{16}$")


def new_id() -> str:
    return str(uuid.uuid4())


# ---- what other contexts tell us ------------------------------------------------------------

@dataclass(frozen=True)
class Region:
    """A region of enrolment's master data."""

    code: str
    name: str
    is_kelurahan: bool = False


@dataclass(frozen=True)
class StockState:
    """An office's blank stock as inventory forecasts it."""

    office_code: str
    on_hand: int
    available: int
    days_of_cover: float | None
    level: str                          # ok, low, out
    expected_arrival_on: dt.date | None
    arrival_explanation: str

    @property
    def out_of_stock(self) -> bool:
        return self.available <= 0 or self.level == "out"


def require_out_of_stock(stock: StockState) -> None:
    """A shortage letter says the blanks are out: refused while the office has any."""
    if not stock.out_of_stock:
        raise NotOutOfStock(
            f"Kantor {stock.office_code} masih memiliki {stock.available} blanko tersedia; surat pemberitahuan "
            "kekosongan blanko hanya dibuat bila blanko habis.")


# ---- shortage letters -----------------------------------------------------------------------

class RecipientKind(enum.Enum):
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    DESA = "desa"


_TITLES = {RecipientKind.KECAMATAN: "Camat", RecipientKind.KELURAHAN: "Lurah", RecipientKind.DESA: "Kepala Desa"}


@dataclass(frozen=True)
class Recipient:
    code: str
    name: str
    kind: RecipientKind

    @property
    def title(self) -> str:
        """Who the letter is addressed to: "Camat Selat", "Lurah Selat Hilir", "Kepala Desa Terusan"."""
        return f"{_TITLES[self.kind]} {self.name}"


def recipients(districts: Sequence[Region], villages: dict[str, Sequence[Region]]) -> list[Recipient]:
    """Every kecamatan of the kabupaten, each followed by its kelurahan and desa, by code."""
    made = []
    for district in sorted(districts, key=lambda r: r.code):
        made.append(Recipient(district.code, district.name, RecipientKind.KECAMATAN))
        for village in sorted(villages.get(district.code, ()), key=lambda r: r.code):
            kind = RecipientKind.KELURAHAN if village.is_kelurahan else RecipientKind.DESA
            made.append(Recipient(village.code, village.name, kind))
    return made


def letter_number(sequence: int, year: int) -> str:
    """470/007/Disdukcapil/2016: the sequence counts per Dinas and year."""
    if sequence < 1:
        raise ValueError("letter sequences start at 1")
    return f"{LETTER_CLASSIFICATION}/{sequence:03d}/Disdukcapil/{year}"


@dataclass
class ShortageLetter:
    letter_id: str
    set_id: str
    office_code: str
    recipient_code: str
    recipient_name: str              # the addressee, e.g. "Camat Selat"
    sequence: int
    year: int
    created_at: dt.datetime
    pdf_key: str = ""
    pdf_sha256: str = ""

    @property
    def letter_number(self) -> str:
        return letter_number(self.sequence, self.year)


@dataclass
class LetterSet:
    """One mailing: a letter per recipient and the dispatch list, made by one request."""

    set_id: str
    office_code: str
    request_id: str
    created_at: dt.datetime
    letters: list[ShortageLetter] = field(default_factory=list)
    dispatch_key: str = ""
    dispatch_sha256: str = ""


def plan_letter_set(office_code: str, request_id: str, to: Sequence[Recipient], first_sequence: int,
                    created_at: dt.datetime, year: int, make_id: Callable[[], str] = new_id) -> LetterSet:
    """The set with one numbered letter per recipient, numbers consecutive from `first_sequence`."""
    if not to:
        raise InvalidDocumentRequest("no recipients", violations=[FieldViolation(
            "office_code", "Wilayah kantor ini tidak memiliki kecamatan atau desa yang dikenal data wilayah.")])
    set_id = make_id()
    letters = [ShortageLetter(make_id(), set_id, office_code, r.code, r.title, first_sequence + n, year, created_at)
               for n, r in enumerate(to)]
    return LetterSet(set_id, office_code, request_id, created_at, letters)


@dataclass(frozen=True)
class ShortageNotice:
    """What one letter says (the renderer's input)."""

    letter: ShortageLetter
    issuer: Issuer
    issued_on: dt.date
    stock: StockState
    verify_url: str


@dataclass(frozen=True)
class DispatchList:
    """Every letter of a set with its number, for the courier's signatures."""

    letter_set: LetterSet
    issuer: Issuer
    issued_on: dt.date


# ---- distribution batches -------------------------------------------------------------------

class BatchStatus(enum.Enum):
    PACKED = "packed"
    DISPATCHED = "dispatched"
    RECEIVED = "received"     # at the kecamatan
    CLOSED = "closed"         # every card handed over


def district_of(region_code: str) -> str:
    """The kecamatan of a desa/kelurahan code: 62.03.01.2001 -> 62.03.01."""
    return ".".join(region_code.split(".")[:3])


@dataclass
class BatchCard:
    document_id: str
    register_number: str
    region_code: str               # the resident's desa/kelurahan
    handed_over_at: dt.datetime | None = None

    @property
    def handed_over(self) -> bool:
        return self.handed_over_at is not None


@dataclass(frozen=True)
class BatchDispatched:
    batch_id: str
    office_code: str
    district_code: str
    cards: tuple[BatchCard, ...]

    @property
    def region_code(self) -> str:
        return self.district_code


@dataclass(frozen=True)
class BatchReceived:
    batch_id: str
    office_code: str
    district_code: str
    cards: int

    @property
    def region_code(self) -> str:
        return self.district_code


@dataclass(frozen=True)
class CardHandedOver:
    document_id: str
    register_number: str
    region_code: str
    batch_id: str


@dataclass(frozen=True)
class ShortageLettersSent:
    set_id: str
    office_code: str
    letters: int

    @property
    def region_code(self) -> str:
        return self.office_code


@dataclass
class DistributionBatch:
    batch_id: str
    office_code: str
    district_code: str
    status: BatchStatus
    created_at: dt.datetime
    cards: list[BatchCard] = field(default_factory=list)
    dispatched_at: dt.datetime | None = None
    received_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    manifest_key: str = ""
    manifest_sha256: str = ""
    receipt_key: str = ""
    receipt_sha256: str = ""
    card_count: int = 0            # when read without its cards
    handed_over_count: int = 0

    def __post_init__(self) -> None:
        if self.cards:
            self.card_count = len(self.cards)
            self.handed_over_count = sum(1 for c in self.cards if c.handed_over)

    def dispatch(self, now: dt.datetime) -> BatchDispatched | None:
        """PACKED -> DISPATCHED; None when it already left (a retry)."""
        if self.status is not BatchStatus.PACKED:
            if self.status is BatchStatus.DISPATCHED:
                return None
            raise WrongBatchState("Paket ini sudah diterima di kecamatan; tidak dapat dikirim lagi.")
        self.status, self.dispatched_at = BatchStatus.DISPATCHED, now
        return BatchDispatched(self.batch_id, self.office_code, self.district_code, tuple(self.cards))

    def receive(self, now: dt.datetime) -> BatchReceived | None:
        """DISPATCHED -> RECEIVED at the kecamatan; None when it was received already (a retry)."""
        if self.status is BatchStatus.PACKED:
            raise WrongBatchState("Paket ini belum dikirim oleh Dinas; catat pengirimannya dulu.")
        if self.status is not BatchStatus.DISPATCHED:
            return None
        self.status, self.received_at = BatchStatus.RECEIVED, now
        return BatchReceived(self.batch_id, self.office_code, self.district_code, self.card_count)

    def card(self, document_id: str) -> BatchCard:
        found = next((c for c in self.cards if c.document_id == document_id), None)
        if found is None:
            raise ValueError("the card is not in this batch")
        return found

    def require_handover_possible(self) -> None:
        if self.status in (BatchStatus.PACKED, BatchStatus.DISPATCHED):
            raise WrongBatchState("Paket KTP-el ini belum diterima di kecamatan; catat penerimaannya dulu.")

    def hand_over(self, document_id: str, now: dt.datetime) -> CardHandedOver | None:
        """The card given to its resident (identity checked by the caller); None when it was
        already handed over. The batch closes with its last card."""
        self.require_handover_possible()
        card = self.card(document_id)
        if card.handed_over:
            return None
        card.handed_over_at = now
        self.handed_over_count += 1
        if self.handed_over_count == self.card_count:
            self.status, self.closed_at = BatchStatus.CLOSED, now
        return CardHandedOver(card.document_id, card.register_number, card.region_code, self.batch_id)


def pack(cards: Iterable[BatchCard], office_code: str, now: dt.datetime, *, capacity: int = BATCH_CAPACITY,
         make_id: Callable[[], str] = new_id) -> list[DistributionBatch]:
    """Printed cards grouped per kecamatan of the resident, by register number, at most
    `capacity` to a batch."""
    by_district: dict[str, list[BatchCard]] = defaultdict(list)
    for card in cards:
        by_district[district_of(card.region_code)].append(card)
    batches = []
    for district in sorted(by_district):
        ordered = sorted(by_district[district], key=lambda c: c.register_number)
        for start in range(0, len(ordered), capacity):
            batches.append(DistributionBatch(make_id(), office_code, district, BatchStatus.PACKED, now,
                                             ordered[start:start + capacity]))
    return batches


# ---- the handover identity check ------------------------------------------------------------

def check_nik(value: str) -> str:
    """The NIK typed by the officer from the resident's KK: 16 digits."""
    value = value.strip()
    if not _NIK.match(value):
        raise InvalidDocumentRequest("invalid NIK", violations=[FieldViolation(
            "nik", "NIK harus 16 angka, salin dari Kartu Keluarga atau KTP lama pemilik.")])
    return value


def require_same_person(typed_nik: str, recorded_nik: str) -> None:
    """The typed NIK must be the recording's (compared in constant time)."""
    if not hmac.compare_digest(typed_nik.encode(), recorded_nik.encode()):
        raise InvalidDocumentRequest("NIK does not match the recording", violations=[FieldViolation(
            "nik", "NIK tidak sesuai dengan data perekaman pemilik KTP-el ini. Periksa Kartu Keluarga penerima; "
                   "KTP-el hanya diserahkan kepada pemiliknya.")])


# ---- what the renderer draws ----------------------------------------------------------------

@dataclass(frozen=True)
class ManifestLine:
    register_number: str
    full_name: str            # the manifest travels with the cards: the name may be printed, never logged
    village: str


@dataclass(frozen=True)
class Manifest:
    batch: DistributionBatch
    district_name: str
    issuer: Issuer
    issued_on: dt.date
    lines: tuple[ManifestLine, ...]


@dataclass(frozen=True)
class HandoverReceipt:
    """Berita acara serah terima: the Dinas hands the batch to the kecamatan."""

    batch: DistributionBatch
    district_name: str
    issuer: Issuer
    received_on: dt.date
    received_by: str          # the officer's username
