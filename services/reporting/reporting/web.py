"""Pages (Bahasa Indonesia): coverage with its daily series, the funnel and card debt, the stock
and procurement board, pick-up drives and voter readiness; each with SVG charts, a drill-down
region -> kecamatan -> desa, and exports (`?unduh=csv|xlsx|pdf`, `&tabel=` for the CSV of a
page with several tables).

The gate (reporting.access.HTTP_POLICY) admits the officer; what they may see of it — the
regions, the boards — is decided by the use case, not here. Every page only reads: its forms
are GET forms (no state changes, so no CSRF token), and a bad parameter answers 400 with what
to fix next to the field (dates) or on the error page (region code, export format).
"""
from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable

from flask import Flask, Response, render_template, request

from reporting import charts, exports
from reporting.access import HTTP_POLICY
from reporting.charts import format_number, format_percent
from reporting.domain import CODE_LENGTHS, PILKADA_2024, VILLAGE, has_children, parse_day
from reporting.service import ReportingService, home_region
from servicekit.errors import FieldViolation, InvalidArgument
from servicekit.metrics import ServiceMetrics
from servicekit.web import WebGate, create_base_app, current_officer

__all__ = ["create_app", "format_number", "format_percent", "bar_width"]

LEVEL_NAMES = dict(zip(CODE_LENGTHS, ("Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan"), strict=True))

# The reporting pages, in the order of the page tabs: (endpoint, label).
PAGES = (("coverage_page", "Cakupan"), ("funnel_page", "Corong & utang blanko"),
         ("stock_page", "Stok & pengadaan"), ("drives_page", "Jemput bola"), ("voters_page", "Kesiapan pemilih"))

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DATE_HELP = "Tanggal berformat TTTT-BB-HH, misalnya 2024-11-27."
# Violation fields of the use cases -> the page's query parameter that holds the value.
DATE_FIELDS = {"from_day": "dari", "dari": "dari", "to_day": "sampai", "sampai": "sampai",
               "election_date": "tanggal", "tanggal": "tanggal"}
EXPORT_PARAMETERS = ("unduh", "tabel", "lang")


def bar_width(ratio: float) -> str:
    """CSS width of a coverage bar, full at 100 % and beyond."""
    return f"{min(max(ratio, 0.0), 1.0) * 100:.1f}%"


def format_date(day: dt.date | None) -> str:
    """27 November 2024; a dash when unknown."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else "–"


def format_days(days: float) -> str:
    """Days of cover or to clear a backlog: '12,5 hari'; unknown (-1) says so."""
    return "tidak diketahui" if days < 0 else f"{days:.1f}".replace(".", ",") + " hari"


def level_name(code: str) -> str:
    return LEVEL_NAMES.get(len(code), "Wilayah")


def may_open(code: str, endpoint: str = "coverage_page") -> bool:
    """Whether a row links to its own report: the officer may view it and the page can show it
    (a link that would only answer 403 is not offered; the use case still checks). Coverage
    goes down to a desa; the other pages stop at the kecamatan, whose rows are its desa."""
    shown = has_children(code) or (endpoint == "coverage_page" and len(code) == VILLAGE)
    return shown and current_officer().sees(code)


def may_visit(endpoint: str) -> bool:
    """Whether the page tab is offered: the same rule the gate applies."""
    rule = HTTP_POLICY.rule(endpoint)
    return rule is not None and rule.allows(current_officer())


def trail(code: str) -> list[str]:
    """The codes above `code`, province first: 62.03.01 -> [62, 62.03]."""
    return [code[:length] for length in CODE_LENGTHS if length < len(code)]


def export_url(extension: str, table: str | None = None) -> str:
    """This page's export: the same region, dates and filters, in another format."""
    query = [(k, v) for k, v in request.args.items(multi=True) if k not in EXPORT_PARAMETERS]
    query += [("unduh", extension)] + ([("tabel", table)] if table else [])
    return request.path + "?" + urllib.parse.urlencode(query)


def region_arg() -> str | None:
    return request.args.get("wilayah", "").strip() or None


def date_arg(name: str, errors: dict[str, str]) -> dt.date | None:
    """An ISO date from the query (None when empty); a bad one is noted in `errors` next to its field."""
    try:
        return parse_day(request.args.get(name), name)
    except InvalidArgument as exc:
        errors.update(date_errors(exc))
        return None


def date_errors(exc: InvalidArgument) -> dict[str, str]:
    """A use case's refusal of a date, placed next to the date field it is about; a violation
    on any other field is not a date problem and goes to the error page."""
    placed = {DATE_FIELDS[v.field]: v.description for v in exc.violations if v.field in DATE_FIELDS}
    if not placed or len(placed) != len(exc.violations):
        raise exc
    return placed


def download(report_of: Callable[[], exports.Report]) -> Response | None:
    """The export asked for by `?unduh=`, or None for the page itself."""
    extension = request.args.get("unduh")
    if extension is None:
        return None
    if extension not in exports.FORMATS:
        raise InvalidArgument("Format unduhan tidak dikenal.", violations=[
            FieldViolation("unduh", "Pilih csv, xlsx, atau pdf.")])
    content, mimetype, name = exports.render(report_of(), extension, request.args.get("tabel"))
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def create_app(*, service: ReportingService, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               gate: WebGate) -> Flask:
    app = create_base_app(context_name="reporting", title="Laporan", metrics=metrics,
                          ready_check=ready_check, gate=gate)
    app.add_template_filter(format_number, "angka")
    app.add_template_filter(format_percent, "persen")
    app.add_template_filter(bar_width, "lebar_bar")
    app.add_template_filter(format_date, "tanggal")
    app.add_template_filter(format_days, "hari")
    app.jinja_env.globals.update(level_name=level_name, may_open=may_open, has_children=has_children,
                                 may_visit=may_visit, trail=trail, status_label=exports.STATUS_LABELS.get,
                                 export_url=export_url, pages=PAGES, date_help=DATE_HELP)

    @app.get("/")
    def coverage_page():
        """The officer's kabupaten (or province) by default; another region via ?wilayah=; the
        daily series over ?dari=&sampai= (default: the last 90 days)."""
        officer = current_officer()
        coverage = service.coverage(officer, region_arg(), field="wilayah")
        code = coverage.total.region_code
        errors: dict[str, str] = {}
        from_day, to_day = date_arg("dari", errors), date_arg("sampai", errors)
        series = None
        if not errors:
            try:
                series = service.coverage_series(officer, code, from_day, to_day, field="wilayah",
                                                 day_fields=("dari", "sampai"))
            except InvalidArgument as exc:
                errors = date_errors(exc)
        exported = None if errors else download(lambda: exports.coverage_report(coverage, series, now()))
        if exported is not None:
            return exported
        bars = charts.coverage_bars("cakupan-wilayah", f"Cakupan per wilayah di {coverage.total.region_name}", [
            charts.CoverageBar(row.region_name, row.coverage_ratio, row.recorded, row.target) for row in coverage.rows])
        line = charts.daily_series("cakupan-harian", f"Perekaman harian {coverage.total.region_name}", [
            charts.SeriesDay(p.day, p.recorded, p.coverage_ratio) for p in series.points]) if series else None
        return render_template("coverage.html", coverage=coverage, series=series, bars=bars, line=line,
                               errors=errors, form=request.args, region_code=code), 400 if errors else 200

    @app.get("/funnel")
    def funnel_page():
        """Target -> recorded -> print-ready -> printed -> dispatched -> handed over, the card
        debt (Suket outstanding and expiring) and how long the print backlog takes to clear."""
        funnel = service.funnel(current_officer(), region_arg(), field="wilayah")
        exported = download(lambda: exports.funnel_report(funnel, now()))
        if exported is not None:
            return exported
        total = funnel.total
        chart = charts.funnel("corong", f"Corong KTP-el {total.region_name}", [
            ("Target wajib KTP", total.target), ("Terekam", total.recorded), ("Siap cetak (PRR)", total.print_ready),
            ("Tercetak", total.printed), ("Didistribusikan", total.dispatched), ("Diserahkan", total.handed_over)])
        return render_template("funnel.html", funnel=funnel, chart=chart, region_code=total.region_code)

    @app.get("/stok")
    def stock_page():
        """Blank stock per office (days of cover, stock-out days) and procurement per package."""
        region = region_arg()
        board = service.stock_board(current_officer(), region, field="wilayah")
        exported = download(lambda: exports.stock_report(board, region or "", now()))
        if exported is not None:
            return exported
        chart = charts.stock("stok-kantor", "Stok blanko per kantor", [
            charts.StockBar(office.office_name or office.office_code, office.on_hand, office.days_of_cover,
                            office.out_of_stock) for office in board.offices])
        return render_template("stock.html", board=board, chart=chart, region_code=region)

    @app.get("/jemput-bola")
    def drives_page():
        """Pick-up drives: per drive, per team (its office), per day, and the coverage each gained."""
        officer = current_officer()
        region = region_arg()
        report = service.drive_report(officer, region, field="wilayah")
        code = region or home_region(officer)
        teams = exports.drive_teams(report.drives)
        exported = download(lambda: exports.drives_report(report, teams, code, now()))
        if exported is not None:
            return exported
        per_drive = charts.count_bars("jemput-bola-kegiatan", "Terekam per jemput bola", [
            (f"#{drive.drive_id} {format_date(drive.planned_for)}", drive.recorded) for drive in report.drives],
            "terekam")
        per_day = charts.daily_series("jemput-bola-harian", "Terekam per hari dalam jemput bola", [
            charts.SeriesDay(day.day, day.recorded, 0.0) for day in report.days], with_coverage=False)
        return render_template("drives.html", report=report, teams=teams, per_drive=per_drive, per_day=per_day,
                               region_code=code)

    @app.get("/pemilih")
    def voters_page():
        """Pilkada: who will be 17 or older on the election date (?tanggal=, default Pilkada
        Serentak 2024) and is not ready: not recorded, or recorded without a card or valid Suket."""
        officer = current_officer()
        errors: dict[str, str] = {}
        election_day = date_arg("tanggal", errors) or PILKADA_2024
        readiness = None
        if not errors:
            try:
                readiness = service.voter_readiness(officer, region_arg(), election_day, field="wilayah")
            except InvalidArgument as exc:
                errors = date_errors(exc)
        if readiness is None:
            return render_template("voters.html", readiness=None, chart=None, errors=errors, form=request.args,
                                   region_code=region_arg() or home_region(officer)), 400
        exported = download(lambda: exports.voters_report(readiness, now()))
        if exported is not None:
            return exported
        chart = charts.stacked_bars("kesiapan-pemilih", f"Kesiapan pemilih {format_date(readiness.election_date)}",
                                    VOTER_SEGMENTS, [(row.region_name, (row.ready, row.recorded_without_document,
                                                                        row.not_recorded)) for row in readiness.rows])
        return render_template("voters.html", readiness=readiness, chart=chart, errors=errors, form=request.args,
                               region_code=readiness.total.region_code)

    return app


VOTER_SEGMENTS = (charts.Segment("Siap (KTP-el/Suket berlaku)", charts.COLOURS["over"]),
                  charts.Segment("Terekam tanpa dokumen", charts.COLOURS["warning"]),
                  charts.Segment("Belum merekam", charts.COLOURS["danger"]))
