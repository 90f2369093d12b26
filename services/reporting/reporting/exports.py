"""Exports of a report: one tabular model -> CSV, XLSX (openpyxl) and PDF (reportlab).

A `Report` is what a page shows as tables: a title, the region, when it was made, and one or
more `Table`s of typed columns (header labels in Bahasa Indonesia). Each format writes the
same model:

- **CSV** is for programs (a spreadsheet user takes the XLSX): RFC 4180 with a comma, UTF-8
  with a byte-order mark (so Excel detects UTF-8 for names like "Pulau Laut Tanjung Selayar"
  with any non-ASCII letter), one header row, numbers unformatted (`1234567`, ratios as
  `0.8012`, dates ISO). A comma rather than the `;` of Indonesian-locale Excel because the
  numbers are machine-formatted (decimal point) anyway: a `;` file would still need the import
  dialog for its decimals, and every CSV reader defaults to the comma. One table per file: the
  first, or the one asked for.
- **XLSX** has one sheet per table: the report's title, region and date above a bold, filled,
  frozen header row, number formats (`#,##0`, `0.0%`, dates), and column widths.
- **PDF** is A4 landscape: title, region, generated-at, each table with its header repeated on
  every page, and "Halaman N" on each page.

A text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is
written as text in the XLSX and prefixed with `'` in the CSV. File names carry the region
code, the report and the date only — never a person's data.
"""
from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from reporting.charts import format_number, format_percent
from reporting.domain import (
    Coverage,
    CoverageSeries,
    DriveReport,
    DriveRow,
    Funnel,
    ProcurementStatus,
    StockBoard,
    VoterReadiness,
)


class Kind(enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    RATIO = "ratio"        # 0.8012 -> 80.1 % in XLSX/PDF, 0.8012 in CSV
    DECIMAL = "decimal"    # days of cover, rates: one decimal
    DATE = "date"


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT
    width: int = 14         # characters, for the XLSX column


@dataclass(frozen=True)
class Table:
    name: str               # short, for the sheet and the file name: "wilayah", "harian"
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Report:
    slug: str               # "cakupan", "corong", ...: the file name's report part
    title: str
    region_code: str        # the file name's region part ("" for every office the officer sees)
    region_name: str
    generated_at: dt.datetime
    tables: tuple[Table, ...]
    note: str = ""          # e.g. the date range or the election date

    def table(self, name: str | None) -> Table:
        """The table asked for by name, else the first."""
        return next((t for t in self.tables if t.name == name), self.tables[0])


FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pdf": "application/pdf"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(report: Report, extension: str, table: Table | None = None) -> str:
    """`62.03-cakupan-2026-11-28.xlsx`: region code, report (and table), date; nothing personal."""
    parts = [report.region_code or "semua", report.slug]
    if table is not None and len(report.tables) > 1:
        parts.append(table.name)
    return "-".join([*parts, report.generated_at.date().isoformat()]) + "." + extension


def render(report: Report, extension: str, table_name: str | None = None) -> tuple[bytes, str, str]:
    """(content, mimetype, file name) of the report in one of FORMATS."""
    if extension == "csv":
        table = report.table(table_name)
        return to_csv(table), FORMATS["csv"], filename(report, "csv", table)
    if extension == "xlsx":
        return to_xlsx(report), FORMATS["xlsx"], filename(report, "xlsx")
    if extension == "pdf":
        return to_pdf(report), FORMATS["pdf"], filename(report, "pdf")
    raise ValueError(f"unknown export format {extension!r}")


# ---- CSV --------------------------------------------------------------------------------

def _csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.DATE:
        return value.isoformat()
    if kind is Kind.TEXT:
        text = str(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    if kind is Kind.INTEGER:
        return str(int(value))
    return repr(round(float(value), 6))


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ---- XLSX -------------------------------------------------------------------------------

XLSX_FORMATS = {Kind.INTEGER: "#,##0", Kind.RATIO: "0.0%", Kind.DECIMAL: "#,##0.0", Kind.DATE: "yyyy-mm-dd"}
HEADER_ROW = 4   # title, region, generated-at above it


def to_xlsx(report: Report) -> bytes:
    # Imported on the first export, not at start: openpyxl and reportlab (below) were 13 MB of
    # the service's idle resident set (target <= 120 MB), and only a download needs them.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.creator = "ektp reporting"
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0D6EFD")
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        sheet["A1"] = f"{report.title} — {table.title}"
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = _region_line(report)
        sheet["A3"] = f"Dibuat {_stamp(report.generated_at)}"
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(HEADER_ROW, index, column.label)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="left" if column.kind is Kind.TEXT else "right", wrap_text=True)
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        for offset, row in enumerate(table.rows, start=1):
            for index, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
                cell = sheet.cell(HEADER_ROW + offset, index, value)
                if column.kind is Kind.TEXT and value is not None:
                    cell.value, cell.data_type = str(value), "s"   # never a formula
                elif column.kind in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[column.kind]
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31]


# ---- PDF --------------------------------------------------------------------------------

def _pdf_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.INTEGER:
        return format_number(value)
    if kind is Kind.RATIO:
        return format_percent(value)
    if kind is Kind.DECIMAL:
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if kind is Kind.DATE:
        return value.isoformat()
    return str(value)


def to_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=report.title, author="ektp reporting",
                                 leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=14 * mm)

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(doc.pagesize[0] - 12 * mm, 7 * mm, f"Halaman {doc.page}")
        canvas.drawString(12 * mm, 7 * mm, f"{report.title} · {_region_line(report)}")
        canvas.restoreState()

    story = [Paragraph(xml_escape(report.title), styles["Title"]),
             Paragraph(xml_escape(_region_line(report)), styles["Normal"]),
             Paragraph(xml_escape(f"Dibuat {_stamp(report.generated_at)}"), styles["Normal"])]
    for table in report.tables:
        story += [Spacer(1, 6 * mm), Paragraph(xml_escape(table.title), styles["Heading2"])]
        data = [[column.label for column in table.columns]]
        data += [[_pdf_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
        grid = PdfTable(data, repeatRows=1)
        style = [("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8), ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0D6EFD")),
                 ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                 ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#DEE2E6")),
                 ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F6F8")])]
        style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, c in enumerate(table.columns) if c.kind is not Kind.TEXT]
        grid.setStyle(TableStyle(style))
        story.append(grid if table.rows else Paragraph("Tidak ada baris.", styles["Italic"]))
    document.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()


# ---- shared -----------------------------------------------------------------------------

WIB = dt.timezone(dt.timedelta(hours=7))


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


def _region_line(report: Report) -> str:
    region = f"{report.region_name} ({report.region_code})" if report.region_code else report.region_name
    return region + (f" · {report.note}" if report.note else "")


def columns(*spec: tuple[str, Kind] | tuple[str, Kind, int]) -> tuple[Column, ...]:
    """Columns from (label, kind[, width]) tuples."""
    return tuple(Column(*item) for item in spec)


def sequence_rows(items: Sequence[Any], *fields: str) -> list[tuple[Any, ...]]:
    """Rows of attribute values, in the order of `fields`."""
    return [tuple(getattr(item, name) for name in fields) for item in items]


# ---- the reports: what each page exports ------------------------------------------------

STATUS_LABELS = {
    ProcurementStatus.UNSPECIFIED: "Tidak diketahui", ProcurementStatus.PLANNED: "Direncanakan",
    ProcurementStatus.ANNOUNCED: "Diumumkan", ProcurementStatus.FAILED: "Gagal lelang",
    ProcurementStatus.WINNER: "Pemenang ditetapkan", ProcurementStatus.OBJECTION_PERIOD: "Masa sanggah",
    ProcurementStatus.REVIEW: "Reviu BPKP/Inspektorat", ProcurementStatus.POSTPONED: "Ditunda",
    ProcurementStatus.CANCELLED: "Dibatalkan", ProcurementStatus.CONTRACT: "Kontrak",
    ProcurementStatus.DELIVERY: "Pengiriman", ProcurementStatus.ALLOCATED: "Dialokasikan",
}


COVERAGE_COLUMNS = columns(
    ("Kode wilayah", Kind.TEXT, 16), ("Nama wilayah", Kind.TEXT, 28), ("Target wajib KTP", Kind.INTEGER),
    ("Terekam", Kind.INTEGER), ("Cakupan", Kind.RATIO, 10), ("Siap cetak (PRR)", Kind.INTEGER),
    ("Tercetak", Kind.INTEGER), ("Suket beredar", Kind.INTEGER))
SERIES_COLUMNS = columns(("Tanggal", Kind.DATE, 12), ("Terekam hari itu", Kind.INTEGER),
                         ("Terekam kumulatif", Kind.INTEGER), ("Cakupan kumulatif", Kind.RATIO))


def coverage_report(coverage: Coverage, series: CoverageSeries | None, generated_at: dt.datetime) -> Report:
    """Coverage per child region and the total (last row); the daily series when there is one."""
    fields = ("region_code", "region_name", "target", "recorded", "coverage_ratio", "print_ready",
              "cards_printed", "suket_outstanding")
    tables = [Table("wilayah", "Cakupan per wilayah", COVERAGE_COLUMNS,
                    sequence_rows([*coverage.rows, coverage.total], *fields))]
    note = ""
    if series is not None:
        tables.append(Table("harian", "Perekaman harian", SERIES_COLUMNS,
                            sequence_rows(series.points, "day", "recorded", "cumulative", "coverage_ratio")))
        if series.points:
            note = f"{series.points[0].day.isoformat()} s.d. {series.points[-1].day.isoformat()}"
    total = coverage.total
    return Report("cakupan", "Cakupan Perekaman KTP-el", total.region_code, total.region_name, generated_at,
                  tuple(tables), note)


FUNNEL_COLUMNS = columns(
    ("Kode wilayah", Kind.TEXT, 16), ("Nama wilayah", Kind.TEXT, 28), ("Target wajib KTP", Kind.INTEGER),
    ("Terekam", Kind.INTEGER), ("Siap cetak (PRR)", Kind.INTEGER), ("Tercetak", Kind.INTEGER),
    ("Didistribusikan", Kind.INTEGER), ("Diserahkan", Kind.INTEGER), ("Suket beredar", Kind.INTEGER),
    ("Suket habis ≤ 30 hari", Kind.INTEGER), ("Antrean cetak", Kind.INTEGER))


def funnel_report(funnel: Funnel, generated_at: dt.datetime) -> Report:
    fields = ("region_code", "region_name", "target", "recorded", "print_ready", "printed", "dispatched",
              "handed_over", "suket_outstanding", "suket_expiring", "print_backlog")
    clear = ("tidak akan selesai dengan stok dan laju cetak saat ini" if funnel.backlog_clear_days < 0
             else f"antrean selesai dalam {funnel.backlog_clear_days:.1f} hari".replace(".", ","))
    rate = f"laju cetak {funnel.print_rate_per_day:.1f} kartu/hari".replace(".", ",")
    return Report("corong", "Corong KTP-el dan utang blanko", funnel.total.region_code, funnel.total.region_name,
                  generated_at, (Table("wilayah", "Corong per wilayah", FUNNEL_COLUMNS,
                                       sequence_rows([*funnel.rows, funnel.total], *fields)),),
                  f"{rate}; {clear}")


OFFICE_COLUMNS = columns(
    ("Kode kantor", Kind.TEXT, 14), ("Nama kantor", Kind.TEXT, 28), ("Tersedia", Kind.INTEGER),
    ("Diterima", Kind.INTEGER), ("Terpakai", Kind.INTEGER), ("Rusak", Kind.INTEGER),
    ("Cukup untuk (hari)", Kind.DECIMAL), ("Hari kehabisan (90 hari)", Kind.INTEGER), ("Habis", Kind.TEXT, 8))
PROCUREMENT_COLUMNS = columns(
    ("Paket", Kind.TEXT, 20), ("Tahun anggaran", Kind.INTEGER), ("Jumlah", Kind.INTEGER), ("Status", Kind.TEXT),
    ("Sudah dikirim", Kind.INTEGER), ("Perkiraan tiba", Kind.DATE, 14), ("Keterangan", Kind.TEXT, 36))


def stock_report(board: StockBoard, region_code: str, generated_at: dt.datetime) -> Report:
    offices = [(o.office_code, o.office_name, o.on_hand, o.received, o.consumed, o.spoiled,
                o.days_of_cover if o.days_of_cover >= 0 else None, o.stock_out_days,
                "ya" if o.out_of_stock else "tidak") for o in board.offices]
    packages = [(p.package_id, p.fiscal_year, p.quantity, STATUS_LABELS.get(p.status, str(p.status)), p.delivered,
                 p.expected_arrival, p.reason) for p in board.procurements]
    return Report("stok", "Stok dan pengadaan blanko", region_code,
                  region_code and f"Wilayah {region_code}" or "Semua kantor yang Anda lihat", generated_at,
                  (Table("kantor", "Stok per kantor", OFFICE_COLUMNS, offices),
                   Table("pengadaan", "Pengadaan per paket", PROCUREMENT_COLUMNS, packages)))


@dataclass(frozen=True)
class TeamRow:
    """A drive team is its office: the drives it ran and what they recorded."""

    office_code: str
    drives: int
    recorded: int
    failed: int
    duplicates: int


def drive_teams(drives: Sequence[DriveRow]) -> list[TeamRow]:
    """Drives grouped by office, by office code."""
    teams: dict[str, TeamRow] = {}
    for drive in drives:
        team = teams.get(drive.office_code, TeamRow(drive.office_code, 0, 0, 0, 0))
        teams[drive.office_code] = TeamRow(team.office_code, team.drives + 1, team.recorded + drive.recorded,
                                           team.failed + drive.failed, team.duplicates + drive.duplicates)
    return [teams[code] for code in sorted(teams)]


DRIVE_COLUMNS = columns(
    ("No. jemput bola", Kind.INTEGER), ("Kantor", Kind.TEXT), ("Tanggal rencana", Kind.DATE, 14),
    ("Desa sasaran", Kind.TEXT, 36), ("Terekam", Kind.INTEGER), ("Gagal", Kind.INTEGER), ("Ganda", Kind.INTEGER),
    ("Cakupan bertambah", Kind.RATIO), ("Ditutup", Kind.TEXT, 8))
TEAM_COLUMNS = columns(("Kantor (tim)", Kind.TEXT), ("Jumlah jemput bola", Kind.INTEGER), ("Terekam", Kind.INTEGER),
                       ("Gagal", Kind.INTEGER), ("Ganda", Kind.INTEGER))
DAY_COLUMNS = columns(("Tanggal", Kind.DATE, 12), ("Terekam", Kind.INTEGER))


def drives_report(report: DriveReport, teams: Sequence[TeamRow], region_code: str, generated_at: dt.datetime) -> Report:
    drives = [(d.drive_id, d.office_code, d.planned_for, ", ".join(d.village_codes), d.recorded, d.failed,
               d.duplicates, d.coverage_gained, "ya" if d.closed else "tidak") for d in report.drives]
    return Report("jemput-bola", "Jemput bola", region_code, f"Wilayah {region_code}", generated_at,
                  (Table("kegiatan", "Per jemput bola", DRIVE_COLUMNS, drives),
                   Table("tim", "Per tim (kantor)", TEAM_COLUMNS,
                         sequence_rows(teams, "office_code", "drives", "recorded", "failed", "duplicates")),
                   Table("harian", "Per hari", DAY_COLUMNS, sequence_rows(report.days, "day", "recorded"))))


VOTER_COLUMNS = columns(
    ("Kode wilayah", Kind.TEXT, 16), ("Nama wilayah", Kind.TEXT, 28), ("Wajib pilih (17+)", Kind.INTEGER),
    ("Belum merekam", Kind.INTEGER), ("Terekam tanpa KTP-el/Suket", Kind.INTEGER), ("Siap", Kind.INTEGER))


def voters_report(readiness: VoterReadiness, generated_at: dt.datetime) -> Report:
    fields = ("region_code", "region_name", "eligible", "not_recorded", "recorded_without_document", "ready")
    total = readiness.total
    return Report("pemilih", "Kesiapan pemilih Pilkada", total.region_code, total.region_name, generated_at,
                  (Table("wilayah", "Kesiapan per wilayah", VOTER_COLUMNS,
                         sequence_rows([*readiness.rows, total], *fields)),),
                  f"hari pemungutan suara {readiness.election_date.isoformat()}")
