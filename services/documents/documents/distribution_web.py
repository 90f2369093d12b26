"""Pages of shortage letters (/surat-kekosongan) and distribution (/distribusi), in Bahasa
Indonesia. Translation only: the rules are in documents.distribution_service.

Every form is a POST with its CSRF token; the NIK of the handover form travels only in the
POST body, never in a URL, and is shown again only in the answer to that same POST.
"""
from __future__ import annotations

import uuid

from flask import Flask, Response, redirect, render_template, request, url_for

from documents.access import HTTP_POLICY
from documents.distribution import BatchStatus
from documents.distribution_service import DistributionService
from documents.domain import office_of
from documents.pages import problem_text
from servicekit.access import Principal
from servicekit.errors import PermissionDenied, ServiceError, Unauthenticated
from servicekit.status import status_for
from servicekit.web import current_officer

BATCH_STATUS_LABELS = {BatchStatus.PACKED: "Dikemas", BatchStatus.DISPATCHED: "Dikirim",
                       BatchStatus.RECEIVED: "Diterima kecamatan", BatchStatus.CLOSED: "Selesai"}
BATCH_STATUS_BADGES = {BatchStatus.PACKED: "text-bg-secondary", BatchStatus.DISPATCHED: "text-bg-primary",
                       BatchStatus.RECEIVED: "text-bg-warning", BatchStatus.CLOSED: "text-bg-success"}


def _pdf(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


def register_distribution_pages(app: Flask, service: DistributionService) -> None:
    app.jinja_env.globals.update(batch_status_labels=BATCH_STATUS_LABELS, batch_status_badges=BATCH_STATUS_BADGES)

    # ---- shortage letters ----------------------------------------------------------------------

    def letters_page(officer: Principal, problem: str = "", status: int = 200):
        office = office_of(officer.scope)
        return render_template("documents/surat_kekosongan.html", office=office,
                               sets=service.letter_sets(officer, office), problem=problem,
                               created=request.args.get("kumpulan", ""), request_id=str(uuid.uuid4())), status

    @app.get("/surat-kekosongan")
    def shortage_letters():
        return letters_page(current_officer())

    @app.post("/surat-kekosongan")
    def create_shortage_letters():
        officer = current_officer()
        try:
            created = service.create_shortage_letters(officer, office_of(officer.scope),
                                                      request.form.get("request_id", ""))
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return letters_page(officer, problem_text(exc), status_for(exc)[1])
        return redirect(url_for("shortage_letters", kumpulan=created.letter_set.set_id), code=303)

    @app.get("/surat-kekosongan/surat/<letter_id>.pdf")
    def shortage_letter_pdf(letter_id: str):
        letter, pdf = service.letter_pdf(current_officer(), letter_id)
        return _pdf(pdf, f"surat-{letter.letter_id}.pdf")

    @app.get("/surat-kekosongan/<set_id>/daftar-kirim.pdf")
    def shortage_dispatch_pdf(set_id: str):
        return _pdf(service.dispatch_list_pdf(current_officer(), set_id), f"daftar-kirim-{set_id}.pdf")

    # ---- distribution batches ------------------------------------------------------------------

    def batches_page(officer: Principal, problem: str = "", status: int = 200):
        office = office_of(officer.scope)
        return render_template("documents/distribusi.html", office=office,
                               batches=service.list_batches(officer, office), problem=problem,
                               packed=request.args.get("dikemas"), can_pack=HTTP_POLICY.permits("create_batches", officer),
                               can_dispatch=HTTP_POLICY.permits("dispatch_batch", officer)), status

    @app.get("/distribusi")
    def distribution():
        return batches_page(current_officer())

    @app.post("/distribusi/kemas")
    def create_batches():
        officer = current_officer()
        try:
            batches = service.create_distribution_batches(officer, office_of(officer.scope))
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return batches_page(officer, problem_text(exc), status_for(exc)[1])
        return redirect(url_for("distribution", dikemas=len(batches)), code=303)

    @app.post("/distribusi/<batch_id>/kirim")
    def dispatch_batch(batch_id: str):
        officer = current_officer()
        try:
            service.dispatch_batch(officer, batch_id)
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return batches_page(officer, problem_text(exc), status_for(exc)[1])
        return redirect(url_for("distribution"), code=303)

    def detail_page(officer: Principal, batch_id: str, *, errors: dict[str, str] | None = None,
                    typed: dict[str, str] | None = None, problem: str = "", status: int = 200):
        batch, _ = service.get_batch(officer, batch_id)
        return render_template("documents/distribusi_paket.html", batch=batch, errors=errors or {},
                               typed=typed or {}, problem=problem, handed=request.args.get("diserahkan", ""),
                               can_receive=HTTP_POLICY.permits("receive_batch", officer)), status

    @app.get("/distribusi/<batch_id>")
    def batch_detail(batch_id: str):
        return detail_page(current_officer(), batch_id)

    @app.post("/distribusi/<batch_id>/terima")
    def receive_batch(batch_id: str):
        officer = current_officer()
        try:
            service.receive_batch(officer, batch_id)
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            return detail_page(officer, batch_id, problem=problem_text(exc), status=status_for(exc)[1])
        return redirect(url_for("batch_detail", batch_id=batch_id), code=303)

    @app.post("/distribusi/<batch_id>/serah")
    def hand_over_card(batch_id: str):
        officer = current_officer()
        document_id, nik = request.form.get("document_id", ""), request.form.get("nik", "")
        try:
            service.hand_over_card(officer, document_id, nik)
        except (PermissionDenied, Unauthenticated):
            raise
        except ServiceError as exc:
            # said next to that card's NIK field, with what the officer typed (this POST's answer only)
            return detail_page(officer, batch_id, errors={document_id: problem_text(exc)}, typed={document_id: nik},
                               status=status_for(exc)[1])
        return redirect(url_for("batch_detail", batch_id=batch_id, diserahkan=document_id), code=303)

    @app.get("/distribusi/<batch_id>/manifest.pdf")
    def batch_manifest_pdf(batch_id: str):
        _, pdf = service.get_batch(current_officer(), batch_id, include_manifest=True)
        return _pdf(pdf or b"", f"manifest-{batch_id}.pdf")

    @app.get("/distribusi/<batch_id>/berita-acara.pdf")
    def batch_receipt_pdf(batch_id: str):
        return _pdf(service.receipt_pdf(current_officer(), batch_id), f"berita-acara-{batch_id}.pdf")
