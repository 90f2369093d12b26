"""The adjudication queue pages (/adjudikasi): the Dinas compares a suspected duplicate with the
earlier recording it resembles and decides it.

Translation only: the list is `EnrolmentService.list_adjudications`, the form posts to
`resolve_duplicate`; a refused decision comes back next to its field with what was typed kept
(HTTP 400). The comparison shows which fields agree and how closely, never their values: the
officer opens either recording (an audited read) when the documents must be seen.
"""
from __future__ import annotations

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from enrolment import domain
from enrolment.service import EnrolmentService
from servicekit.errors import FailedPrecondition, InvalidArgument
from servicekit.status import status_for
from servicekit.web import current_officer

RECORDING_TYPE_LABELS = {
    domain.RecordingType.NEW: _l("Baru"),
    domain.RecordingType.MOVED_IN: _l("Pindah datang"),
    domain.RecordingType.DATA_CHANGE: _l("Perubahan data"),
    domain.RecordingType.REPLACEMENT: _l("Pengganti (hilang/rusak)"),
}
DECISION_LABELS = {
    domain.AdjudicationDecision.SAME_PERSON: _l("Orang yang sama (tetap duplikat)"),
    domain.AdjudicationDecision.DIFFERENT_PERSON: _l("Orang berbeda (lanjut siap cetak)"),
    domain.AdjudicationDecision.FRAUD: _l("Pemalsuan (gagal, ditandai)"),
}
REASON_LABELS = {
    domain.REASON_NIK: _l("NIK sama"),
    domain.REASON_TEMPLATE: _l("Templat biometrik sama"),
    domain.REASON_DEMOGRAPHIC: _l("Data demografi mirip"),
    **{m.value: _l("Templat %(modality)s sama", modality=label) for m, label in domain.MODALITY_LABELS.items()},
}
FIELD_LABELS = {
    "birth_date": _l("Tanggal lahir"), "full_name": _l("Nama lengkap"), "birth_place": _l("Tempat lahir"),
    "mother_name": _l("Nama ibu"), "father_name": _l("Nama ayah"),
}


def add_adjudication_pages(app: Flask, service: EnrolmentService) -> None:

    @app.get("/adjudikasi")
    def adjudications():
        officer = current_officer()
        include_resolved = request.args.get("semua") == "1"
        entries = service.list_adjudications(officer, include_resolved=include_resolved)
        return render_template("adjudications.html", entries=entries, include_resolved=include_resolved,
                               reasons=REASON_LABELS, decisions=DECISION_LABELS,
                               resolved=request.args.get("diputuskan", ""))

    @app.route("/adjudikasi/<register_number>", methods=["GET", "POST"])
    def adjudication(register_number: str):
        officer = current_officer()
        entry = service.get_adjudication(officer, register_number)
        form = {"keputusan": "", "catatan": ""}
        errors: dict[str, str] = {}
        problem, status = None, 200
        if request.method == "POST":
            form = {"keputusan": request.form.get("keputusan", ""), "catatan": request.form.get("catatan", "")}
            decision = next((d for d in domain.AdjudicationDecision if d.value == form["keputusan"]), None)
            try:
                service.resolve_duplicate(officer, register_number, decision, form["catatan"])
            except (InvalidArgument, FailedPrecondition) as refused:
                problem, status = refused.message, status_for(refused)[1]
                for v in refused.violations:
                    errors[{"decision": "keputusan", "note": "catatan"}.get(v.field, v.field)] = v.description
                entry = service.get_adjudication(officer, register_number)
            else:
                return redirect(url_for("adjudications", diputuskan=register_number))
        return render_template("adjudication.html", entry=entry, form=form, errors=errors, problem=problem,
                               reasons=REASON_LABELS, decisions=DECISION_LABELS, fields=FIELD_LABELS), status
