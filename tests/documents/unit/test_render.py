import datetime as dt

from documents.domain import CardJob, IssuerPolicy, SuketLetter
from documents.render import PdfRenderer, long_date
from tests.documents import factories
from tests.documents.pdfs import A4_POINTS, ID1_POINTS, has_size, text

RECORDING = factories.recording(factories.register_number(42))
CARD = CardJob(RECORDING, "0000012345", dt.date(2026, 11, 28))
LETTER = SuketLetter("0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e", RECORDING, dt.date(2026, 8, 31),
                     dt.date(2027, 2, 28), "EKTP1.eyJ2IjoxfQ.c2ln",
                     IssuerPolicy("Kepala Dinas", {"62.03": "Kuala Kapuas"}).for_office("62.03", "Kabupaten Kapuas"))


def test_card_print_job_is_id1_sized_with_the_card_fields():
    pdf = PdfRenderer().card(CARD)
    assert has_size(pdf, ID1_POINTS)
    content = text(pdf)
    for expected in ("PROVINSI KALIMANTAN TENGAH", "KABUPATEN KAPUAS", RECORDING.resident.nik, "Nama",
                     "Tempat/Tgl Lahir", "Gol. Darah", "RT/RW", "Kel/Desa", "TERUSAN TENGAH", "SELAT",
                     "Kewarganegaraan", "SEUMUR HIDUP", "0000012345", RECORDING.register_number):
        assert expected in content, expected


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
    assert renderer.suket(LETTER) == renderer.suket(LETTER)


def test_dates_are_written_in_bahasa_indonesia():
    assert long_date(dt.date(2027, 2, 28)) == "28 Februari 2027"
