"""The wajib-KTP targets pages (/target) and the pick-up drive pages (/jemput-bola).

Translation only: forms become calls to EnrolmentService (target_table, update_targets,
village_coverage, plan_drive, open_drive, close_drive); the service's field violations come back
next to the fields with what was typed kept (HTTP 400). No rule is decided here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from enrolment import domain
from enrolment.service import EnrolmentService
from servicekit.access import Principal
from servicekit.errors import InvalidArgument
from servicekit.web import current_officer

DRIVE_STATE_LABELS = {
    domain.DriveState.PLANNED: _l("Direncanakan"),
    domain.DriveState.OPEN: _l("Dibuka (merekam)"),
    domain.DriveState.CLOSED: _l("Ditutup"),
}
LEVEL_LABELS = {
    domain.RegionLevel.PROVINCE: _l("Provinsi"),
    domain.RegionLevel.REGENCY: _l("Kabupaten/kota"),
    domain.RegionLevel.DISTRICT: _l("Kecamatan"),
    domain.RegionLevel.VILLAGE: _l("Desa/kelurahan"),
}
# Form field of each path a drive plan's violation may name.
_PLAN_FIELDS = {"office_code": "kantor", "planned_for": "tanggal", "team": "tim", "devices": "perangkat",
                "village_codes": "desa"}


def _plan_field(path: str) -> str:
    return _PLAN_FIELDS.get(path.split("[", 1)[0], path)


def add_drive_pages(app: Flask, service: EnrolmentService, *, office_of: Callable[[Principal], str]) -> None:

    # ---- targets -------------------------------------------------------------------------------

    def default_region(officer: Principal) -> str:
        return officer.scope.split(".")[0] if officer.scope and officer.scope[0].isdigit() else ""

    @app.get("/target")
    def targets():
        officer = current_officer()
        wilayah = request.args.get("wilayah", default_region(officer)).strip()
        table = service.target_table(officer, wilayah)
        return render_template("targets.html", table=table, wilayah=wilayah, levels=LEVEL_LABELS,
                               saved=request.args.get("disimpan", type=int))

    @app.route("/target/ubah", methods=["GET", "POST"])
    def edit_targets():
        officer = current_officer()
        wilayah = request.values.get("wilayah", default_region(officer)).strip()
        table = service.target_table(officer, wilayah, for_editing=True)
        editable = {row.region.code for row in table.rows if officer.covers(row.region.code)}
        typed = {code: request.form.get(f"wajib_ktp-{code}", "") for code in editable}
        errors: dict[str, str] = {}
        problem = None
        if request.method == "POST":
            try:
                changed = service.update_targets(officer, typed)
            except InvalidArgument as refused:
                problem = refused.message
                for v in refused.violations:
                    code = v.field.split("[", 1)[1].rstrip("]") if "[" in v.field else ""
                    errors[code] = v.description
            else:
                return redirect(url_for("targets", wilayah=wilayah, disimpan=changed))
        return render_template("targets_edit.html", table=table, wilayah=wilayah, editable=editable,
                               typed=typed if request.method == "POST" else {}, errors=errors, problem=problem,
                               levels=LEVEL_LABELS), (400 if problem else 200)

    # ---- pick-up drives ------------------------------------------------------------------------

    @app.get("/jemput-bola")
    def drives():
        officer = current_officer()
        office = office_of(officer)
        return render_template("drives.html", office=office, drives=service.list_drives(officer, office),
                               state_labels=DRIVE_STATE_LABELS)

    @app.route("/jemput-bola/rencana", methods=["GET", "POST"])
    def plan_drive():
        officer = current_officer()
        office = request.values.get("kantor", "").strip() or office_of(officer)
        in_kecamatan = domain.region_level(officer.scope) is domain.RegionLevel.DISTRICT \
            and domain.regency_of(officer.scope) == office
        area = officer.scope if in_kecamatan else office
        coverage = service.village_coverage(officer, area)
        proposed = [v.region.code for v in coverage if v.not_yet_recorded > 0][:domain.PROPOSED_VILLAGES]
        tomorrow = (dt.datetime.now(domain.RECORDING_TZ).date() + dt.timedelta(days=1)).isoformat()
        form = {"tanggal": tomorrow, "tim": officer.subject, "perangkat": "", "desa": proposed}
        errors: dict[str, str] = {}
        problem = None
        if request.method == "POST":
            form = {"tanggal": request.form.get("tanggal", "").strip(), "tim": request.form.get("tim", ""),
                    "perangkat": request.form.get("perangkat", ""), "desa": request.form.getlist("desa")}
            plan = domain.DrivePlan(office_code=office, village_codes=tuple(form["desa"]),
                                    planned_for=form["tanggal"], team=domain.split_list(form["tim"]),
                                    devices=domain.split_list(form["perangkat"]))
            try:
                drive = service.plan_drive(officer, plan) if plan.village_codes else None
            except InvalidArgument as refused:
                problem = refused.message
                for v in refused.violations:
                    errors.setdefault(_plan_field(v.field), v.description)
            else:
                if drive is None:   # the page always asks for desa: the proposal is pre-ticked
                    problem = _l("Rencana jemput bola tidak valid; perbaiki kolom yang disebutkan.")
                    errors["desa"] = _l("Pilih paling sedikit satu desa/kelurahan tujuan.")
                else:
                    return redirect(url_for("drive", drive_id=drive.id))
        return render_template("drive_plan.html", office=office, area=area, coverage=coverage, proposed=proposed,
                               form=form, errors=errors, problem=problem), (400 if problem else 200)

    @app.get("/jemput-bola/<int:drive_id>")
    def drive(drive_id: int):
        found = service.drive_progress(current_officer(), drive_id)
        return render_template("drive.html", drive=found, state_labels=DRIVE_STATE_LABELS, DriveState=domain.DriveState)

    def drive_action(drive_id: int, action: str, act: Callable[[Principal, int], domain.Drive]):
        officer = current_officer()
        if request.method == "POST":
            act(officer, drive_id)
            return redirect(url_for("drive", drive_id=drive_id))
        found = service.drive_progress(officer, drive_id)
        return render_template("drive_confirm.html", drive=found, action=action, state_labels=DRIVE_STATE_LABELS,
                               DriveState=domain.DriveState)

    @app.route("/jemput-bola/<int:drive_id>/mulai", methods=["GET", "POST"])
    def open_drive(drive_id: int):
        return drive_action(drive_id, "open", service.open_drive)

    @app.route("/jemput-bola/<int:drive_id>/tutup", methods=["GET", "POST"])
    def close_drive(drive_id: int):
        return drive_action(drive_id, "close", service.close_drive)
