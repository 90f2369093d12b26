"""Probes, metrics and the coverage page, on SQLite and PostgreSQL."""
from __future__ import annotations

import urllib.request

from ektp.inventory.v1 import inventory_pb2
from servicekit.access import Role
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting.integration.fakes import caught_up


def _feed_kapuas(runtime, producers):
    number = b.register_number()
    producers["enrolment"].feed.append(
        b.target("62.03", 1234, "Kapuas"), b.target("62.03.01", 3, "Selat"),
        b.captured("62.03.01.2001", number), b.print_ready(number, "62.03.01.2001"),
        b.captured("62.03.01.2002"))
    producers["documents"].feed.append(b.suket_issued(number, "62.03.01.2001"))
    producers["inventory"].feed.append(
        b.stock_received("62.03", 1500, 1500),
        b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_POSTPONED, "reviu BPKP"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the events")
    return number


def test_probes_answer_over_real_http_without_a_session(runtime):
    base = f"http://127.0.0.1:{runtime.process.http.port}"
    for path in ("/healthz", "/readyz"):
        with urllib.request.urlopen(base + path, timeout=5) as response:
            assert response.status == 200


def test_metrics_expose_per_kabupaten_gauges(runtime, producers):
    _feed_kapuas(runtime, producers)
    client = runtime.app.test_client()
    text = client.get("/metrics").get_data(as_text=True)
    assert 'ektp_reporting_coverage_ratio{region_code="62.03"} 0.0016' in text
    assert 'ektp_reporting_suket_outstanding{region_code="62.03"} 1.0' in text
    assert 'ektp_reporting_print_ready_backlog{region_code="62.03"} 1.0' in text
    applied = 'ektp_reporting_consumer_events_applied_total{feed="enrolment"} 5.0'
    wait_for(lambda: applied in client.get("/metrics").get_data(as_text=True), message="consumer metrics")


def test_coverage_page_shows_totals_and_rows_and_the_stock_page_the_boards(runtime, producers, browser):
    _feed_kapuas(runtime, producers)
    client = browser(Role.OPERATOR_DINAS, "62.03")
    page = client.get("/").get_data(as_text=True)
    assert "Cakupan Perekaman KTP-el" in page and "Kapuas" in page
    assert "1.234" in page and "66,7 %" in page
    assert 'href="/?wilayah=62.03.01"' in page and 'href="/?wilayah=62"' in page
    drill = client.get("/?wilayah=62.03.01")
    assert drill.status_code == 200 and "62.03.01.2002" in drill.get_data(as_text=True)
    boards = client.get("/stok").get_data(as_text=True)
    assert "1.500" in boards and "Ditunda" in boards and "reviu BPKP" in boards


def test_coverage_page_rejects_bad_codes_and_unknown_regions(runtime, browser):
    client = browser(Role.OPERATOR_DINAS, "62.03")
    bad = client.get("/?wilayah=Kapuas")
    assert bad.status_code == 400 and "62.03.01" in bad.get_data(as_text=True)
    assert client.get("/?wilayah=62.03.02").status_code == 404


def test_landing_page_before_any_event_is_an_empty_report_not_a_404(runtime, browser):
    client = browser(Role.OPERATOR_DINAS, "62.03")
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Belum ada data perekaman" in html and "62.03" in html
    assert client.get("/?wilayah=62.03").status_code == 404  # asked for by name


def test_the_page_opens_on_the_officers_kabupaten_or_province(runtime, producers, browser):
    _feed_kapuas(runtime, producers)
    lurah = browser(Role.LURAH, "62.03.01.1006").get("/").get_data(as_text=True)
    assert "Kabupaten/Kota Kapuas (62.03)" in lurah
    province = browser(Role.ADMIN_PROVINSI, "62").get("/").get_data(as_text=True)
    assert "Provinsi 62 (62)" in province
    elsewhere = browser(Role.OPERATOR_DINAS, "63.10").get("/")
    assert elsewhere.status_code == 200 and "(63.10)" in elsewhere.get_data(as_text=True)


def test_a_region_outside_the_officers_scope_is_refused_with_403(runtime, producers, browser):
    _feed_kapuas(runtime, producers)
    refused = browser(Role.OPERATOR_DINAS, "63.10").get("/?wilayah=62.03")
    assert refused.status_code == 403
    assert "1.234" not in refused.get_data(as_text=True)


def test_a_lurah_sees_coverage_but_not_stock_or_procurement(runtime, producers, browser):
    _feed_kapuas(runtime, producers)
    lurah = browser(Role.LURAH, "62.03.01.1006")
    page = lurah.get("/").get_data(as_text=True)
    assert "1.234" in page
    assert 'href="/stok' not in page and "reviu BPKP" not in page
    refused = lurah.get("/stok")
    assert refused.status_code == 403 and "reviu BPKP" not in refused.get_data(as_text=True)


def test_rows_link_only_to_regions_the_officer_may_open(runtime, producers, browser):
    producers["enrolment"].feed.append(b.target("62.03", 100, "Kapuas"), b.target("62.11", 50, "Gunung Mas"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the targets")
    page = browser(Role.OPERATOR_DINAS, "62.03").get("/?wilayah=62").get_data(as_text=True)
    assert 'href="/?wilayah=62.03"' in page
    assert "Gunung Mas" in page and 'href="/?wilayah=62.11"' not in page


def test_metrics_hold_no_register_numbers_or_officer_names(runtime, producers, browser):
    number = _feed_kapuas(runtime, producers)
    browser(Role.OPERATOR_DINAS, "62.03").get("/?wilayah=62.03.01")
    text = runtime.app.test_client().get("/metrics").get_data(as_text=True)
    assert "ektp_reporting_coverage_ratio" in text
    assert number not in text and "petugas.uji" not in text and "REG-" not in text
