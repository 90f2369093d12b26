"""Search by NIK (its blind index) and by name (blind-indexed name words): exact, only in the
officer's region scope, every recording shown audited as a read, paginated, POST only."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrolment import db, domain
from servicekit.access import Role
from servicekit.errors import InvalidArgument, PermissionDenied
from tests.enrolment.factories import CLI, VILLAGE, officer, request
from tests.enrolment.integration.test_audit import audit_rows

OTHER_KECAMATAN_DESA = "62.03.01.1002"   # also Kec. Selat; scope tests use another kecamatan (62.03.02)


def record(runtime, **changes) -> domain.Recording:
    return runtime.service.record_resident(CLI, request(**changes))


def search_page(client, **fields):
    page = client.get("/cari").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/cari", data={"csrf_token": token, "nik": "", "name": "", **fields})


def numbers(page: str) -> list[str]:
    return re.findall(r'<a href="/perekaman/([0-9-]+)">', page)


def test_a_resident_is_found_by_nik_exactly(runtime, web):
    wanted = record(runtime, full_name="Budi Santoso")
    record(runtime, full_name="Budi Hartono")

    response = search_page(web(), nik=wanted.resident.nik)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert numbers(page) == [wanted.register_number]
    assert "Budi Santoso" in page and "Desa Uji Satu" in page and "Budi Hartono" not in page


def test_a_nik_typed_with_spaces_is_found(runtime):
    wanted = record(runtime)
    spaced = " ".join(wanted.resident.nik[i:i + 4] for i in range(0, 16, 4))

    found = runtime.service.search_recordings(officer(), nik=spaced)

    assert [r.register_number for r in found.recordings] == [wanted.register_number]


def test_a_name_search_needs_every_word_whatever_the_case_and_accents(runtime, web):
    santoso = record(runtime, full_name="Budi Santoso")
    hartono = record(runtime, full_name="Budi Hartono")
    record(runtime, full_name="Siti Rahmawati")
    client = web()

    assert sorted(numbers(search_page(client, name="budi").get_data(as_text=True))) == sorted(
        [santoso.register_number, hartono.register_number])
    assert numbers(search_page(client, name="SANTOSO  Búdi").get_data(as_text=True)) == [santoso.register_number]
    assert numbers(search_page(client, name="budi rahmawati").get_data(as_text=True)) == []
    assert numbers(search_page(client, name="bud").get_data(as_text=True)) == []   # whole words only


def test_results_stay_inside_the_officers_region(runtime):
    kapuas = record(runtime, full_name="Ahmad Fauzi")

    assert runtime.service.search_recordings(officer(Role.OPERATOR_DINAS, "62.03"), name="ahmad").recordings
    assert runtime.service.search_recordings(officer(Role.OPERATOR_DINAS, "63.10"), name="ahmad").recordings == []
    assert runtime.service.search_recordings(officer(Role.OPERATOR_KECAMATAN, "62.03.02"),
                                             nik=kapuas.resident.nik).recordings == []
    assert runtime.service.search_recordings(officer(Role.ADMIN_PROVINSI, "62"), name="fauzi").recordings


def test_every_recording_shown_is_audited_as_a_read_by_the_officer(runtime):
    first, second = record(runtime, full_name="Rina Wati"), record(runtime, full_name="Rina Susanti")
    before = len(audit_rows(runtime))

    runtime.service.search_recordings(officer(subject="petugas.cari"), name="rina")

    reads = audit_rows(runtime)[before:]
    assert sorted((actor, action, record_id) for actor, _, action, _, record_id, _ in reads) == sorted(
        [("petugas.cari", "recording.read", first.register_number),
         ("petugas.cari", "recording.read", second.register_number)])


def test_a_search_without_hits_audits_nothing(runtime):
    record(runtime, full_name="Rina Wati")
    before = len(audit_rows(runtime))

    runtime.service.search_recordings(officer(), name="tidakada")

    assert len(audit_rows(runtime)) == before


def test_results_come_a_page_at_a_time_newest_first(runtime, web):
    stored = runtime.service.record_residents(CLI, [request(full_name=f"Yusuf {'ABCDEFGHIJKLMNOPQRSTUVWXY'[i]}")
                                                    for i in range(domain.SEARCH_PAGE_SIZE + 5)])
    client = web()

    first = search_page(client, name="yusuf").get_data(as_text=True)
    second = search_page(client, name="yusuf", page="2").get_data(as_text=True)

    assert len(numbers(first)) == domain.SEARCH_PAGE_SIZE and 'name="page" value="2"' in first
    assert len(numbers(second)) == 5 and 'name="page" value="3"' not in second
    assert set(numbers(first)) | set(numbers(second)) == {r.register_number for r in stored}
    assert numbers(first)[0] == stored[-1].register_number


@pytest.mark.parametrize(("fields", "field", "text"), [
    ({}, "nik", "Isi NIK"),
    ({"nik": "6203"}, "nik", "16 angka"),
    ({"nik": "6203011705900001", "name": "budi"}, "name", "tidak keduanya"),
    ({"name": "'-- ; ."}, "name", "satu kata"),
])
def test_a_search_that_cannot_run_says_what_to_fix_and_keeps_the_input(runtime, web, fields, field, text):
    response = search_page(web(), **fields)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert text in re.search(rf'<div id="{field}-error" class="invalid-feedback">([^<]*)</div>', page).group(1)
    for value in fields.values():
        assert f'value="{value}"' in page.replace("&#39;", "'")


def test_a_page_below_one_is_invalid(runtime):
    with pytest.raises(InvalidArgument) as refused:
        runtime.service.search_recordings(officer(), name="budi", page=0)
    assert [v.field for v in refused.value.violations] == ["page"]


def test_a_lurah_cannot_search_residents(runtime, web):
    record(runtime)
    with pytest.raises(PermissionDenied):
        runtime.service.search_recordings(officer(Role.LURAH, VILLAGE), name="budi")
    assert web(Role.LURAH, VILLAGE).get("/cari").status_code == 403


def test_the_search_form_posts_so_no_nik_or_name_lands_in_a_url(runtime, web):
    page = web().get("/cari").get_data(as_text=True)

    assert re.search(r'<form method="post" action="/cari"', page)
    assert 'method="get"' not in page.split("<main")[1]


def test_name_words_are_stored_as_keyed_hashes_never_in_clear(runtime):
    wanted = record(runtime, full_name="Siti Nur'aini")
    t = db.recording_name_tokens
    with runtime.engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.token_index, t.c.register_number)).all()

    assert {number for _, number in rows} == {wanted.register_number} and len(rows) == 3
    assert all(re.fullmatch(r"[0-9a-f]{64}", token) for token, _ in rows)
    assert not any(word in token for token, _ in rows for word in ("siti", "nur", "aini"))


def test_recordings_stored_before_name_search_are_indexed_by_reindex(runtime):
    wanted = record(runtime, full_name="Agus Salim")
    with runtime.engine.begin() as conn:
        conn.execute(db.recording_name_tokens.delete())
    assert runtime.service.search_recordings(officer(), name="agus").recordings == []

    assert runtime.service.reindex_names() == 1
    assert runtime.service.reindex_names() == 0
    assert [r.register_number for r in runtime.service.search_recordings(officer(), name="agus").recordings] == [
        wanted.register_number]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nik=st.text(max_size=30), name=st.text(max_size=120),
       page=st.one_of(st.text(max_size=6), st.integers().map(str), st.just("²"), st.just("9" * 40)))
def test_fuzzed_searches_get_results_or_a_400_page_never_a_500(runtime, web, nik, name, page):
    assert search_page(web(), nik=nik, name=name, page=page).status_code in (200, 400)


def test_the_reindex_names_command_indexes_recordings_without_tokens(tmp_path, monkeypatch, capsys):
    from enrolment import bootstrap
    from enrolment.__main__ import main
    from enrolment.config import Settings

    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("ENROLMENT_DATABASE_URL", raising=False)
    assert main(["demo", "--residents", "10", "--seed", "3"]) == 0
    core = bootstrap.build_core(Settings.from_env(), migrate=False)
    with core.engine.begin() as conn:
        conn.execute(db.recording_name_tokens.delete())
        recorded = conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one()
    core.engine.dispose()
    capsys.readouterr()

    assert main(["reindex-names"]) == 0
    assert f"recordings indexed for search by name: {recorded}" in capsys.readouterr().out
    assert main(["reindex-names"]) == 0
    assert "recordings indexed for search by name: 0" in capsys.readouterr().out
