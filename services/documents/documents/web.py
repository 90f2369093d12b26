"""Pages of the documents service (Bahasa Indonesia): overview, lookup, PDF download."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, render_template, request

from documents.domain import DocumentKind, DocumentStatus, local_date, register_number_problem
from documents.service import DocumentsService
from servicekit.metrics import ServiceMetrics
from servicekit.web import create_base_app

KIND_LABELS = {DocumentKind.CARD: "Cetak KTP-el", DocumentKind.SUKET: "Suket"}
STATUS_LABELS = {DocumentStatus.ISSUED: "Berlaku", DocumentStatus.PRINTED: "Dicetak",
                 DocumentStatus.SUPERSEDED: "Digantikan", DocumentStatus.EXPIRED: "Kedaluwarsa",
                 DocumentStatus.VOID: "Dibatalkan"}
STATUS_BADGES = {DocumentStatus.ISSUED: "text-bg-warning", DocumentStatus.PRINTED: "text-bg-success",
                 DocumentStatus.SUPERSEDED: "text-bg-secondary", DocumentStatus.EXPIRED: "text-bg-danger",
                 DocumentStatus.VOID: "text-bg-dark"}


def create_app(*, service: DocumentsService, metrics: ServiceMetrics, ready_check: Callable[[], bool],
               links: dict[str, str] | None = None) -> Flask:
    app = create_base_app(context_name="documents", title="Dokumen", metrics=metrics,
                          ready_check=ready_check, links=links)

    @app.context_processor
    def _labels() -> dict:
        return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES}

    @app.template_filter("tanggal")
    def _tanggal(moment) -> str:
        """A timestamp as its date in WIB, dd-mm-yyyy."""
        return local_date(moment).strftime("%d-%m-%Y")

    @app.get("/")
    def index():
        nomor = request.args.get("nomor", "").strip()
        found, problem = None, None
        if nomor:
            problem = register_number_problem(nomor)
            if problem is None:
                found = service.list_documents(nomor)
        overview = service.overview()
        status = 400 if problem else 200
        return render_template("documents/index.html", overview=overview, nomor=nomor, found=found,
                               problem=problem), status

    @app.get("/dokumen/<document_id>.pdf")
    def document_pdf(document_id: str):
        pdf = service.document_pdf(document_id)
        return Response(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="dokumen-{document_id}.pdf"'})

    return app
