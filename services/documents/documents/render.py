"""PDF rendering with reportlab: the ID-1 card print job and the A4 Suket with its QR.

Pure: the same data, dates and payload give the same bytes (reportlab `invariant` mode).
"""
from __future__ import annotations

import datetime as dt
import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from documents.domain import CardJob, Citizenship, MaritalStatus, Recording, Religion, Sex, SuketLetter

ID1 = (85.6 * mm, 54 * mm)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
SEX = {Sex.MALE: "LAKI-LAKI", Sex.FEMALE: "PEREMPUAN", Sex.UNKNOWN: "-"}
RELIGION = {Religion.ISLAM: "ISLAM", Religion.KRISTEN: "KRISTEN", Religion.KATOLIK: "KATOLIK",
            Religion.HINDU: "HINDU", Religion.BUDDHA: "BUDDHA", Religion.KHONGHUCU: "KHONGHUCU",
            Religion.KEPERCAYAAN: "KEPERCAYAAN TERHADAP TUHAN YME", Religion.UNKNOWN: "-"}
MARITAL = {MaritalStatus.SINGLE: "BELUM KAWIN", MaritalStatus.MARRIED: "KAWIN",
           MaritalStatus.DIVORCED: "CERAI HIDUP", MaritalStatus.WIDOWED: "CERAI MATI",
           MaritalStatus.UNKNOWN: "-"}
CITIZENSHIP = {Citizenship.WNI: "WNI", Citizenship.WNA: "WNA", Citizenship.UNKNOWN: "-"}


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _card_date(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _resident_rows(recording: Recording, date_format) -> list[tuple[str, str]]:
    """The resident's data in the order both documents print it (NIK first)."""
    r, regions = recording.resident, recording.regions
    return [
        ("NIK", r.nik),
        ("Nama", r.full_name.upper()),
        ("Tempat/Tgl Lahir", f"{r.birth_place.upper()}, {date_format(r.birth_date)}"),
        ("Jenis Kelamin", SEX[r.sex]),
        ("Gol. Darah", r.blood_type or "-"),
        ("Alamat", r.address.upper()),
        ("RT/RW", f"{r.rt or '-'}/{r.rw or '-'}"),
        ("Kel/Desa", regions.village.upper()),
        ("Kecamatan", regions.district.upper()),
        ("Agama", RELIGION[r.religion]),
        ("Status Perkawinan", MARITAL[r.marital_status]),
        ("Pekerjaan", r.occupation.upper()),
        ("Kewarganegaraan", CITIZENSHIP[r.citizenship]),
    ]


class PdfRenderer:
    """The production renderer (the service depends only on its two methods)."""

    def card(self, job: CardJob) -> bytes:
        buffer = io.BytesIO()
        pdf = Canvas(buffer, pagesize=ID1, invariant=1)
        pdf.setTitle(f"Cetak KTP-el {job.recording.register_number}")
        width, height = ID1
        regions = job.recording.regions
        pdf.setFont("Helvetica-Bold", 6.5)
        pdf.drawCentredString(width / 2, height - 4 * mm, f"PROVINSI {regions.province.upper()}")
        pdf.drawCentredString(width / 2, height - 7 * mm, regions.regency.upper())
        rows = _resident_rows(job.recording, _card_date)
        nik_label, nik = rows[0]
        pdf.setFont("Helvetica-Bold", 7.5)
        pdf.drawString(3 * mm, height - 11.5 * mm, f"{nik_label}  :  {nik}")
        y = height - 15 * mm
        for label, value in [*rows[1:], ("Berlaku Hingga", "SEUMUR HIDUP")]:
            pdf.setFont("Helvetica", 4.6)
            pdf.drawString(3 * mm, y, label)
            pdf.drawString(20 * mm, y, ":")
            pdf.drawString(21.5 * mm, y, _fit(value, "Helvetica", 4.6, 40 * mm))
            y -= 2.6 * mm
        self._photo_box(pdf, width, height, job)
        pdf.setFont("Helvetica", 3.4)
        pdf.drawString(3 * mm, 1.6 * mm,
                       f"No. Seri {job.card_serial}  ·  No. Reg {job.recording.register_number}")
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    @staticmethod
    def _photo_box(pdf: Canvas, width: float, height: float, job: CardJob) -> None:
        left, bottom, box_w, box_h = width - 22 * mm, height - 37 * mm, 18 * mm, 23 * mm
        pdf.setLineWidth(0.4)
        pdf.rect(left, bottom, box_w, box_h)
        pdf.setFont("Helvetica", 5)
        pdf.drawCentredString(left + box_w / 2, bottom + box_h / 2, "PAS FOTO")
        pdf.setFont("Helvetica", 4.2)
        regency = job.recording.regions.regency.upper().replace("KABUPATEN ", "").replace("KOTA ", "")
        pdf.drawCentredString(left + box_w / 2, bottom - 3 * mm, regency)
        pdf.drawCentredString(left + box_w / 2, bottom - 5.2 * mm, _card_date(job.issued_on))

    def suket(self, letter: SuketLetter) -> bytes:
        buffer = io.BytesIO()
        pdf = Canvas(buffer, pagesize=A4, invariant=1)
        pdf.setTitle(f"Suket {letter.recording.register_number}")
        width, height = A4
        left = 25 * mm
        pdf.setFont("Helvetica-Bold", 13)
        y = height - 25 * mm
        for line in simpleSplit(letter.issuer.name.upper(), "Helvetica-Bold", 13, width - 2 * left):
            pdf.drawCentredString(width / 2, y, line)
            y -= 6 * mm
        pdf.setLineWidth(1.2)
        pdf.line(left, y, width - left, y)
        y -= 12 * mm
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawCentredString(width / 2, y, "SURAT KETERANGAN PENGGANTI KTP-EL")
        y -= 5 * mm
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(width / 2, y, f"Nomor Dokumen: {letter.document_id}")
        y -= 12 * mm
        y = self._paragraph(pdf, left, y, width - 2 * left,
                            f"Yang bertanda tangan di bawah ini, {letter.issuer.signatory_title}, "
                            "menerangkan bahwa:")
        y -= 3 * mm
        rows = _resident_rows(letter.recording, long_date)
        rows = [row for row in rows if row[0] not in ("Gol. Darah", "Kewarganegaraan")]
        rows.append(("Nomor Registrasi Perekaman", letter.recording.register_number))
        for label, value in rows:
            pdf.setFont("Helvetica", 10.5)
            pdf.drawString(left + 5 * mm, y, label)
            pdf.drawString(left + 62 * mm, y, ":")
            for line in simpleSplit(value, "Helvetica", 10.5, width - 2 * left - 66 * mm):
                pdf.drawString(left + 65 * mm, y, line)
                y -= 5.5 * mm
        y -= 4 * mm
        y = self._paragraph(pdf, left, y, width - 2 * left,
                            "Benar telah melakukan perekaman KTP-el dan datanya telah tercatat dalam "
                            "database kependudukan. Surat keterangan ini berlaku sebagai pengganti KTP-el "
                            "selama KTP-el yang bersangkutan belum dicetak.")
        y -= 2 * mm
        pdf.setFont("Helvetica-Bold", 10.5)
        pdf.drawString(left, y, f"Berlaku sampai: {long_date(letter.valid_until)}")
        y -= 14 * mm
        sign_x = width - left - 65 * mm
        pdf.setFont("Helvetica", 10.5)
        pdf.drawString(sign_x, y, f"{letter.issuer.place}, {long_date(letter.issued_on)}")
        pdf.drawString(sign_x, y - 5.5 * mm, letter.issuer.signatory)
        pdf.drawString(sign_x, y - 30 * mm, "(ditandatangani secara elektronik)")
        self._qr(pdf, letter.qr_payload, left, y - 38 * mm, 40 * mm)
        pdf.setFont("Helvetica", 7.5)
        pdf.drawString(left, y - 42 * mm, "Pindai kode QR untuk memverifikasi keaslian surat ini.")
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    @staticmethod
    def _paragraph(pdf: Canvas, x: float, y: float, width: float, text: str) -> float:
        pdf.setFont("Helvetica", 10.5)
        for line in simpleSplit(text, "Helvetica", 10.5, width):
            pdf.drawString(x, y, line)
            y -= 5.5 * mm
        return y

    @staticmethod
    def _qr(pdf: Canvas, payload: str, x: float, y: float, size: float) -> None:
        """Draws the QR as vector rectangles (deterministic; no image library): each run of
        dark modules in a row is one rectangle, all filled as one path."""
        matrix = segno.make(payload, error="m", micro=False).matrix
        module = size / (len(matrix) + 8)  # 4-module quiet zone each side
        path = pdf.beginPath()
        for row_index, row in enumerate(matrix):
            top = y + size - (row_index + 5) * module
            col = 0
            while col < len(row):
                if not row[col]:
                    col += 1
                    continue
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + (start + 4) * module, top, (col - start) * module, module)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The first line of `text` that fits the card's value column."""
    lines = simpleSplit(text, font, size, width)
    return lines[0] if lines else ""
