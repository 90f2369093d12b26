"""Enrolment domain: residents, recordings, regions and their rules. Pure Python.

Validation never raises: it returns `Violation`s (field path + what to fix, never personal
data) so that a use case can report every problem of a request at once.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

# Offices record in local time; the register number's day and a resident's age use this zone.
RECORDING_TZ = dt.timezone(dt.timedelta(hours=7), "WIB")
WAJIB_KTP_AGE = 17
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)

FLAG_NIK_BIRTH_DATE_MISMATCH = "NIK_BIRTH_DATE_MISMATCH"
FLAG_NIK_SEX_MISMATCH = "NIK_SEX_MISMATCH"
FLAG_PRE_RECORDING = "PRE_RECORDING"    # a 16-year-old: held until the 17th birthday
FLAG_FRAUD = "FRAUD"                    # adjudication found a fraudulent recording
PRE_RECORDING_AGE = 16


class RecordingType(enum.StrEnum):
    NEW = "NEW"                     # perekaman baru
    MOVED_IN = "MOVED_IN"           # pindah datang
    DATA_CHANGE = "DATA_CHANGE"     # perubahan data
    REPLACEMENT = "REPLACEMENT"     # pengganti kartu hilang/rusak


RECORDING_TYPE_LABELS = {
    RecordingType.NEW: "Baru",
    RecordingType.MOVED_IN: "Pindah datang",
    RecordingType.DATA_CHANGE: "Perubahan data",
    RecordingType.REPLACEMENT: "Pengganti (hilang/rusak)",
}


class AdjudicationDecision(enum.StrEnum):
    SAME_PERSON = "SAME_PERSON"             # the duplicate stays DUPLICATE, closed
    DIFFERENT_PERSON = "DIFFERENT_PERSON"   # -> PRINT_READY
    FRAUD = "FRAUD"                         # -> FAILED, flagged


class Sex(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    MALE = "MALE"
    FEMALE = "FEMALE"


class MaritalStatus(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    SINGLE = "SINGLE"
    MARRIED = "MARRIED"
    DIVORCED = "DIVORCED"
    WIDOWED = "WIDOWED"


EVER_MARRIED = frozenset({MaritalStatus.MARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED})


class Religion(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    ISLAM = "ISLAM"
    KRISTEN = "KRISTEN"
    KATOLIK = "KATOLIK"
    HINDU = "HINDU"
    BUDDHA = "BUDDHA"
    KHONGHUCU = "KHONGHUCU"
    KEPERCAYAAN = "KEPERCAYAAN"


class Citizenship(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    WNI = "WNI"
    WNA = "WNA"


class RecordingState(enum.StrEnum):
    CAPTURED = "CAPTURED"
    SENT = "SENT"
    PRINT_READY = "PRINT_READY"
    DUPLICATE = "DUPLICATE"
    FAILED = "FAILED"


class Modality(enum.StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    FACE = "FACE"
    SIGNATURE = "SIGNATURE"
    IRIS_LEFT = "IRIS_LEFT"
    IRIS_RIGHT = "IRIS_RIGHT"
    FINGER_RIGHT_THUMB = "FINGER_RIGHT_THUMB"
    FINGER_RIGHT_INDEX = "FINGER_RIGHT_INDEX"
    FINGER_RIGHT_MIDDLE = "FINGER_RIGHT_MIDDLE"
    FINGER_RIGHT_RING = "FINGER_RIGHT_RING"
    FINGER_RIGHT_LITTLE = "FINGER_RIGHT_LITTLE"
    FINGER_LEFT_THUMB = "FINGER_LEFT_THUMB"
    FINGER_LEFT_INDEX = "FINGER_LEFT_INDEX"
    FINGER_LEFT_MIDDLE = "FINGER_LEFT_MIDDLE"
    FINGER_LEFT_RING = "FINGER_LEFT_RING"
    FINGER_LEFT_LITTLE = "FINGER_LEFT_LITTLE"


class RegionLevel(enum.IntEnum):
    PROVINCE = 1
    REGENCY = 2     # kabupaten / kota
    DISTRICT = 3    # kecamatan
    VILLAGE = 4     # desa / kelurahan


@dataclass(frozen=True)
class Violation:
    field: str
    description: str


# ---- regions -----------------------------------------------------------------------

_REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: RegionLevel
    parent_code: str        # "" for a province
    is_kelurahan: bool      # village level only
    historic: bool = False  # absent from the latest Kemendagri import: no new domicile or office


@dataclass(frozen=True)
class Target:
    region_code: str
    region_name: str
    wajib_ktp: int


def region_level(code: str) -> RegionLevel | None:
    """The level a Kemendagri code's shape implies, or None when it is not a region code."""
    if not _REGION_CODE.fullmatch(code):
        return None
    return RegionLevel(code.count(".") + 1)


def parent_of(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def regency_of(code: str) -> str:
    """The kabupaten/kota code of a region at regency level or below ("62.03.01.2001" -> "62.03")."""
    return ".".join(code.split(".")[:2])


def kecamatan_of(code: str) -> str:
    """The kecamatan code of a kecamatan or village code ("62.03.01.2001" -> "62.03.01")."""
    return ".".join(code.split(".")[:3])


def make_region(code: str, name: str) -> Region | None:
    """A region from a code and name as published (e.g. a CSV row); None when malformed."""
    code, name = code.strip(), " ".join(name.split())
    level = region_level(code)
    if level is None or not name or len(name) > 200:
        return None
    kelurahan = level is RegionLevel.VILLAGE and code[-4] == "1"
    return Region(code, name, level, parent_of(code), kelurahan)


def digits_to_kecamatan(digits: str) -> str:
    """"620301" -> "62.03.01" (the NIK / KK prefix as a region code)."""
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"


# ---- NIK -----------------------------------------------------------------------------

@dataclass(frozen=True)
class NikCheck:
    violations: tuple[Violation, ...] = ()
    review_flags: tuple[str, ...] = ()


def check_nik(nik: str, birth_date: dt.date | None, sex: Sex, field_name: str = "resident.nik") -> NikCheck:
    """Shape and encoded date of a NIK (PPKKCCDDMMYYSSSS), and its agreement with the record.

    The two-digit year is resolved against the stored birth date (`resolve_nik_year`). A disagreement
    with the stored birth date or sex is a review flag, not an error. Without a valid stored
    birth date the year cannot be resolved, so only day/month ranges are checked.
    """
    if not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        return NikCheck((Violation(field_name, "NIK harus tepat 16 angka (PPKKCCDDMMYYSSSS)."),))
    day_code, month, yy, serial = int(nik[6:8]), int(nik[8:10]), int(nik[10:12]), int(nik[12:16])
    encoded_sex = Sex.FEMALE if day_code > 40 else Sex.MALE
    day = day_code - 40 if encoded_sex is Sex.FEMALE else day_code
    problems = []
    if not 1 <= day <= 31:
        problems.append("tanggal lahir di NIK harus 01-31 (laki-laki) atau 41-71 (perempuan)")
    if not 1 <= month <= 12:
        problems.append("bulan lahir di NIK harus 01-12")
    elif 1 <= day <= 31 and day > _LONGEST_MONTH[month - 1]:
        problems.append(f"bulan {month:02d} tidak punya tanggal {day:02d}")
    if serial == 0:
        problems.append("nomor urut di NIK harus 0001-9999")
    if problems:
        return NikCheck((Violation(field_name, "NIK tidak valid: " + "; ".join(problems) + "."),))
    if birth_date is None:
        return NikCheck()
    year = resolve_nik_year(yy, birth_date)
    try:
        encoded_date = dt.date(year, month, day)
    except ValueError:
        return NikCheck((Violation(field_name, "Tanggal lahir yang tersandi di NIK tidak ada di kalender."),))
    flags = []
    if encoded_date != birth_date:
        flags.append(FLAG_NIK_BIRTH_DATE_MISMATCH)
    if sex in (Sex.MALE, Sex.FEMALE) and encoded_sex is not sex:
        flags.append(FLAG_NIK_SEX_MISMATCH)
    return NikCheck(review_flags=tuple(flags))


_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def resolve_nik_year(yy: int, birth_date: dt.date) -> int:
    """The full year of a NIK's two-digit year: the year ending in `yy` nearest the stored
    birth date (born 1999-12-31 with "00" -> 2000; born 2001-03-04 with "01" -> 2001; born
    1901 with "01" -> 1901). Never a fixed century: a NIK says nothing about it. Equally near
    (50 years either way): the earlier one."""
    below = birth_date.year - (birth_date.year - yy) % 100
    return below if birth_date.year - below <= below + 100 - birth_date.year else below + 100


def kk_problem(kk_number: str) -> str | None:
    """What is wrong with a 16-digit KK number (PPKKCC DDMMYY SSSS: kecamatan, date of issue,
    serial), or None. The issue date carries no +40 and is checked as a day and month only."""
    day, month, serial = int(kk_number[6:8]), int(kk_number[8:10]), int(kk_number[12:16])
    if not 1 <= month <= 12 or not 1 <= day <= _LONGEST_MONTH[month - 1]:
        return "Nomor KK tidak valid: angka 7-10 adalah tanggal dan bulan terbit (DDMM) yang ada."
    if serial == 0:
        return "Nomor KK tidak valid: nomor urut (4 angka terakhir) harus 0001-9999."
    return None


def encode_nik(kecamatan_code: str, birth_date: dt.date, sex: Sex, serial: int) -> str:
    """The NIK for a kecamatan of first registration, birth date, sex and serial."""
    day = birth_date.day + (40 if sex is Sex.FEMALE else 0)
    return f"{kecamatan_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


# ---- eligibility ---------------------------------------------------------------------

def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_wajib_ktp(birth_date: dt.date, marital_status: MaritalStatus, on: dt.date) -> bool:
    """Wajib KTP: 17 or older on the recording date, or married / ever married."""
    return age_on(birth_date, on) >= WAJIB_KTP_AGE or marital_status in EVER_MARRIED


class Eligibility(enum.StrEnum):
    WAJIB_KTP = "WAJIB_KTP"             # recorded and, when clean, print-ready
    PRE_RECORDING = "PRE_RECORDING"     # 16 and never married: recorded, held until 17
    NOT_ELIGIBLE = "NOT_ELIGIBLE"       # younger: refused, nothing stored


def eligibility(birth_date: dt.date, marital_status: MaritalStatus, on: dt.date) -> Eligibility:
    """Wajib KTP, or a 16-year-old (school drives) who may be pre-recorded and is printed at 17."""
    if is_wajib_ktp(birth_date, marital_status, on):
        return Eligibility.WAJIB_KTP
    if age_on(birth_date, on) >= PRE_RECORDING_AGE:
        return Eligibility.PRE_RECORDING
    return Eligibility.NOT_ELIGIBLE


def is_released_on(hold_until: dt.date, today: dt.date) -> bool:
    """A held pre-recording is released for printing from its hold date (the 17th birthday)."""
    return today >= hold_until


def wajib_ktp_from(birth_date: dt.date) -> dt.date:
    """The 17th birthday, the day a pre-recording is released for printing (born on
    29 February: 1 March in a common year, as `age_on` counts)."""
    try:
        return birth_date.replace(year=birth_date.year + WAJIB_KTP_AGE)
    except ValueError:
        return dt.date(birth_date.year + WAJIB_KTP_AGE, 3, 1)


# ---- residents and recordings -------------------------------------------------------

@dataclass(frozen=True)
class Resident:
    nik: str
    kk_number: str
    full_name: str
    birth_place: str
    birth_date: str          # ISO YYYY-MM-DD
    sex: Sex
    blood_type: str
    address: str
    rt: str
    rw: str
    region_code: str         # desa/kelurahan (or kecamatan) of domicile
    religion: Religion
    marital_status: MaritalStatus
    occupation: str
    citizenship: Citizenship
    mother_name: str = ""    # optional
    father_name: str = ""    # optional


@dataclass(frozen=True)
class ModalityQuality:
    modality: Modality
    quality: int
    template_digest: str = ""   # fingers and irises: hex SHA-256 of the matcher template


FINGERS = frozenset(m for m in Modality if m.startswith("FINGER_"))
IRISES = frozenset({Modality.IRIS_LEFT, Modality.IRIS_RIGHT})
TEMPLATE_MODALITIES = FINGERS | IRISES     # the ones with a matcher template (de-duplication)

MODALITY_LABELS = {
    Modality.FACE: "wajah", Modality.SIGNATURE: "tanda tangan",
    Modality.IRIS_LEFT: "iris kiri", Modality.IRIS_RIGHT: "iris kanan",
    Modality.FINGER_RIGHT_THUMB: "ibu jari kanan", Modality.FINGER_RIGHT_INDEX: "telunjuk kanan",
    Modality.FINGER_RIGHT_MIDDLE: "jari tengah kanan", Modality.FINGER_RIGHT_RING: "jari manis kanan",
    Modality.FINGER_RIGHT_LITTLE: "kelingking kanan", Modality.FINGER_LEFT_THUMB: "ibu jari kiri",
    Modality.FINGER_LEFT_INDEX: "telunjuk kiri", Modality.FINGER_LEFT_MIDDLE: "jari tengah kiri",
    Modality.FINGER_LEFT_RING: "jari manis kiri", Modality.FINGER_LEFT_LITTLE: "kelingking kiri",
}


class ModalityKind(enum.StrEnum):
    FACE = "FACE"
    FINGER = "FINGER"
    IRIS = "IRIS"
    SIGNATURE = "SIGNATURE"


def kind_of(modality: Modality) -> ModalityKind:
    if modality in FINGERS:
        return ModalityKind.FINGER
    if modality in IRISES:
        return ModalityKind.IRIS
    return ModalityKind(modality.value)


DEFAULT_MINIMUM_QUALITY = {ModalityKind.FACE: 40, ModalityKind.FINGER: 40, ModalityKind.IRIS: 40,
                           ModalityKind.SIGNATURE: 0}


@dataclass(frozen=True)
class QualityGate:
    """The capture quality a recording needs to go on (configurable: enrolment.config).

    `minimum`: the lowest quality score (0-100) accepted per kind of modality, for every
    modality that was captured. `required`: the modalities that must have been captured.
    By default only the face is required (it is printed on the card): a finger or an iris may
    be missing for good reasons (amputation, injury, blindness) and is then simply not sent,
    while one that was sent must meet its minimum. An office that wants the full set sets
    ENROLMENT_REQUIRED_MODALITIES=ALL. A recording that fails the gate is stored as FAILED with
    `failure` as the reason, and gets a register number like any other (see service.py)."""

    minimum: Mapping[ModalityKind, int] = field(default_factory=lambda: dict(DEFAULT_MINIMUM_QUALITY))
    required: frozenset[Modality] = frozenset({Modality.FACE})

    def failure(self, biometrics: Biometrics) -> str:
        """Why the capture does not pass, for the officer (empty when it passes)."""
        captured = {q.modality: q.quality for q in biometrics.qualities}
        order = [m for m in Modality if m != "UNSPECIFIED"]
        missing = [MODALITY_LABELS[m] for m in order if m in self.required and m not in captured]
        low = [f"{MODALITY_LABELS[m]} {captured[m]} (minimum {self.minimum.get(kind_of(m), 0)})"
               for m in order if m in captured and captured[m] < self.minimum.get(kind_of(m), 0)]
        problems = ([f"belum direkam: {', '.join(missing)}"] if missing else []) \
            + ([f"kualitas di bawah minimum: {', '.join(low)}"] if low else [])
        if not problems:
            return ""
        return "Gagal gerbang kualitas — " + "; ".join(problems) + ". Rekam ulang modalitas tersebut."


@dataclass(frozen=True)
class Biometrics:
    qualities: tuple[ModalityQuality, ...] = ()
    template_digest: str = ""   # the older single digest of the whole capture; still matched
    face_photo: bytes = b""     # JPEG or PNG printed on the card; b"" when not captured
    signature: bytes = b""      # JPEG or PNG printed on the card; b"" when not captured

    def modality_digests(self) -> dict[Modality, str]:
        """Non-empty per-modality template digests of the fingers and irises."""
        return {q.modality: q.template_digest for q in self.qualities
                if q.template_digest and q.modality in TEMPLATE_MODALITIES}


@dataclass(frozen=True)
class RecordingRequest:
    resident: Resident
    office_code: str
    biometrics: Biometrics = Biometrics()
    request_id: str = ""
    drive_id: int | None = None     # the pick-up drive it is recorded under; None: at the office
    recording_type: RecordingType = RecordingType.NEW


FAILURE_FRAUD = "Dinyatakan pemalsuan pada adjudikasi duplikat; perekaman tidak dicetak."


@dataclass
class Recording:
    register_number: str
    state: RecordingState
    resident: Resident
    office_code: str
    captured_at: dt.datetime
    biometrics: Biometrics = Biometrics()
    review_flags: tuple[str, ...] = ()
    duplicate_of: str = ""
    request_id: str = ""
    drive_id: int | None = None
    recording_type: RecordingType = RecordingType.NEW
    previous_register_number: str = ""     # the earlier recording of this NIK (all types but NEW)
    failure_reason: str = ""               # when FAILED, for the officer
    hold_until: dt.date | None = None      # a pre-recording: not print-ready before this day

    def status_only(self) -> Recording:
        """What a lurah may see: where and how far the recording is (register number, state,
        type, office, desa, time), with every personal field blank and no photo or signature
        (nor the hold date or failure reason: the one tells the birth date, the other may
        tell of fraud)."""
        blank = Resident(nik="", kk_number="", full_name="", birth_place="", birth_date="", sex=Sex.UNSPECIFIED,
                         blood_type="", address="", rt="", rw="", region_code=self.resident.region_code,
                         religion=Religion.UNSPECIFIED, marital_status=MaritalStatus.UNSPECIFIED, occupation="",
                         citizenship=Citizenship.UNSPECIFIED)
        return Recording(register_number=self.register_number, state=self.state, resident=blank,
                         office_code=self.office_code, captured_at=self.captured_at,
                         recording_type=self.recording_type)

    def settle(self, duplicate: DuplicateMatch | str | None = None, *, failure: str = "",
               hold_until: dt.date | None = None) -> None:
        """CAPTURED -> FAILED (`failure`: the quality gate's reason), DUPLICATE (of an earlier
        recording; adjudication decides), SENT (a clean pre-recording, held until `hold_until`)
        or PRINT_READY."""
        if self.state is not RecordingState.CAPTURED:
            raise ValueError(f"cannot settle a recording in state {self.state}")
        duplicate_of = duplicate.register_number if isinstance(duplicate, DuplicateMatch) else duplicate
        if hold_until is not None:
            self.hold_until = hold_until
            self.review_flags = tuple(dict.fromkeys((*self.review_flags, FLAG_PRE_RECORDING)))
        if failure:
            self.state, self.failure_reason = RecordingState.FAILED, failure
        elif duplicate_of:
            self.state, self.duplicate_of = RecordingState.DUPLICATE, duplicate_of
        elif hold_until is not None:
            self.state = RecordingState.SENT
        else:
            self.state = RecordingState.PRINT_READY

    def resolve_duplicate(self, decision: AdjudicationDecision, today: dt.date) -> None:
        """A DUPLICATE decided on adjudication: a different person goes on (held if still a
        pre-recording), fraud fails and is flagged, the same person stays a duplicate."""
        if self.state is not RecordingState.DUPLICATE:
            raise ValueError(f"cannot resolve a recording in state {self.state}")
        if decision is AdjudicationDecision.DIFFERENT_PERSON:
            self.duplicate_of = ""
            held = self.hold_until is not None and today < self.hold_until
            self.state = RecordingState.SENT if held else RecordingState.PRINT_READY
        elif decision is AdjudicationDecision.FRAUD:
            self.state, self.failure_reason = RecordingState.FAILED, FAILURE_FRAUD
            self.review_flags = tuple(dict.fromkeys((*self.review_flags, FLAG_FRAUD)))


# ---- recording types --------------------------------------------------------------------

# States in which an earlier recording of a NIK counts as that person's recording.
ACCEPTED_STATES = frozenset({RecordingState.SENT, RecordingState.PRINT_READY})
COMPARED_RESIDENT_FIELDS = ("kk_number", "full_name", "birth_place", "birth_date", "sex", "blood_type", "address",
                            "rt", "rw", "region_code", "religion", "marital_status", "occupation", "citizenship",
                            "mother_name", "father_name")


def previous_recording(recording_type: RecordingType, same_nik: Sequence[DuplicateCandidate]) -> DuplicateCandidate | None:
    """The recording a MOVED_IN / DATA_CHANGE / REPLACEMENT follows: the latest accepted one of
    the NIK (`same_nik` oldest first). None for NEW, or when there is none."""
    if recording_type is RecordingType.NEW:
        return None
    accepted = [c for c in same_nik if c.state in ACCEPTED_STATES]
    return accepted[-1] if accepted else None


def no_previous_violation(recording_type: RecordingType) -> Violation:
    return Violation("recording_type", f"Jenis '{RECORDING_TYPE_LABELS[recording_type]}' memerlukan perekaman "
                                       "sebelumnya dengan NIK ini yang sudah diterima; tidak ada. Periksa NIK, "
                                       "atau pilih jenis 'Baru'.")


def changed_fields(previous: Resident, current: Resident) -> tuple[str, ...]:
    """Names (never values) of the resident's fields that differ from the previous recording."""
    return tuple(name for name in COMPARED_RESIDENT_FIELDS if getattr(previous, name) != getattr(current, name))


def follow_up_violations(recording_type: RecordingType, previous: Resident, current: Resident) -> list[Violation]:
    """What a follow-up recording must show against the recording it follows: a MOVED_IN
    another desa, a DATA_CHANGE some change, a REPLACEMENT none (the card is reissued as it was)."""
    if recording_type is RecordingType.MOVED_IN and previous.region_code == current.region_code:
        return [Violation("resident.region_code", "Pindah datang: desa/kelurahan tempat tinggal harus berbeda dari "
                                                  "perekaman sebelumnya; untuk perubahan alamat di desa yang sama "
                                                  "pilih jenis 'Perubahan data'.")]
    if recording_type is RecordingType.DATA_CHANGE and not changed_fields(previous, current):
        return [Violation("recording_type", "Perubahan data: tidak ada data yang berbeda dari perekaman sebelumnya; "
                                            "untuk kartu hilang/rusak pilih jenis 'Pengganti'.")]
    if recording_type is RecordingType.REPLACEMENT and (changed := changed_fields(previous, current)):
        return [Violation("recording_type", "Pengganti kartu memuat data yang sama dengan perekaman sebelumnya, "
                                            f"tetapi berbeda pada: {', '.join(changed)}; pilih jenis 'Perubahan data'.")]
    return []


# ---- de-duplication ------------------------------------------------------------------------

REASON_NIK = "NIK"
REASON_TEMPLATE = "TEMPLATE"          # the older single template digest
REASON_DEMOGRAPHIC = "DEMOGRAPHIC"
DEFAULT_DEMOGRAPHIC_THRESHOLD = 0.92
MIN_NAME_SIMILARITY = 0.85
# Weights of the compared fields in the demographic score (the birth date is the blocking key:
# only recordings born the same day are compared at all).
DEMOGRAPHIC_WEIGHTS = {"full_name": 0.45, "birth_place": 0.20, "mother_name": 0.25, "father_name": 0.10}


@dataclass(frozen=True)
class DuplicateCandidate:
    register_number: str
    nik: str
    template_digest: str
    state: RecordingState
    region_code: str = ""
    modality_digests: tuple[tuple[Modality, str], ...] = ()
    resident: Resident | None = None    # decrypted names, when compared on demographics


@dataclass(frozen=True)
class FieldComparison:
    field: str
    similarity: float
    compared: bool = True


@dataclass(frozen=True)
class DuplicateMatch:
    register_number: str
    reasons: tuple[str, ...]
    score: float
    comparison: tuple[FieldComparison, ...] = ()


def _fold(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces ("Nur'aini  H." -> "nur aini h")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", folded).split())


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity of two strings, 0..1 (1: equal)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_hit, b_hit = [False] * len(a), [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_seq = [ch for ch, hit in zip(a, a_hit, strict=True) if hit]
    b_seq = [ch for ch, hit in zip(b, b_hit, strict=True) if hit]
    transpositions = sum(x != y for x, y in zip(a_seq, b_seq, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


def name_similarity(a: str, b: str) -> float | None:
    """How alike two names are, 0..1, or None when either is empty. Case, accents, punctuation
    and word order do not count ("Budi Santoso" ~ "SANTOSO, Budi" = 1)."""
    a, b = _fold(a), _fold(b)
    if not a or not b:
        return None
    in_order = jaro_winkler(a, b)
    sorted_tokens = jaro_winkler(" ".join(sorted(a.split())), " ".join(sorted(b.split())))
    return max(in_order, sorted_tokens)


def demographic_comparison(a: Resident, b: Resident) -> tuple[FieldComparison, ...]:
    """Field by field, how two residents' demographics agree (birth date, names, birth place)."""
    out = [FieldComparison("birth_date", 1.0 if a.birth_date == b.birth_date else 0.0)]
    for name in DEMOGRAPHIC_WEIGHTS:
        similarity = name_similarity(getattr(a, name), getattr(b, name))
        out.append(FieldComparison(name, similarity or 0.0, similarity is not None))
    return tuple(out)


def demographic_score(comparison: Sequence[FieldComparison]) -> float | None:
    """The weighted similarity of the compared fields, or None when the two cannot be judged
    alike on demographics: another birth date, a full name below MIN_NAME_SIMILARITY, or no
    parent's name on both sides. Name, birth date and birth place alone are not enough: in a
    province of millions, dozens are born on any one day and common names repeat, so without
    a parent the queue would fill with strangers."""
    by_field = {c.field: c for c in comparison}
    if by_field["birth_date"].similarity < 1.0 or by_field["full_name"].similarity < MIN_NAME_SIMILARITY:
        return None
    if not (by_field["mother_name"].compared or by_field["father_name"].compared):
        return None
    compared = [(DEMOGRAPHIC_WEIGHTS[c.field], c.similarity) for c in comparison
                if c.field in DEMOGRAPHIC_WEIGHTS and c.compared]
    return sum(w * s for w, s in compared) / sum(w for w, _ in compared)


def find_duplicate_match(recording: Recording, earlier: Iterable[DuplicateCandidate], *,
                         threshold: float = DEFAULT_DEMOGRAPHIC_THRESHOLD) -> DuplicateMatch | None:
    """The earlier recording this one most likely duplicates, with why, or None.

    In recording order, the first earlier recording with the same NIK (NEW recordings only;
    a MOVED_IN/DATA_CHANGE/REPLACEMENT follows its own NIK's recordings and is not their
    duplicate; a FAILED one does not count), or, under another NIK, the same single template
    digest or any same finger/iris template digest. Failing those, the most similar recording
    of another NIK on demographics, when its score reaches `threshold`."""
    nik, digest = recording.resident.nik, recording.biometrics.template_digest
    own = recording.biometrics.modality_digests()
    own_by_digest = {d: m for m, d in own.items()}
    best: DuplicateMatch | None = None
    for other in earlier:
        if other.register_number == recording.register_number:
            continue
        if other.nik == nik:
            if recording.recording_type is RecordingType.NEW and other.state is not RecordingState.FAILED:
                return DuplicateMatch(other.register_number, (REASON_NIK,), 1.0, _comparison(recording, other))
            continue
        reasons = [REASON_TEMPLATE] if digest and other.template_digest == digest else []
        reasons += sorted({own_by_digest[d].value for _, d in other.modality_digests if d in own_by_digest})
        if reasons:
            return DuplicateMatch(other.register_number, tuple(reasons), 1.0, _comparison(recording, other))
        if other.resident is not None and other.state is not RecordingState.FAILED:
            comparison = demographic_comparison(recording.resident, other.resident)
            score = demographic_score(comparison)
            if score is not None and score >= threshold and (best is None or score > best.score):
                best = DuplicateMatch(other.register_number, (REASON_DEMOGRAPHIC,), round(score, 4), comparison)
    return best


def _comparison(recording: Recording, other: DuplicateCandidate) -> tuple[FieldComparison, ...]:
    return demographic_comparison(recording.resident, other.resident) if other.resident is not None else ()


def find_duplicate(recording: Recording, earlier: Iterable[DuplicateCandidate]) -> str | None:
    """Register number of the earlier recording this one duplicates, if any (see find_duplicate_match)."""
    match = find_duplicate_match(recording, earlier)
    return match.register_number if match else None


# ---- adjudication ----------------------------------------------------------------------------

MAX_NOTE = 500
ADJUDICATION_LIMIT, MAX_ADJUDICATION_LIMIT = 100, 500


@dataclass
class Adjudication:
    """A suspected duplicate waiting for (or given) the Dinas's decision."""

    register_number: str
    candidate_register_number: str
    reasons: tuple[str, ...]
    score: float
    region_code: str
    office_code: str
    opened_at: dt.datetime
    comparison: tuple[FieldComparison, ...] = ()
    resolved_at: dt.datetime | None = None
    decision: AdjudicationDecision | None = None
    resolver: str = ""
    note: str = ""

    @classmethod
    def open(cls, recording: Recording, match: DuplicateMatch, at: dt.datetime) -> Adjudication:
        return cls(recording.register_number, match.register_number, match.reasons, match.score,
                   recording.resident.region_code, recording.office_code, at, match.comparison)

    @property
    def is_open(self) -> bool:
        return self.decision is None

    def resolve(self, decision: AdjudicationDecision, by: str, note: str, at: dt.datetime) -> None:
        if not self.is_open:
            raise ValueError("adjudication already resolved")
        self.decision, self.resolver, self.note, self.resolved_at = decision, by, note, at


def resolution_violations(register_number: str, decision: AdjudicationDecision | None, note: str) -> list[Violation]:
    out = []
    if not is_register_number(register_number):
        out.append(Violation("register_number", f"Format yang diharapkan: {REGISTER_NUMBER_FORMAT}."))
    if decision is None:
        out.append(Violation("decision", "Pilih keputusan: orang yang sama, orang berbeda, atau pemalsuan."))
    if len(note) > MAX_NOTE:
        out.append(Violation("note", f"Catatan paling banyak {MAX_NOTE} karakter."))
    elif decision in (AdjudicationDecision.DIFFERENT_PERSON, AdjudicationDecision.FRAUD) and not note.strip():
        out.append(Violation("note", "Tulis dasar keputusan (mis. dokumen yang diperiksa) untuk keputusan ini."))
    return out


def resolution_refusal(adjudication: Adjudication, decision: AdjudicationDecision) -> Violation | None:
    """A rule against the decision: a NIK belongs to one person, so two people cannot share one;
    the officer corrects the NIK (a DATA_CHANGE recording) or decides same person / fraud."""
    if decision is AdjudicationDecision.DIFFERENT_PERSON and REASON_NIK in adjudication.reasons:
        return Violation("decision", "NIK sama tidak mungkin milik dua orang berbeda: pilih 'orang yang sama' "
                                     "atau 'pemalsuan', lalu rekam ulang dengan NIK yang benar.")
    return None

# ---- register numbers ----------------------------------------------------------------

_REGISTER_NUMBER = re.compile(r"(\d{4})-(\d{8})-(\d{6})")
REGISTER_NUMBER_FORMAT = "KKKK-YYYYMMDD-NNNNNN (mis. 6203-20261128-000001)"
MAX_DAILY_SEQUENCE = 999_999


def format_register_number(office_code: str, day: dt.date, sequence: int) -> str:
    if not 1 <= sequence <= MAX_DAILY_SEQUENCE:
        raise ValueError("daily register sequence out of range")
    return f"{office_code.replace('.', '')}-{day:%Y%m%d}-{sequence:06d}"


def is_register_number(value: str) -> bool:
    match = _REGISTER_NUMBER.fullmatch(value)
    if not match or int(match.group(3)) == 0:
        return False
    try:
        dt.datetime.strptime(match.group(2), "%Y%m%d")
    except ValueError:
        return False
    return True


# ---- search ------------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 20
MAX_SEARCH_PAGE = 500          # 10,000 results: a search that needs more pages needs more words
MAX_SEARCH_TOKENS = 8


def name_tokens(name: str) -> list[str]:
    """The words a search by name matches on: case and accents folded, split at anything that
    is not a letter or digit ("Siti Nur'aini-Hasan" -> ["siti", "nur", "aini", "hasan"]),
    each once, in order. A search finds the recordings whose full name has every query word."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return list(dict.fromkeys(t for t in _NON_WORD.split(folded) if t))


_NON_WORD = re.compile(r"[\W_]+")


def search_violations(*, nik: str, name: str, page: int) -> list[Violation]:
    """A search asks for exactly one of a 16-digit NIK or a name of whole words, and a page >= 1."""
    out = []
    if nik and name:
        out.append(Violation("name", "Cari menurut NIK atau menurut nama, tidak keduanya sekaligus."))
    elif not nik and not name:
        out.append(Violation("nik", "Isi NIK (16 angka) atau nama untuk mencari."))
    if nik and not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        out.append(Violation("nik", "NIK harus tepat 16 angka."))
    if name:
        tokens = name_tokens(name)
        if len(name) > MAX_NAME or not tokens:
            out.append(Violation("name", f"Isi paling sedikit satu kata nama, paling banyak {MAX_NAME} karakter."))
        elif len(tokens) > MAX_SEARCH_TOKENS:
            out.append(Violation("name", f"Paling banyak {MAX_SEARCH_TOKENS} kata nama."))
    if not 1 <= page <= MAX_SEARCH_PAGE:
        out.append(Violation("page", f"Halaman 1-{MAX_SEARCH_PAGE}; persempit pencarian bila perlu lebih."))
    return out


# ---- validating a recording request ----------------------------------------------------

_NAME = re.compile(r"(?:[^\W\d_]|[ .,'\-])+")
_RT_RW = re.compile(r"\d{1,3}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
BLOOD_TYPES = frozenset({"", "A", "B", "AB", "O"})
MAX_TEXT = 200
MAX_NAME = 100
MAX_REQUEST_ID = 100
MAX_IMAGE_BYTES = 512 * 1024
# Magic bytes of the two image formats a capture device may send: JPEG (SOI + marker) and PNG.
_IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


@dataclass(frozen=True)
class Validation:
    """Outcome of validating a request: normalised request, violations, review flags."""

    request: RecordingRequest
    violations: tuple[Violation, ...] = ()
    review_flags: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations


def region_codes_to_check(request: RecordingRequest) -> set[str]:
    """Region codes whose existence/level the request's validation needs."""
    r = request.resident
    codes = {r.region_code, request.office_code}
    for number in (r.nik, r.kk_number):
        if len(number) >= 6 and number[:6].isascii() and number[:6].isdigit():
            codes.add(digits_to_kecamatan(number[:6]))
    return {c for c in codes if region_level(c) is not None}


def validate_recording(request: RecordingRequest, *, today: dt.date,
                       regions: Mapping[str, RegionLevel]) -> Validation:
    """Every rule of a recording request. `regions`: level of each known code that
    `region_codes_to_check(request)` asked for."""
    r = request.resident
    out: list[Violation] = []

    def bad(field_name: str, description: str) -> None:
        out.append(Violation(field_name, description))

    def is_kecamatan(code: str) -> bool:
        return regions.get(code) is RegionLevel.DISTRICT

    birth_date = _parse_birth_date(r.birth_date, today, bad)
    nik = check_nik(r.nik, birth_date, r.sex)
    out.extend(nik.violations)
    if not nik.violations and not is_kecamatan(digits_to_kecamatan(r.nik[:6])):
        bad("resident.nik", "Kode wilayah NIK (6 angka pertama) bukan kecamatan yang terdaftar.")
    if not (len(r.kk_number) == 16 and r.kk_number.isascii() and r.kk_number.isdigit()):
        bad("resident.kk_number", "Nomor KK harus tepat 16 angka.")
    elif problem := kk_problem(r.kk_number):
        bad("resident.kk_number", problem)
    elif not is_kecamatan(digits_to_kecamatan(r.kk_number[:6])):
        bad("resident.kk_number", "Kode wilayah nomor KK (6 angka pertama) bukan kecamatan yang terdaftar.")
    full_name = " ".join(r.full_name.split())
    if not _is_name(full_name):
        bad("resident.full_name", "Nama lengkap wajib diisi: 1-100 karakter, hanya huruf, spasi dan . , ' -")
    mother_name, father_name = " ".join(r.mother_name.split()), " ".join(r.father_name.split())
    for field_name, value, label in (("mother_name", mother_name, "Nama ibu"), ("father_name", father_name, "Nama ayah")):
        if value and not _is_name(value):
            bad(f"resident.{field_name}", f"{label} boleh dikosongkan; bila diisi 1-100 karakter, "
                                          "hanya huruf, spasi dan . , ' -")
    for field_name, value in (("birth_place", r.birth_place), ("address", r.address), ("occupation", r.occupation)):
        if not value.strip() or len(value.strip()) > MAX_TEXT:
            bad(f"resident.{field_name}", f"Wajib diisi, paling banyak {MAX_TEXT} karakter.")
        elif has_control_characters(value):
            bad(f"resident.{field_name}", "Hanya teks biasa: tanpa karakter kontrol (mis. tab atau NUL).")
    rt, rw = _padded(r.rt, "resident.rt", "RT", bad), _padded(r.rw, "resident.rw", "RW", bad)
    for field_name, value, label in (("sex", r.sex, "jenis kelamin"), ("religion", r.religion, "agama"),
                                     ("marital_status", r.marital_status, "status perkawinan"),
                                     ("citizenship", r.citizenship, "kewarganegaraan")):
        if value == "UNSPECIFIED":
            bad(f"resident.{field_name}", f"Pilih {label}.")
    blood_type = r.blood_type.strip().upper()
    if blood_type not in BLOOD_TYPES:
        bad("resident.blood_type", "Golongan darah harus A, B, AB, O atau dikosongkan.")
    if regions.get(r.region_code) not in (RegionLevel.DISTRICT, RegionLevel.VILLAGE):
        bad("resident.region_code", "Isi kode desa/kelurahan (mis. 62.03.01.2001) atau kecamatan yang terdaftar.")
    if regions.get(request.office_code) is not RegionLevel.REGENCY:
        bad("office_code", "Isi kode kabupaten/kota Dinas yang terdaftar (mis. 62.03).")
    elif regions.get(r.region_code) in (RegionLevel.DISTRICT, RegionLevel.VILLAGE) \
            and regency_of(r.region_code) != request.office_code:
        bad("office_code", "Penduduk direkam oleh Dinas kabupaten/kota tempat tinggalnya "
                           f"({regency_of(r.region_code)}).")
    if problem := request_id_problem(request.request_id):
        bad("request_id", problem)
    out.extend(_biometric_violations(request.biometrics))
    normalised = replace(request, resident=replace(
        r, full_name=full_name, mother_name=mother_name, father_name=father_name,
        birth_place=r.birth_place.strip(), address=r.address.strip(),
        occupation=r.occupation.strip(), rt=rt, rw=rw, blood_type=blood_type),
        biometrics=replace(request.biometrics, template_digest=request.biometrics.template_digest.lower(),
                           qualities=tuple(replace(q, template_digest=q.template_digest.lower())
                                           for q in request.biometrics.qualities)))
    return Validation(normalised, tuple(out), nik.review_flags)


def has_control_characters(value: str) -> bool:
    # A printable string has no Cc or Cs character (str.isprintable, one C loop, answers the
    # usual case); only one that is not is looked at character by character.
    return not value.isprintable() and any(unicodedata.category(c) in ("Cc", "Cs") for c in value)


def request_id_problem(request_id: str) -> str | None:
    """Why a client's idempotency key cannot be used (it is looked up before anything else)."""
    if len(request_id) > MAX_REQUEST_ID:
        return f"request_id paling banyak {MAX_REQUEST_ID} karakter."
    if has_control_characters(request_id):
        return "request_id hanya teks biasa, tanpa karakter kontrol."
    return None


def _is_name(value: str) -> bool:
    return 1 <= len(value) <= MAX_NAME and bool(_NAME.fullmatch(value)) and any(c.isalpha() for c in value)


def image_problem(data: bytes) -> str | None:
    """Why `data` cannot be a captured image (empty is fine: not captured), or None."""
    if not data:
        return None
    if len(data) > MAX_IMAGE_BYTES:
        return f"Gambar paling besar {MAX_IMAGE_BYTES // 1024} KiB."
    if not data.startswith(_IMAGE_SIGNATURES):
        return "Gambar harus berformat JPEG atau PNG."
    return None


def _parse_birth_date(value: str, today: dt.date, bad) -> dt.date | None:
    try:
        birth_date = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        birth_date = None
    if birth_date is None:
        bad("resident.birth_date", "Tanggal lahir harus tanggal yang ada, format YYYY-MM-DD.")
    elif birth_date > today:
        bad("resident.birth_date", "Tanggal lahir tidak boleh di masa depan.")
    elif birth_date < EARLIEST_BIRTH_DATE:
        bad("resident.birth_date", "Tanggal lahir tidak boleh sebelum 1900-01-01.")
    else:
        return birth_date
    return None


def _padded(value: str, field_name: str, label: str, bad) -> str:
    value = value.strip()
    if not _RT_RW.fullmatch(value) or int(value) == 0:
        bad(field_name, f"{label} harus 1-3 angka dan bukan 000.")
        return value
    return value.zfill(3)


def _biometric_violations(biometrics: Biometrics) -> list[Violation]:
    out, seen, digests = [], set(), set()
    for i, item in enumerate(biometrics.qualities):
        path = f"biometrics.qualities[{i}]"
        if item.modality == "UNSPECIFIED":
            out.append(Violation(f"{path}.modality", "Pilih modalitas biometrik."))
        elif item.modality in seen:
            out.append(Violation(f"{path}.modality", "Modalitas ini sudah dikirim; kirim tiap modalitas sekali."))
        seen.add(item.modality)
        if not 0 <= item.quality <= 100:
            out.append(Violation(f"{path}.quality", "Nilai kualitas harus 0-100."))
        if item.template_digest:
            if item.modality not in TEMPLATE_MODALITIES:
                out.append(Violation(f"{path}.template_digest", "Digest templat hanya untuk sidik jari dan iris; "
                                                                "kosongkan untuk wajah dan tanda tangan."))
            elif not _HEX64.fullmatch(item.template_digest):
                out.append(Violation(f"{path}.template_digest",
                                     "Digest templat harus kosong atau 64 karakter heksadesimal (SHA-256)."))
            elif item.template_digest.lower() in digests:
                out.append(Violation(f"{path}.template_digest", "Digest templat ini sudah dikirim untuk modalitas "
                                                                "lain pada rekaman yang sama; periksa alat perekam."))
            digests.add(item.template_digest.lower())
    digest = biometrics.template_digest
    if digest and not _HEX64.fullmatch(digest):
        out.append(Violation("biometrics.template_digest", "Digest templat harus kosong atau 64 karakter heksadesimal (SHA-256)."))
    for field_name, data in (("face_photo", biometrics.face_photo), ("signature", biometrics.signature)):
        if problem := image_problem(data):
            out.append(Violation(f"biometrics.{field_name}", problem))
    return out


def ineligible_violation() -> Violation:
    return Violation("resident.birth_date",
                     "Belum wajib KTP: umur belum 17 tahun pada tanggal perekaman dan belum pernah kawin.")


# ---- field devices: syncing recordings made offline --------------------------------------

_DEVICE_KEY = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class SyncOutcome(enum.StrEnum):
    """What became of one item a field device sent. Only ACCEPTED, DUPLICATE and FAILED store
    a recording (and a receipt); the others store nothing, so the item may be fixed and re-sent
    under the same local id."""

    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"
    FAILED = "FAILED"
    INVALID = "INVALID"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"


@dataclass(frozen=True)
class SyncItem:
    device_id: str
    local_id: str
    request: RecordingRequest


@dataclass(frozen=True)
class SyncResult:
    local_id: str
    outcome: SyncOutcome
    register_number: str = ""
    state: RecordingState | None = None
    duplicate_of: str = ""
    violations: tuple[Violation, ...] = ()
    message: str = ""
    replayed: bool = False   # stored by an earlier sync of the same (device, local id)


def sync_key_violations(item: SyncItem) -> tuple[Violation, ...]:
    """device_id and local_id: 1-64 of letters, digits and . _ : - (they key the receipt)."""
    rule = "1-64 karakter: huruf, angka, titik, garis bawah, titik dua atau tanda hubung."
    return tuple(Violation(name, f"{label} wajib diisi, {rule}")
                 for name, label, value in (("device_id", "ID perangkat", item.device_id),
                                            ("local_id", "ID lokal", item.local_id))
                 if not _DEVICE_KEY.fullmatch(value))


def outcome_of(state: RecordingState) -> SyncOutcome:
    """The sync outcome of a stored recording, from its current state."""
    if state is RecordingState.DUPLICATE:
        return SyncOutcome.DUPLICATE
    if state is RecordingState.FAILED:
        return SyncOutcome.FAILED
    return SyncOutcome.ACCEPTED


def stored_result(local_id: str, register_number: str, state: RecordingState, duplicate_of: str,
                  failure_reason: str = "", *, replayed: bool) -> SyncResult:
    """The result of an item that stored a recording (now, or `replayed` from its receipt)."""
    return SyncResult(local_id, outcome_of(state), register_number, state, duplicate_of,
                      message=failure_reason if state is RecordingState.FAILED else "", replayed=replayed)


# ---- targets ---------------------------------------------------------------------------

def changed_targets(requested: Sequence[tuple[str, int]], current: Mapping[str, int]) -> list[tuple[str, int]]:
    """The (code, wajib_ktp) pairs that differ from what is stored (last one wins)."""
    wanted = dict(requested)
    return [(code, value) for code, value in wanted.items() if current.get(code) != value]


@dataclass(frozen=True)
class RecordingCounts:
    """Counts per recording state, for a region or an office."""

    by_state: Mapping[RecordingState, int] = field(default_factory=dict)

    @property
    def recorded(self) -> int:
        return sum(self.by_state.values())

    @property
    def persons(self) -> int:
        """Recorded people: a DUPLICATE is a second recording of someone already counted.
        Coverage (recorded / wajib KTP target) counts people, as reporting does."""
        return self.recorded - self[RecordingState.DUPLICATE]

    def __getitem__(self, state: RecordingState) -> int:
        return self.by_state.get(state, 0)


# ---- events ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordingCaptured:
    register_number: str
    office_code: str
    region_code: str
    captured_at: dt.datetime
    voter_eligible_on: dt.date | None = None   # reporting's voter readiness: see voter_eligible_on()
    drive_id: int = 0                          # the pick-up drive; 0: at the office


def voter_eligible_on(resident: Resident) -> dt.date | None:
    """The day a resident may vote: the birth date when ever married, else the 17th birthday
    (None when the stored birth date is not a date)."""
    try:
        born = dt.date.fromisoformat(resident.birth_date)
    except ValueError:
        return None
    return born if resident.marital_status in EVER_MARRIED else wajib_ktp_from(born)


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
    duplicate_of: str


@dataclass(frozen=True)
class TargetChanged:
    region_code: str
    region_name: str
    wajib_ktp: int


@dataclass(frozen=True)
class RecordingFailed:
    register_number: str
    office_code: str
    region_code: str
    reason_code: str            # REASON_QUALITY or REASON_FRAUD


REASON_QUALITY, REASON_FRAUD = "QUALITY", "FRAUD"


@dataclass(frozen=True)
class ResidentChanged:
    """A known resident moved in or had data changed (field names only, never values)."""

    register_number: str
    office_code: str
    region_code: str
    previous_register_number: str
    recording_type: RecordingType
    previous_region_code: str
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class AdjudicationResolved:
    register_number: str
    office_code: str
    region_code: str
    decision: AdjudicationDecision


def settled_event(recording: Recording) -> RecordingPrintReady | RecordingDuplicate | RecordingFailed | None:
    """The event of a recording's state after settling, resolving or releasing: print-ready,
    duplicate or failed; None while a pre-recording is held (SENT)."""
    common = (recording.register_number, recording.office_code, recording.resident.region_code)
    if recording.state is RecordingState.DUPLICATE:
        return RecordingDuplicate(*common, duplicate_of=recording.duplicate_of)
    if recording.state is RecordingState.FAILED:
        return RecordingFailed(*common, REASON_FRAUD if FLAG_FRAUD in recording.review_flags else REASON_QUALITY)
    if recording.state is RecordingState.PRINT_READY:
        return RecordingPrintReady(*common)
    return None


# ---- region imports --------------------------------------------------------------------

@dataclass(frozen=True)
class RegionsImported:
    """A Kemendagri code table was imported: how many codes were new, renamed, unchanged,
    newly historic (absent from this import) and reinstated (historic, present again)."""

    inserted: int
    renamed: int
    unchanged: int
    retired: int
    reinstated: int
    total: int


def current_region_violations(request: RecordingRequest, historic: Iterable[str]) -> list[Violation]:
    """A domicile and an office must be current codes; a NIK/KK prefix may be historic."""
    historic = set(historic)
    out = []
    if request.resident.region_code in historic:
        out.append(Violation("resident.region_code", "Kode wilayah ini sudah tidak berlaku (historis) menurut "
                                                     "Kepmendagri terbaru; isi kode desa/kelurahan yang berlaku."))
    if request.office_code in historic:
        out.append(Violation("office_code", "Kode kabupaten/kota Dinas ini sudah tidak berlaku (historis); "
                                            "isi kode yang berlaku."))
    return out


# ---- targets and village coverage ----------------------------------------------------------

MAX_WAJIB_KTP = 100_000_000   # more than any region of Indonesia holds


def parse_wajib_ktp(text: str) -> tuple[int | None, str | None]:
    """A wajib-KTP number as typed ("12.345", "12345", " 12 345 "): (value, None) or (None, why)."""
    cleaned = "".join(text.split()).replace(".", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        return None, "Isi bilangan bulat 0 atau lebih (boleh dengan titik ribuan, mis. 12.345)."
    value = int(cleaned)
    if value > MAX_WAJIB_KTP:
        return None, f"Paling banyak {MAX_WAJIB_KTP:,}".replace(",", ".") + "."
    return value, None


@dataclass(frozen=True)
class VillageCoverage:
    """One desa/kelurahan: its wajib-KTP target, the persons recorded there and the coverage.

    `recorded` counts people: a DUPLICATE is a second recording of someone counted already, and
    a FAILED recording (quality gate, rules) has not recorded anyone yet."""

    region: Region
    target: int | None
    recorded: int

    @property
    def coverage(self) -> float | None:
        """recorded / target (may exceed 1); None without a (positive) target."""
        return self.recorded / self.target if self.target else None

    @property
    def not_yet_recorded(self) -> int:
        """Target persons still to record (0 without a target or above 100%)."""
        return max((self.target or 0) - self.recorded, 0)


def persons_recorded(counts: RecordingCounts) -> int:
    """People recorded for coverage: neither duplicates nor failed recordings."""
    return counts.recorded - counts[RecordingState.DUPLICATE] - counts[RecordingState.FAILED]


def lowest_coverage_first(rows: Iterable[VillageCoverage]) -> list[VillageCoverage]:
    """Lowest coverage first (at equal coverage, more people still to record first); villages
    without a target last; then by region code."""
    return sorted(rows, key=lambda v: (v.coverage is None, v.coverage or 0.0, -v.not_yet_recorded, v.region.code))


# ---- pick-up drives (jemput bola) ------------------------------------------------------------

class DriveState(enum.StrEnum):
    PLANNED = "PLANNED"     # planned, not yet recording
    OPEN = "OPEN"           # the team records under it
    CLOSED = "CLOSED"       # reconciled; no more recordings


MAX_DRIVE_VILLAGES = 20
MAX_DRIVE_TEAM = 20
MAX_DRIVE_DEVICES = 20
MAX_DRIVE_DAYS_AHEAD = 366
PROPOSED_VILLAGES = 3
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
_DEVICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


@dataclass(frozen=True)
class DrivePlan:
    """What an officer asks for when planning a drive (as typed; `validate_drive_plan` checks it)."""

    office_code: str
    village_codes: tuple[str, ...]
    planned_for: str            # ISO date YYYY-MM-DD
    team: tuple[str, ...]       # officers' usernames
    devices: tuple[str, ...] = ()


@dataclass(frozen=True)
class DriveVillage:
    region_code: str
    region_name: str
    planned: int                # target persons not yet recorded there when the drive was planned
    recorded: int | None = None     # the reconciliation, once the drive is CLOSED
    failed: int | None = None
    duplicates: int | None = None


@dataclass(frozen=True)
class Reconciliation:
    """Planned (target persons not yet recorded at plan time) vs what the drive recorded."""

    planned: int
    recorded: int               # persons recorded (not FAILED, not DUPLICATE)
    failed: int
    duplicates: int

    @property
    def remaining(self) -> int:
        return max(self.planned - self.recorded, 0)

    @property
    def achieved(self) -> float | None:
        return self.recorded / self.planned if self.planned else None


@dataclass
class Drive:
    id: int
    office_code: str
    state: DriveState
    planned_for: dt.date
    villages: tuple[DriveVillage, ...]
    team: tuple[str, ...]
    devices: tuple[str, ...]
    planned_by: str
    planned_at: dt.datetime
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    closed_by: str = ""
    reconciliation: Reconciliation | None = None

    @property
    def planned_persons(self) -> int:
        return sum(v.planned for v in self.villages)

    @property
    def village_codes(self) -> tuple[str, ...]:
        return tuple(v.region_code for v in self.villages)

    def open(self, at: dt.datetime) -> bool:
        """PLANNED -> OPEN; True when it changed (an OPEN drive stays as it is)."""
        if self.state is DriveState.OPEN:
            return False
        if self.state is not DriveState.PLANNED:
            raise ValueError(f"cannot open a drive in state {self.state}")
        self.state, self.opened_at = DriveState.OPEN, at
        return True

    def close(self, at: dt.datetime, by: str, counts: Mapping[str, RecordingCounts]) -> bool:
        """PLANNED/OPEN -> CLOSED with the reconciliation from the recordings made under the
        drive, per desa (`counts`: region code -> counts). True when it changed (a CLOSED drive
        keeps its first reconciliation)."""
        if self.state is DriveState.CLOSED:
            return False
        self.villages, self.reconciliation = self.tally(counts)
        self.state, self.closed_at, self.closed_by = DriveState.CLOSED, at, by
        return True

    def tally(self, counts: Mapping[str, RecordingCounts]) -> tuple[tuple[DriveVillage, ...], Reconciliation]:
        """The reconciliation the recordings made so far would give, per desa and in total."""
        villages = []
        for v in self.villages:
            c = counts.get(v.region_code, RecordingCounts())
            villages.append(replace(v, recorded=persons_recorded(c), failed=c[RecordingState.FAILED],
                                    duplicates=c[RecordingState.DUPLICATE]))
        return tuple(villages), Reconciliation(
            planned=self.planned_persons, recorded=sum(v.recorded or 0 for v in villages),
            failed=sum(v.failed or 0 for v in villages), duplicates=sum(v.duplicates or 0 for v in villages))

    def recording_violations(self, office_code: str, region_code: str) -> list[Violation]:
        """Why a recording of a resident living in `region_code` by `office_code` may not be made
        under this drive (its state is checked separately: that is a precondition, not input).

        A drive records the residents of the desa it visits: someone from a neighbouring desa
        who turns up is recorded at the office (or under a drive to that desa), so that the
        reconciliation compares like with like."""
        out = []
        if office_code != self.office_code:
            out.append(Violation("drive_id", f"Jemput bola ini milik Dinas {self.office_code}, bukan {office_code}."))
        if region_code not in self.village_codes:
            out.append(Violation("resident.region_code", "Penduduk tidak tinggal di desa/kelurahan tujuan jemput bola "
                                                         "ini; rekam di kantor atau pada jemput bola ke desanya."))
        return out


def validate_drive_plan(plan: DrivePlan, *, today: dt.date, regions: Mapping[str, Region],
                        historic: Iterable[str], team_problems: Mapping[str, str]) -> list[Violation]:
    """Every rule of a drive plan. `regions`: the known regions among the office and village
    codes; `historic`: which of them are historic; `team_problems`: username -> why that
    officer cannot be on the team (unknown, disabled, outside the office's kabupaten)."""
    out: list[Violation] = []

    def bad(field_name: str, description: str) -> None:
        out.append(Violation(field_name, description))

    historic = set(historic)
    office = regions.get(plan.office_code)
    office_ok = office is not None and office.level is RegionLevel.REGENCY and plan.office_code not in historic
    if not office_ok:
        bad("office_code", "Isi kode kabupaten/kota Dinas yang berlaku (mis. 62.03).")
    if not plan.village_codes:
        bad("village_codes", "Pilih paling sedikit satu desa/kelurahan tujuan.")
    elif len(plan.village_codes) > MAX_DRIVE_VILLAGES:
        bad("village_codes", f"Paling banyak {MAX_DRIVE_VILLAGES} desa/kelurahan per jemput bola.")
    seen: set[str] = set()
    for i, code in enumerate(plan.village_codes):
        region = regions.get(code)
        if region is None or region.level is not RegionLevel.VILLAGE or code in historic:
            bad(f"village_codes[{i}]", "Isi kode desa/kelurahan yang berlaku (mis. 62.03.01.2001).")
        elif office_ok and regency_of(code) != plan.office_code:
            bad(f"village_codes[{i}]", "Desa/kelurahan ini bukan wilayah Dinas penyelenggara.")
        elif code in seen:
            bad(f"village_codes[{i}]", "Desa/kelurahan ini sudah dipilih.")
        seen.add(code)
    try:
        day = dt.date.fromisoformat(plan.planned_for) if len(plan.planned_for) == 10 else None
    except ValueError:
        day = None
    if day is None:
        bad("planned_for", "Tanggal harus tanggal yang ada, format YYYY-MM-DD.")
    elif day < today:
        bad("planned_for", "Tanggal jemput bola tidak boleh di masa lalu.")
    elif (day - today).days > MAX_DRIVE_DAYS_AHEAD:
        bad("planned_for", "Rencanakan paling lama satu tahun ke depan.")
    if not plan.team:
        bad("team", "Isi paling sedikit satu petugas (nama pengguna).")
    elif len(plan.team) > MAX_DRIVE_TEAM:
        bad("team", f"Paling banyak {MAX_DRIVE_TEAM} petugas.")
    for i, username in enumerate(plan.team):
        if not _USERNAME.fullmatch(username):
            bad(f"team[{i}]", "Nama pengguna 2-40 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.")
        elif plan.team.index(username) != i:
            bad(f"team[{i}]", "Petugas ini sudah ada di tim.")
        elif username in team_problems:
            bad(f"team[{i}]", team_problems[username])
    if len(plan.devices) > MAX_DRIVE_DEVICES:
        bad("devices", f"Paling banyak {MAX_DRIVE_DEVICES} perangkat.")
    for i, device in enumerate(plan.devices):
        if not _DEVICE_ID.fullmatch(device):
            bad(f"devices[{i}]", "ID perangkat 1-40 karakter: huruf, angka, titik, garis bawah atau tanda hubung.")
        elif plan.devices.index(device) != i:
            bad(f"devices[{i}]", "Perangkat ini sudah dicantumkan.")
    return out


def split_list(text: str) -> tuple[str, ...]:
    """"a, b\nc" -> ("a", "b", "c"): a list as typed into one form field."""
    return tuple(item for item in re.split(r"[\s,;]+", text) if item)


@dataclass(frozen=True)
class DriveClosed:
    drive_id: int
    office_code: str
    village_codes: tuple[str, ...]
    planned_for: dt.date
    reconciliation: Reconciliation
