"""The officers' pages in a real browser, against the four running services."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for
from tests.e2e.conftest import caught_up

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", autouse=True)
def demo_folded(platform):
    wait_for(lambda: caught_up(platform) and caught_up(platform), timeout=90, message="demo events folded")


def test_coverage_drills_down_from_kabupaten_to_kecamatan(page, platform):
    page.goto(platform.http("reporting") + "/")
    expect(page.get_by_role("heading", name="Cakupan Perekaman KTP-el")).to_be_visible()
    expect(page.get_by_text("Kabupaten Kapuas").first).to_be_visible()
    page.get_by_role("link", name="Selat", exact=True).click()
    expect(page).to_have_url(re.compile(r"wilayah=62\.03\.01$"))
    table = page.locator("table").first
    expect(table).to_contain_text("62.03.01.")  # the rows are now the desa of Selat, by name
    first_cell = table.locator("tbody tr td").first.inner_text()
    assert not first_cell.startswith("62."), first_cell
    page.screenshot(path=str(platform.var_dir / "reporting-selat.png"), full_page=True)


def test_coverage_page_explains_a_malformed_region_code(page, platform):
    response = page.goto(platform.http("reporting") + "/?wilayah=62-03")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Kode wilayah tidak valid")
    expect(page.get_by_role("alert").locator("li")).to_contain_text("wilayah")  # the field, with the format
    expect(page.get_by_role("alert").locator("li")).to_contain_text("62.03")


def test_officer_finds_a_suket_by_register_number_and_opens_its_pdf(page, platform):
    page.goto(platform.http("documents") + "/")
    first_number = page.locator("table tbody tr", has_text="Suket").first.locator("td").nth(1).inner_text().strip()
    page.get_by_label("Nomor registrasi", exact=True).fill(first_number)
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(rf"nomor={re.escape(first_number)}"))
    row = page.locator("tr", has_text=first_number).first
    expect(row).to_contain_text("Suket")
    pdf = page.request.get(platform.http("documents") + row.get_by_role("link", name="PDF").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_lookup_forms_keep_what_was_typed_and_say_what_to_fix(page, platform):
    for service in ("documents", "enrolment"):
        page.goto(platform.http(service) + "/")
        page.get_by_label("Nomor registrasi", exact=True).fill("62O3-2026")
        page.get_by_role("button", name="Cari").click()
        field = page.get_by_label("Nomor registrasi", exact=True)
        expect(field).to_have_value("62O3-2026")
        expect(field).to_have_class(re.compile("is-invalid"))
        expect(page.locator("#nomor-error")).to_be_visible()


def test_officer_opens_a_recording_from_the_enrolment_lookup(page, platform):
    page.goto(platform.http("documents") + "/")
    number = page.locator("table tbody tr td").nth(1).inner_text().strip()
    page.goto(platform.http("enrolment") + "/")
    page.get_by_label("Nomor registrasi", exact=True).fill(number)
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_role("heading", name="Status perekaman")).to_be_visible()
    expect(page.locator("body")).to_contain_text(number)


def test_stock_page_warns_that_blanks_are_out_and_shows_the_postponed_tender(page, platform):
    platform.command("inventory", "demo")
    page.goto(platform.http("inventory") + "/")
    expect(page.get_by_text("Stok kosong").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("8.000.000")
    expect(page.locator("body")).to_contain_text("Ditunda")
    page.screenshot(path=str(platform.var_dir / "inventory.png"), full_page=True)


def test_an_officer_is_sent_to_the_login_and_back_to_the_page_asked_for(browser, platform):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    try:
        page.goto(platform.http("reporting") + "/?wilayah=62.03.01")
        expect(page).to_have_url(re.compile(r"/masuk\?next="))
        page.get_by_label("Nama pengguna").fill("kapuas.kepala")
        page.get_by_label("Kata sandi").fill("bukan-kata-sandinya")
        page.get_by_role("button", name="Masuk").click()
        expect(page.locator("#login-problem")).to_contain_text("kata sandi salah")
        expect(page.get_by_label("Nama pengguna")).to_have_value("kapuas.kepala")
        expect(page.get_by_label("Kata sandi")).to_have_value("")
        page.get_by_label("Kata sandi").fill(platform.accounts["kapuas.kepala"])
        page.get_by_role("button", name="Masuk").click()
        expect(page).to_have_url(platform.http("reporting") + "/?wilayah=62.03.01")
        expect(page.get_by_test_id("officer")).to_contain_text("kapuas.kepala")
        # The same session opens the other services' pages; logging out ends it everywhere.
        page.goto(platform.http("inventory") + "/")
        expect(page.get_by_test_id("officer")).to_contain_text("kapuas.kepala")
        page.get_by_role("link", name="Keluar").click()
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("status")).to_contain_text("Anda telah keluar")
        page.goto(platform.http("documents") + "/")
        expect(page).to_have_url(re.compile(r"/masuk\?next="))
    finally:
        context.close()


def test_the_dinas_issues_a_suket_at_the_counter_and_a_wrong_number_is_explained(page, platform):
    page.goto(platform.http("documents") + "/")
    counter = page.get_by_label("Nomor registrasi untuk Suket")
    counter.fill("6203-2026")
    page.get_by_role("button", name="Terbitkan Suket").click()
    expect(page.locator("#nomor-suket-error")).to_be_visible()
    expect(page.get_by_label("Nomor registrasi untuk Suket")).to_have_value("6203-2026")
    # A demo resident who already holds a Suket: the counter shows that Suket again.
    number = page.locator("table tbody tr", has_text="Suket").first.locator("td").nth(1).inner_text().strip()
    page.get_by_label("Nomor registrasi untuk Suket").fill(number)
    page.get_by_role("button", name="Terbitkan Suket").click()
    expect(page.get_by_role("status")).to_contain_text(f"Suket untuk {number}")


def test_a_lurah_sees_status_but_no_counter_and_no_pdf(browser, platform):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    try:
        page.goto(platform.http("enrolment") + "/masuk")
        page.get_by_label("Nama pengguna").fill("murung.lurah")
        page.get_by_label("Kata sandi").fill(platform.accounts["murung.lurah"])
        page.get_by_role("button", name="Masuk").click()
        page.goto(platform.http("documents") + "/")
        expect(page.get_by_test_id("officer")).to_contain_text("murung.lurah")
        expect(page.get_by_role("button", name="Terbitkan Suket")).to_have_count(0)
        expect(page.get_by_role("link", name="PDF")).to_have_count(0)
    finally:
        context.close()
