"""Pages of the documents service (Bahasa Indonesia): overview, lookup, PDF, the Suket counter.

Every page acts as the signed-in officer (`current_officer()`); what the officer may see or
do is decided by the access table and service.py. The page only asks the same table whether
to offer the PDF links and the counter form, so it never shows a button that leads to a 403.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Flask, Response, redirect, render_template, request, url_for

from documents.access import HTTP_POLICY
from documents.distribution_service import DistributionService
from documents.distribution_web import register_distribution_pages
from documents.domain import DocumentKind, DocumentStatus, local_date, register_number_problem
from documents.pages import problem_text
from documents.print_web import register_print_pages
from documents.service import DocumentsService
from documents.verification_web import register_verification_pages
from servicekit.access import Principal
from servicekit.errors import PermissionDenied, ServiceError, Unauthenticated
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for
from servicekit.web import WebGate, create_base_app, current_officer

KIND_LABELS = {DocumentKind.CARD: "Cetak KTP-el", DocumentKind.SUKET: "Suket"}
STATUS_LABELS = {DocumentStatus.ISSUED: "Berlaku", DocumentStatus.PRINTED: "Dicetak",
                 DocumentStatus.SUPERSEDED: "Digantikan", DocumentStatus.EXPIRED: "Kedaluwarsa",
                 DocumentStatus.VOID: "Dibatalkan"}
STATUS_BADGES = {DocumentStatus.ISSUED: "text-bg-warning", DocumentStatus.PRINTED: "text-bg-success",
                 DocumentStatus.SUPERSEDED: "text-bg-secondary", DocumentStatus.EXPIRED: "text-bg-danger",
                 DocumentStatus.VOID: "text-bg-dark"}


def create_app(*, service: DocumentsService, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               gate: WebGate, distribution: DistributionService | None = None) -> Flask:
    app = create_base_app(context_name="documents", title="Dokumen", metrics=metrics,
                          ready_check=ready_check, gate=gate)

    @app.context_processor
    def _labels() -> dict:
        return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES}

    @app.template_filter("tanggal")
    def _tanggal(moment) -> str:
        """A timestamp as its date in WIB, dd-mm-yyyy."""
        return local_date(moment).strftime("%d-%m-%Y")

    def render_index(officer: Principal, *, suket_number: str = "", suket_problem: str | None = None,
                     status: int = 200):
        nomor = request.args.get("nomor", "").strip()
        found, problem = None, None
        if nomor:
            problem = register_number_problem(nomor)
            if problem is None:
                found = service.list_documents(officer, nomor)
        issued = request.args.get("terbit", "")
        issued = next((d for d in found or () if d.document_id == issued), None)
        overview = service.overview(officer)
        if problem and status == 200:
            status = 400
        return render_template(
            "documents/index.html", overview=overview, nomor=nomor, found=found, problem=problem,
            issued=issued, can_print=HTTP_POLICY.permits("document_pdf", officer), can_issue=HTTP_POLICY.permits("issue_suket", officer),
            can_print_queue=HTTP_POLICY.permits("print_queue", officer),
            suket_number=suket_number, suket_problem=suket_problem, request_id=str(uuid.uuid4())), status

    @app.get("/")
    def index():
        return render_index(current_officer())

    @app.post("/suket")
    def issue_suket():
        officer = current_officer()
        number = request.form.get("nomor_suket", "").strip()
        try:
            suket = service.issue_suket(officer, number, request.form.get("request_id", ""))
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:  # said next to the field, with what the officer typed
            return render_index(officer, suket_number=number, suket_problem=problem_text(exc),
                                status=status_for(exc)[1])
        return redirect(url_for("index", nomor=suket.register_number, terbit=suket.document_id), code=303)

    @app.get("/dokumen/<document_id>.pdf")
    def document_pdf(document_id: str):
        pdf = service.document_pdf(current_officer(), document_id)
        return Response(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="dokumen-{document_id}.pdf"'})

    register_verification_pages(app, service)
    register_print_pages(app, service)
    if distribution is not None:
        register_distribution_pages(app, distribution)
    return app
