"""The reporting pages in a real browser (the machine's Chromium): an officer opens coverage,
drills down to a kecamatan and a desa, sees the charts, downloads the XLSX and it opens; the
funnel, stock, drives and voter pages render with their charts; a bad date range is explained
next to its field; another kabupaten's kecamatan operator is refused.

One reporting runtime in this process (SQLite) folding events from fake producers, with the
officer's session cookie set in the browser, as the login page would set it."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pypdf
import pytest
from playwright.sync_api import expect

from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from servicekit.access import Role
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting.integration.conftest import identity, producers, runtime, settings  # noqa: F401 - fixtures
from tests.reporting.integration.fakes import caught_up

pytestmark = pytest.mark.e2e

KAPUAS, SELAT, PULAU_TELO, MURUNG = "62.03", "62.03.01", "62.03.01.2001", "62.03.01.1006"


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def kapuas(runtime, producers):  # noqa: F811 - the imported fixtures
    """Selat: Pulau Telo over its target (3 of 2, under drive 7), Murung Keramat 1 of 10."""
    telo = []
    for _ in range(3):
        payload = b.captured(PULAU_TELO)
        payload.drive_id, payload.voter_eligible_on = 7, "1990-01-01"
        telo.append(payload)
    producers["enrolment"].feed.append(
        b.target(KAPUAS, 1234, "Kapuas"), b.target(SELAT, 12, "Selat"), b.target(PULAU_TELO, 2, "Pulau Telo"),
        b.target(MURUNG, 10, "Murung Keramat"), *telo, b.captured(MURUNG),
        *(b.print_ready(p.register_number, PULAU_TELO) for p in telo),
        enrolment_pb2.DriveClosed(drive_id=7, office_code=KAPUAS, village_codes=[PULAU_TELO], planned_for="2016-11-07",
                                  reconciliation=enrolment_pb2.DriveReconciliation(planned=2, recorded=3)))
    producers["documents"].feed.append(b.card_printed(telo[0].register_number, PULAU_TELO))
    producers["inventory"].feed.append(
        b.stock_received(KAPUAS, 1500, 1500),
        b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_POSTPONED, "reviu BPKP"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the Kapuas events")
    return runtime


@pytest.fixture
def open_as(browser, kapuas, identity):  # noqa: F811
    """`open_as(role, scope)`: a browser page signed in as that officer, at the reporting service."""
    base = f"http://127.0.0.1:{kapuas.process.http.port}"
    contexts = []

    def open_page(role: Role = Role.OPERATOR_DINAS, scope: str = KAPUAS):
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID", accept_downloads=True)
        context.add_cookies([{"name": SESSION_COOKIE, "value": identity.officer(role, scope), "url": base}])
        contexts.append(context)
        page = context.new_page()
        page.base = base
        return page
    yield open_page
    for context in contexts:
        context.close()


def test_an_officer_drills_down_to_a_desa_sees_the_charts_and_downloads_the_xlsx(open_as, kapuas):
    page = open_as()
    page.goto(page.base + "/")
    expect(page.locator("#cakupan-wilayah")).to_be_visible()
    page.get_by_role("link", name="Selat", exact=True).click()
    expect(page).to_have_url(re.compile(rf"wilayah={re.escape(SELAT)}$"))
    expect(page.locator("#cakupan-wilayah g.bar.over")).to_have_count(1)            # Pulau Telo, 150 %
    expect(page.locator("#wilayah")).to_contain_text("150,0 %")
    page.get_by_label("Dari tanggal").fill("2016-11-01")
    page.get_by_label("Sampai tanggal").fill("2016-11-10")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator('#cakupan-harian rect.day[data-day="2016-11-07"]')).to_have_attribute("data-recorded", "4")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{SELAT}-cakupan-") and download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:   # the download's temporary name has no extension
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    rows = {row[0]: row for row in workbook["Cakupan per wilayah"].iter_rows(min_row=5, values_only=True)}
    assert rows[PULAU_TELO][1:5] == ("Pulau Telo", 2, 3, 1.5)
    assert workbook["Perekaman harian"].max_row == 4 + 10

    page.get_by_role("link", name="Pulau Telo").click()
    expect(page).to_have_url(re.compile(rf"wilayah={re.escape(PULAU_TELO)}"))
    expect(page.locator("h1 + p")).to_contain_text("Pulau Telo")
    expect(page.locator("#cakupan-harian")).to_be_visible()
    page.screenshot(path=str(kapuas.settings.var_dir / "reporting-desa.png"), full_page=True)


def test_a_reversed_date_range_is_explained_next_to_the_field(open_as):
    page = open_as()
    page.goto(page.base + f"/?wilayah={SELAT}")
    page.get_by_label("Dari tanggal").fill("2016-11-10")
    page.get_by_label("Sampai tanggal").fill("2016-11-01")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#dari-error")).to_be_visible()
    expect(page.get_by_label("Dari tanggal")).to_have_class(re.compile("is-invalid"))
    expect(page.get_by_label("Dari tanggal")).to_have_value("2016-11-10")


def test_the_funnel_stock_drives_and_voter_pages_render_with_their_charts(open_as, kapuas):
    page = open_as()
    page.goto(page.base + f"/?wilayah={KAPUAS}")
    tabs = {"Corong & utang blanko": ("#corong", "#utang-blanko"), "Stok & pengadaan": ("#stok-kantor", "#pengadaan"),
            "Jemput bola": ("#jemput-bola-kegiatan", "#tim"), "Kesiapan pemilih": ("#kesiapan-pemilih", "#ringkasan")}
    for tab, (chart, table) in tabs.items():
        page.locator("#laporan-nav").get_by_role("link", name=tab).click()
        expect(page.locator(chart)).to_be_visible()
        expect(page.locator(table)).to_be_visible()
        expect(page.locator("#laporan-nav .active")).to_have_text(tab)
    expect(page.locator("#tanggal-pemilihan")).to_have_text("27 November 2024")
    page.get_by_label("Hari pemungutan suara").fill("2029-11-28")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#tanggal-pemilihan")).to_have_text("28 November 2029")
    page.locator("#laporan-nav").get_by_role("link", name="Stok & pengadaan").click()
    expect(page.locator("#pengadaan")).to_contain_text("Ditunda")
    expect(page.locator("#stok")).to_contain_text("1.500")
    packages = list(csv.reader(io.StringIO(downloaded(page, "CSV · pengadaan").decode("utf-8-sig"))))
    assert packages[1][:4] == ["TENDER-2016", "2016", "8000000", "Ditunda"]

    page.locator("#laporan-nav").get_by_role("link", name="Corong & utang blanko").click()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(downloaded(page, "PDF"))).pages)
    assert "Corong KTP-el dan utang blanko" in text and "Pulau Telo" not in text and "Selat" in text


def downloaded(page, link: str) -> bytes:
    """The file behind an export link, downloaded by the browser."""
    with page.expect_download() as download_info:
        page.locator("#unduh").get_by_role("link", name=link).click()
    with open(download_info.value.path(), "rb") as file:
        return file.read()


def test_a_kecamatan_operator_of_another_kabupaten_is_refused(open_as):
    page = open_as(Role.OPERATOR_KECAMATAN, "63.10.01")
    response = page.goto(page.base + f"/?wilayah={KAPUAS}")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("di luar kewenangan")
    expect(page.locator("main")).not_to_contain_text("Selat")
