"""The procurement board, request / approve / receive and the public stock announcement in a
real Chromium (Playwright), against a running inventory process with the demo data. Officers
are signed in with the session cookie the identity provider would set."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from inventory import bootstrap, demo
from inventory.config import Settings
from servicekit.access import Principal, Role
from tests.identity import KAPUAS
from tests.inventory.helpers import published_identity

SYSTEM = Principal.service("inventory", origin="test")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("inventory-pages")
    identity = published_identity(var_dir / "keys")
    settings = Settings(database_url=f"sqlite:///{var_dir / 'inventory.db'}", host="127.0.0.1", grpc_port=0,
                        http_port=0, var_dir=var_dir, offices=("62.03",))
    runtime = bootstrap.build(settings)
    runtime.process.start()
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)
    runtime.service.receive_stock(SYSTEM, "62", "96000001", "96000300", "SPB-PROV")   # the province's store
    try:
        yield runtime, identity, f"http://127.0.0.1:{runtime.process.http.port}"
    finally:
        runtime.process.stop()


def test_the_board_shows_each_tender_with_its_dated_timeline(open_as, server):
    page = open_as(Role.AUDITOR, KAPUAS)
    page.goto("/pengadaan")
    expect(page.get_by_role("heading", name="Papan pengadaan blanko KTP-el")).to_be_visible()
    p2016 = page.get_by_test_id("package-blanko-ktp-el-2016")
    expect(p2016).to_contain_text("Ditunda")
    expect(p2016).to_contain_text("8.000.000 blanko")
    expect(p2016).to_contain_text("Rp 115.200.000.000")
    timeline = p2016.get_by_role("list", name=re.compile("Riwayat"))
    expect(timeline.get_by_role("listitem")).to_have_count(6)
    expect(timeline.get_by_role("listitem").last).to_contain_text("menunggu hasil reviu BPKP/Inspektorat")
    expect(timeline.get_by_role("listitem").last).to_contain_text("14 November 2016")
    p2017 = page.get_by_test_id("package-blanko-ktp-el-2017")
    expect(p2017).to_contain_text("Kontrak")
    expect(p2017).to_contain_text("Rp 82.250.000.000")
    expect(page.get_by_role("button", name="Buat paket")).to_have_count(0)     # an auditor only reads
    page.screenshot(path=str(server[0].settings.var_dir / "procurement-board.png"), full_page=True)


def test_the_admin_records_a_tender_step_and_a_forbidden_one_is_explained(open_as):
    page = open_as(Role.ADMIN_PROVINSI, "62")
    page.goto("/pengadaan")
    page.get_by_label("Nama paket").fill("Blanko e-katalog 2018")
    page.get_by_label("Tahun anggaran").fill("2018")
    page.get_by_label("Jalur").select_option("E_CATALOGUE")
    page.get_by_label("Jumlah blanko").fill("900.000.000")                      # absurd
    page.get_by_label("Nilai perkiraan (Rp)").fill("8550000000")
    page.get_by_role("button", name="Buat paket").click()
    field = page.get_by_label("Jumlah blanko")
    expect(field).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#quantity-error")).to_be_visible()
    expect(page.get_by_label("Nama paket")).to_have_value("Blanko e-katalog 2018")   # kept
    field.fill("900000")
    page.get_by_role("button", name="Buat paket").click()
    expect(page.get_by_role("heading", name="Blanko e-katalog 2018")).to_be_visible()

    page.get_by_label("Status baru").select_option("ANNOUNCED")              # a tender step: not e-catalogue
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_role("alert")).to_contain_text("tidak dapat diubah menjadi Diumumkan")
    page.get_by_label("Status baru").select_option("CONTRACT")
    page.get_by_label("Penyedia (pemenang)").fill("PT Uji Katalog")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.locator("#contract_number-error")).to_be_visible()           # said next to the field
    expect(page.get_by_label("Penyedia (pemenang)")).to_have_value("PT Uji Katalog")
    page.get_by_label("Nomor kontrak / surat pesanan").fill("SP-2018/01")
    page.get_by_label("Nilai kontrak (Rp)").fill("8550000000")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_test_id("status")).to_have_text("Kontrak")

    page.get_by_label("Nomor seri awal").fill("8800000001")
    page.get_by_label("Nomor seri akhir").fill("8800000250")
    page.get_by_label("Surat jalan").fill("SJ-KATALOG-1")
    page.get_by_role("button", name="Catat pengiriman").click()
    expect(page.get_by_test_id("status")).to_have_text("Pengiriman")
    expect(page.locator("table")).to_contain_text("8800000001–8800000250")


def test_a_request_is_sized_approved_partly_and_received(open_as, server):
    runtime, _, _ = server
    dinas = open_as(Role.OPERATOR_DINAS, KAPUAS, subject="kapuas.operator")
    dinas.goto("/permintaan?backlog=180")
    expect(dinas.get_by_test_id("proposal")).to_contain_text("usulan jumlah: 180")
    expect(dinas.get_by_label("Jumlah blanko diminta")).to_have_value("180")
    dinas.get_by_label("Jumlah blanko diminta").fill("500")                    # above the backlog, unexplained
    dinas.get_by_role("button", name="Ajukan permintaan").click()
    expect(dinas.locator("#note-error")).to_be_visible()
    expect(dinas.get_by_label("Jumlah blanko diminta")).to_have_value("500")
    dinas.get_by_label("Jumlah blanko diminta").fill("180")
    dinas.get_by_role("button", name="Ajukan permintaan").click()
    expect(dinas.get_by_test_id("state")).to_have_text("Menunggu keputusan")
    request_url = dinas.url

    admin = open_as(Role.ADMIN_PROVINSI, "62", subject="admin.kalteng")
    admin.goto(request_url)
    admin.get_by_label("Jumlah disetujui").fill("120")
    admin.get_by_role("button", name="Setujui dan kirim").click()
    expect(admin.locator("#reason-error")).to_be_visible()                   # a cut needs a reason
    admin.get_by_label("Alasan").fill("Stok provinsi terbatas")
    admin.get_by_role("button", name="Setujui dan kirim").click()
    expect(admin.get_by_test_id("state")).to_have_text("Disetujui, dalam pengiriman")
    expect(admin.get_by_test_id("decision")).to_contain_text("disetujui 120 blanko")

    dinas.reload()
    dinas.get_by_role("button", name="Konfirmasi blanko diterima").click()
    expect(dinas.get_by_test_id("state")).to_have_text("Diterima")
    assert runtime.service.get_stock(SYSTEM, "62.03").available == 120
    dinas.goto("/permintaan")
    expect(dinas.locator("table")).to_contain_text("Diterima")


def test_the_public_announcement_needs_no_login_and_says_when_blanks_may_come(open_as):
    page = open_as(None)
    response = page.goto("/pengumuman/62.06")   # Katingan: the demo gives it no blanks
    assert response.status == 200
    expect(page.get_by_role("heading", name="Pengumuman stok blanko KTP-el")).to_be_visible()
    expect(page.get_by_test_id("level")).to_contain_text("Habis")
    expect(page.get_by_test_id("available")).to_have_text("0")
    expect(page.get_by_test_id("arrival")).to_contain_text("Pengiriman")
    expect(page.get_by_test_id("officer")).to_have_count(0)                  # nobody is signed in
    expect(page.locator("body")).to_contain_text("Suket")
    missing = page.goto("/pengumuman/99.99")
    assert missing.status == 404
