"""PDF rendering with reportlab: the ID-1 card print job (front and back), the printer's batch
sheet, and the A4 Suket with its QR.

Pure: the same data, dates and payload give the same bytes (reportlab `invariant` mode).
The card's photo and signature come from enrolment as JPEG or PNG; bytes that are not a
readable image (or absurdly large) get the placeholder box instead, with a warning that names
the card serial only.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from documents.domain import (
    BatchSheetJob,
    CardJob,
    Citizenship,
    MaritalStatus,
    Recording,
    Religion,
    Sex,
    SuketLetter,
)

log = logging.getLogger(__name__)

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
MAX_IMAGE_PIXELS = 4000 * 4000   # a card photo is a few hundred pixels; more is not a photo
COVER_ROWS_PER_PAGE = 38
CARD_BACK_NOTE = ("Kartu ini milik Pemerintah Republik Indonesia. Bila menemukan kartu ini, "
                  "harap dikembalikan ke Dinas Kependudukan dan Pencatatan Sipil terdekat.")


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
    """The production renderer (the service depends only on its methods)."""

    def card(self, job: CardJob) -> bytes:
        """The card print job: two ID-1 pages, front and back."""
        buffer = io.BytesIO()
        pdf = Canvas(buffer, pagesize=ID1, invariant=1)
        pdf.setTitle(f"Cetak KTP-el {job.recording.register_number}")
        self._card_pages(pdf, job)
        pdf.save()
        return buffer.getvalue()

    def batch_sheet(self, jobs: Sequence[BatchSheetJob]) -> bytes:
        """One PDF for the card printer: an A4 cover listing the batch (job id, register
        number, serial, kecamatan; no NIK or name), then the front and back of every card."""
        buffer = io.BytesIO()
        pdf = Canvas(buffer, pagesize=A4, invariant=1)
        pdf.setTitle(f"Lembar batch cetak KTP-el, {len(jobs)} kartu")
        self._batch_cover(pdf, jobs)
        for job in jobs:
            self._card_pages(pdf, job.card)
        pdf.save()
        return buffer.getvalue()

    # ---- the card ----------------------------------------------------------------------

    def _card_pages(self, pdf: Canvas, job: CardJob) -> None:
        pdf.setPageSize(ID1)
        self._card_front(pdf, job)
        pdf.showPage()
        pdf.setPageSize(ID1)
        self._card_back(pdf, job)
        pdf.showPage()

    def _card_front(self, pdf: Canvas, job: CardJob) -> None:
        """The KTP-el layout: province and regency, NIK, the fields in their order; the photo at
        the right with the regency and issue date under it, and the signature under those."""
        width, height = ID1
        regions = job.recording.regions
        pdf.setFont("Helvetica-Bold", 6.5)
        pdf.drawCentredString(width / 2, height - 4 * mm, f"PROVINSI {regions.province.upper()}")
        pdf.drawCentredString(width / 2, height - 7 * mm, regions.regency.upper())
        rows = _resident_rows(job.recording, _card_date)
        nik_label, nik = rows[0]
        pdf.setFont("Helvetica-Bold", 7.5)
        pdf.drawString(3 * mm, height - 11.5 * mm, f"{nik_label}  :  {nik}")
        pdf.setFont("Helvetica", 4.6)
        y = height - 15 * mm
        for label, value in [*rows[1:], ("Berlaku Hingga", "SEUMUR HIDUP")]:
            pdf.drawString(3 * mm, y, label)
            pdf.drawString(20 * mm, y, ":")
            pdf.drawString(21.5 * mm, y, _fit(value, "Helvetica", 4.6, 40 * mm))
            y -= 2.6 * mm
        left, box_w = width - 22 * mm, 18 * mm
        photo_bottom, photo_h = height - 37 * mm, 23 * mm
        self._image_or_placeholder(pdf, job.recording.face_photo, "face photo", job.card_serial,
                                   (left, photo_bottom, box_w, photo_h), "PAS FOTO")
        pdf.setFont("Helvetica", 4.2)
        regency = regions.regency.upper().replace("KABUPATEN ", "").replace("KOTA ", "")
        pdf.drawCentredString(left + box_w / 2, photo_bottom - 3 * mm, regency)
        pdf.drawCentredString(left + box_w / 2, photo_bottom - 5.2 * mm, _card_date(job.issued_on))
        self._image_or_placeholder(pdf, job.recording.signature, "signature", job.card_serial,
                                   (left, 2.5 * mm, box_w, 7 * mm), "TANDA TANGAN")
        pdf.setFont("Helvetica", 3.4)
        pdf.drawString(3 * mm, 1.6 * mm,
                       f"No. Seri {job.card_serial}  ·  No. Reg {job.recording.register_number}")

    @staticmethod
    def _card_back(pdf: Canvas, job: CardJob) -> None:
        """The back: the chip's place, the issuing Dinas, serial and register number, the note."""
        width, height = ID1
        pdf.setFont("Helvetica-Bold", 6)
        pdf.drawCentredString(width / 2, height - 5 * mm, "REPUBLIK INDONESIA")
        pdf.setFont("Helvetica", 4.6)
        pdf.drawCentredString(width / 2, height - 7.8 * mm, "KARTU TANDA PENDUDUK ELEKTRONIK")
        chip_x, chip_y, chip_w, chip_h = 8 * mm, height - 24 * mm, 11 * mm, 9 * mm
        pdf.setLineWidth(0.4)
        pdf.roundRect(chip_x, chip_y, chip_w, chip_h, 1.2 * mm)
        path = pdf.beginPath()   # the contact pads' dividing lines
        for fraction in (1 / 3, 2 / 3):
            path.moveTo(chip_x, chip_y + chip_h * fraction)
            path.lineTo(chip_x + chip_w, chip_y + chip_h * fraction)
        path.moveTo(chip_x + chip_w / 2, chip_y)
        path.lineTo(chip_x + chip_w / 2, chip_y + chip_h)
        pdf.drawPath(path, stroke=1, fill=0)
        text_x = 24 * mm
        pdf.setFont("Helvetica-Bold", 4.6)
        y = height - 14 * mm
        issuer = f"DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL {job.recording.office_name.upper()}"
        for line in simpleSplit(issuer, "Helvetica-Bold", 4.6, width - text_x - 4 * mm):
            pdf.drawString(text_x, y, line)
            y -= 2.4 * mm
        pdf.setFont("Helvetica", 4.6)
        y -= 1.2 * mm
        for label, value in (("No. Seri Blanko", job.card_serial),
                             ("No. Registrasi", job.recording.register_number),
                             ("Tanggal Terbit", _card_date(job.issued_on))):
            pdf.drawString(text_x, y, label)
            pdf.drawString(text_x + 17 * mm, y, f":  {value}")
            y -= 2.6 * mm
        pdf.setFont("Helvetica", 3.8)
        y = 9 * mm
        for line in simpleSplit(CARD_BACK_NOTE, "Helvetica", 3.8, width - 8 * mm):
            pdf.drawCentredString(width / 2, y, line)
            y -= 1.9 * mm

    @staticmethod
    def _image_or_placeholder(pdf: Canvas, data: bytes, what: str, serial: str,
                              box: tuple[float, float, float, float], placeholder: str) -> None:
        """The image fitted in `box` (aspect kept, centred); the labelled box when there is none."""
        left, bottom, box_w, box_h = box
        image = _readable_image(data, what, serial)
        if image is not None:
            pdf.drawImage(image, left, bottom, box_w, box_h, preserveAspectRatio=True, anchor="c", mask="auto")
            return
        pdf.setLineWidth(0.4)
        pdf.rect(left, bottom, box_w, box_h)
        pdf.setFont("Helvetica", 4 if box_h < 10 * mm else 5)
        pdf.drawCentredString(left + box_w / 2, bottom + box_h / 2 - 1, placeholder)

    # ---- the batch sheet's cover -------------------------------------------------------

    @staticmethod
    def _batch_cover(pdf: Canvas, jobs: Sequence[BatchSheetJob]) -> None:
        width, height = A4
        left = 20 * mm
        columns = ((left, "No"), (left + 10 * mm, "ID Pekerjaan Cetak"), (left + 72 * mm, "Nomor Registrasi"),
                   (left + 112 * mm, "No. Seri Blanko"), (left + 140 * mm, "Kecamatan"))
        pages = [jobs[i:i + COVER_ROWS_PER_PAGE] for i in range(0, len(jobs), COVER_ROWS_PER_PAGE)] or [[]]
        office = jobs[0].card.recording.office_name if jobs else ""
        for page_number, page in enumerate(pages, start=1):
            y = height - 22 * mm
            pdf.setFont("Helvetica-Bold", 13)
            pdf.drawString(left, y, "LEMBAR BATCH CETAK KTP-EL")
            pdf.setFont("Helvetica", 9)
            pdf.drawString(left, y - 6 * mm, f"Dinas Kependudukan dan Pencatatan Sipil {office}".strip())
            pdf.drawString(left, y - 11 * mm, f"Jumlah kartu: {len(jobs)}  ·  halaman {page_number} dari "
                                               f"{len(pages)}  ·  setiap kartu dua halaman (depan, belakang)")
            y -= 22 * mm
            pdf.setFont("Helvetica-Bold", 8)
            for x, title in columns:
                pdf.drawString(x, y, title)
            pdf.setLineWidth(0.6)
            pdf.line(left, y - 1.8 * mm, width - left, y - 1.8 * mm)
            pdf.setFont("Helvetica", 8)
            first = (page_number - 1) * COVER_ROWS_PER_PAGE
            for number, job in enumerate(page, start=first + 1):
                y -= 6 * mm
                card = job.card
                values = (str(number), job.job_id, card.recording.register_number, card.card_serial,
                          _fit(card.recording.regions.district.upper(), "Helvetica", 8, width - left - columns[4][0]))
                for (x, _), value in zip(columns, values, strict=True):
                    pdf.drawString(x, y, value)
            pdf.showPage()

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


def _readable_image(data: bytes, what: str, serial: str) -> ImageReader | None:
    """An ImageReader over `data` once its pixels have been decoded, or None (no image, or not a
    readable one: logged without personal data, and the card gets its placeholder)."""
    if not data:
        return None
    try:
        image = ImageReader(io.BytesIO(data))
        image_w, image_h = image.getSize()
        if image_w * image_h > MAX_IMAGE_PIXELS:
            raise ValueError(f"{image_w}x{image_h} pixels")
        image.getRGBData()   # decodes now (drawImage would, mid-page); kept in the reader
    except Exception as exc:  # noqa: BLE001 - any undecodable image gets the placeholder
        log.warning("the %s of card serial %s is not a readable image (%s); placeholder printed",
                    what, serial, type(exc).__name__)
        return None
    return image


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The first line of `text` that fits the card's value column."""
    lines = simpleSplit(text, font, size, width)
    return lines[0] if lines else ""
