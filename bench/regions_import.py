"""`ektp regions import` of the full Kemendagri table (91,599 rows): rows/s of the use case
against a bare bulk insert of the same rows in the same run.

Subject: EnrolmentService.import_regions on a fresh database (parse and validate every row,
compare with what is stored, insert in chunks — COPY on PostgreSQL, executemany on SQLite —
historic bookkeeping, one transaction). Baseline: one Core executemany of the same
(code, name, level, parent, kelurahan) tuples into a bare table of the same columns, in one
transaction on the same kind of database. Each round is one whole import; its time is
reported as both p50 and p99 (ms), so the table's p99 column is the import's wall time.
"""
from __future__ import annotations

import csv
import pathlib
import tempfile
import time
from dataclasses import asdict

import sqlalchemy as sa

from bench.harness import Round, summarise
from enrolment.bootstrap import build_core
from enrolment.config import Settings
from servicekit.access import Principal
from servicekit.db import create_engine
from tools.processes import ROOT

KEMENDAGRI = ROOT.parent / "shared" / "data" / "wilayah_kemendagri.csv"
CLI = Principal.service("enrolment", origin="bench")


def _rows() -> list[tuple[str, str]]:
    with KEMENDAGRI.open(newline="", encoding="utf-8") as handle:
        return [(row["kode"], row["nama"]) for row in csv.DictReader(handle)]


def _subject(rows: list[tuple[str, str]], var_dir: pathlib.Path, url: str) -> float:
    core = build_core(Settings(database_url=url, var_dir=var_dir))
    try:
        started = time.perf_counter()
        result = core.service.import_regions(rows, actor=CLI)
        elapsed = time.perf_counter() - started
    finally:
        core.engine.dispose()
    assert result.inserted == len(rows)
    return elapsed


def _baseline(rows: list[tuple[str, str]], url: str) -> float:
    engine = create_engine(url)
    table = sa.Table("bare_regions", sa.MetaData(), sa.Column("code", sa.String(20), primary_key=True),
                     sa.Column("name", sa.String(200)), sa.Column("level", sa.SmallInteger()),
                     sa.Column("parent_code", sa.String(20)), sa.Column("is_kelurahan", sa.Boolean()))
    try:
        table.create(engine)
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(table.insert(), [
                {"code": code, "name": name, "level": code.count(".") + 1, "parent_code": code.rpartition(".")[0],
                 "is_kelurahan": code.count(".") == 3 and code[-4] == "1"} for code, name in rows])
        return time.perf_counter() - started
    finally:
        engine.dispose()


def run(rounds: int = 3) -> dict:
    """Each round on new SQLite files (the embedded default); the PostgreSQL path is timed by
    tests/enrolment/integration/test_regions_import.py."""
    rows = _rows()
    subject, baseline = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="ektp-bench-regions-") as tmp:
            var_dir = pathlib.Path(tmp)
            s = _subject(rows, var_dir, f"sqlite:///{var_dir / 'enrolment.db'}")
            b = _baseline(rows, f"sqlite:///{var_dir / 'bare.db'}")
        subject.append(Round(len(rows) / s, s * 1000, s * 1000))
        baseline.append(Round(len(rows) / b, b * 1000, b * 1000))
    s_sum, b_sum = summarise(subject), summarise(baseline)
    return {
        "name": "regions import (rows)", "rounds": rounds, "calls_per_round": len(rows), "concurrency": 1,
        "subject": asdict(s_sum), "baseline": asdict(b_sum),
        "throughput_ratio": s_sum.calls_per_second_median / b_sum.calls_per_second_median,
        "p99_ratio": s_sum.p99_ms_median / b_sum.p99_ms_median,
        "subject_rounds": [asdict(x) for x in subject], "baseline_rounds": [asdict(x) for x in baseline],
    }


if __name__ == "__main__":
    from bench.harness import table

    print(table([run()]))
