"""The print room page /cetak (Bahasa Indonesia): the office's card print queue and recent
jobs, "Cetak antrean" (print the queue), "Cetak ulang" with a reason per printed card, and the
head's switch "Suket otomatis bila blanko habis". Translation only: the rules are in service.py.
"""
from __future__ import annotations

from flask import Flask, Response, redirect, render_template, request, url_for

from documents.access import HTTP_POLICY
from documents.domain import OfficePolicy, PrintJobStatus, Priority, office_of
from documents.pages import problem_text
from documents.service import DocumentsService
from servicekit.access import Principal
from servicekit.errors import PermissionDenied, ServiceError, Unauthenticated
from servicekit.status import status_for
from servicekit.web import current_officer

JOB_STATUS_LABELS = {PrintJobStatus.QUEUED: "Antre", PrintJobStatus.PRINTED: "Dicetak",
                     PrintJobStatus.SPOILED: "Rusak", PrintJobStatus.ERROR: "Gagal"}
JOB_STATUS_BADGES = {PrintJobStatus.QUEUED: "text-bg-warning", PrintJobStatus.PRINTED: "text-bg-success",
                     PrintJobStatus.SPOILED: "text-bg-dark", PrintJobStatus.ERROR: "text-bg-danger"}
PRIORITY_LABELS = {Priority.SUKET_HOLDER: "Pemegang Suket", Priority.FIRST_CARD: "KTP-el pertama",
                   Priority.REPLACEMENT: "Penggantian"}
STATUS_PARAMS = {s.value: s for s in PrintJobStatus}




def register_print_pages(app: Flask, service: DocumentsService) -> None:
    app.jinja_env.globals.update(job_status_labels=JOB_STATUS_LABELS, job_status_badges=JOB_STATUS_BADGES,
                                 priority_labels=PRIORITY_LABELS)

    def page(officer: Principal, *, office: str = "", reprint: dict | None = None, problem: str = "",
             status: int = 200):
        office = office or request.args.get("kantor", "").strip() or office_of(officer.scope)
        wanted = STATUS_PARAMS.get(request.args.get("status", ""))
        try:
            queue = service.list_print_jobs(officer, office, wanted)
            policy = service.get_office_policy(officer, office) if office else None
        except ServiceError as exc:
            if isinstance(exc, (PermissionDenied, Unauthenticated)):
                raise
            return render_template("documents/cetak.html", queue=None, office=office, wanted=wanted, policy=None,
                                   problem=problem_text(exc), reprint={}, may={}, run={}), status_for(exc)[1]
        may = {name: HTTP_POLICY.permits(name, officer)
               for name in ("print_backlog", "reprint_card", "office_policy", "batch_sheet")}
        return render_template(
            "documents/cetak.html", queue=queue, office=office, wanted=wanted, policy=policy, problem=problem,
            reprint=reprint or {}, may=may, run=request.args), status

    @app.get("/cetak")
    def print_queue():
        return page(current_officer())

    @app.post("/cetak/antrean")
    def print_backlog():
        officer = current_officer()
        office = request.form.get("kantor", "").strip()
        try:
            run = service.print_backlog(officer, office)
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return page(officer, office=office, problem=problem_text(exc), status=status_for(exc)[1])
        return redirect(url_for("print_queue", kantor=office, dicetak=run.printed, digantikan=run.superseded,
                                sisa=run.remaining, habis=int(run.out_of_stock)), code=303)

    @app.post("/cetak/ulang")
    def reprint_card():
        officer = current_officer()
        document_id, reason = request.form.get("document_id", ""), request.form.get("alasan", "")
        office = request.form.get("kantor", "").strip()
        try:
            job = service.reprint_card(officer, document_id, reason)
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:   # said next to that card's reason field, with what was typed
            return page(officer, office=office, status=status_for(exc)[1],
                        reprint={"document_id": document_id, "reason": reason, "problem": problem_text(exc)})
        return redirect(url_for("print_queue", kantor=office, ulang=job.status.value), code=303)

    @app.post("/cetak/kebijakan")
    def office_policy():
        officer = current_officer()
        office = request.form.get("kantor", "").strip()
        wanted = request.form.get("suket_otomatis") == "1"
        try:
            service.set_office_policy(officer, OfficePolicy(office, wanted))
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return page(officer, office=office, problem=problem_text(exc), status=status_for(exc)[1])
        return redirect(url_for("print_queue", kantor=office), code=303)

    @app.post("/cetak/lembar")
    def batch_sheet():
        """The printer's batch sheet of the printed jobs ticked in the table, one PDF."""
        officer = current_officer()
        office = request.form.get("kantor", "").strip()
        try:
            pdf = service.batch_sheet(officer, request.form.getlist("job_id"))
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return page(officer, office=office, problem=problem_text(exc), status=status_for(exc)[1])
        return Response(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="lembar-cetak-{office or "ktp-el"}.pdf"'})
