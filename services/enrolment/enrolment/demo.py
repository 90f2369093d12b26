"""The demo data set: regions, synthetic wajib-KTP residents (Faker id_ID, seeded), targets,
and about 80% of them recorded through the same use case as RecordResident. Idempotent.

The loader acts as whoever the caller names (the CLI passes the enrolment service identity
with origin "cli"), so every recording it stores is audited like any other. Photos and
signatures are tiny grey PNGs generated here: nothing resembling a real person.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import pathlib
import random
import struct
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence

from faker import Faker

from enrolment import domain
from enrolment.domain import (
    Biometrics,
    Citizenship,
    MaritalStatus,
    Modality,
    ModalityQuality,
    RecordingRequest,
    RecordingState,
    Religion,
    Resident,
    Sex,
)
from enrolment.service import EnrolmentService
from servicekit.access import Principal

DEMO_NAME = "demo-v1"
KAPUAS, TANAH_BUMBU = "62.03", "63.10"
BATCH = 500
RECORDED_SHARE = 0.8
DUPLICATE_SHARE = 0.01

_KAPUAS_KECAMATAN = ("Selat", "Kapuas Hilir", "Kapuas Timur", "Kapuas Kuala", "Kapuas Barat", "Pulau Petak",
                     "Kapuas Murung", "Basarang", "Mantangai", "Timpah", "Kapuas Tengah", "Kapuas Hulu",
                     "Tamban Catur", "Pasak Talawang", "Mandau Talawang", "Dadahup", "Bataguh")
_TANAH_BUMBU_KECAMATAN = ("Batu Licin", "Kusan Hilir", "Sungai Loban", "Satui", "Kusan Hulu", "Simpang Empat")

BUILTIN_REGIONS: tuple[tuple[str, str], ...] = (
    ("62", "Kalimantan Tengah"), ("63", "Kalimantan Selatan"),
    (KAPUAS, "Kabupaten Kapuas"), (TANAH_BUMBU, "Kabupaten Tanah Bumbu"),
    *((f"{KAPUAS}.{i:02d}", name) for i, name in enumerate(_KAPUAS_KECAMATAN, 1)),
    *((f"{TANAH_BUMBU}.{i:02d}", name) for i, name in enumerate(_TANAH_BUMBU_KECAMATAN, 1)),
    # The desa of the demo lurah account (Selat's residents live there).
    (f"{KAPUAS}.01.1006", "Murung Keramat"),
)

_RELIGIONS = {
    KAPUAS: ((Religion.ISLAM, 70), (Religion.KRISTEN, 19), (Religion.KATOLIK, 4), (Religion.HINDU, 6),
             (Religion.BUDDHA, 1)),
    TANAH_BUMBU: ((Religion.ISLAM, 95), (Religion.KRISTEN, 3), (Religion.HINDU, 1), (Religion.BUDDHA, 1)),
}
_OCCUPATIONS = ("Petani/Pekebun", "Wiraswasta", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa", "Karyawan Swasta",
                "Nelayan/Perikanan", "Buruh Harian Lepas", "Pedagang", "Pegawai Negeri Sipil", "Guru",
                "Sopir", "Tukang Kayu")


def read_regions_csv(path: pathlib.Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["kode"], row["nama"]) for row in csv.DictReader(handle)]


def load_demo(actor: Principal, service: EnrolmentService, *, regions_csv: pathlib.Path | None = None,
              seed: int = 2016, residents: int = 3000) -> str:
    """Load the demo set once, as `actor`; returns a one-line summary."""
    if service.demo_loaded(DEMO_NAME):
        return "demo data already loaded; nothing changed"
    started = time.perf_counter()
    rows = read_regions_csv(regions_csv) if regions_csv and regions_csv.exists() else list(BUILTIN_REGIONS)
    service.import_regions(rows)
    rng, fake = random.Random(seed), Faker("id_ID")
    fake.seed_instance(seed)
    today = dt.datetime.now(domain.RECORDING_TZ).date()
    people = PeopleFactory(actor, service, rng, fake, today, seed)
    population = [*people.residents(KAPUAS, residents), *people.residents(TANAH_BUMBU, residents // 5)]

    service.set_targets(_targets(population))
    chosen = sorted(rng.sample(range(len(population)), round(len(population) * RECORDED_SHARE)))
    requests = [people.request(population[i], f"demo-{seed}-{i}") for i in chosen]
    again = rng.sample(chosen, round(len(chosen) * DUPLICATE_SHARE))
    requests += [people.request(population[i], f"demo-{seed}-{i}-again") for i in sorted(again)]
    outcomes = Counter[str]()
    for batch in _batches(requests, BATCH):
        for result in service.record_residents(actor, batch):
            outcomes[result.state.value if isinstance(result, domain.Recording) else "REFUSED"] += 1
    service.mark_demo_loaded(DEMO_NAME)
    return (f"demo loaded: {len(rows)} regions, {len(population)} synthetic residents, "
            f"{sum(outcomes.values())} recordings ({outcomes[RecordingState.PRINT_READY.value]} print-ready, "
            f"{outcomes[RecordingState.DUPLICATE.value]} duplicate, {outcomes['REFUSED']} refused) "
            f"in {time.perf_counter() - started:.1f}s")


def _targets(population: Sequence[tuple[str, Resident]]) -> list[tuple[str, int]]:
    """Wajib KTP per desa, kecamatan and regency = the synthetic residents living there."""
    counts = Counter[str]()
    for office, resident in population:
        for code in {resident.region_code, domain.kecamatan_of(resident.region_code), office}:
            counts[code] += 1
    return sorted(counts.items())


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class PeopleFactory:
    """Synthetic wajib-KTP residents with consistent NIK, KK and biometrics."""

    def __init__(self, actor: Principal, service: EnrolmentService, rng: random.Random, fake: Faker,
                 today: dt.date, seed: int) -> None:
        self.actor, self.service, self.rng, self.fake, self.today, self.seed = actor, service, rng, fake, today, seed
        self._niks: set[str] = set()

    def homes(self, office: str) -> list[str]:
        """Villages of the regency, or its kecamatan when no villages are loaded."""
        homes = []
        for kecamatan in self.service.list_regions(self.actor, office):
            villages = self.service.list_regions(self.actor, kecamatan.code)
            homes += [v.code for v in villages] or [kecamatan.code]
        return homes

    def residents(self, office: str, count: int) -> list[tuple[str, Resident]]:
        homes = self.homes(office)
        return [(office, self.resident(office, self.rng.choice(homes))) for _ in range(count)] if homes else []

    def resident(self, office: str, home: str) -> Resident:
        rng, fake = self.rng, self.fake
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        age = min(int(rng.triangular(17, 85, 28)), 84)
        birth_date = self.today - dt.timedelta(days=age * 365 + rng.randint(10, 355))
        kecamatan = domain.kecamatan_of(home)
        return Resident(
            nik=self._unique_nik(kecamatan, birth_date, sex),
            kk_number=f"{kecamatan.replace('.', '')}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}"
                      f"{rng.randint(5, 24):02d}{rng.randint(1, 9999):04d}",
            full_name=fake.name_male() if sex is Sex.MALE else fake.name_female(),
            birth_place=fake.city(), birth_date=birth_date.isoformat(), sex=sex,
            blood_type=rng.choice(("", "A", "B", "AB", "O", "O")),
            address=fake.street_address(), rt=str(rng.randint(1, 20)), rw=str(rng.randint(1, 8)),
            region_code=home, religion=self._weighted(_RELIGIONS[office]),
            marital_status=self._marital(age), occupation=rng.choice(_OCCUPATIONS), citizenship=Citizenship.WNI,
            mother_name=fake.name_female(), father_name=fake.name_male())

    def request(self, person: tuple[str, Resident], request_id: str) -> RecordingRequest:
        office, resident = person
        qualities = tuple(ModalityQuality(m, self.rng.randint(55, 100)) for m in Modality if m != "UNSPECIFIED")
        digest = hashlib.sha256(f"demo:{self.seed}:{resident.nik}".encode()).hexdigest()
        shade = int(resident.nik[-4:]) % len(_PHOTOS)
        return RecordingRequest(resident, office, Biometrics(qualities, digest, _PHOTOS[shade], _SIGNATURE),
                                request_id)

    def _unique_nik(self, kecamatan: str, birth_date: dt.date, sex: Sex) -> str:
        serial = self.rng.randint(1, 40)
        while (nik := domain.encode_nik(kecamatan, birth_date, sex, serial)) in self._niks:
            serial += 1
        self._niks.add(nik)
        return nik

    def _marital(self, age: int) -> MaritalStatus:
        if age < 22:
            return self._weighted(((MaritalStatus.SINGLE, 80), (MaritalStatus.MARRIED, 20)))
        if age < 60:
            return self._weighted(((MaritalStatus.SINGLE, 15), (MaritalStatus.MARRIED, 75),
                                   (MaritalStatus.DIVORCED, 10)))
        return self._weighted(((MaritalStatus.MARRIED, 60), (MaritalStatus.WIDOWED, 35),
                               (MaritalStatus.DIVORCED, 5)))

    def _weighted(self, choices):
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights)[0]


def synthetic_png(width: int, height: int, shade: int) -> bytes:
    """A uniform grey PNG (8-bit greyscale), built by hand: a stand-in for a photo or signature."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))   # filter 0 per row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


_PHOTOS = tuple(synthetic_png(6, 8, shade) for shade in range(96, 224, 16))
_SIGNATURE = synthetic_png(12, 4, 32)
