"""The Flask side of every service: app factory base, probes, metrics, errors, waitress.

Pages extend `servicekit/base.html` (Bootstrap 5 served locally by Bootstrap-Flask; no CDN).
"""
from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable

from flask import Blueprint, Flask, Response, jsonify, render_template, request
from flask_bootstrap import Bootstrap5
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from waitress.server import create_server as create_waitress
from werkzeug.exceptions import HTTPException

from servicekit.config import DEFAULT_PORTS
from servicekit.errors import ServiceError
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for

log = logging.getLogger(__name__)

# Links shown in the shared navigation bar: (context, label, default HTTP port).
SERVICES = tuple((name, label, DEFAULT_PORTS[name][1]) for name, label in (
    ("enrolment", "Perekaman"), ("inventory", "Blanko"), ("documents", "Dokumen"), ("reporting", "Laporan")))


def create_base_app(*, context_name: str, title: str, metrics: ServiceMetrics,
                    ready_check: Callable[[], bool], links: dict[str, str] | None = None,
                    secret_key: str | None = None) -> Flask:
    app = Flask(context_name, template_folder="templates")
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        BOOTSTRAP_SERVE_LOCAL=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        EKTP_CONTEXT=context_name,
        EKTP_TITLE=title,
        EKTP_LINKS=links or {name: f"http://127.0.0.1:{port}/" for name, _, port in SERVICES},
    )
    Bootstrap5(app)
    # The shared templates (servicekit/base.html, servicekit/error.html).
    app.register_blueprint(Blueprint("servicekit", __name__, template_folder="templates"))

    @app.context_processor
    def _navigation() -> dict:
        return {"ektp_services": SERVICES, "ektp_links": app.config["EKTP_LINKS"],
                "ektp_context": context_name, "ektp_title": title}

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        ready = ready_check()
        metrics.db_up.set(1 if ready else 0)
        return jsonify(status="ready" if ready else "not ready"), (200 if ready else 503)

    @app.get("/metrics")
    def prometheus_metrics():
        return Response(generate_latest(metrics.registry), mimetype=CONTENT_TYPE_LATEST)

    @app.after_request
    def _count(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"  # never the raw URL
        metrics.http_requests.labels(route, str(response.status_code)).inc()
        return response

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        _, http_status = status_for(exc)
        return _error_page(http_status, exc.message, [(v.field, v.description) for v in exc.violations])

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return _error_page(exc.code or 500, exc.description or exc.name, [])

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.error("http request failed", exc_info=exc, extra={"route": request.url_rule.rule if request.url_rule else "unmatched"})
        return _error_page(500, "Terjadi kesalahan internal. Silakan coba lagi.", [])

    return app


def _error_page(status: int, message: str, violations: list[tuple[str, str]]):
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=message, violations=[{"field": f, "description": d} for f, d in violations]), status
    return render_template("servicekit/error.html", status=status, message=message, violations=violations), status


class HttpServer:
    """waitress in a background thread; `port` is the bound port (0 asks for a free one)."""

    def __init__(self, app: Flask, host: str, port: int, threads: int = 8) -> None:
        self._server = create_waitress(app, host=host, port=port, threads=threads, ident="ektp")
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="http", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Close every socket from inside waitress's own loop (closing them from this thread
        races with its select), let the loop end, then stop the worker threads."""
        server = self._server
        server.trigger.pull_trigger(lambda: [channel.close() for channel in list(server._map.values())])
        self._thread.join(timeout)
        server.task_dispatcher.shutdown()
