"""Search by NIK with 1,000,000 residents stored: p50/p99 of the real lookup against a
primary-key lookup on the same table, in the same run (embedded SQLite, as in the default).

Filling a million fully sealed rows through the use case would take most of an hour (each
recording is validated, encrypted column by column, checked for duplicates and audited), so:

- `real` residents (default 500) are recorded through EnrolmentService.record_residents:
  validated, sealed with the service's keys, their NIK blind-indexed. These are the ones searched.
- The other rows are bulk-inserted with a real `nik_index` (the HMAC of a distinct synthetic
  NIK under the same index key) and placeholder values ("-") in the sealed columns. The lookup
  touches only `nik_index` to find rows, so the filler makes the index exactly as large and as
  random as a million real residents would; it never returns a filler row to decrypt (each
  real NIK is unique), which is also what a real search returns: the recordings of one NIK.

Subject: RecordingRepository.by_nik (the query the search use case runs, plus decrypting the
matches) in a read-only unit of work, as EnrolmentService.search_recordings runs it. Baseline:
SELECT * FROM recordings WHERE id = ? in the same kind of unit of work. The full use case (which
also appends an audit entry per match and commits, fsync included) is reported beside them.

    python -m bench.nik_search [--rows 1000000] [--real 500] [--rounds 5] [--calls 400] [--names]

With --names the filler rows also get name-search tokens (three words each from Faker id_ID's
name lists) and the search by name of the real residents' full names is timed as well.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import random
import statistics
import sys
import tempfile
import time

import sqlalchemy as sa
from faker import Faker

from bench.harness import compare, percentile, table
from enrolment import db, domain
from enrolment.bootstrap import build_core
from enrolment.config import Settings
from enrolment.demo import BUILTIN_REGIONS
from enrolment.personal_data import open_personal_data
from enrolment.unit_of_work import unit_of_work_factory
from servicekit.access import Principal, Role

KAPUAS, DESA = "62.03", "62.03.01.1006"
CLI = Principal.service("enrolment", origin="bench")
OFFICER = Principal("bench.operator", Role.OPERATOR_DINAS, KAPUAS, origin="127.0.0.1")
FILL_CHUNK = 50_000


def _real_requests(count: int, rng: random.Random) -> list[domain.RecordingRequest]:
    """Distinct synthetic residents of Kec. Selat (unique NIK serials, Faker id_ID names)."""
    fake = Faker("id_ID")
    fake.seed_instance(4)
    out = []
    for i in range(count):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        resident = domain.Resident(
            nik=domain.encode_nik("62.03.01", birth, domain.Sex.MALE, i + 1), kk_number="6203011505100001",
            full_name=fake.name_male(), birth_place="Kuala Kapuas", birth_date=birth.isoformat(),
            sex=domain.Sex.MALE, blood_type="O", address=fake.street_address(), rt="1", rw="1", region_code=DESA,
            religion=domain.Religion.ISLAM, marital_status=domain.MaritalStatus.MARRIED, occupation="Wiraswasta",
            citizenship=domain.Citizenship.WNI)
        out.append(domain.RecordingRequest(resident, KAPUAS))
    return out


def _fill(engine: sa.Engine, personal_data, rows: int, real_niks: set[str]) -> float:
    """`rows` filler recordings with real NIK blind indexes and placeholder sealed values."""
    started = time.perf_counter()
    columns = [c.name for c in db.recordings.c if c.name != "id"]
    constant = {"request_id": None, "office_code": "00.00", "region_code": "00.00.00.0000",
                "state": "PRINT_READY", "birth_date": "1980-01-01", "sex": "MALE", "blood_type": "",
                "rt": "001", "rw": "001", "religion": "ISLAM", "marital_status": "MARRIED", "occupation": "-",
                "citizenship": "WNI", "review_flags": "", "duplicate_of": "", "template_digest": "",
                "biometric_qualities": "{}", "captured_at": "2026-01-01 00:00:00.000000",
                "face_photo": None, "signature": None}
    defaults = {c.name: _placeholder(c) for c in db.recordings.c}
    sql = f"INSERT INTO recordings ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"

    def row(i: int) -> tuple:
        nik = f"{i:016d}"                  # distinct, never a real NIK (no kecamatan starts with 00)
        assert nik not in real_niks
        values = {**constant, "register_number": f"0000-{20000101 + i // 999_999}-{i % 999_999 + 1:06d}",
                  "nik_index": personal_data.nik_index(nik)}
        return tuple(values[name] if name in values else defaults[name] for name in columns)

    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous=OFF")   # filler only: a crash here loses a benchmark, not data
        for start in range(0, rows, FILL_CHUNK):
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(sql, (row(i) for i in range(start, min(rows, start + FILL_CHUNK))))
            cursor.execute("COMMIT")
        cursor.execute("PRAGMA synchronous=FULL")   # back to the service's setting before it is timed
        cursor.close()
    finally:
        raw.close()
    return time.perf_counter() - started


def _fill_names(engine: sa.Engine, personal_data, rows: int, rng: random.Random) -> float:
    """Name-search tokens for the filler rows: three words each, drawn from Faker id_ID's first and
    last names, so common words are as common as in a real register (the real residents' names
    come from the same lists and share them)."""
    started = time.perf_counter()
    fake = Faker("id_ID")
    fake.seed_instance(5)
    firsts = sorted({t for _ in range(3000) for t in domain.name_tokens(fake.first_name())})
    lasts = sorted({t for _ in range(3000) for t in domain.name_tokens(fake.last_name())})
    index = {t: personal_data.name_token_index(t) for t in {*firsts, *lasts}}

    def tokens(i: int):
        number = f"0000-{20000101 + i // 999_999}-{i % 999_999 + 1:06d}"
        for word in {rng.choice(firsts), rng.choice(lasts), rng.choice(lasts)}:
            yield index[word], number

    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        for start in range(0, rows, FILL_CHUNK):
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany("INSERT INTO recording_name_tokens (token_index, register_number) VALUES (?, ?)",
                               (pair for i in range(start, min(rows, start + FILL_CHUNK)) for pair in tokens(i)))
            cursor.execute("COMMIT")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
    finally:
        raw.close()
    return time.perf_counter() - started


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)
    return {"p50": statistics.median(values), "p99": percentile(values, 0.99)}


def _placeholder(column: sa.Column):
    """A filler value for a column the constants above do not set (sealed text: "-")."""
    if column.nullable:
        return None
    if isinstance(column.type, sa.DateTime):
        return "2026-01-01 00:00:00.000000"
    if isinstance(column.type, sa.Date):
        return "1980-01-01"
    if isinstance(column.type, (sa.Integer, sa.Boolean, sa.Float, sa.Numeric)):
        return 0
    return "-"


def _cpu_percentiles(call, calls: int) -> dict:
    spent = []
    for i in range(calls):
        t0 = time.thread_time()
        call(i)
        spent.append((time.thread_time() - t0) * 1000)
    return _percentiles(spent)


def run(rows: int = 1_000_000, real: int = 500, rounds: int = 5, calls: int = 400, concurrency: int = 1,
        names: bool = False) -> dict:
    rng = random.Random(4)
    with tempfile.TemporaryDirectory(prefix="ektp-bench-nik-") as tmp:
        settings = Settings(database_url=f"sqlite:///{pathlib.Path(tmp) / 'enrolment.db'}",
                            var_dir=pathlib.Path(tmp))
        core = build_core(settings)            # migrations, keys, the service as the entrypoint builds it
        engine, service = core.engine, core.service
        personal_data = open_personal_data(settings)   # the same key files the service uses
        uow = unit_of_work_factory(engine, personal_data=personal_data)
        service.import_regions(BUILTIN_REGIONS)

        started = time.perf_counter()
        recorded = [r for r in service.record_residents(CLI, _real_requests(real, rng))
                    if isinstance(r, domain.Recording)]
        record_seconds = time.perf_counter() - started
        real_niks = [r.resident.nik for r in recorded]
        fill_seconds = _fill(engine, personal_data, rows - len(recorded), set(real_niks))
        names_seconds = _fill_names(engine, personal_data, rows - len(recorded), rng) if names else None
        with engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one()
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        ids = [rng.randrange(1, total + 1) for _ in range(4096)]
        by_id = sa.select(db.recordings).where(db.recordings.c.id == sa.bindparam("b_id"))

        def subject(i: int) -> None:
            with uow(readonly=True) as work:
                found = work.recordings.by_nik(real_niks[i % len(real_niks)], within=OFFICER.scope,
                                               limit=domain.SEARCH_PAGE_SIZE + 1)
            assert len(found) == 1

        def baseline(i: int) -> None:
            with uow(readonly=True) as work:
                assert work.connection.execute(by_id, {"b_id": ids[i % len(ids)]}).first() is not None

        result = compare(f"NIK search ({total:,} rows)", subject, baseline,
                         rounds=rounds, calls=calls, concurrency=concurrency)
        # The same calls in CPU time of the calling thread (SQLite runs in it): what a call costs
        # without the waits for a core that other processes on a busy machine add to the wall clock.
        result["cpu_ms"] = {"subject": _cpu_percentiles(subject, calls), "baseline": _cpu_percentiles(baseline, calls)}
        latencies = []
        for i in range(min(calls, 200)):
            t0 = time.perf_counter()
            page = service.search_recordings(OFFICER, nik=real_niks[i % len(real_niks)])
            latencies.append((time.perf_counter() - t0) * 1000)
            assert len(page.recordings) == 1
        latencies.sort()
        result.update(
            rows=total, real_residents=len(recorded), record_seconds=round(record_seconds, 1),
            fill_seconds=round(fill_seconds, 1), target_p99_ms=5.0,
            use_case_with_audit={"calls": len(latencies), "p50_ms": statistics.median(latencies),
                                 "p99_ms": latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]})
        if names:
            wall, cpu, hits = [], [], []
            for i in range(min(calls, 200)):
                words = domain.name_tokens(recorded[i % len(recorded)].resident.full_name)
                t0, c0 = time.perf_counter(), time.thread_time()
                with uow(readonly=True) as work:
                    found = work.recordings.by_name_tokens(words, within=OFFICER.scope,
                                                           limit=domain.SEARCH_PAGE_SIZE + 1)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
                hits.append(len(found))
            with engine.connect() as conn:
                token_rows = conn.execute(sa.select(sa.func.count()).select_from(db.recording_name_tokens)).scalar_one()
            result["name_search"] = {"token_rows": token_rows, "fill_seconds": round(names_seconds, 1),
                                     "wall_ms": _percentiles(wall), "cpu_ms": _percentiles(cpu),
                                     "hits_median": statistics.median(hits)}
        engine.dispose()
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--real", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--names", action="store_true", help="also fill name tokens and time the search by name")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(args.rows, args.real, args.rounds, args.calls, names=args.names)
    print(table([result]))
    print(json.dumps({k: v for k, v in result.items() if not k.endswith("_rounds")}, indent=2))
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
