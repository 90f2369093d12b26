"""The officer's recording pages: the record form (/rekam) and the search by NIK or name (/cari).

Translation only: the form becomes a domain.RecordingRequest for EnrolmentService.record_resident,
the service's field violations come back next to the form's fields (values kept, HTTP 400), and
the search form calls EnrolmentService.search_recordings. No rule is decided here.

Nothing personal travels in a URL: the record form and both searches are POSTed (a NIK or a name
in a query string would end up in access logs and browser history); paging a search re-POSTs
the query with the page number.
"""
from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Mapping

from flask import Flask, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from enrolment import capture_file, domain
from enrolment.domain import (
    Biometrics,
    Citizenship,
    DriveState,
    MaritalStatus,
    RecordingRequest,
    RecordingType,
    Region,
    Religion,
    Resident,
    Sex,
)
from enrolment.errors import RegionNotFound
from enrolment.service import EnrolmentService
from servicekit.access import Principal
from servicekit.errors import FailedPrecondition, InvalidArgument
from servicekit.status import status_for
from servicekit.web import current_officer

# The resident's text fields, in the form's order: (form field, label).
TEXT_FIELDS = ("nik", "kk_number", "full_name", "birth_place", "birth_date", "address", "rt", "rw",
               "occupation", "mother_name", "father_name")
IMAGE_FIELDS = ("face_photo", "signature")
# The form field that shows a violation of each request path that is not "resident.<field>".
FIELD_OF_PATH = {"office_code": "region_code", "biometrics.face_photo": "face_photo",
                 "biometrics.signature": "signature", "biometrics.template_digest": "capture_file",
                 capture_file.FIELD: "capture_file", "drive_id": "drive_id", "recording_type": "recording_type"}

SEX_LABELS = {Sex.MALE: _l("Laki-laki"), Sex.FEMALE: _l("Perempuan")}
RELIGION_LABELS = {Religion.ISLAM: _l("Islam"), Religion.KRISTEN: _l("Kristen"), Religion.KATOLIK: _l("Katolik"),
                   Religion.HINDU: _l("Hindu"), Religion.BUDDHA: _l("Buddha"), Religion.KHONGHUCU: _l("Khonghucu"),
                   Religion.KEPERCAYAAN: _l("Kepercayaan terhadap Tuhan YME")}
MARITAL_LABELS = {MaritalStatus.SINGLE: _l("Belum kawin"), MaritalStatus.MARRIED: _l("Kawin"),
                  MaritalStatus.DIVORCED: _l("Cerai hidup"), MaritalStatus.WIDOWED: _l("Cerai mati")}
RECORDING_TYPE_LABELS = {RecordingType.NEW: _l("Baru"), RecordingType.MOVED_IN: _l("Pindah datang"),
                         RecordingType.DATA_CHANGE: _l("Perubahan data"),
                         RecordingType.REPLACEMENT: _l("Pengganti (kartu hilang/rusak)")}
CITIZENSHIP_LABELS = {Citizenship.WNI: _l("WNI"), Citizenship.WNA: _l("WNA")}
BLOOD_TYPES = ("", "A", "B", "AB", "O")

# Room for two images (512 KiB each) kept across a failed submission as base64, plus the rest.
MAX_FORM_MEMORY = 2 * 1024 * 1024
MAX_CONTENT = 4 * 1024 * 1024


def form_field(path: str) -> str:
    """The form field that shows a violation of request field `path` ("" = the form as a whole)."""
    if path.startswith("resident."):
        return path.removeprefix("resident.")
    if path.startswith("biometrics.qualities"):
        return "capture_file"
    return FIELD_OF_PATH.get(path, "")


def _is_number(text: str) -> bool:
    """ASCII digits that fit a database integer (a form field, not yet a request)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def _enum(kind, value: str):
    try:
        return kind(value)
    except ValueError:
        return kind("UNSPECIFIED")


def add_recording_pages(app: Flask, service: EnrolmentService, *, office_of: Callable[[Principal], str],
                        state_labels: Mapping) -> None:
    """The record form and the search on `app`; `office_of(officer)`: the Dinas an officer records for."""
    app.config.update(MAX_FORM_MEMORY_SIZE=MAX_FORM_MEMORY, MAX_CONTENT_LENGTH=MAX_CONTENT)
    policy = app.config["EKTP_GATE"].policy

    @app.context_processor
    def _links() -> dict:
        """`may_open(endpoint)`: whether the signed-in officer's role opens a page (links to show)."""
        def may_open(endpoint: str) -> bool:
            rule = policy.rule(endpoint)
            return rule is not None and g.get("principal") is not None and rule.allows(g.principal)
        return {"may_open": may_open}

    def villages(officer: Principal, office: str) -> list[tuple[Region, list[Region]]]:
        """The desa/kelurahan an officer may record, grouped by kecamatan of the office."""
        groups = []
        for kecamatan in service.list_regions(officer, office):
            if not officer.sees(kecamatan.code) or kecamatan.historic:
                continue
            desa = [r for r in service.list_regions(officer, kecamatan.code) if officer.covers(r.code) and not r.historic]
            if desa:
                groups.append((kecamatan, desa))
        return groups

    def form_page(values: dict, errors: dict[str, list[str]], *, problem: str = "", kept: dict[str, str] | None = None,
                  status: int = 200):
        officer = current_officer()
        office = office_of(officer)
        return render_template(
            "record_form.html", values=values, errors=errors, problem=problem, kept=kept or {},
            office_code=office, villages=villages(officer, office), sex_labels=SEX_LABELS,
            recording_type_labels=RECORDING_TYPE_LABELS,
            drives=service.list_drives(officer, office, DriveState.OPEN),
            religion_labels=RELIGION_LABELS, marital_labels=MARITAL_LABELS,
            citizenship_labels=CITIZENSHIP_LABELS, blood_types=BLOOD_TYPES,
            max_image_kib=domain.MAX_IMAGE_BYTES // 1024, capture_format=capture_file.FORMAT), status

    def upload(name: str, limit: int) -> bytes:
        """A freshly chosen file, else the one kept from the previous submission (base64)."""
        chosen = request.files.get(name)
        if chosen is not None and chosen.filename:
            return chosen.stream.read(limit + 1)   # one byte over the limit is enough to refuse it
        try:
            return base64.b64decode(request.form.get(f"{name}_kept", ""), validate=True)[:limit + 1]
        except (binascii.Error, ValueError):
            return b""

    @app.route("/rekam", methods=["GET", "POST"])
    def record_form():
        if request.method == "GET":
            return form_page({"request_id": str(uuid.uuid4()), "recording_type": RecordingType.NEW.value}, {})
        officer = current_officer()
        values = {name: request.form.get(name, "") for name in
                  (*TEXT_FIELDS, "sex", "religion", "marital_status", "citizenship", "blood_type", "region_code",
                   "request_id", "recording_type", "drive_id")}
        images = {name: upload(name, domain.MAX_IMAGE_BYTES) for name in IMAGE_FIELDS}
        capture = upload("capture_file", capture_file.MAX_BYTES)
        kept = {name: base64.b64encode(data).decode() for name, data in (*images.items(), ("capture_file", capture))
                if data and len(data) <= (capture_file.MAX_BYTES if name == "capture_file" else domain.MAX_IMAGE_BYTES)}
        unreadable: dict[str, list[str]] = {}   # what cannot even become a request
        try:
            qualities, digest = capture_file.parse(capture)
        except capture_file.CaptureFileError as bad:
            kept.pop("capture_file", None)
            unreadable["capture_file"] = [bad.violation.description]
        values["recording_type"] = values["recording_type"] or RecordingType.NEW.value   # not sent: the default
        if values["recording_type"] not in set(RecordingType):
            unreadable["recording_type"] = [_("Pilih jenis perekaman.")]
        if values["drive_id"] and not _is_number(values["drive_id"]):
            unreadable["drive_id"] = [_("Pilih jemput bola dari daftar, atau kosongkan untuk perekaman di kantor.")]
        if unreadable:
            return form_page(values, unreadable, kept=kept, status=400,
                             problem=_("Formulir tidak dapat dibaca; perbaiki kolom yang ditandai."))
        resident = Resident(
            nik=values["nik"].strip(), kk_number=values["kk_number"].strip(), full_name=values["full_name"],
            birth_place=values["birth_place"], birth_date=values["birth_date"].strip(),
            sex=_enum(Sex, values["sex"]), blood_type=values["blood_type"], address=values["address"],
            rt=values["rt"], rw=values["rw"], region_code=values["region_code"],
            religion=_enum(Religion, values["religion"]), marital_status=_enum(MaritalStatus, values["marital_status"]),
            occupation=values["occupation"], citizenship=_enum(Citizenship, values["citizenship"]),
            mother_name=values["mother_name"], father_name=values["father_name"])
        recording_request = RecordingRequest(
            resident=resident, office_code=office_of(officer),
            biometrics=Biometrics(qualities, digest, images["face_photo"], images["signature"]),
            request_id=values["request_id"][:domain.MAX_REQUEST_ID],
            drive_id=int(values["drive_id"]) if values["drive_id"] else None,
            recording_type=RecordingType(values["recording_type"]))
        try:
            recording = service.record_resident(officer, recording_request)
        except (InvalidArgument, FailedPrecondition) as refused:
            errors: dict[str, list[str]] = {}
            for violation in refused.violations:
                errors.setdefault(form_field(violation.field), []).append(violation.description)
            for name in [*IMAGE_FIELDS, "capture_file"]:
                if name in errors:
                    kept.pop(name, None)   # a refused file is not carried over
            return form_page(values, errors, problem=refused.message, kept=kept, status=status_for(refused)[1])
        return redirect(url_for("recording", register_number=recording.register_number, baru=1))

    @app.route("/cari", methods=["GET", "POST"])
    def search():
        if request.method == "GET":
            return render_template("search.html", values={}, errors={}, result=None, labels=state_labels)
        values = {"nik": request.form.get("nik", ""), "name": request.form.get("name", "")}
        page = request.form.get("page", "1")
        try:
            result = service.search_recordings(current_officer(), nik=values["nik"], name=values["name"],
                                               page=int(page) if _is_number(page) else 0)
        except InvalidArgument as refused:
            errors: dict[str, list[str]] = {}
            for violation in refused.violations:
                errors.setdefault(violation.field, []).append(violation.description)
            return render_template("search.html", values=values, errors=errors, result=None, problem=refused.message,
                                   labels=state_labels), 400
        return render_template("search.html", values=values, errors={}, result=result, labels=state_labels,
                               region_names=region_names(current_officer(), {r.resident.region_code
                                                                              for r in result.recordings}))

    def region_names(officer: Principal, codes: set[str]) -> dict[str, str]:
        names = {}
        for code in sorted(codes):
            try:
                names[code] = service.get_region(officer, code).name
            except RegionNotFound:
                names[code] = ""
        return names
