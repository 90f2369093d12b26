import dataclasses
import datetime as dt
import io
import logging

from PIL import Image
from pypdf import PdfReader

from documents.domain import BatchSheetJob, CardJob, IssuerPolicy, SuketLetter
from documents.render import PdfRenderer, long_date
from tests.documents import factories
from tests.documents.pdfs import A4_POINTS, ID1_POINTS, has_size, images, text


def image_bytes(kind: str, size: tuple[int, int], color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


PHOTO = image_bytes("JPEG", (300, 400), (190, 140, 110))
SIGNATURE = image_bytes("PNG", (400, 150), (20, 20, 80))
RECORDING = factories.recording(factories.register_number(42))
CARD = CardJob(RECORDING, "0000012345", dt.date(2026, 11, 28))
WITH_IMAGES = CardJob(dataclasses.replace(RECORDING, face_photo=PHOTO, signature=SIGNATURE), "0000012345",
                      dt.date(2026, 11, 28))
LETTER = SuketLetter("0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e", RECORDING, dt.date(2026, 8, 31),
                     dt.date(2027, 2, 28), "EKTP1.eyJ2IjoxfQ.c2ln",
                     IssuerPolicy("Kepala Dinas", {"62.03": "Kuala Kapuas"}).for_office("62.03", "Kabupaten Kapuas"))


def pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def test_card_print_job_is_two_id1_pages_front_with_the_card_fields_and_back():
    pdf = PdfRenderer().card(CARD)
    front, back = pages(pdf)
    for page in (front, back):
        assert abs(float(page.mediabox.width) - ID1_POINTS[0]) < 0.5
        assert abs(float(page.mediabox.height) - ID1_POINTS[1]) < 0.5
    content = front.extract_text()
    for expected in ("PROVINSI KALIMANTAN TENGAH", "KABUPATEN KAPUAS", RECORDING.resident.nik, "Nama",
                     "Tempat/Tgl Lahir", "Gol. Darah", "RT/RW", "Kel/Desa", "TERUSAN TENGAH", "SELAT",
                     "Kewarganegaraan", "SEUMUR HIDUP", "0000012345", RECORDING.register_number):
        assert expected in content, expected
    assert content.index("Nama") < content.index("Tempat/Tgl Lahir") < content.index("Alamat") < content.index(
        "Agama") < content.index("Kewarganegaraan")
    back_text = back.extract_text()
    for expected in ("REPUBLIK INDONESIA", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN KAPUAS",
                     "0000012345", RECORDING.register_number, "28-11-2026"):
        assert expected in back_text, expected
    assert RECORDING.resident.nik not in back_text


def test_the_photo_and_signature_are_drawn_on_the_front():
    front, back = pages(PdfRenderer().card(WITH_IMAGES))
    assert images(front) == [("/DCTDecode", 300, 400), ("/FlateDecode", 400, 150)]  # the JPEG as it came
    assert "PAS FOTO" not in front.extract_text() and "TANDA TANGAN" not in front.extract_text()
    assert images(back) == []


def test_missing_images_leave_placeholder_boxes():
    front = pages(PdfRenderer().card(CARD))[0]
    assert images(front) == []
    assert "PAS FOTO" in front.extract_text() and "TANDA TANGAN" in front.extract_text()


def test_unreadable_image_bytes_print_the_placeholder_and_log_no_personal_data(caplog):
    broken = dataclasses.replace(RECORDING, face_photo=b"\xff\xd8\xff not a jpeg", signature=SIGNATURE[:60])
    with caplog.at_level(logging.WARNING, logger="documents.render"):
        front = pages(PdfRenderer().card(CardJob(broken, "0000012346", dt.date(2026, 11, 28))))[0]
    assert images(front) == []
    assert "PAS FOTO" in front.extract_text() and "TANDA TANGAN" in front.extract_text()
    assert len(caplog.records) == 2 and "0000012346" in caplog.text
    for personal in (RECORDING.resident.nik, RECORDING.resident.full_name, RECORDING.register_number):
        assert personal not in caplog.text


def test_batch_sheet_is_a_cover_list_then_every_card_front_and_back():
    other = CardJob(factories.recording(factories.register_number(43), seed=9), "0000012399", dt.date(2026, 11, 28))
    jobs = [BatchSheetJob("5f0c6a52-1c1e-4d0b-9a55-0d7a1e6b2a01", WITH_IMAGES),
            BatchSheetJob("5f0c6a52-1c1e-4d0b-9a55-0d7a1e6b2a02", other)]
    pdf = PdfRenderer().batch_sheet(jobs)
    cover, *cards = pages(pdf)
    assert abs(float(cover.mediabox.height) - A4_POINTS[1]) < 0.5
    listing = cover.extract_text()
    for job in jobs:
        for expected in (job.job_id, job.card.recording.register_number, job.card.card_serial):
            assert expected in listing, expected
    assert "SELAT" in listing and "Jumlah kartu: 2" in listing
    for personal in (RECORDING.resident.nik, RECORDING.resident.full_name.upper(), other.recording.resident.nik):
        assert personal not in listing
    assert len(cards) == 4 and all(abs(float(p.mediabox.height) - ID1_POINTS[1]) < 0.5 for p in cards)
    assert RECORDING.resident.nik in cards[0].extract_text() and other.recording.resident.nik in cards[2].extract_text()
    assert images(cards[0]) == [("/DCTDecode", 300, 400), ("/FlateDecode", 400, 150)]


def test_a_long_batch_continues_its_cover_list_on_more_pages():
    jobs = [BatchSheetJob(f"job-{n:03d}", CARD) for n in range(50)]
    listing = pages(PdfRenderer().batch_sheet(jobs))
    assert len(listing) == 2 + 2 * 50
    assert "job-000" in listing[0].extract_text() and "job-049" in listing[1].extract_text()
    assert "halaman 2 dari 2" in listing[1].extract_text()


def test_suket_is_a4_with_register_number_validity_and_signer():
    pdf = PdfRenderer().suket(LETTER)
    assert has_size(pdf, A4_POINTS)
    content = text(pdf)
    for expected in ("SURAT KETERANGAN PENGGANTI KTP-EL", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
                     "Nomor Registrasi Perekaman", RECORDING.register_number, RECORDING.resident.nik,
                     "Berlaku sampai: 28 Februari 2027", "Kuala Kapuas, 31 Agustus 2026", "Kepala Dinas",
                     "telah melakukan perekaman"):
        assert expected in content, expected
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kapuas" in " ".join(content.split())
    assert "Dinas Dinas" not in content


def test_rendering_is_deterministic():
    renderer = PdfRenderer()
    assert renderer.card(CARD) == renderer.card(CARD)
    assert renderer.card(WITH_IMAGES) == renderer.card(WITH_IMAGES)
    sheet = [BatchSheetJob("job-1", WITH_IMAGES)]
    assert renderer.batch_sheet(sheet) == renderer.batch_sheet(sheet)
    assert renderer.suket(LETTER) == renderer.suket(LETTER)


def test_dates_are_written_in_bahasa_indonesia():
    assert long_date(dt.date(2027, 2, 28)) == "28 Februari 2027"
