"""Readiness reflects the database: a service whose database goes away stops saying SERVING."""
from __future__ import annotations

import functools

import grpc
import sqlalchemy as sa
from grpc_health.v1 import health_pb2, health_pb2_grpc

from servicekit.access import AccessPolicy
from servicekit.db import check_database, create_engine
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from servicekit.runtime import ReadinessWatcher
from servicekit.tokens import TokenVerifier, TrustedKeys
from servicekit.web import WebGate, create_base_app


def test_health_and_readyz_follow_the_database(postgres_server, tmp_path):
    url = postgres_server.create_database()
    engine = create_engine(url)
    metrics = ServiceMetrics("readiness")
    ready = functools.partial(check_database, engine)
    server = create_server(address="127.0.0.1:0", context_name="readiness", register=lambda s: None,
                           service_names=["test.Ready"], metrics=metrics, reflection_on=False, gate=None)
    server.start()
    watcher = ReadinessWatcher(server, ready, metrics, interval=3600)
    gate = WebGate(AccessPolicy({}), TokenVerifier(TrustedKeys(tmp_path)), login_url="http://127.0.0.1:8001/masuk",
                   cookie_secure=False, secret_key=b"k" * 32)
    app = create_base_app(context_name="readiness", title="t", metrics=metrics, ready_check=ready,
                          gate=gate).test_client()
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    health = health_pb2_grpc.HealthStub(channel)

    def status() -> int:
        return health.Check(health_pb2.HealthCheckRequest(service="test.Ready"), timeout=5).status

    try:
        assert watcher.check_now() and status() == health_pb2.HealthCheckResponse.SERVING
        assert app.get("/readyz").status_code == 200
        assert metrics.registry.get_sample_value("ektp_readiness_database_up") == 1

        engine.dispose()
        admin = sa.create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        admin.dispose()

        assert not watcher.check_now() and status() == health_pb2.HealthCheckResponse.NOT_SERVING
        answer = app.get("/readyz")
        assert answer.status_code == 503 and answer.json == {"status": "not ready"}
        assert metrics.registry.get_sample_value("ektp_readiness_database_up") == 0
        assert app.get("/healthz").status_code == 200  # alive, just not ready
    finally:
        channel.close()
        server.stop(0)
        engine.dispose()
