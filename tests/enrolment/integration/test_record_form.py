"""The record form (/rekam): an officer records a resident in the office; every refusal of the
service comes back next to its field with what was typed kept, and nothing is stored half-way."""
from __future__ import annotations

import datetime as dt
import io
import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrolment import capture_file, db, domain
from servicekit.access import Role
from tests.enrolment.factories import CLI, VILLAGE, digest, nik

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
CAPTURE = capture_file.export({"FACE": 91, "FINGER_RIGHT_THUMB": 84, "IRIS_LEFT": 88}, digest("form-capture"))


def csrf(client, path: str = "/rekam") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def form(**changes) -> dict:
    """A complete, valid record form of a synthetic resident of Desa Uji Satu (Kab. Kapuas)."""
    birth = dt.date(1991, 3, 9)
    values = {
        "nik": nik(birth, domain.Sex.FEMALE), "kk_number": "6203011505100001", "full_name": "Dewi Lestari",
        "birth_place": "Kuala Kapuas", "birth_date": birth.isoformat(), "sex": "FEMALE", "blood_type": "B",
        "address": "Jl. Tambun Bungai No. 7", "rt": "2", "rw": "5", "region_code": VILLAGE,
        "religion": "ISLAM", "marital_status": "MARRIED", "occupation": "Guru", "citizenship": "WNI",
        "mother_name": "Sri Wahyuni", "father_name": "", "request_id": "", "recording_type": "NEW", "drive_id": "",
    }
    values.update(changes)
    return values


def post(client, values: dict, **files):
    data = {"csrf_token": csrf(client), **values}
    for name, content in files.items():
        data[name] = (io.BytesIO(content), f"{name}.bin")
    return client.post("/rekam", data=data, content_type="multipart/form-data")


def recordings_count(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one()


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<div id="{name}-error" class="invalid-feedback[^"]*">([^<]*)</div>', page)
    return found.group(1) if found else None


def value_of(page: str, name: str) -> str:
    return re.search(rf'<input type="[a-z]+" id="{name}" name="{name}" value="([^"]*)"', page).group(1)


def test_an_operator_records_a_resident_and_sees_the_register_number_and_state(runtime, web):
    client = web(Role.OPERATOR_DINAS, "62.03")
    values = form()
    response = post(client, values, face_photo=PNG, signature=JPEG, capture_file=CAPTURE)

    assert response.status_code == 302
    number = re.search(r"/perekaman/([0-9-]+)\?baru=1$", response.headers["Location"]).group(1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="recorded"' in page and number in page and "Siap cetak (PRR)" in page
    stored = runtime.service.get_recording(CLI, number)
    assert stored.state is domain.RecordingState.PRINT_READY
    assert (stored.resident.nik, stored.resident.full_name, stored.resident.rt) == (values["nik"], "Dewi Lestari", "002")
    assert (stored.biometrics.face_photo, stored.biometrics.signature) == (PNG, JPEG)
    assert stored.biometrics.template_digest == digest("form-capture")
    assert {q.modality: q.quality for q in stored.biometrics.qualities} == {
        domain.Modality.FACE: 91, domain.Modality.FINGER_RIGHT_THUMB: 84, domain.Modality.IRIS_LEFT: 88}


def test_a_wrong_nik_is_explained_next_to_its_field_and_every_typed_value_is_kept(runtime, web):
    client = web()
    values = form(nik="62030149039100x1", full_name="Dewi  Lestari")
    response = post(client, values)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "NIK harus tepat 16 angka" in field_error(page, "nik")
    assert 'id="nik" name="nik" value="62030149039100x1"' in page and "is-invalid" in page
    for name in ("kk_number", "full_name", "birth_place", "birth_date", "address", "occupation", "mother_name"):
        assert value_of(page, name) == values[name], name
    assert re.search(rf'<option value="{re.escape(VILLAGE)}" selected>', page)
    assert '<option value="FEMALE" selected>' in page and '<option value="MARRIED" selected>' in page
    assert recordings_count(runtime) == 0


def test_an_empty_form_lists_what_to_fill_in_next_to_each_field(runtime, web):
    page = post(web(), {"request_id": ""}).get_data(as_text=True)

    for name in ("nik", "kk_number", "full_name", "birth_place", "birth_date", "sex", "religion", "marital_status",
                 "citizenship", "address", "rt", "rw", "region_code", "occupation"):
        assert field_error(page, name), name
    assert 'role="alert"' in page and 'href="#nik"' in page
    assert recordings_count(runtime) == 0


def test_a_valid_photo_is_kept_across_a_refused_submission_and_stored_with_the_corrected_one(runtime, web):
    client = web()
    first = post(client, form(nik="123"), face_photo=PNG, capture_file=CAPTURE).get_data(as_text=True)
    kept = re.search(r'name="face_photo_kept" value="([^"]+)"', first).group(1)
    kept_capture = re.search(r'name="capture_file_kept" value="([^"]+)"', first).group(1)

    response = post(client, {**form(), "face_photo_kept": kept, "capture_file_kept": kept_capture})

    assert response.status_code == 302
    number = response.headers["Location"].split("/perekaman/")[1].split("?")[0]
    stored = runtime.service.get_recording(CLI, number)
    assert stored.biometrics.face_photo == PNG and stored.biometrics.template_digest == digest("form-capture")


def test_a_file_that_is_not_an_image_is_refused_next_to_its_field_and_not_kept(runtime, web):
    page = post(web(), form(), signature=b"GIF89a" + b"\x00" * 10).get_data(as_text=True)

    assert "JPEG atau PNG" in field_error(page, "signature")
    assert 'name="signature_kept"' not in page
    assert recordings_count(runtime) == 0


def test_an_unreadable_capture_file_is_explained_and_nothing_is_stored(runtime, web):
    response = post(web(), form(), capture_file=b'{"format": "something-else"}')

    assert response.status_code == 400
    assert "ektp-capture/1" in field_error(response.get_data(as_text=True), "capture_file")
    assert recordings_count(runtime) == 0


def test_qualities_out_of_range_in_the_capture_file_are_shown_on_the_capture_field(runtime, web):
    response = post(web(), form(), capture_file=capture_file.export({"FACE": 140}, ""))

    assert response.status_code == 400
    assert "0-100" in field_error(response.get_data(as_text=True), "capture_file")


def test_a_resident_under_17_is_refused_on_the_birth_date(runtime, web):
    birth = dt.date(2012, 1, 5)
    response = post(web(), form(birth_date=birth.isoformat(), nik=nik(birth, domain.Sex.FEMALE),
                                marital_status="SINGLE"))

    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "birth_date")
    assert recordings_count(runtime) == 0


def test_submitting_the_same_form_twice_stores_one_recording(runtime, web):
    client = web()
    page = client.get("/rekam").get_data(as_text=True)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page).group(1)
    first = post(client, form(request_id=request_id))
    second = post(client, form(request_id=request_id))

    assert first.headers["Location"] == second.headers["Location"]
    assert recordings_count(runtime) == 1


def test_the_form_offers_the_desa_of_the_officers_own_region_only(runtime, web):
    dinas = web(Role.OPERATOR_DINAS, "62.03").get("/rekam").get_data(as_text=True)
    kecamatan = web(Role.OPERATOR_KECAMATAN, "62.03.02").get("/rekam").get_data(as_text=True)

    assert f'<option value="{VILLAGE}"' in dinas and 'value="63.10.01.1007"' not in dinas
    assert f'<option value="{VILLAGE}"' not in kecamatan


def test_a_desa_outside_the_officers_scope_is_refused_and_nothing_is_stored(runtime, web):
    response = post(web(Role.OPERATOR_KECAMATAN, "62.03.02"), form())

    assert response.status_code == 403
    assert recordings_count(runtime) == 0


def test_the_nik_never_travels_in_a_url(runtime, web):
    client = web()
    page = client.get("/rekam").get_data(as_text=True)
    values = form()
    response = post(client, values)

    assert re.search(r'<form method="post" action="/rekam"', page)
    assert values["nik"] not in response.headers["Location"]


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: TEXT for name in (
    "nik", "kk_number", "full_name", "birth_place", "birth_date", "sex", "blood_type", "address", "rt", "rw",
    "region_code", "religion", "marital_status", "occupation", "citizenship", "mother_name", "father_name",
    "request_id", "recording_type")}), capture=st.binary(max_size=200),
    drive_id=st.one_of(st.just(""), st.text(max_size=8), st.integers().map(str), st.just("9" * 40), st.just("²")))
def test_fuzzed_forms_get_a_400_page_or_a_recording_never_a_500(runtime, web, values, capture, drive_id):
    before = recordings_count(runtime)
    response = post(web(), {**values, "drive_id": drive_id}, capture_file=capture)

    assert response.status_code in (302, 400, 403, 422), response.status_code
    if response.status_code != 302:
        assert recordings_count(runtime) == before


def test_a_recording_type_outside_the_list_is_refused_without_storing(runtime, web):
    response = post(web(), form(recording_type="SOMETHING"))

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "recording_type")
    assert recordings_count(runtime) == 0


def test_a_replacement_card_is_recorded_with_its_type(runtime, web):
    client, values = web(), form()
    first = post(client, values, face_photo=PNG, signature=JPEG, capture_file=CAPTURE)
    assert runtime.service.get_recording(CLI, first.headers["Location"].split("/")[-1].split("?")[0]).state \
        is domain.RecordingState.PRINT_READY
    response = post(client, {**values, "recording_type": "REPLACEMENT"}, face_photo=PNG, signature=JPEG,
                    capture_file=CAPTURE)

    number = response.headers["Location"].split("/perekaman/")[1].split("?")[0]
    assert runtime.service.get_recording(CLI, number).recording_type is domain.RecordingType.REPLACEMENT


def test_a_type_that_needs_an_earlier_recording_is_explained_on_the_type_field(runtime, web):
    response = post(web(), form(recording_type="MOVED_IN"))

    assert response.status_code == 422   # a rule (FAILED_PRECONDITION), not a malformed field
    assert field_error(response.get_data(as_text=True), "recording_type")


def test_a_recording_made_under_an_open_pick_up_drive_is_stored_with_that_drive(runtime, web):
    runtime.accounts.create(CLI, "tim.jemput", "operator_kecamatan", "62.03.01", "sandi-uji-yang-panjang-1")
    drive = runtime.service.plan_drive(CLI, domain.DrivePlan(office_code="62.03", village_codes=(VILLAGE,),
                                                             planned_for="2026-11-28", team=("tim.jemput",)))
    client = web()
    assert f'<option value="{drive.id}"' not in client.get("/rekam").get_data(as_text=True)   # not open yet
    runtime.service.open_drive(CLI, drive.id)
    assert f'<option value="{drive.id}"' in client.get("/rekam").get_data(as_text=True)

    response = post(client, form(drive_id=str(drive.id)))

    number = response.headers["Location"].split("/perekaman/")[1].split("?")[0]
    assert runtime.service.get_recording(CLI, number).drive_id == drive.id


def test_a_recording_that_fails_the_quality_gate_shows_the_reason_on_its_success_page(runtime, web):
    client = web()
    response = post(client, form(), capture_file=capture_file.export({"FACE": 5}, ""))

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    number = response.headers["Location"].split("/perekaman/")[1].split("?")[0]
    stored = runtime.service.get_recording(CLI, number)
    assert stored.state is domain.RecordingState.FAILED and stored.failure_reason
    assert 'id="recorded"' in page and "Gagal" in page and stored.failure_reason in page.replace("&#39;", "'")


def test_a_photo_at_the_size_limit_survives_a_refused_submission(runtime, web):
    client, photo = web(), PNG + b"\x01" * (domain.MAX_IMAGE_BYTES - len(PNG))
    first = post(client, form(nik="1"), face_photo=photo, signature=photo).get_data(as_text=True)
    kept = {name: re.search(rf'name="{name}_kept" value="([^"]+)"', first).group(1)
            for name in ("face_photo", "signature")}

    response = post(client, {**form(), "face_photo_kept": kept["face_photo"], "signature_kept": kept["signature"]})

    number = response.headers["Location"].split("/perekaman/")[1].split("?")[0]
    assert runtime.service.get_recording(CLI, number).biometrics.signature == photo


def test_an_upload_over_the_request_limit_gets_a_413_page_and_stores_nothing(runtime, web):
    response = post(web(), form(), face_photo=PNG + b"\x00" * (5 * 1024 * 1024))

    assert response.status_code == 413
    assert recordings_count(runtime) == 0
