"""Wajib-KTP targets: `ektp targets import` (per-line errors, all-or-nothing, TargetChanged per
change) and the targets page (drill-down, CSRF form, errors next to the field, audited)."""
from __future__ import annotations

import csv
import re

import pytest
import sqlalchemy as sa
from ektp_cli import main as ektp

from enrolment import db
from enrolment.bootstrap import build_core
from enrolment.config import Settings
from enrolment.errors import InvalidTargets
from servicekit.access import Role
from servicekit.outbox import read_events
from tests.enrolment.factories import CLI, TEST_REGIONS, VILLAGE, officer, request
from tests.enrolment.integration.conftest import CHEAP_HASHER

KAPUAS, SELAT, MURUNG = "62.03", "62.03.01", "62.03.01.1006"


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("kode", "wajib_ktp"))
        writer.writerows(rows)
    return path


@pytest.fixture
def core(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ENROLMENT_DATABASE_URL", database_url)
    core = build_core(Settings(database_url=database_url, var_dir=tmp_path), password_hasher=CHEAP_HASHER)
    core.service.import_regions(TEST_REGIONS)
    yield core
    core.engine.dispose()


def target_events(core) -> list[tuple[str, int]]:
    from enrolment.events import decode_payload
    from servicekit.feeds import to_envelope

    out = []
    for stored in read_events(core.engine, 0, 1000):
        if stored.type.endswith(".TargetChanged"):
            payload = decode_payload(to_envelope(stored))
            out.append((payload.region_code, payload.wajib_ktp))
    return out


def targets(core, parent: str) -> dict[str, int]:
    return {t.region_code: t.wajib_ktp for t in core.service.list_targets(CLI, parent)}


def audit_actions(engine) -> list[tuple]:
    t = db.audit_log
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(t.c.actor, t.c.action, t.c.record_type, t.c.record_id)
                                               .order_by(t.c.seq))]


def test_targets_import_stores_every_row_and_emits_one_event_per_changed_value(core, tmp_path, capsys):
    first = write_csv(tmp_path / "t.csv", [(KAPUAS, "250.000"), (SELAT, "12000"), (MURUNG, "1500")])
    assert ektp(["targets", "import", str(first)]) == 0
    assert "3 changed, 0 unchanged" in capsys.readouterr().out
    again = write_csv(tmp_path / "t2.csv", [(KAPUAS, "250000"), (SELAT, "12500"), (MURUNG, "1500")])
    assert ektp(["targets", "import", str(again)]) == 0
    assert "1 changed, 2 unchanged" in capsys.readouterr().out
    assert targets(core, "62") == {KAPUAS: 250_000} and targets(core, SELAT) == {MURUNG: 1500}
    assert target_events(core) == [(KAPUAS, 250_000), (SELAT, 12_000), (MURUNG, 1500), (SELAT, 12_500)]
    assert ("service:enrolment", "target.update", "target", SELAT) in audit_actions(core.engine)


def test_a_targets_file_with_bad_lines_names_each_and_stores_nothing(core, tmp_path, capsys):
    path = write_csv(tmp_path / "t.csv", [(KAPUAS, "250000"), ("62.99.01", "10"), (SELAT, "-4"), (MURUNG, "sepuluh")])
    assert ektp(["targets", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 3: region_code: Kode wilayah tidak terdaftar." in err
    assert "line 4: wajib_ktp:" in err and "line 5: wajib_ktp:" in err and "line 2" not in err
    assert targets(core, "62") == {} and target_events(core) == []


def test_officers_change_only_targets_inside_their_region(core):
    dinas = officer(Role.OPERATOR_DINAS, KAPUAS)
    assert core.service.update_targets(dinas, {SELAT: "1.200", "62.03.02": ""}) == 1
    with pytest.raises(InvalidTargets) as refused:
        core.service.update_targets(dinas, {"63.10": "5", SELAT: "7"})
    assert [v.field for v in refused.value.violations] == ["region_code[63.10]"]
    assert targets(core, KAPUAS) == {SELAT: 1200}


# ---- the page -----------------------------------------------------------------------------------

def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_targets_page_drills_down_from_province_to_desa(runtime, web):
    runtime.service.set_targets([(KAPUAS, 900), (SELAT, 300), (MURUNG, 40)])
    runtime.service.record_resident(CLI, request(region_code=MURUNG))
    client = web(Role.AUDITOR, "62")
    province = client.get("/target").get_data(as_text=True)
    assert "Kabupaten Kapuas" in province and "900" in province and "Ubah target" not in province
    kabupaten = client.get(f"/target?wilayah={KAPUAS}").get_data(as_text=True)
    assert f'href="/target?wilayah={SELAT}"' in kabupaten
    desa = client.get(f"/target?wilayah={SELAT}").get_data(as_text=True)
    assert "Murung Keramat" in desa and "2,5%" in desa          # 1 of 40 recorded
    bad = client.get("/target?wilayah=62-03")
    assert bad.status_code == 400 and "wilayah" in bad.get_data(as_text=True)


def test_a_dinas_officer_edits_targets_of_its_kabupaten_and_sees_errors_next_to_the_field(runtime, web):
    client = web(Role.OPERATOR_DINAS, KAPUAS)
    form = client.get(f"/target/ubah?wilayah={KAPUAS}").get_data(as_text=True)
    token = csrf(form)
    refused = client.post("/target/ubah", data={"csrf_token": token, "wilayah": KAPUAS,
                                                f"wajib_ktp-{SELAT}": "12x", "wajib_ktp-62.03.02": "800"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f'id="wajib_ktp-{SELAT}-error"' in page and 'value="12x"' in page and 'value="800"' in page
    assert runtime.service.list_targets(CLI, KAPUAS) == []          # nothing stored half-way
    saved = client.post("/target/ubah", data={"csrf_token": token, "wilayah": KAPUAS,
                                              f"wajib_ktp-{SELAT}": "12.000", "wajib_ktp-62.03.02": "800"})
    assert saved.status_code == 302 and "disimpan=2" in saved.headers["Location"]
    assert {t.region_code: t.wajib_ktp for t in runtime.service.list_targets(CLI, KAPUAS)} == {
        SELAT: 12_000, "62.03.02": 800}
    t = db.audit_log
    with runtime.engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.actor, t.c.action, t.c.record_id).where(t.c.action == "target.update")).all()
    assert sorted(tuple(r) for r in rows) == [("petugas.uji", "target.update", SELAT),
                                             ("petugas.uji", "target.update", "62.03.02")]


def test_rows_outside_the_officers_kabupaten_are_read_only_and_cannot_be_posted(runtime, web):
    client = web(Role.OPERATOR_DINAS, KAPUAS)
    form = client.get("/target/ubah?wilayah=62").get_data(as_text=True)
    assert re.search(r'id="wajib_ktp-62.03"[^>]*>', form) and "disabled" not in re.search(
        r'id="wajib_ktp-62.03"[^>]*>', form).group(0)
    client.post("/target/ubah", data={"csrf_token": csrf(form), "wilayah": "62", "wajib_ktp-63.10": "5"})
    assert runtime.service.list_targets(CLI, "63") == []
    other = web(Role.OPERATOR_DINAS, "63.10").get(f"/target/ubah?wilayah={KAPUAS}")
    assert other.status_code == 403


def test_a_target_form_without_its_csrf_token_is_refused(runtime, web):
    refused = web(Role.ADMIN_PROVINSI, "62").post("/target/ubah", data={"wilayah": KAPUAS, f"wajib_ktp-{SELAT}": "1"})
    assert refused.status_code == 400 and runtime.service.list_targets(CLI, KAPUAS) == []


def test_village_coverage_counts_persons_and_puts_the_lowest_first(runtime):
    runtime.service.set_targets([(MURUNG, 4), (VILLAGE, 2)])
    runtime.service.record_resident(CLI, request(region_code=VILLAGE))
    same = request(region_code=MURUNG)
    runtime.service.record_resident(CLI, same)
    runtime.service.record_resident(CLI, request(region_code=MURUNG, nik=same.resident.nik))   # a duplicate
    rows = runtime.service.village_coverage(officer(Role.OPERATOR_KECAMATAN, SELAT), SELAT)
    assert [(v.region.code, v.target, v.recorded) for v in rows] == [
        (MURUNG, 4, 1), (VILLAGE, 2, 1), ("62.03.01.1002", None, 0)]
    assert [v.region.code for v in runtime.service.village_coverage(CLI, KAPUAS)][:2] == [MURUNG, VILLAGE]
