"""Synthetic residents and recordings (Faker id_ID, seeded) for the documents tests."""
from __future__ import annotations

import datetime as dt

from faker import Faker

from documents.domain import Citizenship, MaritalStatus, Recording, RegionNames, Religion, Resident, Sex
from ektp.enrolment.v1 import enrolment_pb2

OFFICE = "62.03"
VILLAGE = "62.03.01.2001"
MURUNG_KERAMAT = "62.03.01.1006"   # the desa of the access matrix (tests.identity.HOMES)
REGIONS = {"62": "Kalimantan Tengah", "62.03": "Kabupaten Kapuas", "62.03.01": "Selat",
           VILLAGE: "Terusan Tengah", MURUNG_KERAMAT: "Murung Keramat"}


def register_number(serial: int = 1) -> str:
    return f"6203-20261128-{serial:06d}"


def recording_pb(number: str, *, seed: int = 7, state: int = enrolment_pb2.RECORDING_STATE_PRINT_READY,
                 village: str = VILLAGE) -> enrolment_pb2.Recording:
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    birth = fake.date_of_birth(minimum_age=17, maximum_age=80)
    female = fake.boolean()
    nik = f"620301{birth.day + (40 if female else 0):02d}{birth:%m%y}{fake.random_int(1, 9999):04d}"
    resident = enrolment_pb2.Resident(
        nik=nik, kk_number="6203" + fake.numerify("############"),
        full_name=fake.name_female() if female else fake.name_male(), birth_place=fake.city(),
        birth_date=birth.isoformat(), sex=enrolment_pb2.SEX_FEMALE if female else enrolment_pb2.SEX_MALE,
        blood_type="O", address=fake.street_address(), rt="003", rw="001", region_code=village,
        religion=enrolment_pb2.RELIGION_ISLAM, marital_status=enrolment_pb2.MARITAL_STATUS_MARRIED,
        occupation="Petani/Pekebun", citizenship=enrolment_pb2.CITIZENSHIP_WNI)
    return enrolment_pb2.Recording(register_number=number, state=state, resident=resident, office_code=OFFICE)


def recording(number: str | None = None, *, seed: int = 7, print_ready: bool = True,
              village: str = VILLAGE) -> Recording:
    pb = recording_pb(number or register_number(), seed=seed, village=village).resident
    resident = Resident(
        nik=pb.nik, full_name=pb.full_name, birth_place=pb.birth_place,
        birth_date=dt.date.fromisoformat(pb.birth_date),
        sex=Sex.FEMALE if pb.sex == enrolment_pb2.SEX_FEMALE else Sex.MALE, blood_type=pb.blood_type,
        address=pb.address, rt=pb.rt, rw=pb.rw, region_code=pb.region_code, religion=Religion.ISLAM,
        marital_status=MaritalStatus.MARRIED, occupation=pb.occupation, citizenship=Citizenship.WNI)
    regions = RegionNames(*(REGIONS.get(c, c) for c in ("62", "62.03", "62.03.01", village)))
    return Recording(number or register_number(), OFFICE, print_ready, resident, regions, REGIONS["62.03"])
