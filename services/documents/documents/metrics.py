"""Business metrics of the documents context, on the service's registry."""
from __future__ import annotations

from prometheus_client import Counter, Histogram

from servicekit.metrics import ServiceMetrics

RENDER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class DocumentsMetrics:
    def __init__(self, service_metrics: ServiceMetrics) -> None:
        registry = service_metrics.registry
        self.issued = Counter(
            "ektp_documents_issued_total", "Documents issued (card print jobs and Suket), by office.",
            ["kind", "office_code"], registry=registry)
        self.verifications = Counter(
            "ektp_documents_verifications_total", "Suket QR verifications, by result (valid, forged, ...).",
            ["result"], registry=registry)
        self.render_seconds = Histogram(
            "ektp_documents_render_seconds", "Time to render a document PDF.",
            ["kind"], buckets=RENDER_BUCKETS, registry=registry)
