"""The stock per office, the ledger with its filters, the spoilage form with its witnessed
destruction record, and the physical count with its variance report, in a real Chromium
(Playwright) against a running inventory process with the demo offices. Officers are signed
in with the session cookie the identity provider would set."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from inventory import bootstrap, demo
from inventory.config import Settings
from inventory.domain import LedgerKind
from servicekit.access import Principal, Role
from tests.identity import KAPUAS, TANAH_BUMBU
from tests.inventory.helpers import published_identity, row_counts

SYSTEM = Principal.service("inventory", origin="test")
DOCUMENTS = Principal.service("documents", origin="test")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("inventory-ledger-pages")
    identity = published_identity(var_dir / "keys")
    settings = Settings(database_url=f"sqlite:///{var_dir / 'inventory.db'}", host="127.0.0.1", grpc_port=0,
                        http_port=0, var_dir=var_dir, offices=("62.03",))
    runtime = bootstrap.build(settings)
    runtime.process.start()
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)
    service = runtime.service
    service.receive_stock(SYSTEM, "62.03", "30000001", "30000500", "SPB-KAPUAS-01")
    for n in range(3):
        service.reserve_blank(DOCUMENTS, "62.03", f"card:PAGE-{n}")
        service.consume_blank(DOCUMENTS, f"card:PAGE-{n}")
    transfer = service.transfer(SYSTEM, "62.03", "62.03.01", 20, "ALOK-UPT-SELAT")
    service.receive_transfer(SYSTEM, transfer.transfer_id)
    service.receive_stock(SYSTEM, "63.10", "31000001", "31000100", "SPB-TANBU-01")
    try:
        yield runtime, identity, f"http://127.0.0.1:{runtime.process.http.port}"
    finally:
        runtime.process.stop()


def test_stock_per_office_lists_only_the_offices_in_scope_with_their_counts(open_as, server):
    page = open_as(Role.OPERATOR_DINAS, KAPUAS)
    page.goto("/stok")
    expect(page.get_by_role("heading", name="Stok blanko per kantor")).to_be_visible()
    kapuas = page.locator("tr[data-office='62.03']")
    expect(kapuas).to_contain_text("Disdukcapil Kabupaten Kapuas")
    expect(kapuas.locator("td").nth(2)).to_have_text("477")          # 500 - 3 printed - 20 sent to Selat
    expect(kapuas.locator("td").nth(4)).to_have_text("3")
    expect(page.locator("tr[data-office='62.03.01'] td").nth(2)).to_have_text("20")
    expect(page.locator("tr[data-office='63.10']")).to_have_count(0)   # Tanah Bumbu is not in scope
    expect(kapuas.get_by_role("link", name="Blanko rusak")).to_be_visible()

    auditor = open_as(Role.AUDITOR, TANAH_BUMBU)
    auditor.goto("/stok")
    expect(auditor.locator("tr[data-office='63.10'] td").nth(2)).to_have_text("1.100")   # the demo's 1,000 + 100
    expect(auditor.locator("tr[data-office='62.03']")).to_have_count(0)
    expect(auditor.get_by_role("link", name="Blanko rusak")).to_have_count(0)   # an auditor writes nothing


def test_the_ledger_filters_by_kind_and_serial_and_explains_a_bad_date(open_as, server):
    page = open_as(Role.KEPALA_DINAS, KAPUAS)
    page.goto("/stok")
    page.locator("tr[data-office='62.03']").get_by_role("link", name="Buku stok").click()
    expect(page.get_by_role("heading", name=re.compile("Buku stok blanko"))).to_be_visible()
    expect(page.locator("#buku tbody tr")).to_have_count(8)   # received, 3 x (reserved, printed), sent
    page.get_by_label("Jenis mutasi").select_option(label="Tercetak")
    page.get_by_role("button", name="Saring").click()
    expect(page).to_have_url(re.compile(r"jenis=consumed"))
    expect(page.locator("#buku tbody tr")).to_have_count(3)
    page.get_by_label("Jenis mutasi").select_option(label="Semua")
    page.get_by_label("Nomor seri").fill("30000010")
    page.get_by_role("button", name="Saring").click()
    rows = page.locator("#buku tbody tr")
    expect(rows).to_have_count(2)                              # in the receipt and in the transfer to Selat
    expect(rows.first).to_contain_text("Dikirim ke kantor lain")
    expect(rows.first).to_contain_text("62.03.01")
    response = page.goto("/stok/62.03/buku?dari=14-11-2016&seri=30000010")
    assert response.status == 400
    expect(page.locator("#dari")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#dari-error")).to_contain_text("YYYY-MM-DD")
    expect(page.get_by_label("Nomor seri")).to_have_value("30000010")   # what was typed is kept


def test_spoilage_needs_witnesses_keeps_the_form_and_then_records_the_destruction(open_as, server):
    runtime, _, _ = server
    page = open_as(Role.OPERATOR_DINAS, KAPUAS)
    page.goto("/stok/62.03/rusak")
    page.get_by_label("Nomor seri yang rusak").fill("30000101-30000102, 30000001")   # 30000001 was printed
    page.get_by_label("Penyebab kerusakan").fill("Salah cetak: foto bergeser")
    page.get_by_label("Nomor berita acara pemusnahan").fill("BA-PMS/62.03/XI/2026/01")
    page.get_by_label("Nama saksi 1").fill("Saksi Pertama")
    page.get_by_label("NIP / nomor pegawai saksi 1").fill("198001012005012001")
    before = row_counts(runtime.engine)
    page.get_by_role("button", name="Catat rusak dan pemusnahan").click()
    expect(page.locator("#witnesses-error")).to_contain_text("dua saksi")
    expect(page.get_by_label("Nomor seri yang rusak")).to_have_value("30000101-30000102, 30000001")
    expect(page.get_by_label("Nama saksi 1")).to_have_value("Saksi Pertama")
    page.get_by_label("Nama saksi 2").fill("Saksi Kedua")
    page.get_by_label("NIP / nomor pegawai saksi 2").fill("197502022000031002")
    page.get_by_role("button", name="Catat rusak dan pemusnahan").click()
    expect(page.locator("#serial_ranges-error")).to_contain_text("30000001 (tercetak")   # printed, not held
    assert row_counts(runtime.engine) == before                                         # nothing stored
    page.get_by_label("Nomor seri yang rusak").fill("30000101-30000102")
    page.get_by_role("button", name="Catat rusak dan pemusnahan").click()
    expect(page).to_have_url(re.compile(r"/stok/62\.03/buku\?jenis=spoiled$"))
    row = page.locator("#buku tbody tr").first
    expect(row).to_contain_text("30000101–30000102")
    expect(row).to_contain_text("BA-PMS/62.03/XI/2026/01")
    expect(row).to_contain_text("Salah cetak: foto bergeser")
    spoiled = runtime.service.ledger(SYSTEM, "62.03")[0]
    assert spoiled.kind is LedgerKind.SPOILED and spoiled.record_id


def test_a_count_shows_its_variance_report_and_writes_off_the_missing(open_as, server):
    runtime, _, _ = server
    page = open_as(Role.OPERATOR_KECAMATAN, "62.03.01")        # the UPT Selat counts its own store
    page.goto("/stok/62.03.01/opname")
    expect(page.locator("body")).to_contain_text("Menurut buku: 20")
    page.get_by_label("Nomor seri yang terhitung di gudang").fill("30000004-30000020, 30000023, 31000001")
    page.get_by_label("Nomor berita acara stok opname").fill("BA-OPNAME/SELAT/01")
    page.get_by_role("button", name="Catat hasil hitung").click()
    report = page.locator("#laporan-selisih")
    expect(report).to_contain_text("Seharusnya 20, terhitung 19")
    expect(page.locator("#jumlah-kurang")).to_have_text("2")
    expect(page.locator("#seri-kurang")).to_contain_text("30000021–30000022")
    expect(page.locator("#seri-lebih")).to_contain_text("31000001")
    assert runtime.service.get_stock(SYSTEM, "62.03.01").available == 18
    assert runtime.service.get_stock(SYSTEM, "63.10").available == 1_100    # the surplus is not booked

    page.get_by_label("Nomor seri yang terhitung di gudang").fill("3000000X")
    page.get_by_role("button", name="Catat hasil hitung").click()
    expect(page.locator("#counted-error")).to_be_visible()
    expect(page.get_by_label("Nomor seri yang terhitung di gudang")).to_have_value("3000000X")
    assert runtime.service.get_stock(SYSTEM, "62.03.01").available == 18
