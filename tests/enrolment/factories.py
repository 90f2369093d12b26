"""Synthetic requests for the enrolment tests (never real people)."""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import pathlib

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import domain
from enrolment.demo import BUILTIN_REGIONS
from enrolment.personal_data import PersonalData
from servicekit.access import Principal, Role
from servicekit.fieldcrypto import BlindIndex, FieldCipher, Keyring

# A fixed recording moment: 2026-11-28 10:00 WIB.
NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.timezone.utc)
TODAY = dt.date(2026, 11, 28)
VILLAGE = "62.03.01.2001"
TEST_REGIONS = (*BUILTIN_REGIONS, (VILLAGE, "Desa Uji Satu"), ("62.03.01.1002", "Kelurahan Uji Dua"),
                ("63.10.01.1007", "Batulicin"))

# Who acts in use-case tests: the CLI (a service identity, sees everything) and officers.
CLI = Principal.service("enrolment", origin="cli")


def officer(role: Role = Role.OPERATOR_DINAS, scope: str = "62.03", subject: str = "petugas.uji") -> Principal:
    return Principal(subject, role, scope, origin="127.0.0.1")


def personal_data(keys_dir: pathlib.Path) -> PersonalData:
    """Demo-style keys under `keys_dir` (created on first use)."""
    return PersonalData(FieldCipher(Keyring.load(keys_dir / "enrolment-data", create=True)),
                        BlindIndex.load(keys_dir / "enrolment-index.key", create=True))

_serials = itertools.count(1)


def nik(birth_date: dt.date = dt.date(1990, 5, 17), sex: domain.Sex = domain.Sex.MALE,
        kecamatan: str = "62.03.01", serial: int | None = None) -> str:
    return domain.encode_nik(kecamatan, birth_date, sex, serial or next(_serials))


def resident(**changes) -> domain.Resident:
    birth_date = changes.pop("birth", dt.date(1990, 5, 17))
    sex = changes.get("sex", domain.Sex.MALE)
    values = dict(
        nik=nik(birth_date, sex), kk_number="6203011505100001", full_name="Budi Santoso",
        birth_place="Kuala Kapuas", birth_date=birth_date.isoformat(), sex=domain.Sex.MALE, blood_type="O",
        address="Jl. Pemuda No. 1", rt="1", rw="02", region_code=VILLAGE, religion=domain.Religion.ISLAM,
        marital_status=domain.MaritalStatus.SINGLE, occupation="Petani/Pekebun",
        citizenship=domain.Citizenship.WNI)
    values.update(changes)
    return domain.Resident(**values)


def request(office_code: str = "62.03", request_id: str = "", digest: str = "", **changes) -> domain.RecordingRequest:
    qualities = (domain.ModalityQuality(domain.Modality.FACE, 90),
                 domain.ModalityQuality(domain.Modality.FINGER_RIGHT_THUMB, 80))
    return domain.RecordingRequest(resident(**changes), office_code, domain.Biometrics(qualities, digest), request_id)


def digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def pb_request(**changes) -> pb.RecordResidentRequest:
    """A valid RecordResidentRequest; `changes` override resident fields, `office_code`, `request_id`."""
    birth = changes.pop("birth", dt.date(1990, 5, 17))
    sex = changes.get("sex", pb.SEX_MALE)
    resident_fields = dict(
        nik=nik(birth, domain.Sex.FEMALE if sex == pb.SEX_FEMALE else domain.Sex.MALE),
        kk_number="6203011505100001", full_name="Siti Rahmawati", birth_place="Kuala Kapuas",
        birth_date=birth.isoformat(), sex=pb.SEX_MALE, blood_type="A", address="Jl. Pemuda No. 2", rt="3",
        rw="4", region_code=VILLAGE, religion=pb.RELIGION_ISLAM, marital_status=pb.MARITAL_STATUS_SINGLE,
        occupation="Wiraswasta", citizenship=pb.CITIZENSHIP_WNI)
    top = {k: changes.pop(k) for k in ("office_code", "request_id", "biometrics") if k in changes}
    resident_fields.update(changes)
    return pb.RecordResidentRequest(
        resident=pb.Resident(**resident_fields), office_code=top.get("office_code", "62.03"),
        request_id=top.get("request_id", ""),
        biometrics=top.get("biometrics", pb.BiometricCapture(qualities=[
            pb.ModalityQuality(modality=pb.MODALITY_FACE, quality=88)])))
