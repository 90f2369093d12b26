"""Pages (Bahasa Indonesia): the coverage report with drill-down, stock and procurement.

The gate (reporting.access.HTTP_POLICY) admits the officer; what they may see of it — the
regions, the boards — is decided by the use case, not here."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template, request

from reporting.domain import CODE_LENGTHS, ProcurementStatus, Region, has_children
from reporting.service import ReportingService
from servicekit.metrics import ServiceMetrics
from servicekit.web import WebGate, create_base_app, current_officer

LEVEL_NAMES = dict(zip(CODE_LENGTHS, ("Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan"), strict=True))

STATUS_LABELS = {
    ProcurementStatus.UNSPECIFIED: "Tidak diketahui", ProcurementStatus.PLANNED: "Direncanakan",
    ProcurementStatus.ANNOUNCED: "Diumumkan", ProcurementStatus.FAILED: "Gagal lelang",
    ProcurementStatus.WINNER: "Pemenang ditetapkan", ProcurementStatus.OBJECTION_PERIOD: "Masa sanggah",
    ProcurementStatus.REVIEW: "Reviu BPKP/Inspektorat", ProcurementStatus.POSTPONED: "Ditunda",
    ProcurementStatus.CANCELLED: "Dibatalkan", ProcurementStatus.CONTRACT: "Kontrak",
    ProcurementStatus.DELIVERY: "Pengiriman", ProcurementStatus.ALLOCATED: "Dialokasikan",
}


def format_number(value: int | float) -> str:
    """Indonesian thousands separator: 1234567 -> '1.234.567'."""
    return f"{round(value):,}".replace(",", ".")


def format_percent(ratio: float) -> str:
    """Indonesian decimal comma: 0.8012 -> '80,1 %'."""
    return f"{ratio * 100:.1f}".replace(".", ",") + " %"


def bar_width(ratio: float) -> str:
    """CSS width of a coverage bar, full at 100 % and beyond."""
    return f"{min(max(ratio, 0.0), 1.0) * 100:.1f}%"


def may_open(code: str) -> bool:
    """Whether a row links to its own report: it has children and the officer may view it
    (a link that would only answer 403 is not offered; the use case still checks)."""
    return has_children(code) and current_officer().sees(code)


def create_app(*, service: ReportingService, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               gate: WebGate) -> Flask:
    app = create_base_app(context_name="reporting", title="Laporan", metrics=metrics,
                          ready_check=ready_check, gate=gate)
    app.add_template_filter(format_number, "angka")
    app.add_template_filter(format_percent, "persen")
    app.add_template_filter(bar_width, "lebar_bar")
    app.jinja_env.globals.update(level_name=lambda code: LEVEL_NAMES.get(len(code), "Wilayah"),
                                 may_open=may_open, status_label=STATUS_LABELS.get)

    @app.get("/")
    def coverage_page():
        """The officer's kabupaten (or province) by default; another region via ?wilayah=."""
        report = service.coverage_report(current_officer(), request.args.get("wilayah"))
        coverage = report.coverage
        return render_template(
            "coverage.html", coverage=coverage, parent_code=Region(coverage.total.region_code).parent_code,
            stock=report.stock, procurements=report.procurements)

    return app
