"""Suket PDFs per second through the service's rendering path against a bare renderer of the
same content and QR with the same libraries, in the same run (target: ratio >= 0.7).

Subject: one call = one Suket exactly as the service makes it when it issues one
(`DocumentsService._render_suket`: the claim of the recording, the Claim 169 QR payload
signed with Ed25519 (CBOR, zlib, Base45), then `PdfRenderer.suket` laying out the A4 letter
and drawing the QR). Whatever the service's QR format and layout are at the time, this follows.
No database and no store: issuing's storage is measured elsewhere.

Baseline: one call = a plain reportlab canvas (invariant, as the renderer) drawing the same
text lines (read once from a subject PDF) top to bottom at a fixed line step in one font, and
the same QR text made by segno and drawn as one filled path, one square per dark module; no
layout, no signing. Both run single-threaded (rendering is CPU-bound under the GIL) in
interleaved rounds.

Where the time goes (cProfile, 20 Suket): about 85% is segno choosing the best of the eight QR
masks for the ~530-character Claim 169 payload (a version 14 QR), the same work on both sides;
the Ed25519 signing, the layout and the page itself are the rest, so the ratio stays near 1.
"""
from __future__ import annotations

import datetime as dt
import io
import uuid

import segno
from faker import Faker
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bench.harness import compare
from documents.domain import (
    Citizenship,
    IssuerPolicy,
    MaritalStatus,
    Recording,
    RegionNames,
    Religion,
    Resident,
    Sex,
)
from documents.metrics import DocumentsMetrics
from documents.render import PdfRenderer
from documents.service import DocumentsService
from documents.signing import Ed25519Signer
from servicekit.metrics import ServiceMetrics

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.timezone.utc)


def _recording(number: int) -> Recording:
    """A synthetic resident of Kab. Kapuas (Faker id_ID, seeded)."""
    fake = Faker("id_ID")
    fake.seed_instance(number)
    birth = fake.date_of_birth(minimum_age=17, maximum_age=80)
    female = fake.boolean()
    resident = Resident(
        nik=f"620301{birth.day + (40 if female else 0):02d}{birth:%m%y}{number % 9999 + 1:04d}",
        full_name=fake.name_female() if female else fake.name_male(), birth_place=fake.city(), birth_date=birth,
        sex=Sex.FEMALE if female else Sex.MALE, blood_type="O", address=fake.street_address(), rt="003", rw="001",
        region_code="62.03.01.2001", religion=Religion.ISLAM, marital_status=MaritalStatus.MARRIED,
        occupation="Petani/Pekebun", citizenship=Citizenship.WNI)
    regions = RegionNames("Kalimantan Tengah", "Kabupaten Kapuas", "Selat", "Terusan Tengah")
    return Recording(f"6203-20261128-{number:06d}", "62.03", True, resident, regions, "Kabupaten Kapuas")


def _service() -> DocumentsService:
    """The service with only what rendering a Suket uses (no database, no neighbours)."""
    return DocumentsService(uow=None, enrolment=None, inventory=None, renderer=PdfRenderer(),
                            signer=Ed25519Signer.generate(), issuers=IssuerPolicy("Kepala Dinas", {"62.03": "Kuala Kapuas"}),
                            metrics=DocumentsMetrics(ServiceMetrics("documents")), clock=lambda: NOW)


def bare_suket(lines: list[str], payload: str) -> bytes:
    """The same text and QR on A4 without any layout logic."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 10)
    y = A4[1] - 20 * mm
    for line in lines:
        pdf.drawString(20 * mm, y, line)
        y -= 5 * mm
    matrix = segno.make(payload, error="m", micro=False).matrix
    module = 40 * mm / len(matrix)
    path = pdf.beginPath()
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                path.rect(20 * mm + col * module, 20 * mm + (len(matrix) - row) * module, module, module)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def run(rounds: int = 5, calls: int = 200) -> dict:
    service = _service()
    recordings = [_recording(n) for n in range(1, 51)]
    ids = [str(uuid.UUID(int=n)) for n in range(1, 51)]
    samples = [service._render_suket(r, i, NOW)[0] for r, i in zip(recordings, ids, strict=True)]
    contents = [([line for page in PdfReader(io.BytesIO(d.pdf)).pages for line in page.extract_text().splitlines()],
                 d.qr_payload) for d in samples]

    def subject(i: int) -> None:
        document, _ = service._render_suket(recordings[i % 50], ids[i % 50], NOW)
        assert document.pdf

    def baseline(i: int) -> None:
        lines, payload = contents[i % 50]
        assert bare_suket(lines, payload)

    result = compare("Suket PDF (documents)", subject, baseline, rounds=rounds, calls=calls, concurrency=1,
                     warmup=20)
    result["note"] = ("subject: DocumentsService._render_suket (Claim 169 QR signed + PdfRenderer.suket); "
                      "baseline: bare reportlab canvas, same text lines and segno QR, no signing")
    result["target_ratio"] = 0.7
    return result
