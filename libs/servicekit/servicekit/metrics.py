"""Prometheus metrics: one registry per service instance (tests run several per process)."""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """Infrastructure metrics named `ektp_<ctx>_...`; business metrics live in `<ctx>/metrics.py`."""

    def __init__(self, context: str, registry: CollectorRegistry | None = None) -> None:
        self.context = context
        self.registry = registry or CollectorRegistry()
        p = f"ektp_{context}"
        self.grpc_requests = Counter(
            f"{p}_grpc_requests_total", "gRPC requests handled, by method and status code.",
            ["method", "code"], registry=self.registry)
        self.grpc_latency = Histogram(
            f"{p}_grpc_request_duration_seconds", "gRPC request latency by method.",
            ["method"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.http_requests = Counter(
            f"{p}_http_requests_total", "HTTP requests by route and status.",
            ["route", "status"], registry=self.registry)
        self.outbox_last_sequence = Gauge(
            f"{p}_outbox_last_sequence", "Highest sequence written to this service's outbox.",
            registry=self.registry)
        self.consumer_sequence = Gauge(
            f"{p}_consumer_sequence", "Last event sequence applied, per feed.",
            ["feed"], registry=self.registry)
        self.consumer_applied = Counter(
            f"{p}_consumer_events_applied_total", "Events applied from a feed.",
            ["feed"], registry=self.registry)
        self.consumer_errors = Counter(
            f"{p}_consumer_errors_total", "Failures while following a feed (each is retried).",
            ["feed"], registry=self.registry)
        self.db_up = Gauge(
            f"{p}_database_up", "1 when the last database check succeeded.", registry=self.registry)
