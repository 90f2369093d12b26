"""Pages (Bahasa Indonesia): the coverage report with drill-down, stock and procurement."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template, request

from reporting.domain import CODE_LENGTHS, ProcurementStatus, Region, empty_coverage, has_children
from reporting.errors import RegionNotFound
from reporting.service import ReportingService
from servicekit.metrics import ServiceMetrics
from servicekit.web import create_base_app

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


def create_app(*, service: ReportingService, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               default_region: str, links: dict[str, str] | None = None) -> Flask:
    app = create_base_app(context_name="reporting", title="Laporan", metrics=metrics,
                          ready_check=ready_check, links=links)
    app.add_template_filter(format_number, "angka")
    app.add_template_filter(format_percent, "persen")
    app.add_template_filter(bar_width, "lebar_bar")
    app.jinja_env.globals.update(level_name=lambda code: LEVEL_NAMES.get(len(code), "Wilayah"),
                                 has_children=has_children, status_label=STATUS_LABELS.get)

    @app.get("/")
    def coverage_page():
        chosen = request.args.get("wilayah")
        try:
            coverage = service.get_coverage(chosen or default_region, field="wilayah")
        except RegionNotFound:
            if chosen:  # a region asked for by name that nothing is known about
                raise
            # The landing page before the first events have arrived: empty, not "not found".
            coverage = empty_coverage(Region(default_region))
        return render_template(
            "coverage.html", coverage=coverage, parent_code=Region(coverage.total.region_code).parent_code,
            stock=service.stock_board(), procurements=service.procurement_board())

    return app
