"""Probes, metrics and the coverage page, on SQLite and PostgreSQL."""
from __future__ import annotations

import urllib.request

from ektp.inventory.v1 import inventory_pb2
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


def test_probes_answer_over_real_http(runtime):
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


def test_coverage_page_shows_totals_rows_stock_and_procurement(runtime, producers):
    _feed_kapuas(runtime, producers)
    page = runtime.app.test_client().get("/").get_data(as_text=True)
    assert "Cakupan Perekaman KTP-el" in page and "Kapuas" in page
    assert "1.234" in page and "66,7 %" in page and "1.500" in page
    assert 'href="?wilayah=62.03.01"' in page and 'href="?wilayah=62"' in page
    assert "Ditunda" in page and "reviu BPKP" in page
    drill = runtime.app.test_client().get("/?wilayah=62.03.01")
    assert drill.status_code == 200 and "62.03.01.2002" in drill.get_data(as_text=True)


def test_coverage_page_rejects_bad_codes_and_unknown_regions(runtime):
    client = runtime.app.test_client()
    bad = client.get("/?wilayah=Kapuas")
    assert bad.status_code == 400 and "62.03.01" in bad.get_data(as_text=True)
    assert client.get("/?wilayah=63.10").status_code == 404


def test_landing_page_before_any_event_is_an_empty_report_not_a_404(runtime):
    page = runtime.app.test_client().get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Belum ada data perekaman" in html and "62.03" in html
    assert runtime.app.test_client().get("/?wilayah=62.03").status_code == 404  # asked for by name
