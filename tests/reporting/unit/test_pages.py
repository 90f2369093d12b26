"""The reporting pages over a fake service: what each page shows, its charts, its exports, the
drill-down links, the page tabs per role, and bad parameters answered with what to fix."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pypdf
import pytest

from reporting.access import HTTP_POLICY
from reporting.web import create_app
from servicekit.access import Role
from servicekit.metrics import ServiceMetrics
from servicekit.tokens import TokenVerifier, TrustedKeys
from servicekit.web import SESSION_COOKIE, WebGate
from tests.identity import TestIdentity
from tests.reporting.unit.fake_reports import DESA, HILIR, KAPUAS, SELAT, FakeReportingService

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def identity(tmp_path):
    return TestIdentity(tmp_path / "keys")


@pytest.fixture
def service():
    return FakeReportingService()


@pytest.fixture
def officer(identity, service):
    gate = WebGate(HTTP_POLICY, TokenVerifier(TrustedKeys(identity.trusted)), login_url="http://127.0.0.1:8001/masuk",
                   cookie_secure=False, secret_key=b"k" * 32)
    app = create_app(service=service, metrics=ServiceMetrics("reporting"), ready_check=lambda: True, gate=gate)

    def sign_in(role: Role = Role.OPERATOR_DINAS, scope: str = KAPUAS):
        client = app.test_client()
        client.set_cookie(SESSION_COOKIE, identity.officer(role, scope))
        return client
    return sign_in


def svgs(html: str) -> dict[str, ET.Element]:
    """Every inline chart of a page by id, parsed as XML (so each is well-formed)."""
    charts = {}
    start = html.find("<svg")
    while start >= 0:
        end = html.index("</svg>", start) + len("</svg>")
        element = ET.fromstring(html[start:end])
        charts[element.get("id")] = element
        start = html.find("<svg", end)
    return charts


# ---- coverage --------------------------------------------------------------------------

def test_coverage_page_shows_totals_children_and_both_charts(officer):
    page = officer().get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Cakupan Perekaman KTP-el" in html and "Kapuas" in html and "1.400" in html   # 400 + 1.000 target
    charts = svgs(html)
    assert set(charts) == {"cakupan-wilayah", "cakupan-harian"}
    bars = charts["cakupan-wilayah"].findall(f"{SVG}g")
    assert [bar.get("class") for bar in bars] == ["bar over", "bar"]               # Selat 125 %, Hilir 50 %
    assert charts["cakupan-harian"].find(f"{SVG}title").text == "Perekaman harian Kapuas"
    assert "125,0 %" in html and "&gt; 100 %" in html


def test_coverage_rows_link_down_to_the_desa_and_the_trail_links_up(officer):
    client = officer()
    html = client.get(f"/?wilayah={SELAT}").get_data(as_text=True)
    assert 'href="/?wilayah=62.03"' in html and 'href="/?wilayah=62"' in html     # the trail
    assert "Murung Keramat" in html and f'href="/?wilayah={DESA}"' in html
    desa = client.get(f"/?wilayah={DESA}").get_data(as_text=True)
    assert "Desa/Kelurahan Pulau Telo" in desa and 'href="/?wilayah=62.03.01"' in desa
    assert set(svgs(desa)) == {"cakupan-harian"} and "Rincian per wilayah" not in desa
    funnel = client.get(f"/funnel?wilayah={SELAT}").get_data(as_text=True)
    assert "Pulau Telo" in funnel and f'wilayah={DESA}"' not in funnel          # the funnel stops at the kecamatan


def test_a_lurah_gets_no_link_to_a_desa_that_is_not_theirs(officer):
    html = officer(Role.LURAH, "62.03.01.1006").get(f"/?wilayah={SELAT}").get_data(as_text=True)
    assert 'href="/?wilayah=62.03.01.1006"' in html and f'href="/?wilayah={DESA}"' not in html


def test_coverage_date_range_is_passed_on_and_shown_in_the_form(officer, service):
    html = officer().get(f"/?wilayah={KAPUAS}&dari=2016-11-01&sampai=2016-11-05").get_data(as_text=True)
    assert service.calls[-1][2:] == (dt.date(2016, 11, 1), dt.date(2016, 11, 5))
    assert 'value="2016-11-01"' in html and 'value="2016-11-05"' in html
    assert len(svgs(html)["cakupan-harian"].findall(f"{SVG}rect[@class='day']")) == 5


def test_a_malformed_date_is_explained_next_to_its_field_and_kept(officer):
    page = officer().get(f"/?wilayah={KAPUAS}&dari=1-11-2016")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="dari-error"' in html and "TTTT-BB-HH" in html and 'value="1-11-2016"' in html
    assert 'id="sampai-error"' not in html
    assert "Kapuas Hilir" in html          # the coverage table is still there


def test_a_range_the_use_case_refuses_is_explained_next_to_the_from_field(officer):
    page = officer().get(f"/?wilayah={KAPUAS}&dari=2016-11-09&sampai=2016-11-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="dari-error"' in html and "sebelum atau sama dengan" in html


def test_a_bad_region_code_is_a_400_page_that_says_what_to_fix(officer):
    page = officer().get("/?wilayah=Kapuas")
    assert page.status_code == 400
    assert "wilayah" in page.get_data(as_text=True) and "62.03.01" in page.get_data(as_text=True)


def test_a_kecamatan_operator_cannot_open_another_kabupaten(officer):
    client = officer(Role.OPERATOR_KECAMATAN, "62.11.01")
    assert client.get(f"/?wilayah={KAPUAS}").status_code == 403
    assert client.get(f"/funnel?wilayah={KAPUAS}").status_code == 403
    assert client.get(f"/pemilih?wilayah={KAPUAS}").status_code == 403


# ---- exports ---------------------------------------------------------------------------

def test_coverage_exports_as_xlsx_with_the_rows_and_the_series(officer):
    answer = officer().get(f"/?wilayah={KAPUAS}&unduh=xlsx")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="62.03-cakupan-')
    workbook = openpyxl.load_workbook(io.BytesIO(answer.data))
    assert workbook.sheetnames == ["Cakupan per wilayah", "Perekaman harian"]
    sheet = workbook["Cakupan per wilayah"]
    assert [c.value for c in sheet[5]] == [SELAT, "Selat", 400, 500, 1.25, 450, 300, 120]
    assert [c.value for c in sheet[7]][:4] == [KAPUAS, "Kapuas", 1400, 1000]


def test_coverage_exports_each_table_as_csv(officer):
    client = officer()
    rows = list(csv.reader(io.StringIO(client.get(f"/?wilayah={KAPUAS}&unduh=csv").data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Kode wilayah", "Nama wilayah", "Target wajib KTP"]
    assert rows[1] == [SELAT, "Selat", "400", "500", "1.25", "450", "300", "120"]
    daily = client.get(f"/?wilayah={KAPUAS}&unduh=csv&tabel=harian")
    assert "harian" in daily.headers["Content-Disposition"]
    assert next(csv.reader(io.StringIO(daily.data.decode("utf-8-sig")))) == [
        "Tanggal", "Terekam hari itu", "Terekam kumulatif", "Cakupan kumulatif"]


def test_coverage_exports_as_a_pdf_with_title_and_rows(officer):
    answer = officer().get(f"/?wilayah={KAPUAS}&unduh=pdf")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(answer.data)).pages)
    assert answer.mimetype == "application/pdf"
    assert "Cakupan Perekaman KTP-el" in text and "Kapuas Hilir" in text and "125,0 %" in text and "Halaman 1" in text


def test_an_export_with_a_bad_date_answers_the_page_with_the_error_not_a_file(officer):
    page = officer().get(f"/?wilayah={KAPUAS}&dari=kemarin&unduh=xlsx")
    assert page.status_code == 400 and page.mimetype == "text/html" and 'id="dari-error"' in page.get_data(as_text=True)


def test_an_unknown_export_format_is_a_400(officer):
    page = officer().get("/?unduh=docx")
    assert page.status_code == 400 and "csv, xlsx, atau pdf" in page.get_data(as_text=True)


def test_export_links_keep_the_region_and_dates(officer):
    html = officer().get(f"/?wilayah={SELAT}&dari=2016-11-01").get_data(as_text=True)
    assert 'href="/?wilayah=62.03.01&amp;dari=2016-11-01&amp;unduh=xlsx"' in html


# ---- the other pages -------------------------------------------------------------------

def test_funnel_page_shows_the_stages_card_debt_and_clear_time(officer):
    html = officer().get("/funnel").get_data(as_text=True)
    stages = svgs(html)["corong"].findall(f"{SVG}g")
    assert [int(g.get("data-count")) for g in stages] == [1400, 1000, 850, 650, 600, 570]
    assert "12,5 hari" in html and "16,0 kartu/hari" in html
    assert 'id="suket-beredar">160<' in html and "Kapuas Hilir" in html


def test_a_backlog_that_will_not_clear_says_so(officer, service):
    service.backlog_clear_days = -1.0
    html = officer().get("/funnel").get_data(as_text=True)
    assert "Tidak akan selesai" in html and "-1" not in html.split('id="waktu-selesai"')[1].split("</div>")[0]
    report = officer().get("/funnel?unduh=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(report.data))["Corong per wilayah"]
    assert "tidak akan selesai" in sheet["A2"].value


def test_stock_page_shows_offices_out_of_stock_and_procurement(officer):
    html = officer().get("/stok").get_data(as_text=True)
    offices = svgs(html)["stok-kantor"].findall(f"{SVG}g")
    assert [g.get("class") for g in offices] == ["office out", "office"]
    assert "Ditunda" in html and "reviu BPKP" in html and "15 Maret 2017" in html and "41,0 hari" in html


def test_a_lurah_has_no_stock_or_drive_page_and_no_tab_to_them(officer):
    lurah = officer(Role.LURAH, "62.03.01.1006")
    assert lurah.get("/stok").status_code == 403 and lurah.get("/jemput-bola").status_code == 403
    html = lurah.get("/").get_data(as_text=True)
    assert 'href="/stok' not in html and 'href="/jemput-bola' not in html and 'href="/funnel?wilayah=62.03"' in html


def test_drives_page_groups_by_drive_team_and_day(officer):
    client = officer()
    html = client.get("/jemput-bola").get_data(as_text=True)
    assert set(svgs(html)) == {"jemput-bola-kegiatan", "jemput-bola-harian"}
    assert "+42,0 %" in html and "Ditutup" in html and "Berjalan" in html
    teams = list(csv.reader(io.StringIO(client.get("/jemput-bola?unduh=csv&tabel=tim").data.decode("utf-8-sig"))))
    assert teams[1] == [KAPUAS, "2", "60", "3", "1"]


def test_voters_page_defaults_to_pilkada_2024_and_takes_another_date(officer, service):
    client = officer()
    html = client.get("/pemilih").get_data(as_text=True)
    assert "27 November 2024" in html and 'value="2024-11-27"' in html
    assert [g.get("data-total") for g in svgs(html)["kesiapan-pemilih"].findall(f"{SVG}g")] == ["500", "1020"]
    client.get(f"/pemilih?wilayah={HILIR}&tanggal=2029-11-28")
    assert service.calls[-1] == ("voter_readiness", HILIR, dt.date(2029, 11, 28))


def test_a_bad_election_date_is_explained_next_to_its_field(officer):
    page = officer().get("/pemilih?tanggal=27-11-2024")
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="tanggal-error"' in html and 'value="27-11-2024"' in html
    assert 'id="wilayah"' not in html


@pytest.mark.parametrize("path", ["/", "/funnel", "/stok", "/jemput-bola", "/pemilih"])
def test_every_page_links_to_the_other_reporting_pages(officer, path):
    html = officer().get(path).get_data(as_text=True)
    assert re.search(r'href="/(\?wilayah=[0-9.]+)?"', html)
    for target in ("/funnel", "/stok", "/jemput-bola", "/pemilih"):
        assert f'href="{target}' in html, target
    assert 'aria-current="page"' in html


@pytest.mark.parametrize("path", ["/", "/funnel", "/stok", "/jemput-bola", "/pemilih"])
@pytest.mark.parametrize("extension", ["csv", "xlsx", "pdf"])
def test_every_page_exports_in_every_format(officer, path, extension):
    answer = officer().get(f"{path}?unduh={extension}")
    assert answer.status_code == 200 and len(answer.data) > 100
    name = answer.headers["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert name.endswith("." + extension) and name.split("-")[0] in ("62.03", "semua")
