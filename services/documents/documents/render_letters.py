"""PDF rendering with reportlab of the shortage letters, their dispatch list, the distribution
manifest and the handover receipt: A4, the Dinas letter head of the Suket (render.py).

Pure: the same input gives the same bytes (reportlab `invariant` mode).
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from documents.distribution import DispatchList, HandoverReceipt, Manifest, ShortageNotice, StockState
from documents.domain import Issuer, local_date
from documents.render import long_date

WIDTH, HEIGHT = A4
LEFT = 25 * mm
TEXT_WIDTH = WIDTH - 2 * LEFT
BODY_FONT, BODY_SIZE, LINE = "Helvetica", 10.5, 5.5 * mm
BOTTOM = 25 * mm
SUBJECT = "Pemberitahuan kekosongan blanko KTP-el dan berlakunya Surat Keterangan pengganti KTP-el"


class _Page:
    """A canvas with a cursor `y` that writes down the page, starting a new page when full."""

    def __init__(self, title: str, issuer: Issuer) -> None:
        self.buffer = io.BytesIO()
        self.pdf = Canvas(self.buffer, pagesize=A4, invariant=1)
        self.pdf.setTitle(title)
        self.issuer = issuer
        self.y = HEIGHT - 25 * mm
        self.letter_head()

    def letter_head(self) -> None:
        """The Dinas' name, bold and centred, over a rule: as on the Suket."""
        self.pdf.setFont("Helvetica-Bold", 13)
        for line in simpleSplit(self.issuer.name.upper(), "Helvetica-Bold", 13, TEXT_WIDTH):
            self.pdf.drawCentredString(WIDTH / 2, self.y, line)
            self.y -= 6 * mm
        self.pdf.setLineWidth(1.2)
        self.pdf.line(LEFT, self.y, WIDTH - LEFT, self.y)
        self.y -= 10 * mm

    def room(self, needed: float, on_new_page: Callable[[], None] | None = None) -> None:
        if self.y - needed < BOTTOM:
            self.pdf.showPage()
            self.y = HEIGHT - 20 * mm
            if on_new_page is not None:
                on_new_page()

    def title(self, text: str, size: float = 12) -> None:
        self.pdf.setFont("Helvetica-Bold", size)
        self.pdf.drawCentredString(WIDTH / 2, self.y, text)
        self.y -= 7 * mm

    def text(self, text: str, *, x: float = LEFT, font: str = BODY_FONT, size: float = BODY_SIZE,
             width: float = TEXT_WIDTH) -> None:
        self.pdf.setFont(font, size)
        for line in simpleSplit(text, font, size, width) or [""]:
            self.room(LINE)
            self.pdf.setFont(font, size)
            self.pdf.drawString(x, self.y, line)
            self.y -= LINE

    def fields(self, rows: Sequence[tuple[str, str]], label_width: float = 25 * mm) -> None:
        for label, value in rows:
            self.pdf.setFont(BODY_FONT, BODY_SIZE)
            self.pdf.drawString(LEFT, self.y, label)
            self.pdf.drawString(LEFT + label_width, self.y, ":")
            self.text(value, x=LEFT + label_width + 3 * mm, width=TEXT_WIDTH - label_width - 3 * mm)

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]], row_height: float = 7 * mm,
              size: float = 9) -> None:
        """A ruled table that repeats its header on every page; cells cut to their column."""
        def header() -> None:   # two lines high: a long heading wraps
            self._row([c for c, _ in columns], columns, row_height + size * 1.2, "Helvetica-Bold", size)

        header()
        for row in rows:
            self.room(row_height, header)
            self._row(row, columns, row_height, BODY_FONT, size)
        self.y -= 6 * mm

    def _row(self, cells: Sequence[str], columns: Sequence[tuple[str, float]], height: float, font: str,
             size: float) -> None:
        x = LEFT
        self.pdf.setFont(font, size)
        fits = max(1, int((height - 2 * mm) // (size * 1.2)))     # lines the row's height holds
        for cell, (_, width) in zip(cells, columns, strict=True):
            self.pdf.rect(x, self.y - height, width, height)
            for n, line in enumerate(simpleSplit(cell, font, size, width - 3 * mm)[:fits]):
                self.pdf.drawString(x + 1.5 * mm, self.y - 2 * mm - size * 0.8 - n * size * 1.2, line)
            x += width
        self.y -= height

    def signature(self, place_and_date: str, title: str, *, left_title: str = "") -> None:
        """The signer at the right (and a second one at the left when `left_title`)."""
        self.room(40 * mm)
        right = WIDTH - LEFT - 70 * mm
        self.pdf.setFont(BODY_FONT, BODY_SIZE)
        if place_and_date:   # a letter dated at its head leaves it out here
            self.pdf.drawString(right, self.y, place_and_date)
            self.y -= LINE
        for x, who in ((right, title), (LEFT, left_title)):
            if who:
                for n, line in enumerate(simpleSplit(who, BODY_FONT, BODY_SIZE, 68 * mm)):
                    self.pdf.drawString(x, self.y - n * LINE, line)
        self.y -= 28 * mm
        for x, who in ((right, title), (LEFT, left_title)):
            if who:
                self.pdf.drawString(x, self.y, "(" + "." * 50 + ")")
        self.y -= LINE

    def done(self) -> bytes:
        self.pdf.showPage()
        self.pdf.save()
        return self.buffer.getvalue()


def _stock_sentences(stock: StockState) -> str:
    held = (f" Sisa fisik {stock.on_hand} lembar seluruhnya telah dipesan untuk pencetakan yang sedang berjalan."
            if stock.on_hand > 0 else "")
    if stock.expected_arrival_on is not None:
        arrival = f"Blanko diperkirakan tiba pada {long_date(stock.expected_arrival_on)}."
    else:
        arrival = "Waktu kedatangan blanko belum dapat dipastikan."
    explanation = f" {stock.arrival_explanation}" if stock.arrival_explanation else ""
    return (f"persediaan blanko KTP-el pada Dinas saat ini habis (tersedia {stock.available} lembar).{held} "
            f"{arrival}{explanation}")


class LetterRenderer:
    """The production renderer of the distribution and letter PDFs."""

    def shortage_letter(self, notice: ShortageNotice) -> bytes:
        letter, issuer = notice.letter, notice.issuer
        page = _Page(f"Surat pemberitahuan {letter.letter_number}", issuer)
        page.pdf.setFont(BODY_FONT, BODY_SIZE)
        page.pdf.drawRightString(WIDTH - LEFT, page.y, f"{issuer.place}, {long_date(notice.issued_on)}")
        page.y -= 2 * LINE
        page.fields([("Nomor", letter.letter_number), ("Sifat", "Penting"), ("Lampiran", "-"),
                     ("Perihal", SUBJECT)])
        page.y -= LINE
        page.text("Kepada Yth.")
        page.text(letter.recipient_name, font="Helvetica-Bold")
        page.text("di tempat")
        page.y -= LINE
        paragraphs = (
            f"Dengan hormat, bersama ini kami sampaikan bahwa {_stock_sentences(notice.stock)}",
            "Selama blanko KTP-el belum tersedia, penduduk yang telah melakukan perekaman KTP-el dan datanya telah "
            f"tercatat dalam database kependudukan diberikan Surat Keterangan pengganti KTP-el (Suket) yang "
            f"diterbitkan oleh {issuer.name}. Suket berlaku sebagai pengganti KTP-el dan mempunyai kekuatan hukum "
            "yang sama dengan KTP-el untuk keperluan pelayanan publik, perbankan, pemilihan umum dan keperluan "
            "lainnya.",
            "Suket berlaku selama 6 (enam) bulan sejak tanggal diterbitkan dan dapat diperpanjang selama KTP-el yang "
            "bersangkutan belum dicetak. Suket tidak lagi berlaku setelah KTP-el pemiliknya dicetak.",
            "Keaslian Suket dapat diperiksa oleh siapa saja dengan memindai kode QR pada Suket atau menempelkan "
            f"isinya pada halaman verifikasi {notice.verify_url}. Suket yang kode QR-nya tidak sah tidak berlaku.",
            "Mohon Saudara menyampaikan pemberitahuan ini kepada aparat dan masyarakat di wilayah Saudara, serta "
            "menerima Suket sebagai pengganti KTP-el dalam pelayanan. Atas perhatian dan kerja samanya kami ucapkan "
            "terima kasih.",
        )
        for paragraph in paragraphs:
            page.text(paragraph)
            page.y -= 2 * mm
        page.y -= 4 * mm
        page.signature("", issuer.signatory_title)
        return page.done()

    def dispatch_list(self, dispatch: DispatchList) -> bytes:
        letters = dispatch.letter_set.letters
        page = _Page("Daftar pengiriman surat pemberitahuan", dispatch.issuer)
        page.title("DAFTAR PENGIRIMAN SURAT PEMBERITAHUAN")
        page.text(f"Perihal: {SUBJECT}", size=9.5)
        page.text(f"Tanggal: {long_date(dispatch.issued_on)} · Jumlah surat: {len(letters)}", size=9.5)
        page.y -= 3 * mm
        page.table([("No.", 9 * mm), ("Nomor surat", 40 * mm), ("Penerima", 47 * mm), ("Tanggal diterima", 19 * mm),
                    ("Tanda tangan kurir", 20 * mm), ("Tanda tangan penerima", 25 * mm)],
                   [(str(n), letter.letter_number, letter.recipient_name, "", "", "")
                    for n, letter in enumerate(letters, 1)])
        page.signature(f"{dispatch.issuer.place}, {long_date(dispatch.issued_on)}", dispatch.issuer.signatory_title,
                       left_title="Kurir pengantar")
        return page.done()

    def manifest(self, manifest: Manifest) -> bytes:
        batch = manifest.batch
        page = _Page(f"Manifes paket KTP-el {batch.batch_id}", manifest.issuer)
        page.title("MANIFES PENGIRIMAN KTP-EL KE KECAMATAN")
        page.fields([("Nomor paket", batch.batch_id), ("Kecamatan", f"{manifest.district_name} ({batch.district_code})"),
                     ("Dikemas", long_date(local_date(batch.created_at))), ("Jumlah KTP-el", str(len(manifest.lines)))],
                    label_width=30 * mm)
        page.y -= 3 * mm
        page.table([("No.", 10 * mm), ("Nomor registrasi", 40 * mm), ("Nama", 60 * mm), ("Desa/kelurahan", 50 * mm)],
                   [(str(n), line.register_number, line.full_name.upper(), line.village)
                    for n, line in enumerate(manifest.lines, 1)])
        page.text("Manifes ini menyertai paket KTP-el dan memuat data pribadi: simpan dan serahkan hanya kepada "
                  "petugas kecamatan yang berwenang.", size=8.5)
        page.y -= 3 * mm
        page.signature(f"{manifest.issuer.place}, {long_date(manifest.issued_on)}", manifest.issuer.signatory_title)
        return page.done()

    def receipt(self, receipt: HandoverReceipt) -> bytes:
        batch = receipt.batch
        page = _Page(f"Berita acara serah terima {batch.batch_id}", receipt.issuer)
        page.title("BERITA ACARA SERAH TERIMA KTP-EL")
        page.text(f"Pada tanggal {long_date(receipt.received_on)} telah diserahterimakan paket KTP-el dari "
                  f"{receipt.issuer.name} kepada Kecamatan {receipt.district_name} dengan rincian:")
        page.y -= 2 * mm
        page.fields([("Nomor paket", batch.batch_id), ("Kecamatan", f"{receipt.district_name} ({batch.district_code})"),
                     ("Jumlah KTP-el", f"{batch.card_count} keping"), ("Diterima oleh", receipt.received_by)],
                    label_width=30 * mm)
        page.y -= 3 * mm
        page.table([("No.", 12 * mm), ("Nomor registrasi", 60 * mm), ("Keterangan", 88 * mm)],
                   [(str(n), card.register_number, "") for n, card in enumerate(batch.cards, 1)])
        page.text("KTP-el dalam paket ini diserahkan kepada pemiliknya di kecamatan setelah identitasnya diperiksa "
                  "dengan Kartu Keluarga. Berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.")
        page.y -= 3 * mm
        page.signature(f"{receipt.district_name}, {long_date(receipt.received_on)}", "Yang menerima, Camat / petugas "
                       f"Kecamatan {receipt.district_name}", left_title=f"Yang menyerahkan, {receipt.issuer.name}")
        return page.done()
