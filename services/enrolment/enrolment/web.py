"""Enrolment pages (Bahasa Indonesia) on top of servicekit's base app, and the one login
page of the platform (enrolment is the identity provider)."""
from __future__ import annotations

import urllib.parse
from collections.abc import Callable

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from enrolment.accounts import AccountService
from enrolment.adjudication_pages import RECORDING_TYPE_LABELS, add_adjudication_pages
from enrolment.domain import RECORDING_TZ, RecordingState
from enrolment.drive_pages import add_drive_pages
from enrolment.errors import RegionNotFound
from enrolment.recording_pages import add_recording_pages
from enrolment.service import EnrolmentService
from servicekit.access import Principal
from servicekit.errors import InvalidArgument, NotFound, Unauthenticated
from servicekit.metrics import ServiceMetrics
from servicekit.ratelimit import FailureLimit
from servicekit.status import status_for
from servicekit.web import WebGate, create_base_app, current_officer

STATE_LABELS = {
    RecordingState.CAPTURED: _l("Baru direkam"),
    RecordingState.SENT: _l("Terkirim"),
    RecordingState.PRINT_READY: _l("Siap cetak (PRR)"),
    RecordingState.DUPLICATE: _l("Duplikat"),
    RecordingState.FAILED: _l("Gagal"),
}


FAILED_LOGINS_PER_MINUTE = 10   # from one address, across accounts


def create_app(service: EnrolmentService, accounts: AccountService, *, metrics: ServiceMetrics,
               ready_check: Callable[[], bool], gate: WebGate, default_office: str) -> Flask:
    app = create_base_app(context_name="enrolment", title="Perekaman KTP-el", metrics=metrics,
                          ready_check=ready_check, gate=gate)
    app.add_template_filter(number_id, "angka")
    app.add_template_filter(percent_id, "persen")
    limiter = FailureLimit(FAILED_LOGINS_PER_MINUTE, 60)
    trusted_origins = {urllib.parse.urlsplit(url).netloc for url in app.config["EKTP_LINKS"].values()}

    def safe_next(url: str) -> str:
        """Only back to a page of this platform: never an open redirect."""
        parts = urllib.parse.urlsplit(url)
        if not parts.scheme and not parts.netloc and url.startswith("/") and "\\" not in url:
            return url
        if parts.scheme in ("http", "https") and parts.netloc in trusted_origins | {request.host}:
            return url
        return ""

    def login_page(*, problem: str | None = None, username: str = "", notice: str | None = None, status: int = 200):
        return render_template("login.html", problem=problem, username=username, notice=notice,
                               next_url=safe_next(request.values.get("next", ""))), status

    @app.route("/masuk", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            notice = _("Anda telah keluar.") if request.args.get("keluar") else None
            return login_page(notice=notice)
        username, address = request.form.get("username", ""), request.remote_addr or "-"
        if limiter.blocked(address):
            return login_page(problem="Terlalu banyak percobaan masuk yang gagal dari perangkat ini. Tunggu satu menit.",
                              username=username, status=429)
        try:
            session = accounts.login(username, request.form.get("password", ""), origin=address)
        except Unauthenticated as refused:
            limiter.failed(address)
            return login_page(problem=refused.message, username=username, status=401)
        response = redirect(safe_next(request.form.get("next", "")) or url_for("index"))
        gate.set_session(response, session.token, max_age=session.lifetime_seconds)
        return response

    @app.route("/keluar", methods=["GET", "POST"])
    def logout():
        if request.method == "GET":
            return render_template("logout.html")
        response = redirect(url_for("login", keluar=1))
        gate.clear_session(response)
        return response

    def office_of(officer: Principal) -> str:
        """The Dinas whose dashboard an officer sees: its own kabupaten; for a province-wide
        officer the default office when it lies in their province, else their province's first
        kabupaten."""
        chosen = request.args.get("kantor", "")
        if chosen:
            return chosen
        parts = officer.scope.split(".")
        if len(parts) >= 2:
            return ".".join(parts[:2])
        if officer.sees(default_office):
            return default_office
        regencies = service.list_regions(officer, officer.scope)
        return regencies[0].code if regencies else default_office

    def dashboard_page(nomor: str = "", problem: str | None = None):
        officer = current_officer()
        return render_template("index.html", dashboard=service.office_dashboard(officer, office_of(officer)),
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
            found = service.get_recording(current_officer(), nomor)
        except (InvalidArgument, NotFound) as exc:
            return dashboard_page(nomor, exc.message), status_for(exc)[1]
        return redirect(url_for("recording", register_number=found.register_number))

    @app.get("/perekaman/<register_number>")
    def recording(register_number: str):
        rec = service.get_recording(current_officer(), register_number)
        try:
            region = service.get_region(current_officer(), rec.resident.region_code)
        except RegionNotFound:
            region = None
        return render_template("recording.html", recording=rec, region=region, labels=STATE_LABELS,
                               captured_local=rec.captured_at.astimezone(RECORDING_TZ),
                               just_recorded=request.args.get("baru") == "1", type_labels=RECORDING_TYPE_LABELS)

    add_recording_pages(app, service, office_of=office_of, state_labels=STATE_LABELS)
    add_drive_pages(app, service, office_of=office_of)
    add_adjudication_pages(app, service)

    return app


def number_id(value: int) -> str:
    """12345 -> "12.345" (Indonesian digit grouping)."""
    return f"{value:,}".replace(",", ".")


def percent_id(part: int, whole: int | None) -> str:
    """Coverage as "79,2%"; a dash without a target."""
    return f"{100 * part / whole:.1f}%".replace(".", ",") if whole else "–"
