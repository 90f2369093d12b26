"""`ektp regions import`: the full Kemendagri table on SQLite and PostgreSQL, idempotent,
historic codes, malformed files, and what a historic code still may (a NIK prefix) and may
not (a domicile) be."""
from __future__ import annotations

import csv
import time

import pytest
import sqlalchemy as sa
from ektp_cli import main as ektp

from enrolment import db, domain
from enrolment.bootstrap import build_core
from enrolment.config import Settings
from enrolment.errors import InvalidRecording
from servicekit.db import create_engine
from servicekit.outbox import read_events
from tests.conftest import SHARED_DATA
from tests.enrolment.factories import CLI, request
from tests.enrolment.integration.conftest import CHEAP_HASHER

KEMENDAGRI = SHARED_DATA / "wilayah_kemendagri.csv"


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ENROLMENT_DATABASE_URL", database_url)
    return database_url


def counts(database_url: str) -> dict:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            t = db.regions
            by_level = dict(conn.execute(sa.select(t.c.level, sa.func.count()).group_by(t.c.level)).all())
            kelurahan = conn.execute(sa.select(sa.func.count()).where(t.c.is_kelurahan.is_(True))).scalar_one()
            historic = conn.execute(sa.select(sa.func.count()).where(t.c.historic.is_(True))).scalar_one()
        events = [e.type.rsplit(".", 1)[1] for e in read_events(engine, 0, 1000)]
        return {"levels": by_level, "kelurahan": kelurahan, "historic": historic, "events": events}
    finally:
        engine.dispose()


def write_csv(path, rows, header=("kode", "nama")):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_the_full_kemendagri_table_imports_well_under_30_seconds_and_a_second_run_inserts_nothing(
        cli_env, capsys, database_url):
    with KEMENDAGRI.open(encoding="utf-8") as handle:
        villages = [row["kode"] for row in csv.DictReader(handle) if row["kode"].count(".") == 3]
    started = time.perf_counter()
    assert ektp(["regions", "import", str(KEMENDAGRI)]) == 0
    first_seconds = time.perf_counter() - started
    first = capsys.readouterr()
    started = time.perf_counter()
    assert ektp(["regions", "import", str(KEMENDAGRI)]) == 0
    second_seconds = time.perf_counter() - started
    second = capsys.readouterr()
    dialect = database_url.split(":", 1)[0]
    print(f"\n[regions import {dialect}] first {first_seconds:.1f}s, second {second_seconds:.1f}s")

    assert "91599 inserted, 0 renamed, 0 unchanged, 0 marked historic" in first.out
    assert "91599/91599" in first.err                        # the progress bar, on stderr
    assert "0 inserted, 0 renamed, 91599 unchanged, 0 marked historic, 0 reinstated" in second.out
    stored = counts(database_url)
    assert stored["levels"] == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert stored["kelurahan"] == sum(1 for code in villages if code[-4] == "1") > 8000
    assert stored["events"] == ["RegionsImported"]           # the second run stored nothing at all
    assert first_seconds < 30 and second_seconds < 30


def test_codes_missing_from_a_newer_table_become_historic_and_come_back_when_listed_again(cli_env, tmp_path,
                                                                                          capsys, database_url):
    old = [("62", "Kalimantan Tengah"), ("62.03", "Kabupaten Kapuas"), ("62.03.01", "Selat"),
           ("62.03.01.2001", "Desa Lama"), ("62.03.01.1002", "Kelurahan Dua")]
    assert ektp(["regions", "import", str(write_csv(tmp_path / "old.csv", old))]) == 0
    newer = [row for row in old if row[0] != "62.03.01.2001"] + [("62.03.01.2003", "Desa Baru")]
    assert ektp(["regions", "import", str(write_csv(tmp_path / "new.csv", newer))]) == 0
    assert "1 inserted, 0 renamed, 4 unchanged, 1 marked historic, 0 reinstated" in capsys.readouterr().out

    core = build_core(Settings(database_url=database_url, var_dir=tmp_path), migrate=False,
                      password_hasher=CHEAP_HASHER)
    try:
        service = core.service
        assert service.get_region(CLI, "62.03.01.2001").historic       # kept, not deleted
        assert [v.region.code for v in service.village_coverage(CLI, "62.03.01")] == ["62.03.01.1002",
                                                                                       "62.03.01.2003"]
        with pytest.raises(InvalidRecording) as refused:                # no new domicile there
            service.record_resident(CLI, request(region_code="62.03.01.2001"))
        assert [v.field for v in refused.value.violations] == ["resident.region_code"]
        assert "historis" in refused.value.violations[0].description
        assert service.record_resident(CLI, request(region_code="62.03.01.2003")).register_number
    finally:
        core.engine.dispose()

    assert ektp(["regions", "import", str(write_csv(tmp_path / "old.csv", old)), "--partial"]) == 0
    assert "1 reinstated" in capsys.readouterr().out
    assert counts(database_url)["historic"] == 0
    assert counts(database_url)["events"].count("RegionsImported") == 3


def test_a_historic_kecamatan_still_counts_as_the_prefix_of_a_nik(sqlite_url, tmp_path):
    core = build_core(Settings(database_url=sqlite_url, var_dir=tmp_path), password_hasher=CHEAP_HASHER)
    try:
        base = [("62", "Kalimantan Tengah"), ("62.03", "Kabupaten Kapuas"), ("62.03.01", "Selat"),
                ("62.03.02", "Kapuas Hilir"), ("62.03.02.2001", "Desa Hilir")]
        core.service.import_regions(base)
        core.service.import_regions([row for row in base if row[0] != "62.03.01"])   # Selat is split off
        recorded = core.service.record_resident(CLI, request(region_code="62.03.02.2001"))   # NIK 620301...
        assert recorded.resident.nik.startswith("620301") and recorded.state is domain.RecordingState.PRINT_READY
    finally:
        core.engine.dispose()


def test_a_malformed_file_names_its_lines_and_stores_nothing(cli_env, tmp_path, capsys, database_url):
    rows = [("62", "Kalimantan Tengah"), ("62.3", "Salah"), ("62.03", ""), ("62.03.01.20011", "Terlalu panjang")]
    path = write_csv(tmp_path / "bad.csv", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("62.03.01,Selat,extra\n")
    assert ektp(["regions", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 6: Harus tepat 2 kolom" in err                     # the column count, found while reading
    assert ektp(["regions", "import", str(write_csv(tmp_path / "bad2.csv", rows))]) == 2
    err = capsys.readouterr().err
    assert "line 3:" in err and "line 4:" in err and "line 5:" in err and "line 2:" not in err
    assert counts(database_url)["levels"] == {} and counts(database_url)["events"] == []


@pytest.mark.parametrize("header", [("code", "name"), ("kode",)])
def test_a_file_with_the_wrong_header_is_refused(cli_env, tmp_path, capsys, header):
    assert ektp(["regions", "import", str(write_csv(tmp_path / "h.csv", [("62", "X")], header))]) == 2
    assert "line 1: Baris pertama harus kode,nama" in capsys.readouterr().err


def test_the_demo_loader_uses_the_same_bulk_import(sqlite_url, tmp_path):
    from enrolment.demo import load_demo

    small = write_csv(tmp_path / "w.csv", [("62", "Kalimantan Tengah"), ("62.03", "Kabupaten Kapuas"),
                                           ("62.03.01", "Selat"), ("62.03.01.2001", "Desa Satu")])
    core = build_core(Settings(database_url=sqlite_url, var_dir=tmp_path), password_hasher=CHEAP_HASHER)
    try:
        assert load_demo(CLI, core.service, regions_csv=small, residents=5).startswith("demo loaded: 4 regions")
        assert counts(sqlite_url)["levels"] == {1: 1, 2: 1, 3: 1, 4: 1}
        assert "RegionsImported" not in counts(sqlite_url)["events"]    # bootstrap data: not announced
    finally:
        core.engine.dispose()
