"""The Suket after issue, on the documents pages (Bahasa Indonesia): the public /verifikasi page
(paste the QR text, scan it with the camera or pick a photo; no login), the JWKS any Claim 169
reader verifies with, and the Dinas' "Perpanjang" (renew) and "Batalkan" (void, with a reason)
on the documents list. Translation only: the rules are in service.py and domain.py.
"""
from __future__ import annotations

import uuid

from flask import Flask, g, jsonify, redirect, render_template, request, url_for

from documents.access import HTTP_POLICY
from documents.domain import SEX_LABELS, VerificationResult
from documents.pages import problem_text
from documents.service import DocumentsService
from servicekit.errors import InvalidArgument
from servicekit.ratelimit import FailureLimit
from servicekit.web import current_officer

VERIFICATIONS_PER_MINUTE = 30   # from one address; a counter checking Sukets scans far fewer
RESULT_STYLES = {VerificationResult.VALID: ("SAH", "success"),
                 VerificationResult.SUPERSEDED: ("DIGANTIKAN", "info"),
                 VerificationResult.EXPIRED: ("KEDALUWARSA", "warning"),
                 VerificationResult.VOID: ("DIBATALKAN", "dark"),
                 VerificationResult.FORGED: ("PALSU", "danger")}


def register_verification_pages(app: Flask, service: DocumentsService) -> None:
    limiter = FailureLimit(VERIFICATIONS_PER_MINUTE, 60)

    def page(*, payload: str = "", problem: str | None = None, verification=None, status: int = 200):
        response = app.make_response((render_template(
            "documents/verifikasi.html", payload=payload, problem=problem, verification=verification,
            result_styles=RESULT_STYLES, sex_labels=SEX_LABELS), status))
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.route("/verifikasi", methods=["GET", "POST"])
    def verification():
        if request.method == "GET":
            return page()
        payload, address = request.form.get("qr_payload", ""), request.remote_addr or "-"
        if limiter.blocked(address):
            return page(payload=payload, status=429,
                        problem="Terlalu banyak pemeriksaan dari perangkat ini. Tunggu satu menit lalu coba lagi.")
        limiter.failed(address)   # every verification counts towards the limit
        try:
            found = service.verify_document(payload)
        except InvalidArgument as exc:
            return page(payload=payload, problem=problem_text(exc), status=400)
        return page(payload=payload.strip(), verification=found)

    @app.get("/.well-known/jwks.json")
    def jwks():
        response = jsonify(service.published_keys())
        response.mimetype = "application/jwk-set+json"
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    # ---- the Dinas: renew or void a document from the documents list ----------------------

    @app.context_processor
    def _document_actions() -> dict:
        """Whether the list offers "Perpanjang" / "Batalkan" (never a button that leads to a 403),
        and a fresh request id per renewal form (a retried form renews once)."""
        officer = g.get("principal")

        return {"can_renew": HTTP_POLICY.permits("renew_suket", officer),
                "can_void": HTTP_POLICY.permits("void_document", officer),
                "new_request_id": lambda: str(uuid.uuid4())}

    @app.post("/dokumen/<document_id>/perpanjang")
    def renew_suket(document_id: str):
        renewal = service.renew_suket(current_officer(), document_id, request.form.get("request_id", ""))
        return redirect(url_for("index", nomor=renewal.register_number, terbit=renewal.document_id), code=303)

    @app.route("/dokumen/<document_id>/batalkan", methods=["GET", "POST"])
    def void_document(document_id: str):
        officer = current_officer()
        document = service.get_document(officer, document_id)
        reason, problem = request.form.get("alasan", ""), None
        if request.method == "POST":
            try:
                voided = service.void_document(officer, document_id, reason)
            except InvalidArgument as exc:
                problem = problem_text(exc)
            else:
                return redirect(url_for("index", nomor=voided.register_number), code=303)
        return render_template("documents/batalkan.html", document=document, reason=reason,
                               problem=problem), (400 if problem else 200)
