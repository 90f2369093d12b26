"""Exports: the same table read back from CSV (csv), XLSX (openpyxl) and PDF (pypdf)."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pypdf
import pytest

from reporting import exports
from reporting.exports import Kind, Report, Table, columns
from servicekit.access import Principal, Role
from tests.reporting.unit.fake_reports import KAPUAS, FakeReportingService

MADE = dt.datetime(2016, 11, 7, 2, 30, tzinfo=dt.timezone.utc)   # 09:30 WIB
TABLE = Table("wilayah", "Cakupan per wilayah", columns(
    ("Kode wilayah", Kind.TEXT), ("Nama wilayah", Kind.TEXT), ("Terekam", Kind.INTEGER), ("Cakupan", Kind.RATIO),
    ("Cukup untuk (hari)", Kind.DECIMAL), ("Tanggal", Kind.DATE)), [
    ("62.03.01", "Selat", 1_234_567, 1.25, 12.5, dt.date(2016, 11, 7)),
    ("62.03.02", "=HYPERLINK(\"http://x\")", 0, 0.0, None, None)])
REPORT = Report("cakupan", "Cakupan Perekaman KTP-el", "62.03", "Kapuas", MADE,
                (TABLE, Table("harian", "Perekaman harian", columns(("Tanggal", Kind.DATE)),
                              [(dt.date(2016, 11, 1),)])),
                "2016-11-01 s.d. 2016-11-07")


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())          # the BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_the_header_and_unformatted_values():
    rows = read_csv(exports.to_csv(TABLE))
    assert rows[0] == ["Kode wilayah", "Nama wilayah", "Terekam", "Cakupan", "Cukup untuk (hari)", "Tanggal"]
    assert rows[1] == ["62.03.01", "Selat", "1234567", "1.25", "12.5", "2016-11-07"]
    assert rows[2][3:] == ["0.0", "", ""]


def test_a_text_that_looks_like_a_formula_stays_text():
    assert read_csv(exports.to_csv(TABLE))[2][1] == "'=HYPERLINK(\"http://x\")"
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(REPORT)))["Cakupan per wilayah"]
    assert sheet["B6"].data_type == "s" and sheet["B6"].value == '=HYPERLINK("http://x")'


def test_xlsx_has_title_region_date_a_styled_frozen_header_and_typed_cells():
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(REPORT)))
    assert workbook.sheetnames == ["Cakupan per wilayah", "Perekaman harian"]
    sheet = workbook["Cakupan per wilayah"]
    assert sheet["A1"].value == "Cakupan Perekaman KTP-el — Cakupan per wilayah"
    assert sheet["A2"].value == "Kapuas (62.03) · 2016-11-01 s.d. 2016-11-07"
    assert sheet["A3"].value == "Dibuat 2016-11-07 09:30 WIB"
    assert [c.value for c in sheet[4]] == [c.label for c in TABLE.columns]
    assert sheet["A4"].font.bold and sheet.freeze_panes == "A5"
    assert [c.value for c in sheet[5]] == ["62.03.01", "Selat", 1_234_567, 1.25, 12.5, dt.datetime(2016, 11, 7)]
    assert (sheet["C5"].number_format, sheet["D5"].number_format, sheet["F5"].number_format) == (
        "#,##0", "0.0%", "yyyy-mm-dd")
    assert sheet.column_dimensions["A"].width == 14


def test_pdf_is_a4_landscape_with_title_rows_and_page_numbers():
    reader = pypdf.PdfReader(io.BytesIO(exports.to_pdf(REPORT)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Cakupan Perekaman KTP-el" in text and "Dibuat 2016-11-07 09:30 WIB" in text
    assert "1.234.567" in text and "125,0 %" in text and "12,5" in text and "Halaman 1" in text
    assert reader.metadata.title == "Cakupan Perekaman KTP-el"


def test_a_long_table_runs_over_pages_each_numbered():
    many = Table("t", "Banyak", columns(("No", Kind.INTEGER)), [(n,) for n in range(120)])
    reader = pypdf.PdfReader(io.BytesIO(exports.to_pdf(Report("x", "Panjang", "62", "Kalteng", MADE, (many,)))))
    assert len(reader.pages) >= 2
    assert all(f"Halaman {i}" in page.extract_text() for i, page in enumerate(reader.pages, start=1))
    assert reader.pages[1].extract_text().count("No") >= 1          # the header repeats


def test_file_names_hold_region_report_table_and_date_only():
    assert exports.filename(REPORT, "xlsx") == "62.03-cakupan-2016-11-07.xlsx"
    assert exports.filename(REPORT, "csv", TABLE) == "62.03-cakupan-wilayah-2016-11-07.csv"
    single = Report("corong", "Corong", "", "Semua", MADE, (TABLE,))
    assert exports.filename(single, "csv", TABLE) == "semua-corong-2016-11-07.csv"


def test_render_picks_the_csv_table_by_name_else_the_first():
    content, mimetype, name = exports.render(REPORT, "csv", "harian")
    assert read_csv(content)[0] == ["Tanggal"] and name.endswith("-harian-2016-11-07.csv") and "text/csv" in mimetype
    assert read_csv(exports.render(REPORT, "csv", "nothing")[0])[0][0] == "Kode wilayah"
    with pytest.raises(ValueError):
        exports.render(REPORT, "docx")


def test_drive_teams_add_up_the_drives_of_each_office():
    officer = Principal("petugas.uji", Role.OPERATOR_DINAS, KAPUAS)
    teams = exports.drive_teams(FakeReportingService().drive_report(officer).drives)
    assert teams == [exports.TeamRow(KAPUAS, 2, 60, 3, 1)]


def test_every_report_builder_writes_all_three_formats():
    officer = Principal("petugas.uji", Role.OPERATOR_DINAS, KAPUAS)
    fake = FakeReportingService()
    drives = fake.drive_report(officer)
    reports = [exports.coverage_report(fake.coverage(officer), fake.coverage_series(officer), MADE),
               exports.funnel_report(fake.funnel(officer), MADE),
               exports.stock_report(fake.stock_board(officer), "", MADE),
               exports.drives_report(drives, exports.drive_teams(drives.drives), KAPUAS, MADE),
               exports.voters_report(fake.voter_readiness(officer), MADE)]
    for report in reports:
        for table in report.tables:
            assert len(read_csv(exports.render(report, "csv", table.name)[0])) == len(table.rows) + 1
        workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report)))
        assert len(workbook.sheetnames) == len(report.tables)
        assert report.title in pypdf.PdfReader(io.BytesIO(exports.to_pdf(report))).pages[0].extract_text()
    stock = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(reports[2])))["Pengadaan per paket"]
    assert [c.value for c in stock[5]][:4] == ["TENDER-2016", 2016, 8_000_000, "Ditunda"]
