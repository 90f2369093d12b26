"""A backlog of print-ready records printed when blanks arrive: the time it takes, cards per
second, against the bare card renderer on the same cards in the same run.

Setup (not timed): N print-ready recordings of Kab. Kapuas queued while the office was out of
stock, each with its Suket, inserted in bulk through the documents tables (one executemany per
table) on a SQLite file migrated by Alembic, as the feed would have left them: an ISSUED Suket
and a QUEUED print job of priority 0 per register number.

Subject (timed, once): blanks for all of them arrive. One inventory feed event (StockArrived)
goes through the real `DocumentsService.apply`, which prints the office's queue by priority:
per card the (in-process) enrolment lookup, inventory reserve, the real `PdfRenderer.card`,
consume, then one durable transaction storing the card (encrypted, in the file document
store with its sha256), the job PRINTED, the Suket SUPERSEDED, two outbox events and the
hash-chained audit entry. At the end every job is checked PRINTED and every Suket SUPERSEDED.

Baseline (same run): the bare `PdfRenderer.card` on a sample of the same cards, no storage:
what printing could cost at least with this renderer. The table's p50/p99 columns hold the
mean time per card (one timed run, no per-call latencies).

Size: `--backlog-size` (default 10,000: under 6 minutes on this machine even when loaded);
the issue's 100,000 is reported as the measured rate extrapolated linearly (the queue is read
in pages by index, so the cost per card does not grow with the queue; 5,000 and 20,000 measured
alike), unless run with `--backlog-size 100000`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
import tempfile
import time
import uuid

import sqlalchemy as sa
from faker import Faker

from documents import db, domain, repository
from documents.bootstrap import MIGRATIONS
from documents.domain import (
    CardJob,
    Citizenship,
    DocumentKind,
    DocumentStatus,
    FeedEvent,
    IssuerPolicy,
    MaritalStatus,
    PrintJobStatus,
    Recording,
    RecordingType,
    RegionNames,
    Religion,
    Resident,
    Sex,
    StockArrived,
)
from documents.errors import OutOfStock
from documents.metrics import DocumentsMetrics
from documents.render import PdfRenderer
from documents.service import DocumentsService
from documents.signing import Ed25519Signer
from documents.store import EncryptedDocumentStore, FileStore
from documents.unit_of_work import unit_of_work_factory
from servicekit.access import Principal
from servicekit.db import create_engine, run_migrations
from servicekit.fieldcrypto import FieldCipher, Keyring
from servicekit.metrics import ServiceMetrics

OFFICE = "62.03"
VILLAGE = "62.03.01.2001"
CONSUMER = Principal.service("documents", origin="bench")
ISSUED_AT = dt.datetime(2016, 11, 1, 2, 0, tzinfo=dt.timezone.utc)
PEOPLE = 200              # distinct synthetic residents, reused across register numbers
BASELINE_SAMPLE = 300
TARGET = 100_000


class Enrolment:
    def __init__(self, people: list[Resident]) -> None:
        self._people = people
        self._regions = RegionNames("Kalimantan Tengah", "Kabupaten Kapuas", "Selat", "Terusan Tengah")

    def get_recording(self, register_number: str) -> Recording:
        n = int(register_number[-6:]) + 1_000_000 * int(register_number[5:13] == "20161102")
        return Recording(register_number, OFFICE, True, self._people[n % len(self._people)], self._regions,
                         "Kabupaten Kapuas", recording_type=RecordingType.NEW)


class Inventory:
    """Serials handed out in order; idempotent by key like the real ledger."""

    def __init__(self) -> None:
        self.stock: list[str] = []
        self.reserved: dict[str, str] = {}
        self.consumed = 0

    def reserve_blank(self, office_code: str, key: str) -> str:
        if key not in self.reserved:
            if not self.stock:
                raise OutOfStock("no blank")
            self.reserved[key] = self.stock.pop()
        return self.reserved[key]

    def consume_blank(self, key: str, serial: str) -> None:
        self.consumed += 1

    def spoil_printed_blank(self, key: str, serial: str, cause: str) -> None:
        raise NotImplementedError


def _people() -> list[Resident]:
    fake = Faker("id_ID")
    fake.seed_instance(6203)
    people = []
    for n in range(PEOPLE):
        birth = fake.date_of_birth(minimum_age=17, maximum_age=80)
        female = fake.boolean()
        people.append(Resident(
            nik=f"620301{birth.day + (40 if female else 0):02d}{birth:%m%y}{n + 1:04d}",
            full_name=fake.name_female() if female else fake.name_male(), birth_place=fake.city(),
            birth_date=birth, sex=Sex.FEMALE if female else Sex.MALE, blood_type="O",
            address=fake.street_address(), rt="003", rw="001", region_code=VILLAGE, religion=Religion.ISLAM,
            marital_status=MaritalStatus.MARRIED, occupation="Petani/Pekebun", citizenship=Citizenship.WNI))
    return people


def register_number(n: int) -> str:
    return f"6203-20161101-{n:06d}" if n < 1_000_000 else f"6203-20161102-{n - 1_000_000:06d}"


def _seed(engine: sa.Engine, size: int) -> None:
    """N ISSUED Sukets and N QUEUED print jobs (priority 0), in bulk."""
    valid_until = domain.suket_valid_until(domain.local_date(ISSUED_AT))
    batch = 5_000
    with engine.begin() as conn:
        for start in range(0, size, batch):
            sukets, jobs = [], []
            for n in range(start, min(start + batch, size)):
                number = register_number(n)
                queued_at = ISSUED_AT + dt.timedelta(seconds=n)
                suket = domain.Document(str(uuid.uuid4()), DocumentKind.SUKET, DocumentStatus.ISSUED, number, OFFICE,
                                        VILLAGE, queued_at, valid_until=valid_until, qr_payload="bench")
                row = repository._to_row(suket)
                row.update(pdf_key=repository.pdf_key(suket.document_id), pdf_sha256="0" * 64)
                sukets.append(row)
                jobs.append(dataclasses.asdict(domain.PrintJob(
                    str(uuid.uuid4()), number, OFFICE, VILLAGE, PrintJobStatus.QUEUED, 0, queued_at,
                    domain.blank_key(number))))
            conn.execute(db.documents.insert(), sukets)
            for job in jobs:
                job["status"] = job["status"].value
            conn.execute(db.print_jobs.insert(), jobs)


def _counts(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        printed = conn.execute(sa.select(sa.func.count()).select_from(db.print_jobs)
                               .where(db.print_jobs.c.status == "printed")).scalar_one()
        superseded = conn.execute(sa.select(sa.func.count()).select_from(db.documents)
                                  .where(db.documents.c.status == "superseded")).scalar_one()
        cards = conn.execute(sa.select(sa.func.count()).select_from(db.documents)
                             .where(db.documents.c.kind == "card")).scalar_one()
    return printed, superseded, cards


def run(size: int = 10_000) -> dict:
    with tempfile.TemporaryDirectory(prefix="ektp-bench-backlog-") as tmp:
        root = pathlib.Path(tmp)
        url = f"sqlite:///{root / 'documents.db'}"
        run_migrations(url, MIGRATIONS)
        engine = create_engine(url)
        cipher = FieldCipher(Keyring.load(root / "keys", create=True))
        store = EncryptedDocumentStore(FileStore(root / "documents"), cipher)
        enrolment, inventory, renderer = Enrolment(_people()), Inventory(), PdfRenderer()
        service = DocumentsService(
            uow=unit_of_work_factory(engine, cipher, store), enrolment=enrolment, inventory=inventory,
            renderer=renderer, signer=Ed25519Signer.generate(), issuers=IssuerPolicy("Kepala Dinas", {}),
            metrics=DocumentsMetrics(ServiceMetrics("documents")))
        try:
            _seed(engine, size)
            sample = [CardJob(enrolment.get_recording(register_number(n)), f"{n:010d}", dt.date(2026, 11, 28))
                      for n in range(BASELINE_SAMPLE)]
            renderer.card(sample[0])   # fonts and images loaded before either side is timed
            start = time.perf_counter()
            for job in sample:
                renderer.card(job)
            baseline_rate = BASELINE_SAMPLE / (time.perf_counter() - start)

            inventory.stock = [f"{90_000_000 + n:010d}" for n in range(size)]
            start = time.perf_counter()
            service.apply(CONSUMER, FeedEvent("inventory", str(uuid.uuid4()), 1, StockArrived(OFFICE)))
            seconds = time.perf_counter() - start
            printed, superseded, cards = _counts(engine)
            assert printed == superseded == cards == inventory.consumed == size, (printed, superseded, cards)
        finally:
            engine.dispose()
    rate = size / seconds

    def summary(per_second: float) -> dict:
        ms = 1000 / per_second
        return {"calls_per_second_median": per_second, "calls_per_second_min": per_second,
                "calls_per_second_max": per_second, "p50_ms_median": ms, "p99_ms_median": ms, "p99_ms_min": ms,
                "p99_ms_max": ms}
    return {
        "name": f"backlog {size:,} cards (documents)", "rounds": 1, "calls_per_round": size, "concurrency": 1,
        "subject": summary(rate), "baseline": summary(baseline_rate),
        "throughput_ratio": rate / baseline_rate, "p99_ratio": baseline_rate / rate,
        "backlog_size": size, "total_seconds": round(seconds, 1), "cards_per_second": round(rate, 1),
        "sukets_superseded": superseded,
        "extrapolated_100k_seconds": round(TARGET / rate, 0),
        "note": ("subject: StockArrived through DocumentsService.apply printing the whole queue (SQLite, real "
                 "renderer and document store, in-process enrolment/inventory); baseline: bare PdfRenderer.card "
                 f"on {BASELINE_SAMPLE} of the same cards; p50/p99 = mean ms per card"),
    }
