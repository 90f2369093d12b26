"""The reporting pages and their exports over a real runtime with events folded from fake
producers, on SQLite and PostgreSQL: drill-down, charts, exports read back, bad parameters, scope."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import openpyxl
import pypdf
import pytest

from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from servicekit.access import Role
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting.integration.fakes import caught_up

SVG = "{http://www.w3.org/2000/svg}"
KAPUAS, SELAT, PULAU_TELO, MURUNG = "62.03", "62.03.01", "62.03.01.2001", "62.03.01.1006"
RANGE = "dari=2016-11-01&sampai=2016-11-10"   # the builders' events happen on 7 November 2016


def captured(region: str, *, drive_id: int = 0, eligible_on: str = "1990-01-01") -> enrolment_pb2.RecordingCaptured:
    payload = b.captured(region)
    payload.drive_id, payload.voter_eligible_on = drive_id, eligible_on
    return payload


@pytest.fixture
def kapuas(runtime, producers):
    """Selat: Pulau Telo over its target (3 of 2, under drive 7), Murung Keramat 1 of 10."""
    telo = [captured(PULAU_TELO, drive_id=7) for _ in range(3)]
    murung = captured(MURUNG)
    producers["enrolment"].feed.append(
        b.target(KAPUAS, 1234, "Kapuas"), b.target(SELAT, 12, "Selat"), b.target(PULAU_TELO, 2, "Pulau Telo"),
        b.target(MURUNG, 10, "Murung Keramat"), *telo, murung,
        *(b.print_ready(p.register_number, PULAU_TELO) for p in telo),
        enrolment_pb2.DriveClosed(drive_id=7, office_code=KAPUAS, village_codes=[PULAU_TELO], planned_for="2016-11-07",
                                  reconciliation=enrolment_pb2.DriveReconciliation(planned=2, recorded=3)))
    producers["documents"].feed.append(b.card_printed(telo[0].register_number, PULAU_TELO),
                                       b.suket_issued(telo[1].register_number, PULAU_TELO))
    producers["inventory"].feed.append(
        b.stock_received(KAPUAS, 1500, 1500),
        b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_POSTPONED, "reviu BPKP"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the Kapuas events")


def charts_of(html: str) -> dict[str, ET.Element]:
    found, start = {}, html.find("<svg")
    while start >= 0:
        end = html.index("</svg>", start) + len("</svg>")
        chart = ET.fromstring(html[start:end])
        found[chart.get("id")] = chart
        start = html.find("<svg", end)
    return found


def test_an_officer_drills_down_from_the_kabupaten_to_the_desa_of_a_kecamatan(kapuas, browser):
    client = browser(Role.OPERATOR_DINAS, KAPUAS)
    top = client.get("/").get_data(as_text=True)
    assert "Kapuas" in top and f'href="/?wilayah={SELAT}"' in top
    page = client.get(f"/?wilayah={SELAT}&{RANGE}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pulau Telo" in html and "Murung Keramat" in html
    assert f'href="/?wilayah={KAPUAS}"' in html                               # the trail back up
    bars = {g.find(f"{SVG}title").text.split(":")[0]: g.get("class")
            for g in charts_of(html)["cakupan-wilayah"].findall(f"{SVG}g")}
    assert bars == {"Murung Keramat": "bar", "Pulau Telo": "bar over"}       # 150 % is marked
    days = charts_of(html)["cakupan-harian"].findall(f"{SVG}rect[@class='day']")
    assert {d.get("data-day"): d.get("data-recorded") for d in days}["2016-11-07"] == "4"


def test_the_coverage_exports_read_back_with_the_folded_numbers(kapuas, browser):
    client = browser(Role.OPERATOR_DINAS, KAPUAS)
    xlsx = client.get(f"/?wilayah={SELAT}&{RANGE}&unduh=xlsx")
    assert xlsx.headers["Content-Disposition"].startswith(f'attachment; filename="{SELAT}-cakupan-')
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data))["Cakupan per wilayah"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows[PULAU_TELO][2:5] == (2, 3, 1.5) and rows[SELAT][2:4] == (12, 4)
    daily = list(csv.reader(io.StringIO(client.get(f"/?wilayah={SELAT}&{RANGE}&unduh=csv&tabel=harian")
                                        .data.decode("utf-8-sig"))))
    assert ["2016-11-07", "4"] == daily[7][:2] and len(daily) == 11
    pdf = pypdf.PdfReader(io.BytesIO(client.get(f"/?wilayah={SELAT}&unduh=pdf").data))
    assert "Pulau Telo" in pdf.pages[0].extract_text() and "150,0 %" in pdf.pages[0].extract_text()


def test_the_funnel_page_shows_the_stages_and_the_card_debt(kapuas, browser):
    html = browser(Role.OPERATOR_DINAS, KAPUAS).get(f"/funnel?wilayah={SELAT}").get_data(as_text=True)
    stages = [int(g.get("data-count")) for g in charts_of(html)["corong"].findall(f"{SVG}g")]
    assert stages[:4] == [12, 4, 3, 1]                # target, recorded, print-ready, printed
    assert 'id="suket-beredar">1<' in html and 'id="antrean-cetak">2<' in html


def test_the_stock_page_shows_the_office_and_the_postponed_tender(kapuas, browser):
    client = browser(Role.OPERATOR_KECAMATAN, SELAT)
    html = client.get("/stok").get_data(as_text=True)
    assert "1.500" in html and "Ditunda" in html and "reviu BPKP" in html and "stok-kantor" in html
    assert "TENDER-2016" in client.get("/stok?unduh=csv&tabel=pengadaan").data.decode("utf-8-sig")


def test_the_drives_page_shows_the_drive_its_team_and_its_day(kapuas, browser):
    client = browser(Role.OPERATOR_DINAS, KAPUAS)
    html = client.get("/jemput-bola").get_data(as_text=True)
    assert set(charts_of(html)) == {"jemput-bola-kegiatan", "jemput-bola-harian"}
    assert "7 November 2016" in html and PULAU_TELO in html and "Ditutup" in html
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/jemput-bola?unduh=xlsx").data))["Per jemput bola"]
    assert [c.value for c in sheet[5]][:5] == [7, KAPUAS, sheet["C5"].value, PULAU_TELO, 3]


def test_the_voters_page_defaults_to_pilkada_2024_and_explains_a_bad_date(kapuas, browser):
    client = browser(Role.LURAH, MURUNG)
    html = client.get(f"/pemilih?wilayah={SELAT}").get_data(as_text=True)
    assert "27 November 2024" in html and "Pulau Telo" in html and "kesiapan-pemilih" in html
    bad = client.get(f"/pemilih?wilayah={SELAT}&tanggal=27/11/2024")
    assert bad.status_code == 400
    assert 'id="tanggal-error"' in bad.get_data(as_text=True) and 'value="27/11/2024"' in bad.get_data(as_text=True)


def test_a_bad_region_code_or_date_range_answers_400_with_what_to_fix(kapuas, browser):
    client = browser(Role.OPERATOR_DINAS, KAPUAS)
    for path in ("/?wilayah=Selat", "/funnel?wilayah=62-03", "/pemilih?wilayah=6203", "/jemput-bola?wilayah=x"):
        page = client.get(path)
        assert page.status_code == 400 and "dua digit per tingkat" in page.get_data(as_text=True), path
    reversed_range = client.get(f"/?wilayah={SELAT}&dari=2016-11-10&sampai=2016-11-01")
    assert reversed_range.status_code == 400 and 'id="dari-error"' in reversed_range.get_data(as_text=True)


def test_a_kecamatan_operator_cannot_open_another_kabupaten(kapuas, browser):
    client = browser(Role.OPERATOR_KECAMATAN, "63.10.01")
    for path in (f"/?wilayah={KAPUAS}", f"/funnel?wilayah={SELAT}", f"/stok?wilayah={KAPUAS}",
                 f"/jemput-bola?wilayah={KAPUAS}", f"/pemilih?wilayah={SELAT}", f"/?wilayah={KAPUAS}&unduh=xlsx"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "Pulau Telo" not in refused.get_data(as_text=True)


def test_a_desa_page_shows_its_own_coverage_and_series_and_only_to_whom_sees_it(kapuas, browser):
    officer = browser(Role.OPERATOR_DINAS, KAPUAS)
    page = officer.get(f"/?wilayah={PULAU_TELO}&{RANGE}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Desa/Kelurahan Pulau Telo" in html and "150,0 %" in html
    assert set(charts_of(html)) == {"cakupan-harian"} and f'href="/?wilayah={SELAT}"' in html
    lurah = browser(Role.LURAH, MURUNG)
    assert lurah.get(f"/?wilayah={MURUNG}").status_code == 200
    assert lurah.get(f"/?wilayah={PULAU_TELO}").status_code == 403
    assert f'href="/?wilayah={PULAU_TELO}"' not in lurah.get(f"/?wilayah={SELAT}").get_data(as_text=True)
