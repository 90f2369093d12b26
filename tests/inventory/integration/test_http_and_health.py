"""Probes, metrics, gRPC health and the Bahasa Indonesia page of a running process."""
from __future__ import annotations

import urllib.request

from grpc_health.v1 import health_pb2, health_pb2_grpc

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory import demo
from servicekit.access import Principal, Role
from servicekit.web import SESSION_COOKIE
from tests.identity import KAPUAS, TANAH_BUMBU


def test_grpc_health_is_serving_for_the_inventory_service(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "ektp.inventory.v1.InventoryService"):
        response = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_probes_answer_over_real_http(runtime):
    base = f"http://127.0.0.1:{runtime.process.http.port}"
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
        assert response.status == 200 and b"ready" in response.read()


def test_metrics_show_business_and_infrastructure_series(runtime, stub, officer_stub):
    dinas = officer_stub(Role.OPERATOR_DINAS, TANAH_BUMBU)
    dinas.ReceiveStock(pb.ReceiveStockRequest(office_code="63.10", first_serial="00000001",
                                              last_serial="00000002"), timeout=10)
    stub.ReserveBlank(pb.ReserveBlankRequest(office_code="63.10", idempotency_key="card:1"), timeout=10)
    stub.ConsumeBlank(pb.ConsumeBlankRequest(idempotency_key="card:1"), timeout=10)
    body = runtime.app.test_client().get("/metrics").get_data(as_text=True)
    assert 'ektp_inventory_blanks_available{office_code="62.03"} 0.0' in body
    assert 'ektp_inventory_blanks_available{office_code="63.10"} 1.0' in body
    assert 'ektp_inventory_reservations_total{office_code="63.10",outcome="reserved"} 1.0' in body
    assert 'ektp_inventory_blanks_consumed_total{office_code="63.10"} 1.0' in body
    assert 'ektp_inventory_grpc_requests_total{code="OK",method="ReceiveStock"} 1.0' in body
    assert "ektp_inventory_outbox_last_sequence 3.0" in body


def test_page_shows_empty_stock_alert_and_the_postponed_tender(runtime, officer_stub, identity):
    # Kab. Kapuas (watched, 62.03) holds nothing; its kecamatan office Selat (62.03.01) holds 1,500.
    kapuas = officer_stub(Role.OPERATOR_DINAS, KAPUAS)
    kapuas.ReceiveStock(pb.ReceiveStockRequest(office_code="62.03.01", first_serial="00000001",
                                               last_serial="00001500"), timeout=10)
    demo.load_demo(Principal.service("inventory", origin="cli"), runtime.service)
    client = runtime.app.test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, KAPUAS))
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="id">' in page
    assert "Stok kosong" in page and "kantor <strong>62.03</strong>" in page
    assert "kantor <strong>62.03.01</strong>" not in page
    assert "<td>62.03.01</td>" in page and "1.500" in page
    assert "Rp 115.200.000.000" in page and "Rp 82.250.000.000" in page
    assert "8.000.000" in page and "Ditunda" in page and "Kontrak" in page    # 2016 postponed, 2017 contracted
    assert "Ditunda: menunggu hasil reviu BPKP/Inspektorat" in page
    assert "14 November 2016" in page
    assert "cdn" not in page.lower()


def test_page_lists_only_the_offices_the_officer_sees(runtime, officer_stub, identity):
    officer_stub(Role.OPERATOR_DINAS, KAPUAS).ReceiveStock(pb.ReceiveStockRequest(
        office_code="62.03.01", first_serial="00000001", last_serial="00000002"), timeout=10)
    officer_stub(Role.OPERATOR_DINAS, TANAH_BUMBU).ReceiveStock(pb.ReceiveStockRequest(
        office_code="63.10", first_serial="00000003", last_serial="00000009"), timeout=10)
    client = runtime.app.test_client()

    def offices_shown(role: Role, scope: str) -> set[str]:
        client.set_cookie(SESSION_COOKIE, identity.officer(role, scope))
        page = client.get("/").get_data(as_text=True)
        return {code for code in ("62.03", "62.03.01", "63.10") if f"<td>{code}</td>" in page}

    # A kecamatan operator sees its own office and its kabupaten's stock, nothing across the border.
    assert offices_shown(Role.OPERATOR_KECAMATAN, "62.03.01") == {"62.03", "62.03.01"}
    assert offices_shown(Role.OPERATOR_DINAS, "63.10") == {"63.10"}
    assert offices_shown(Role.ADMIN_PROVINSI, "63") == {"63.10"}
    assert offices_shown(Role.AUDITOR, "62") == {"62.03", "62.03.01"}
