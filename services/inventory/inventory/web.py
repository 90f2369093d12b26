"""Flask pages of the inventory service (Bahasa Indonesia): stock of the offices the signed-in officer
sees, and national procurement."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from flask import Flask, render_template

from inventory.domain import ProcurementChannel, ProcurementStatus
from inventory.service import InventoryService
from servicekit.metrics import ServiceMetrics
from servicekit.web import WebGate, create_base_app, current_officer

STATUS_LABELS = {
    ProcurementStatus.PLANNED: "Direncanakan",
    ProcurementStatus.ANNOUNCED: "Diumumkan",
    ProcurementStatus.FAILED: "Gagal lelang",
    ProcurementStatus.WINNER: "Pemenang ditetapkan",
    ProcurementStatus.OBJECTION_PERIOD: "Masa sanggah",
    ProcurementStatus.REVIEW: "Reviu BPKP/Inspektorat",
    ProcurementStatus.POSTPONED: "Ditunda",
    ProcurementStatus.CANCELLED: "Dibatalkan",
    ProcurementStatus.CONTRACT: "Kontrak",
    ProcurementStatus.DELIVERY: "Pengiriman",
    ProcurementStatus.ALLOCATED: "Dialokasikan",
}
# Bootstrap badge colour per status: trouble in red/yellow, progress in blue/green.
STATUS_COLOURS = {
    ProcurementStatus.FAILED: "danger", ProcurementStatus.CANCELLED: "danger",
    ProcurementStatus.POSTPONED: "warning", ProcurementStatus.CONTRACT: "success",
    ProcurementStatus.DELIVERY: "success", ProcurementStatus.ALLOCATED: "success",
}
CHANNEL_LABELS = {ProcurementChannel.TENDER: "Tender", ProcurementChannel.E_CATALOGUE: "E-katalog"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
WIB = dt.timezone(dt.timedelta(hours=7))


def number(value: int) -> str:
    """Indonesian grouping: 8000000 -> "8.000.000"."""
    return f"{value:,}".replace(",", ".")


def rupiah(value: int) -> str:
    return f"Rp {number(value)}"


def tanggal(value: dt.datetime) -> str:
    """A date in Bahasa Indonesia (WIB), e.g. "14 November 2016"."""
    local = value.astimezone(WIB)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def create_app(*, service: InventoryService, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               gate: WebGate, offices: Sequence[str] = ()) -> Flask:
    app = create_base_app(context_name="inventory", title="Blanko KTP-el", metrics=metrics,
                          ready_check=ready_check, gate=gate)
    app.add_template_filter(number, "angka")
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(tanggal, "tanggal")
    app.jinja_env.globals.update(status_labels=STATUS_LABELS, status_colours=STATUS_COLOURS,
                                 channel_labels=CHANNEL_LABELS)

    @app.get("/")
    def index():
        officer = current_officer()
        stocks = service.stock_overview(officer, offices)
        return render_template("index.html", stocks=stocks, empty=[s for s in stocks if s.is_empty],
                               packages=service.list_packages(officer))

    return app
