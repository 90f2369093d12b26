"""Enrolment domain: residents, recordings, regions and their rules. Pure Python.

Validation never raises: it returns `Violation`s (field path + what to fix, never personal
data) so that a use case can report every problem of a request at once.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

# Offices record in local time; the register number's day and a resident's age use this zone.
RECORDING_TZ = dt.timezone(dt.timedelta(hours=7), "WIB")
WAJIB_KTP_AGE = 17
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)

FLAG_NIK_BIRTH_DATE_MISMATCH = "NIK_BIRTH_DATE_MISMATCH"
FLAG_NIK_SEX_MISMATCH = "NIK_SEX_MISMATCH"


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

    The two-digit year is resolved in the century of the stored birth date. A disagreement
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
    if serial == 0:
        problems.append("nomor urut di NIK harus 0001-9999")
    if problems:
        return NikCheck((Violation(field_name, "NIK tidak valid: " + "; ".join(problems) + "."),))
    if birth_date is None:
        return NikCheck()
    year = birth_date.year // 100 * 100 + yy
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


def encode_nik(kecamatan_code: str, birth_date: dt.date, sex: Sex, serial: int) -> str:
    """The NIK for a kecamatan of first registration, birth date, sex and serial."""
    day = birth_date.day + (40 if sex is Sex.FEMALE else 0)
    return f"{kecamatan_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


# ---- eligibility ---------------------------------------------------------------------

def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_wajib_ktp(birth_date: dt.date, marital_status: MaritalStatus, on: dt.date) -> bool:
    """Wajib KTP: 17 or older on the recording date, or married / ever married.

    Seam for the later issue: 16-year-olds (school drives) may be pre-recorded and printed at
    17; that becomes a separate outcome here rather than a refusal.
    """
    return age_on(birth_date, on) >= WAJIB_KTP_AGE or marital_status in EVER_MARRIED


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


@dataclass(frozen=True)
class Biometrics:
    qualities: tuple[ModalityQuality, ...] = ()
    template_digest: str = ""
    face_photo: bytes = b""     # JPEG or PNG printed on the card; b"" when not captured
    signature: bytes = b""      # JPEG or PNG printed on the card; b"" when not captured


@dataclass(frozen=True)
class RecordingRequest:
    resident: Resident
    office_code: str
    biometrics: Biometrics = Biometrics()
    request_id: str = ""


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

    def status_only(self) -> Recording:
        """What a lurah may see: where and how far the recording is (register number, state,
        office, desa, time), with every personal field blank and no photo or signature."""
        blank = Resident(nik="", kk_number="", full_name="", birth_place="", birth_date="", sex=Sex.UNSPECIFIED,
                         blood_type="", address="", rt="", rw="", region_code=self.resident.region_code,
                         religion=Religion.UNSPECIFIED, marital_status=MaritalStatus.UNSPECIFIED, occupation="",
                         citizenship=Citizenship.UNSPECIFIED)
        return Recording(register_number=self.register_number, state=self.state, resident=blank,
                         office_code=self.office_code, captured_at=self.captured_at)

    def settle(self, duplicate_of: str | None) -> None:
        """CAPTURED -> DUPLICATE (of an earlier recording) or PRINT_READY."""
        if self.state is not RecordingState.CAPTURED:
            raise ValueError(f"cannot settle a recording in state {self.state}")
        if duplicate_of:
            self.state, self.duplicate_of = RecordingState.DUPLICATE, duplicate_of
        else:
            self.state = RecordingState.PRINT_READY


@dataclass(frozen=True)
class DuplicateCandidate:
    register_number: str
    nik: str
    template_digest: str
    state: RecordingState


def find_duplicate(recording: Recording, earlier: Iterable[DuplicateCandidate]) -> str | None:
    """Register number of the first earlier recording this one duplicates, if any.

    Duplicate: the same NIK (unless that recording FAILED), or the same non-empty template
    digest under a different NIK. `earlier` is in recording order.
    """
    nik, digest = recording.resident.nik, recording.biometrics.template_digest
    for other in earlier:
        if other.register_number == recording.register_number:
            continue
        if other.nik == nik and other.state is not RecordingState.FAILED:
            return other.register_number
        if digest and other.template_digest == digest and other.nik != nik:
            return other.register_number
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
    if len(request.request_id) > MAX_REQUEST_ID:
        bad("request_id", f"request_id paling banyak {MAX_REQUEST_ID} karakter.")
    out.extend(_biometric_violations(request.biometrics))
    normalised = replace(request, resident=replace(
        r, full_name=full_name, mother_name=mother_name, father_name=father_name,
        birth_place=r.birth_place.strip(), address=r.address.strip(),
        occupation=r.occupation.strip(), rt=rt, rw=rw, blood_type=blood_type),
        biometrics=replace(request.biometrics, template_digest=request.biometrics.template_digest.lower()))
    return Validation(normalised, tuple(out), nik.review_flags)


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
    out, seen = [], set()
    for i, item in enumerate(biometrics.qualities):
        path = f"biometrics.qualities[{i}]"
        if item.modality == "UNSPECIFIED":
            out.append(Violation(f"{path}.modality", "Pilih modalitas biometrik."))
        elif item.modality in seen:
            out.append(Violation(f"{path}.modality", "Modalitas ini sudah dikirim; kirim tiap modalitas sekali."))
        seen.add(item.modality)
        if not 0 <= item.quality <= 100:
            out.append(Violation(f"{path}.quality", "Nilai kualitas harus 0-100."))
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


def settled_event(recording: Recording) -> RecordingPrintReady | RecordingDuplicate:
    common = (recording.register_number, recording.office_code, recording.resident.region_code)
    if recording.state is RecordingState.DUPLICATE:
        return RecordingDuplicate(*common, duplicate_of=recording.duplicate_of)
    return RecordingPrintReady(*common)
