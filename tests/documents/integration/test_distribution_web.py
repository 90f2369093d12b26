"""The /surat-kekosongan and /distribusi pages: through the Flask test client of the real app
(both databases) and in a real browser."""
import re

import pytest
from playwright.sync_api import expect

from servicekit.access import Role
from servicekit.web import SESSION_COOKIE
from tests.documents import factories, pdfs
from tests.documents.integration.test_distribution_grpc import print_cards
from tests.identity import KAPUAS

SELAT = "62.03.01"


@pytest.fixture
def sign_in(runtime, identity):
    def make(role: Role, scope: str, subject: str = "petugas.uji"):
        client = runtime.app.test_client()
        client.set_cookie(SESSION_COOKIE, identity.officer(role, scope, subject=subject))
        return client
    return make


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def form_values(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', page)


def test_the_dinas_creates_letters_from_the_page_and_opens_them(runtime, fakes, sign_in):
    client = sign_in(Role.OPERATOR_DINAS, KAPUAS)
    page = client.get("/surat-kekosongan").get_data(as_text=True)
    assert "Belum ada surat pemberitahuan" in page
    form = {"csrf_token": csrf(page), "request_id": form_values(page, "request_id")[0]}
    response = client.post("/surat-kekosongan", data=form)
    assert response.status_code == 303
    again = client.post("/surat-kekosongan", data=form)          # a double submit: the same set
    assert again.location == response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "baru dibuat" in page and page.count("470/0") >= 5 and "Camat Selat" in page
    letter_link = re.search(r'href="(/surat-kekosongan/surat/[0-9a-f-]+\.pdf)"', page).group(1)
    pdf = client.get(letter_link)
    assert pdf.mimetype == "application/pdf" and "470/001/Disdukcapil" in pdfs.text(pdf.data)
    dispatch = re.search(r'href="(/surat-kekosongan/[0-9a-f-]+/daftar-kirim\.pdf)"', page).group(1)
    assert "DAFTAR PENGIRIMAN" in pdfs.text(client.get(dispatch).data)


def test_letters_are_refused_on_the_page_while_blanks_remain(runtime, fakes, sign_in):
    fakes.inventory.stock = ["0000000001"]
    client = sign_in(Role.KEPALA_DINAS, KAPUAS)
    page = client.get("/surat-kekosongan").get_data(as_text=True)
    response = client.post("/surat-kekosongan", data={"csrf_token": csrf(page),
                                                      "request_id": form_values(page, "request_id")[0]})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="surat-error"[^>]*>[^<]*masih memiliki 1 blanko', text)
    assert "Belum ada surat pemberitahuan" in text


def test_pack_dispatch_receive_and_hand_over_from_the_pages(runtime, fakes, stub, sign_in):
    niks = print_cards(stub, fakes, [11])
    [(number, nik)] = niks.items()
    dinas = sign_in(Role.OPERATOR_DINAS, KAPUAS)
    page = dinas.get("/distribusi").get_data(as_text=True)
    assert dinas.post("/distribusi/kemas", data={"csrf_token": csrf(page)}).location == "/distribusi?dikemas=1"
    page = dinas.get("/distribusi").get_data(as_text=True)
    batch_id = re.search(r'data-batch="([0-9a-f-]+)"', page).group(1)
    assert dinas.post(f"/distribusi/{batch_id}/kirim", data={"csrf_token": csrf(page)}).status_code == 303

    kecamatan = sign_in(Role.OPERATOR_KECAMATAN, SELAT, subject="operator.selat")
    page = kecamatan.get(f"/distribusi/{batch_id}").get_data(as_text=True)
    assert "Terima paket di kecamatan" in page and 'action="/distribusi/kemas"' not in page
    assert kecamatan.post(f"/distribusi/{batch_id}/terima", data={"csrf_token": csrf(page)}).status_code == 303
    page = kecamatan.get(f"/distribusi/{batch_id}").get_data(as_text=True)
    assert "berita-acara.pdf" in page
    document_id = form_values(page, "document_id")[0]

    wrong = "6203019999990001"
    response = kecamatan.post(f"/distribusi/{batch_id}/serah",
                              data={"csrf_token": csrf(page), "document_id": document_id, "nik": wrong})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    field = re.search(rf'<input type="text" id="nik-{document_id}"[^>]*>', text).group(0)
    assert f'value="{wrong}"' in field and "is-invalid" in field
    assert re.search(rf'id="nik-error-{document_id}"[^>]*>[^<]*NIK tidak sesuai', text)

    response = kecamatan.post(f"/distribusi/{batch_id}/serah",
                              data={"csrf_token": csrf(page), "document_id": document_id, "nik": nik})
    assert response.status_code == 303 and nik not in response.location
    page = kecamatan.get(response.location).get_data(as_text=True)
    assert "Selesai" in page and number in page and nik not in page
    receipt = kecamatan.get(f"/distribusi/{batch_id}/berita-acara.pdf")
    assert number in pdfs.text(receipt.data)


@pytest.mark.parametrize("path", ["/surat-kekosongan", "/distribusi"])
def test_a_lurah_is_refused_the_pages(sign_in, path):
    assert sign_in(Role.LURAH, factories.VILLAGE).get(path).status_code == 403


# ---- in a real browser ----------------------------------------------------------------------

@pytest.fixture
def open_as(browser, runtime, identity):
    base = f"http://127.0.0.1:{runtime.process.http.port}"
    contexts = []

    def make(role: Role, scope: str, subject: str = "petugas.uji"):
        context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="id-ID", base_url=base)
        context.add_cookies([{"name": SESSION_COOKIE, "value": identity.officer(role, scope, subject=subject),
                              "url": base}])
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_letters_and_a_handover_in_the_browser(open_as, runtime, fakes, stub):
    dinas = open_as(Role.KEPALA_DINAS, KAPUAS, subject="kepala.kapuas")
    dinas.goto("/surat-kekosongan")
    dinas.get_by_role("button", name="Buat surat pemberitahuan").click()
    newest = dinas.locator("details[open]").first
    expect(newest).to_contain_text("baru dibuat")
    row = newest.locator("tbody tr", has_text="Camat Selat")
    expect(row).to_contain_text("470/001/Disdukcapil/")
    letter = dinas.request.get(row.get_by_role("link", name="PDF").get_attribute("href"))
    assert letter.headers["content-type"] == "application/pdf"
    assert "Camat Selat" in " ".join(pdfs.text(letter.body()).split())

    niks = print_cards(stub, fakes, [21])
    [(number, nik)] = niks.items()
    dinas.goto("/distribusi")
    dinas.get_by_role("button", name="Kemas KTP-el tercetak per kecamatan").click()
    expect(dinas.get_by_role("status")).to_contain_text("1 paket baru dikemas")
    batch = dinas.locator("tbody tr", has_text=SELAT)
    batch.get_by_role("button", name="Kirim").click()
    expect(dinas.locator("tbody tr", has_text=SELAT)).to_contain_text("Dikirim")
    batch_id = dinas.locator("tbody tr", has_text=SELAT).get_attribute("data-batch")

    kecamatan = open_as(Role.OPERATOR_KECAMATAN, SELAT, subject="operator.selat")
    kecamatan.goto(f"/distribusi/{batch_id}")
    kecamatan.get_by_role("button", name="Terima paket di kecamatan").click()
    expect(kecamatan.locator("#status-paket")).to_have_text("Diterima kecamatan")
    nik_field = kecamatan.get_by_label(f"NIK pemilik {number}")
    nik_field.fill("6203019999990001")
    kecamatan.get_by_role("button", name="Serahkan").click()
    nik_field = kecamatan.get_by_label(f"NIK pemilik {number}")
    expect(nik_field).to_have_class(re.compile("is-invalid"))
    expect(nik_field).to_have_value("6203019999990001")
    expect(kecamatan.locator(".invalid-feedback")).to_contain_text("NIK tidak sesuai")
    nik_field.fill(nik)
    kecamatan.get_by_role("button", name="Serahkan").click()
    expect(kecamatan.get_by_role("status")).to_contain_text("diserahkan kepada pemiliknya")
    expect(kecamatan.locator("#status-paket")).to_have_text("Selesai")
    assert nik not in kecamatan.url
