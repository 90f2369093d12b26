"""Documents domain: card print jobs, Suket, their rules and the signed QR claim. Pure Python."""
from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from documents.errors import InvalidDocumentRequest, InvalidQrPayload, WrongDocumentState
from servicekit.errors import FieldViolation

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")  # Kalimantan Tengah keeps Western Indonesia Time
SUKET_VALIDITY_MONTHS = 6

_REGISTER_NUMBER = re.compile(r"^(\d{4})-(\d{8})-(\d{6})$")


class DocumentKind(enum.Enum):
    CARD = "card"
    SUKET = "suket"


class DocumentStatus(enum.Enum):
    ISSUED = "issued"          # Suket valid
    PRINTED = "printed"        # card printed
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    VOID = "void"


class Sex(enum.Enum):
    UNKNOWN = "unknown"
    MALE = "male"
    FEMALE = "female"


class Religion(enum.Enum):
    UNKNOWN = "unknown"
    ISLAM = "islam"
    KRISTEN = "kristen"
    KATOLIK = "katolik"
    HINDU = "hindu"
    BUDDHA = "buddha"
    KHONGHUCU = "khonghucu"
    KEPERCAYAAN = "kepercayaan"


class MaritalStatus(enum.Enum):
    UNKNOWN = "unknown"
    SINGLE = "single"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


class RecordingType(enum.Enum):
    """Why the resident was recorded (enrolment's RecordingType); decides the card's place in
    the print queue. UNKNOWN: enrolment did not say (recordings from before the field)."""

    UNKNOWN = "unknown"
    NEW = "new"                   # perekaman baru: the first card
    MOVED_IN = "moved_in"
    DATA_CHANGE = "data_change"
    REPLACEMENT = "replacement"   # kartu hilang/rusak


class Citizenship(enum.Enum):
    UNKNOWN = "unknown"
    WNI = "wni"
    WNA = "wna"


# ---- what enrolment tells us ----------------------------------------------------------

@dataclass(frozen=True, repr=False)
class Resident:
    """Personal data to print; never logged (the repr hides it)."""

    nik: str
    full_name: str
    birth_place: str
    birth_date: dt.date
    sex: Sex
    blood_type: str
    address: str
    rt: str
    rw: str
    region_code: str  # desa/kelurahan of domicile
    religion: Religion
    marital_status: MaritalStatus
    occupation: str
    citizenship: Citizenship

    def __repr__(self) -> str:
        return f"Resident(region_code={self.region_code!r}, <personal data hidden>)"


@dataclass(frozen=True)
class RegionNames:
    province: str
    regency: str
    district: str  # kecamatan
    village: str   # kelurahan / desa


@dataclass(frozen=True)
class Recording:
    register_number: str
    office_code: str
    print_ready: bool
    resident: Resident
    regions: RegionNames
    office_name: str  # the recording Dinas's regency, e.g. "Kabupaten Tanah Bumbu"
    # JPEG or PNG from enrolment, printed on the card; b"" when none was captured. Biometric
    # personal data: never in a repr or a log line.
    face_photo: bytes = field(default=b"", repr=False)
    signature: bytes = field(default=b"", repr=False)
    recording_type: RecordingType = RecordingType.UNKNOWN


@dataclass(frozen=True)
class Issuer:
    """Who issues a Suket: the Dinas of the office that recorded, its signatory, the place."""

    name: str
    signatory: str
    place: str

    @property
    def signatory_title(self) -> str:
        """"Kepala Dinas" of "Dinas Kependudukan ..." reads "Kepala Dinas Kependudukan ..."."""
        if self.signatory.endswith(" Dinas") and self.name.startswith("Dinas "):
            return f"{self.signatory.removesuffix(' Dinas')} {self.name}"
        return f"{self.signatory} {self.name}"


@dataclass(frozen=True)
class IssuerPolicy:
    """Suket are issued only by the Dinas (never a kelurahan): the Dinas of the recording office.

    `places` maps an office code to the town written on the letter (its seat); without one,
    the regency's name is used.
    """

    signatory: str
    places: Mapping[str, str]

    def for_office(self, office_code: str, office_name: str) -> Issuer:
        place = self.places.get(office_code) or office_name.removeprefix("Kabupaten ").removeprefix("Kota ")
        return Issuer(f"Dinas Kependudukan dan Pencatatan Sipil {office_name}", self.signatory, place)


# ---- incoming feed events ---------------------------------------------------------------

@dataclass(frozen=True)
class PrintReady:
    register_number: str
    office_code: str
    region_code: str


@dataclass(frozen=True)
class FeedEvent:
    """One event of a followed feed; `payload` is None for types this context ignores."""

    feed: str
    event_id: str
    sequence: int
    payload: PrintReady | StockArrived | None


# ---- outgoing domain events -------------------------------------------------------------

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
    valid_until: dt.date


@dataclass(frozen=True)
class SuketSuperseded:
    document_id: str
    register_number: str
    region_code: str
    superseded_by: str


@dataclass(frozen=True)
class PrintJobQueued:
    job_id: str
    register_number: str
    office_code: str
    region_code: str
    priority: int


@dataclass(frozen=True)
class CardSpoiled:
    document_id: str
    register_number: str
    office_code: str
    region_code: str
    card_serial: str


@dataclass(frozen=True)
class SuketExpired:
    document_id: str
    register_number: str
    region_code: str
    valid_until: dt.date


@dataclass(frozen=True)
class DocumentVoided:
    document_id: str
    register_number: str
    region_code: str
    kind: DocumentKind


DomainEvent = (CardPrinted | SuketIssued | SuketSuperseded | PrintJobQueued | CardSpoiled | SuketExpired
               | DocumentVoided)


# ---- the document -----------------------------------------------------------------------

@dataclass
class Document:
    document_id: str
    kind: DocumentKind
    status: DocumentStatus
    register_number: str
    office_code: str
    region_code: str
    issued_at: dt.datetime
    card_serial: str | None = None
    valid_until: dt.date | None = None
    qr_payload: str | None = None
    superseded_by: str | None = None
    pdf: bytes | None = field(default=None, repr=False)
    pdf_sha256: str | None = None  # hex digest of the stored PDF, checked on every read
    void_reason: str | None = None
    voided_at: dt.datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status in (DocumentStatus.ISSUED, DocumentStatus.PRINTED)

    def status_only(self) -> Document:
        """What a reader who may follow the status but not hold the document sees: kind,
        status, register number, region, dates; no card serial, QR content or PDF."""
        return replace(self, card_serial=None, qr_payload=None, pdf=None, pdf_sha256=None)

    def supersede(self, card: Document) -> SuketSuperseded:
        """An issued Suket ends when the card of the same register number prints."""
        if self.kind is not DocumentKind.SUKET or self.status is not DocumentStatus.ISSUED:
            raise WrongDocumentState("only an issued Suket can be superseded")
        self.status = DocumentStatus.SUPERSEDED
        self.superseded_by = card.document_id
        return SuketSuperseded(self.document_id, self.register_number, self.region_code, card.document_id)

    def require_renewable(self) -> None:
        """Only a Suket still valid, or expired, is renewed (a void or superseded one is not)."""
        if self.kind is not DocumentKind.SUKET:
            raise WrongDocumentState("Hanya Suket yang dapat diperpanjang.")
        if self.status not in (DocumentStatus.ISSUED, DocumentStatus.EXPIRED):
            raise WrongDocumentState("Suket yang sudah digantikan atau dibatalkan tidak dapat diperpanjang; "
                                     "hanya Suket yang berlaku atau kedaluwarsa.")

    def renew(self, renewal: Document) -> SuketSuperseded:
        """A Suket still valid, or expired, is replaced by `renewal`, a new Suket with a new validity."""
        self.require_renewable()
        if renewal.kind is not DocumentKind.SUKET:
            raise WrongDocumentState("Suket hanya diperpanjang dengan Suket baru.")
        self.status = DocumentStatus.SUPERSEDED
        self.superseded_by = renewal.document_id
        return SuketSuperseded(self.document_id, self.register_number, self.region_code, renewal.document_id)

    def void(self, reason: str, at: dt.datetime) -> DocumentVoided:
        """Withdrawn (issued in error, card lost): VOID with its reason. A superseded document
        is already out of use; a void one stays void."""
        if self.status in (DocumentStatus.VOID, DocumentStatus.SUPERSEDED):
            raise WrongDocumentState("Dokumen yang sudah digantikan atau dibatalkan tidak dapat dibatalkan lagi.")
        self.status, self.void_reason, self.voided_at = DocumentStatus.VOID, reason, at
        return DocumentVoided(self.document_id, self.register_number, self.region_code, self.kind)

    def expire(self, today: dt.date) -> SuketExpired:
        """An issued Suket whose last valid day is before `today` (WIB) ends as EXPIRED."""
        if (self.kind is not DocumentKind.SUKET or self.status is not DocumentStatus.ISSUED
                or self.valid_until is None or self.valid_until >= today):
            raise WrongDocumentState("Hanya Suket berlaku yang masa berlakunya telah lewat dapat kedaluwarsa.")
        self.status = DocumentStatus.EXPIRED
        return SuketExpired(self.document_id, self.register_number, self.region_code, self.valid_until)


def new_document_id() -> str:
    return str(uuid.uuid4())


def card_print_job(document_id: str, recording: Recording, serial: str, pdf: bytes,
                   issued_at: dt.datetime) -> tuple[Document, CardPrinted]:
    document = Document(document_id, DocumentKind.CARD, DocumentStatus.PRINTED, recording.register_number,
                        recording.office_code, recording.resident.region_code, issued_at,
                        card_serial=serial, pdf=pdf)
    return document, CardPrinted(document_id, recording.register_number, recording.office_code,
                                 recording.resident.region_code, serial)


def suket(document_id: str, recording: Recording, valid_until: dt.date, qr_payload: str, pdf: bytes,
          issued_at: dt.datetime) -> tuple[Document, SuketIssued]:
    document = Document(document_id, DocumentKind.SUKET, DocumentStatus.ISSUED, recording.register_number,
                        recording.office_code, recording.resident.region_code, issued_at,
                        valid_until=valid_until, qr_payload=qr_payload, pdf=pdf)
    return document, SuketIssued(document_id, recording.register_number, recording.office_code,
                                 recording.resident.region_code, valid_until)


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date in the Dinas' time zone (WIB)."""
    return moment.astimezone(WIB).date()


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's end (31 Aug + 6 -> 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def suket_valid_until(issued_on: dt.date) -> dt.date:
    return add_months(issued_on, SUKET_VALIDITY_MONTHS)


# ---- validation -------------------------------------------------------------------------

def register_number_problem(value: str) -> str | None:
    """Why `value` is not a register number like 6203-20261128-000001, or None."""
    match = _REGISTER_NUMBER.match(value)
    if match is None:
        return ("nomor registrasi harus berformat KKKK-YYYYMMDD-NNNNNN, "
                "contoh 6203-20261128-000001")
    try:
        dt.datetime.strptime(match.group(2), "%Y%m%d")
    except ValueError:
        return "bagian tanggal nomor registrasi (YYYYMMDD) bukan tanggal yang sah"
    return None


def check_register_number(value: str, field_path: str = "register_number") -> str:
    value = value.strip()
    problem = register_number_problem(value)
    if problem:
        raise InvalidDocumentRequest("invalid register number", violations=[FieldViolation(field_path, problem)])
    return value


def check_document_id(value: str, field_path: str = "document_id") -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise InvalidDocumentRequest("invalid document id", violations=[FieldViolation(
            field_path, "document_id harus berupa UUID, contoh 1b4e28ba-2fa1-11d2-883f-0016d3cca427")]) from None


# ---- the signed QR claim and what verifying it proves -------------------------------------

QR_CLAIM_VERSION = "1.0"
SEX_LABELS = {Sex.MALE: "LAKI-LAKI", Sex.FEMALE: "PEREMPUAN", Sex.UNKNOWN: "-"}   # as the letter prints it
MAX_QR_LENGTH = 4296   # the most one QR code holds in alphanumeric mode (Base45's alphabet)


@dataclass(frozen=True, repr=False)
class SuketClaim:
    """What a Suket's QR asserts (MOSIP ID Claim 169, signed with the Dinas' key): only what
    the letter itself prints, and no NIK. Never logged (the repr hides the personal data)."""

    document_id: str
    register_number: str
    full_name: str
    birth_date: dt.date
    sex: Sex
    address: tuple[str, ...]   # as the letter prints it: street, RT/RW, kelurahan/desa, kecamatan
    issuer: str                # the Dinas that signs
    issued_at: dt.datetime     # whole seconds
    valid_until: dt.date       # the last day it is valid (WIB)

    @property
    def expires_at(self) -> dt.datetime:
        """The end of the last valid day in WIB (the token's `exp`)."""
        return dt.datetime.combine(self.valid_until + dt.timedelta(days=1), dt.time(), WIB)

    def __repr__(self) -> str:
        return f"SuketClaim(document_id={self.document_id!r}, <personal data hidden>)"


def valid_until_of(expires_at: dt.datetime) -> dt.date:
    """The last valid day of a token expiring at `expires_at` (the inverse of `expires_at`)."""
    return local_date(expires_at - dt.timedelta(seconds=1))


def suket_claim(document_id: str, recording: Recording, issuer: Issuer, issued_at: dt.datetime,
                valid_until: dt.date) -> SuketClaim:
    resident, regions = recording.resident, recording.regions
    address = (resident.address.upper(), f"RT/RW {resident.rt or '-'}/{resident.rw or '-'}",
               f"KEL/DESA {regions.village.upper()}", f"KECAMATAN {regions.district.upper()}")
    return SuketClaim(document_id, recording.register_number, resident.full_name.upper(), resident.birth_date,
                      resident.sex, address, issuer.name,
                      issued_at.astimezone(dt.timezone.utc).replace(microsecond=0), valid_until)


class VerificationResult(enum.Enum):
    VALID = "valid"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    VOID = "void"
    FORGED = "forged"


@dataclass(frozen=True)
class Verification:
    """What a QR proves. `claim` is None when forged: nothing of a forged QR is shown as fact."""

    result: VerificationResult
    reason: str
    claim: SuketClaim | None = None
    kind: DocumentKind | None = None
    superseded_by: str | None = None


def forged(reason: str) -> Verification:
    return Verification(VerificationResult.FORGED, reason)


def verify_claim(claim: SuketClaim, document: Document | None, today: dt.date,
                 successor: Document | None = None) -> Verification:
    """What a claim with a genuine signature proves, given the archive's document (and the
    document that superseded it): the archive decides, and a Suket past its last day is EXPIRED
    even before the expiry job has run. A signed claim the archive does not hold as signed is
    forged (a leaked key, or a lost database): never VALID."""
    if (document is None or document.kind is not DocumentKind.SUKET
            or document.register_number != claim.register_number or document.valid_until != claim.valid_until):
        return forged("Tanda tangan cocok, tetapi Suket ini tidak tercatat di arsip Dinas.")

    def result(outcome: VerificationResult, reason: str) -> Verification:
        return Verification(outcome, reason, claim, document.kind, document.superseded_by)

    last_day = claim.valid_until.strftime("%d-%m-%Y")
    if document.status is DocumentStatus.VOID:
        return result(VerificationResult.VOID, "Suket ini telah dibatalkan oleh Dinas.")
    if document.status is DocumentStatus.SUPERSEDED:
        by = "KTP-el yang telah dicetak" if successor and successor.kind is DocumentKind.CARD else "Suket yang lebih baru"
        return result(VerificationResult.SUPERSEDED, f"Suket ini telah digantikan oleh {by}.")
    if document.status is DocumentStatus.EXPIRED or today > claim.valid_until:
        return result(VerificationResult.EXPIRED, f"Masa berlaku Suket ini telah berakhir pada {last_day}.")
    if document.status is DocumentStatus.ISSUED:
        return result(VerificationResult.VALID, f"Suket ini sah dan berlaku sampai {last_day}.")
    return forged("Tanda tangan cocok, tetapi Suket ini tidak tercatat di arsip Dinas.")


def check_qr_payload(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidQrPayload("empty QR payload", violations=[FieldViolation(
            "qr_payload", "isi QR wajib diisi: pindai kode QR pada Suket atau tempel isinya")])
    return value


# ---- what the renderer draws -------------------------------------------------------------

@dataclass(frozen=True)
class CardJob:
    recording: Recording
    card_serial: str
    issued_on: dt.date


@dataclass(frozen=True)
class BatchSheetJob:
    """One card of the printer's batch sheet: the print job's id and what its card shows."""

    job_id: str
    card: CardJob


@dataclass(frozen=True)
class SuketLetter:
    document_id: str
    recording: Recording
    issued_on: dt.date
    valid_until: dt.date
    qr_payload: str
    issuer: Issuer


# ---- card print jobs and the print queue ---------------------------------------------------

MAX_REASON_LENGTH = 500


class PrintJobStatus(enum.Enum):
    QUEUED = "queued"      # waiting for a blank
    PRINTED = "printed"
    SPOILED = "spoiled"    # misprinted or damaged; a reprint job follows
    ERROR = "error"        # failed for another reason (recording gone, rendering failed); retried


class Priority(enum.IntEnum):
    """Lower prints first (issue 6: Suket holders and first cards before replacements)."""

    SUKET_HOLDER = 0
    FIRST_CARD = 1
    REPLACEMENT = 2


OPEN_JOB_STATUSES = (PrintJobStatus.QUEUED, PrintJobStatus.ERROR)


def card_priority(recording_type: RecordingType) -> Priority:
    """A first card (or one whose type enrolment did not say) before a replacement."""
    if recording_type in (RecordingType.NEW, RecordingType.UNKNOWN):
        return Priority.FIRST_CARD
    return Priority.REPLACEMENT


def blank_key(register_number: str, reprint: int = 0) -> str:
    """Inventory's idempotency key of the blank of a register number's card: `card:<register>`,
    `card:<register>:<n>` for the n-th reprint."""
    return f"card:{register_number}" if reprint == 0 else f"card:{register_number}:{reprint}"


@dataclass
class PrintJob:
    """One card to print: queued until a blank is reserved, then printed (or spoiled/error)."""

    job_id: str
    register_number: str
    office_code: str
    region_code: str
    status: PrintJobStatus
    priority: int
    queued_at: dt.datetime
    blank_key: str
    printed_at: dt.datetime | None = None
    card_serial: str | None = None
    document_id: str | None = None
    reprint_of: str | None = None
    reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_JOB_STATUSES

    def queued_event(self) -> PrintJobQueued:
        return PrintJobQueued(self.job_id, self.register_number, self.office_code, self.region_code,
                              int(self.priority))

    def holds_suket(self) -> None:
        """The resident got a Suket: the job moves to the front of the queue."""
        if self.is_open:
            self.priority = Priority.SUKET_HOLDER

    def printed(self, card: Document, at: dt.datetime) -> None:
        if not self.is_open:
            raise WrongDocumentState(f"a {self.status.value} print job cannot be printed")
        self.status, self.printed_at, self.reason = PrintJobStatus.PRINTED, at, ""
        self.card_serial, self.document_id = card.card_serial, card.document_id

    def failed(self, reason: str) -> None:
        if self.is_open:
            self.status, self.reason = PrintJobStatus.ERROR, reason[:MAX_REASON_LENGTH]

    def spoil(self, reason: str, reprint_id: str, reprint_number: int, at: dt.datetime) -> PrintJob:
        """The printed card is misprinted or damaged: this job SPOILED, and the job that prints
        it again (its own blank key, the same place in the queue)."""
        if self.status is not PrintJobStatus.PRINTED:
            raise WrongDocumentState("only a printed card can be printed again")
        self.status, self.reason = PrintJobStatus.SPOILED, reason
        return PrintJob(reprint_id, self.register_number, self.office_code, self.region_code,
                        PrintJobStatus.QUEUED, self.priority, at, blank_key(self.register_number, reprint_number),
                        reprint_of=self.job_id, reason=reason)


def new_print_job(recording: Recording, at: dt.datetime, *, holds_suket: bool) -> PrintJob:
    priority = Priority.SUKET_HOLDER if holds_suket else card_priority(recording.recording_type)
    return PrintJob(new_document_id(), recording.register_number, recording.office_code,
                    recording.resident.region_code, PrintJobStatus.QUEUED, priority, at,
                    blank_key(recording.register_number))


def card_spoiled(card: Document) -> CardSpoiled:
    return CardSpoiled(card.document_id, card.register_number, card.office_code, card.region_code,
                       card.card_serial or "")


def check_reason(value: str, field_path: str = "reason") -> str:
    value = value.strip()
    if not value:
        problem = "alasan wajib diisi"
    elif len(value) > MAX_REASON_LENGTH:
        problem = f"alasan paling panjang {MAX_REASON_LENGTH} karakter"
    else:
        return value
    raise InvalidDocumentRequest("invalid reason", violations=[FieldViolation(field_path, problem)])


def office_of(scope: str) -> str:
    """The kabupaten/kota (the Dinas office) of a region scope: 62.03.01 -> 62.03; '' above it."""
    office = ".".join(scope.split(".")[:2])
    return office if re.fullmatch(r"\d{2}\.\d{2}", office) else ""


def check_office_code(value: str, field_path: str = "office_code") -> str:
    """A kabupaten/kota office code such as 62.03."""
    value = value.strip()
    if not re.fullmatch(r"\d{2}\.\d{2}", value):
        raise InvalidDocumentRequest("invalid office code", violations=[FieldViolation(
            field_path, "kode kantor harus berformat PP.KK (kode Kemendagri kabupaten/kota), contoh 62.03")])
    return value


@dataclass(frozen=True)
class OfficePolicy:
    """Per Dinas: out of stock -> a Suket automatically (True), or only queue for a card."""

    office_code: str
    suket_when_out_of_stock: bool


@dataclass(frozen=True)
class StockArrived:
    """Inventory says blanks became available at an office (received, transferred in, released)."""

    office_code: str


@dataclass(frozen=True)
class BacklogRun:
    """What one run over an office's print queue did."""

    printed: int = 0
    superseded: int = 0
    remaining: int = 0
    out_of_stock: bool = False
    failed: int = 0


def printed_job_of(card: Document) -> PrintJob:
    """The PRINTED job of a card printed before print jobs were recorded."""
    return PrintJob(new_document_id(), card.register_number, card.office_code, card.region_code,
                    PrintJobStatus.PRINTED, Priority.FIRST_CARD, card.issued_at, blank_key(card.register_number),
                    printed_at=card.issued_at, card_serial=card.card_serial, document_id=card.document_id)


def void_spoiled_card(card: Document, reason: str, at: dt.datetime) -> tuple[CardSpoiled, DocumentVoided]:
    """A printed card found misprinted or damaged is withdrawn: VOID with the reason."""
    if card.kind is not DocumentKind.CARD or card.status is not DocumentStatus.PRINTED:
        raise WrongDocumentState("only a printed card can be spoiled")
    voided = card.void(reason, at)
    return card_spoiled(card), voided
