"""Probes, metrics, gRPC health and the Bahasa Indonesia page of a running process."""
from __future__ import annotations

import urllib.request

from grpc_health.v1 import health_pb2, health_pb2_grpc

from ektp.inventory.v1 import inventory_pb2 as pb
from inventory import demo


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


def test_metrics_show_business_and_infrastructure_series(runtime, stub):
    stub.ReceiveStock(pb.ReceiveStockRequest(office_code="63.10", first_serial="00000001",
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


def test_page_shows_empty_stock_alert_and_the_postponed_tender(runtime, stub):
    stub.ReceiveStock(pb.ReceiveStockRequest(office_code="63.10", first_serial="00000001",
                                             last_serial="00001500"), timeout=10)
    demo.load_demo(runtime.service)
    response = runtime.app.test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="id">' in page
    assert "Stok kosong" in page and "kantor <strong>62.03</strong>" in page
    assert "kantor <strong>63.10</strong>" not in page
    assert "1.500" in page
    assert "Rp 115.200.000.000" in page and "Rp 82.250.000.000" in page
    assert "8.000.000" in page and "Ditunda" in page and "Direncanakan" in page
    assert "Ditunda: menunggu hasil reviu BPKP/Inspektorat" in page
    assert "14 November 2016" in page
    assert "cdn" not in page.lower()
