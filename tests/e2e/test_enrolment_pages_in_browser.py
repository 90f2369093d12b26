"""The officer's enrolment pages in a real browser (Debian's Chromium through Playwright): record a
resident through the form, see the register number; a wrong NIK is explained next to its field
with everything typed kept; find the resident by NIK and by name; switch the pages to English."""
from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
REGISTER_NUMBER = re.compile(r"\d{4}-\d{8}-\d{6}")
_fake = Faker("id_ID")


def synthetic_resident() -> dict:
    """A made-up woman of Kec. Selat (Kab. Kapuas) with a NIK that fits her birth date."""
    rng = random.Random()
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(12000))
    nik = f"620301{birth.day + 40:02d}{birth:%m%y}{rng.randrange(5000, 9999):04d}"
    kk = f"620301{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(0, 25):02d}{rng.randrange(1, 9999):04d}"
    return {"nik": nik, "kk": kk, "birth": birth.isoformat(),
            "name": f"{_fake.first_name_female()} {_fake.last_name()} {_fake.last_name()}"}


def fill_record_form(page: Page, person: dict, base: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Rekam penduduk").click()
    expect(page.get_by_role("heading", name="Rekam penduduk")).to_be_visible()
    page.get_by_label("NIK", exact=True).fill(person["nik"])
    page.get_by_label("Nomor KK").fill(person["kk"])
    page.get_by_label("Nama lengkap").fill(person["name"])
    page.get_by_label("Tempat lahir").fill("Kuala Kapuas")
    page.get_by_label("Tanggal lahir").fill(person["birth"])
    page.get_by_label("Jenis kelamin").select_option("FEMALE")
    page.get_by_label("Golongan darah").select_option("O")
    page.get_by_label("Kewarganegaraan").select_option("WNI")
    page.get_by_label("Agama").select_option("ISLAM")
    page.get_by_label("Status perkawinan").select_option("MARRIED")
    page.get_by_label("Pekerjaan").fill("Pedagang")
    page.get_by_label("Alamat (jalan, nomor)").fill("Jl. Seth Adji No. 12")
    page.get_by_label("RT", exact=True).fill("3")
    page.get_by_label("RW", exact=True).fill("1")
    desa = page.get_by_label("Desa/kelurahan")
    desa.select_option(desa.locator("option").nth(1).get_attribute("value"))
    page.get_by_label("Foto wajah").set_input_files({"name": "wajah.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_label("Tanda tangan").set_input_files({"name": "ttd.png", "mimeType": "image/png", "buffer": PNG})
    capture = {"format": "ektp-capture/1", "template_digest": "",
               "qualities": {"FACE": 90, "FINGER_RIGHT_THUMB": 85, "IRIS_LEFT": 88, "IRIS_RIGHT": 87}}
    page.get_by_label("Berkas hasil alat perekam").set_input_files(
        {"name": "capture.json", "mimeType": "application/json", "buffer": json.dumps(capture).encode()})


def record(page: Page, base: str) -> tuple[dict, str]:
    person = synthetic_resident()
    fill_record_form(page, person, base)
    page.get_by_role("button", name="Simpan perekaman").click()
    saved = page.locator("#recorded")
    expect(saved).to_contain_text("Perekaman tersimpan dengan nomor registrasi")
    return person, REGISTER_NUMBER.search(saved.inner_text()).group(0)


def test_an_officer_records_a_resident_and_sees_the_register_number(page, platform):
    person, number = record(page, platform.http("enrolment"))

    expect(page).to_have_url(re.compile(rf"/perekaman/{number}\?baru=1$"))
    expect(page.get_by_role("heading", name="Status perekaman")).to_be_visible()
    assert person["nik"] not in page.url
    page.screenshot(path=str(platform.var_dir / "enrolment-recorded.png"), full_page=True)


def test_a_wrong_nik_shows_its_field_error_and_keeps_what_was_typed(page, platform):
    person = synthetic_resident()
    fill_record_form(page, person, platform.http("enrolment"))
    page.get_by_label("NIK", exact=True).fill("6203019999")
    page.get_by_role("button", name="Simpan perekaman").click()

    nik = page.get_by_label("NIK", exact=True)
    expect(nik).to_have_value("6203019999")
    expect(nik).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#nik-error")).to_contain_text("16 angka")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Nama lengkap")).to_have_value(person["name"])
    expect(page.get_by_label("Tanggal lahir")).to_have_value(person["birth"])
    expect(page.get_by_label("Status perkawinan")).to_have_value("MARRIED")
    expect(page.get_by_test_id("face_photo-kept")).to_be_visible()   # the photo need not be chosen again
    page.screenshot(path=str(platform.var_dir / "enrolment-wrong-nik.png"), full_page=True)


def test_the_recorded_resident_is_found_by_nik_and_by_name(page, platform):
    base = platform.http("enrolment")
    person, number = record(page, base)

    page.goto(base + "/")
    page.get_by_role("link", name="Cari penduduk").click()
    page.get_by_label("NIK", exact=True).fill(person["nik"])
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("#search-results")).to_contain_text(number)
    assert person["nik"] not in page.url

    page.get_by_label("NIK", exact=True).fill("")
    page.get_by_label("Nama", exact=True).fill(person["name"].lower())
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("#search-results")).to_contain_text(number)
    expect(page.locator("#search-results")).to_contain_text(person["name"])
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name="Status perekaman")).to_be_visible()


def test_the_english_switch_shows_english_labels_on_every_page(page, platform):
    base = platform.http("enrolment")
    page.goto(base + "/rekam")
    page.get_by_test_id("language").get_by_role("link", name="EN").click()

    expect(page.get_by_role("heading", name="Record a resident")).to_be_visible()
    expect(page.get_by_label("Full name")).to_be_visible()
    expect(page.get_by_role("button", name="Save the recording")).to_be_visible()
    page.goto(base + "/cari")   # remembered: no ?lang on this page
    expect(page.get_by_role("heading", name="Find a resident")).to_be_visible()
    expect(page.get_by_role("link", name="Log out")).to_be_visible()
    page.get_by_test_id("language").get_by_role("link", name="ID").click()
    expect(page.get_by_role("heading", name="Cari penduduk")).to_be_visible()
