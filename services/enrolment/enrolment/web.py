"""Enrolment pages (Bahasa Indonesia) on top of servicekit's base app."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, redirect, render_template, request, url_for

from enrolment.domain import RECORDING_TZ, RecordingState
from enrolment.errors import RegionNotFound
from enrolment.service import EnrolmentService
from servicekit.errors import InvalidArgument, NotFound
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for
from servicekit.web import create_base_app

STATE_LABELS = {
    RecordingState.CAPTURED: "Baru direkam",
    RecordingState.SENT: "Terkirim",
    RecordingState.PRINT_READY: "Siap cetak (PRR)",
    RecordingState.DUPLICATE: "Duplikat",
    RecordingState.FAILED: "Gagal",
}


def create_app(service: EnrolmentService, *, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               default_office: str, links: dict[str, str] | None = None) -> Flask:
    app = create_base_app(context_name="enrolment", title="Perekaman KTP-el", metrics=metrics,
                          ready_check=ready_check, links=links)
    app.add_template_filter(number_id, "angka")
    app.add_template_filter(percent_id, "persen")

    def dashboard_page(nomor: str = "", problem: str | None = None):
        return render_template("index.html", dashboard=service.office_dashboard(default_office),
                               states=list(RecordingState), labels=STATE_LABELS, RecordingState=RecordingState,
                               nomor=nomor, problem=problem)

    @app.get("/")
    def index():
        return dashboard_page()

    @app.get("/perekaman")
    def find_recording():
        """The lookup form: a wrong or unknown number is explained next to the field."""
        nomor = request.args.get("nomor", "").strip()
        try:
            found = service.get_recording(nomor)
        except (InvalidArgument, NotFound) as exc:
            return dashboard_page(nomor, exc.message), status_for(exc)[1]
        return redirect(url_for("recording", register_number=found.register_number))

    @app.get("/perekaman/<register_number>")
    def recording(register_number: str):
        rec = service.get_recording(register_number)
        try:
            region = service.get_region(rec.resident.region_code)
        except RegionNotFound:
            region = None
        return render_template("recording.html", recording=rec, region=region, labels=STATE_LABELS,
                               captured_local=rec.captured_at.astimezone(RECORDING_TZ))

    return app


def number_id(value: int) -> str:
    """12345 -> "12.345" (Indonesian digit grouping)."""
    return f"{value:,}".replace(",", ".")


def percent_id(part: int, whole: int | None) -> str:
    """Coverage as "79,2%"; a dash without a target."""
    return f"{100 * part / whole:.1f}%".replace(".", ",") if whole else "–"
