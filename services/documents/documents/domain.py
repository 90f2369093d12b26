"""Documents domain: card print jobs, Suket, their rules and the signed QR claim. Pure Python."""
from __future__ import annotations

import base64
import binascii
import calendar
import datetime as dt
import enum
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from documents.errors import ForgedQrPayload, InvalidDocumentRequest, InvalidQrPayload, WrongDocumentState
from servicekit.errors import FieldViolation

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")  # Kalimantan Tengah keeps Western Indonesia Time
SUKET_VALIDITY_MONTHS = 6
QR_PREFIX = "EKTP1"
QR_VERSION = 1

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
    payload: PrintReady | None


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


DomainEvent = CardPrinted | SuketIssued | SuketSuperseded


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

    @property
    def is_active(self) -> bool:
        return self.status in (DocumentStatus.ISSUED, DocumentStatus.PRINTED)

    def status_only(self) -> Document:
        """What a reader who may follow the status but not hold the document sees: kind,
        status, register number, region, dates; no card serial, QR content or PDF."""
        return replace(self, card_serial=None, qr_payload=None, pdf=None)

    def supersede(self, card: Document) -> SuketSuperseded:
        """An issued Suket ends when the card of the same register number prints."""
        if self.kind is not DocumentKind.SUKET or self.status is not DocumentStatus.ISSUED:
            raise WrongDocumentState("only an issued Suket can be superseded")
        self.status = DocumentStatus.SUPERSEDED
        self.superseded_by = card.document_id
        return SuketSuperseded(self.document_id, self.register_number, self.region_code, card.document_id)


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


# ---- the signed QR claim ----------------------------------------------------------------

@dataclass(frozen=True)
class SuketClaim:
    """What a Suket's QR asserts; signed by the Dinas' Ed25519 key."""

    document_id: str
    register_number: str
    valid_until: dt.date
    issuer_office: str

    def canonical_json(self) -> bytes:
        body = {"v": QR_VERSION, "doc": self.document_id, "reg": self.register_number,
                "exp": self.valid_until.isoformat(), "iss": self.issuer_office}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


VerifiedClaim = SuketClaim


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def qr_payload(claim_json: bytes, signature: bytes) -> str:
    return f"{QR_PREFIX}.{_b64(claim_json)}.{_b64(signature)}"


def parse_qr_payload(payload: str) -> tuple[SuketClaim, bytes, bytes]:
    """(claim, signed bytes, signature); raises InvalidQrPayload when it is not ours."""
    def invalid(why: str) -> InvalidQrPayload:
        return InvalidQrPayload("invalid QR payload", violations=[FieldViolation("qr_payload", why)])

    parts = payload.strip().split(".")
    if len(parts) != 3 or parts[0] != QR_PREFIX:
        raise invalid(f"QR harus berformat {QR_PREFIX}.<data>.<tanda tangan>")
    try:
        signed, signature = _unb64(parts[1]), _unb64(parts[2])
        body = json.loads(signed)
        claim = SuketClaim(str(body["doc"]), str(body["reg"]), dt.date.fromisoformat(body["exp"]),
                           str(body["iss"]))
        version = body["v"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise invalid("isi QR tidak dapat dibaca") from None
    if version != QR_VERSION:
        raise invalid(f"versi QR {version!r} tidak dikenal")
    return claim, signed, signature


def verify_qr(payload: str, verify_signature: Callable[[bytes, bytes], bool]) -> VerifiedClaim:
    """The claim of a genuine payload; `verify_signature(data, signature) -> bool`."""
    claim, signed, signature = parse_qr_payload(payload)
    if not verify_signature(signed, signature):
        raise ForgedQrPayload("QR signature does not match", violations=[FieldViolation(
            "qr_payload", "tanda tangan QR tidak cocok: dokumen ini tidak diterbitkan oleh Dinas")])
    return claim



# ---- what the renderer draws -------------------------------------------------------------

@dataclass(frozen=True)
class CardJob:
    recording: Recording
    card_serial: str
    issued_on: dt.date


@dataclass(frozen=True)
class SuketLetter:
    document_id: str
    recording: Recording
    issued_on: dt.date
    valid_until: dt.date
    qr_payload: str
    issuer: Issuer
