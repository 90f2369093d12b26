"""Flask pages of the inventory service (Bahasa Indonesia): stock of the offices the signed-in officer
sees, and national procurement."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from flask import Flask, redirect, render_template, request, url_for

from inventory.access import HTTP_POLICY
from inventory.domain import (
    BACKLOG_SOURCE_NAMES,
    REQUEST_KIND_NAMES,
    REQUEST_STATE_NAMES,
    STATUS_NAMES,
    BacklogSource,
    ContractTerms,
    ProcurementChannel,
    ProcurementStatus,
    RequestKind,
    RequestState,
    StockLevel,
    proposed_quantity,
)
from inventory.errors import FieldViolation, InvalidRequest
from inventory.ledger_web import register_ledger_pages
from inventory.service import InventoryService
from servicekit.access import Principal
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, ServiceError
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for
from servicekit.web import WebGate, create_base_app, current_officer

STATUS_LABELS = STATUS_NAMES   # the names officers read, shared with the domain's messages
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

    register_planning_pages(app, service)
    register_ledger_pages(app, service, offices)
    return app


# ---- procurement board, requests for blanks, public stock announcement (H6) --------------

REQUEST_BADGES = {RequestState.SUBMITTED: "warning", RequestState.APPROVED: "info", RequestState.RECEIVED: "success",
                  RequestState.REJECTED: "danger", RequestState.WITHDRAWN: "secondary"}
LEVEL_LABELS = {StockLevel.OK: ("Aman", "success"), StockLevel.LOW: ("Menipis", "warning"),
                StockLevel.OUT: ("Habis", "danger")}
FORM_STATUSES = [s for s in ProcurementStatus if s is not ProcurementStatus.DELIVERY]


def may(endpoint: str, officer: Principal | None) -> bool:
    """Whether the page should offer a form: the same rule the gate applies when it is sent."""
    return HTTP_POLICY.permits(endpoint, officer)


def form_problems(exc: ServiceError) -> tuple[dict[str, str], str]:
    """(field -> what to fix, message for the top of the form) of a refused form."""
    return {v.field: v.description for v in exc.violations}, exc.message


def _int(name: str) -> int:
    """A whole number typed in a form ("8.000.000" and "8000000" alike); -1 when it is not one,
    which the use case refuses next to the field like any other bad number."""
    raw = request.form.get(name, "").strip().replace(".", "").replace(" ", "")
    return int(raw) if raw.isdigit() and len(raw) <= 18 else (0 if not raw else -1)


def _day(name: str) -> dt.datetime | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest("Periksa tanggal.", violations=[
            FieldViolation(name, "tanggal berformat YYYY-MM-DD")]) from None
    return dt.datetime.combine(day, dt.time(9, 0), WIB)


def register_planning_pages(app: Flask, service: InventoryService) -> None:
    app.jinja_env.globals.update(request_state_names=REQUEST_STATE_NAMES, request_kind_names=REQUEST_KIND_NAMES,
                                 backlog_source_names=BACKLOG_SOURCE_NAMES, request_badges=REQUEST_BADGES,
                                 level_labels=LEVEL_LABELS, may=may)

    # -- procurement ------------------------------------------------------------------

    def board(status: int = 200, errors: dict | None = None, problem: str = ""):
        officer = current_officer()
        packages = [service.get_package(officer, p.package_id) for p in service.list_packages(officer)]
        return render_template("pengadaan.html", packages=packages, channels=list(ProcurementChannel),
                               errors=errors or {}, problem=problem, form=request.form), status

    @app.get("/pengadaan")
    def procurement_board():
        return board()

    @app.post("/pengadaan")
    def create_procurement():
        form = request.form
        try:
            channel = ProcurementChannel.__members__.get(form.get("channel", ""))
            if channel is None:
                raise InvalidRequest("Periksa jalur.", violations=[FieldViolation("channel", "pilih Tender atau E-katalog")])
            package = service.create_package(
                current_officer(), fiscal_year=_int("fiscal_year"), name=form.get("name", ""),
                quantity=_int("quantity"), estimated_value_idr=_int("estimated_value_idr"), channel=channel,
                at=_day("planned_at"))
        except (InvalidArgument, AlreadyExists) as exc:
            return board(status_for(exc)[1], *form_problems(exc))
        return redirect(url_for("procurement_package", package_id=package.package_id), code=303)

    def package_page(package_id: str, status: int = 200, errors: dict | None = None, problem: str = "",
                     which: str = ""):
        officer = current_officer()
        detail = service.get_package(officer, package_id)
        return render_template("pengadaan_paket.html", detail=detail, p=detail.package, statuses=FORM_STATUSES,
                               errors=errors or {}, problem=problem, which=which, form=request.form), status

    @app.get("/pengadaan/<package_id>")
    def procurement_package(package_id: str):
        return package_page(package_id)

    @app.post("/pengadaan/<package_id>/status")
    def change_procurement_status(package_id: str):
        form = request.form
        try:
            status = ProcurementStatus.__members__.get(form.get("status", ""))
            if status is None:
                raise InvalidRequest("Periksa status.", violations=[FieldViolation("status", "pilih status baru")])
            expected = form.get("expected_delivery_on", "").strip()
            terms = ContractTerms(vendor=form.get("vendor", ""), contract_number=form.get("contract_number", ""),
                                  contract_value_idr=max(_int("contract_value_idr"), 0),
                                  expected_delivery_on=_day("expected_delivery_on").date() if expected else None)
            service.change_status(current_officer(), package_id, status, form.get("reason", ""),
                                  _day("changed_at"), terms)
        except (InvalidArgument, FailedPrecondition) as exc:
            return package_page(package_id, status_for(exc)[1], *form_problems(exc), which="status")
        return redirect(url_for("procurement_package", package_id=package_id), code=303)

    @app.post("/pengadaan/<package_id>/pengiriman")
    def record_delivery(package_id: str):
        form = request.form
        try:
            service.record_delivery(current_officer(), package_id, form.get("first_serial", "").strip(),
                                    form.get("last_serial", "").strip(), _day("delivered_at"),
                                    form.get("reference", ""))
        except (InvalidArgument, FailedPrecondition, AlreadyExists) as exc:
            return package_page(package_id, status_for(exc)[1], *form_problems(exc), which="delivery")
        return redirect(url_for("procurement_package", package_id=package_id), code=303)

    # -- requests for blanks ------------------------------------------------------------

    def requests_page(status: int = 200, errors: dict | None = None, problem: str = ""):
        officer = current_officer()
        home = ".".join(officer.scope.split(".")[:2]) if not officer.is_service else ""
        proposal = forecast = None
        if home and home.count(".") == 1:
            backlog = max(_int_arg("backlog"), 0)
            forecast = service.forecast(officer, home, backlog)
            proposal = (home, forecast.available, backlog, proposed_quantity(backlog, forecast.available))
        return render_template("permintaan.html", requests=service.list_requests(officer), home=home,
                               proposal=proposal, forecast=forecast, kinds=list(RequestKind),
                               sources=list(BacklogSource),
                               errors=errors or {}, problem=problem, form=request.form), status

    def _int_arg(name: str) -> int:
        raw = request.args.get(name, "").strip().replace(".", "")
        return int(raw) if raw.isdigit() and len(raw) <= 9 else 0

    @app.get("/permintaan")
    def blank_requests():
        return requests_page()

    @app.post("/permintaan")
    def create_blank_request():
        form = request.form
        try:
            kind = RequestKind.__members__.get(form.get("kind", ""))
            source = BacklogSource.__members__.get(form.get("backlog_source", ""), BacklogSource.OFFICER)
            if kind is None:
                raise InvalidRequest("Periksa jenis.", violations=[FieldViolation("kind", "pilih Alokasi atau Pinjaman")])
            created = service.create_request(
                current_officer(), kind=kind, office_code=form.get("office_code", "").strip(),
                quantity=_int("quantity"), backlog=_int("backlog"), backlog_source=source,
                lender_office=form.get("lender_office", "").strip() if kind is RequestKind.LOAN else "",
                note=form.get("note", ""))
        except InvalidArgument as exc:
            return requests_page(status_for(exc)[1], *form_problems(exc))
        return redirect(url_for("blank_request", request_id=created.request_id), code=303)

    def request_page(request_id: str, status: int = 200, errors: dict | None = None, problem: str = ""):
        officer = current_officer()
        found = service.get_request(officer, request_id)
        transfer = service.get_transfer(officer, found.transfer_id) if found.transfer_id else None
        return render_template("permintaan_detail.html", r=found, transfer=transfer, errors=errors or {},
                               problem=problem,
                               form=request.form, can_decide=officer.covers(found.supplier_office),
                               can_receive=officer.covers(found.office_code)), status

    @app.get("/permintaan/<request_id>")
    def blank_request(request_id: str):
        return request_page(request_id)

    @app.post("/permintaan/<request_id>/keputusan")
    def decide_blank_request(request_id: str):
        form = request.form
        try:
            service.decide_request(current_officer(), request_id, approve=form.get("decision") == "approve",
                                   quantity=_int("quantity"), reason=form.get("reason", ""))
        except (InvalidArgument, FailedPrecondition) as exc:
            return request_page(request_id, status_for(exc)[1], *form_problems(exc))
        return redirect(url_for("blank_request", request_id=request_id), code=303)

    @app.post("/permintaan/<request_id>/batal")
    def withdraw_blank_request(request_id: str):
        try:
            service.withdraw_request(current_officer(), request_id)
        except FailedPrecondition as exc:
            return request_page(request_id, status_for(exc)[1], *form_problems(exc))
        return redirect(url_for("blank_request", request_id=request_id), code=303)

    @app.post("/permintaan/<request_id>/terima")
    def receive_blank_request(request_id: str):
        try:
            service.receive_request(current_officer(), request_id)
        except FailedPrecondition as exc:
            return request_page(request_id, status_for(exc)[1], *form_problems(exc))
        return redirect(url_for("blank_request", request_id=request_id), code=303)

    # -- the public daily announcement ---------------------------------------------------

    @app.get("/pengumuman/<office_code>")
    def stock_announcement(office_code: str):
        """Public (no login): the office's blank stock today and when more is expected. Counts
        and procurement status only; nothing about any resident."""
        office, forecast = service.announcement(office_code)
        return render_template("pengumuman.html", office=office, f=forecast, today=dt.datetime.now(WIB))
