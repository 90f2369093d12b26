"""The Flask side of every service: app factory base, the officer gate, probes, metrics,
errors, waitress.

Pages extend `servicekit/base.html` (Bootstrap 5 served locally by Bootstrap-Flask; no CDN).

The gate: an officer logs in once (on the enrolment service, the identity provider) and gets
the `ektp_session` cookie holding a signed session token; every service verifies it with the
issuer's public key, so one login is honoured by all four. Each request is admitted by the
endpoint's rule in the service's access table (no rule, no page); a page without a session
redirects to the login, JSON gets 401. Every form carries a CSRF token (Flask-WTF). Probes,
metrics and static files are open and carry no personal data.
"""
from __future__ import annotations

import datetime as dt
import logging
import pathlib
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, g, jsonify, redirect, render_template, request
from flask_babel import Babel, get_locale
from flask_bootstrap import Bootstrap5
from flask_wtf.csrf import CSRFError, CSRFProtect
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from waitress.server import create_server as create_waitress
from werkzeug.exceptions import HTTPException

from servicekit.access import ROLE_LABELS, AccessPolicy, Principal
from servicekit.config import DEFAULT_PORTS
from servicekit.errors import ServiceError, Unauthenticated
from servicekit.metrics import ServiceMetrics
from servicekit.status import status_for
from servicekit.tokens import TokenVerifier

if TYPE_CHECKING:
    from servicekit.feeds import FeedConsumer

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Marks a string for the translation catalogue; translated where it is shown (`_()`)."""
    return message


# Links shown in the shared navigation bar: (context, label, default HTTP port).
SERVICES = tuple((name, label, DEFAULT_PORTS[name][1]) for name, label in (
    ("enrolment", N_("Perekaman")), ("inventory", N_("Blanko")), ("documents", N_("Dokumen")),
    ("reporting", N_("Laporan"))))

# Pages are in Bahasa Indonesia first; an officer may switch to English (`?lang=en` on any page,
# remembered in a cookie that every service of the platform reads). Each service's catalogue
# sits in its package's `translations/`, servicekit's (the shared templates) in its own.
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"
LANGUAGE_COOKIE = "ektp_lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
TRANSLATIONS = pathlib.Path(__file__).resolve().parent / "translations"


SESSION_COOKIE = "ektp_session"

# What the "data delayed" banner calls the producer of each followed feed (FeedState.feed).
FEED_LABELS = {"enrolment": N_("perekaman"), "inventory": N_("blanko"), "documents": N_("dokumen")}
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")   # the offices' clock


@dataclass(frozen=True)
class DelayedFeed:
    """One failing feed as the banner of `servicekit/feed_banner.html` says it."""

    feed: str
    label: str         # marked for translation (FEED_LABELS)
    since: str         # HH:MM WIB, with the date when it is not today's
    attempts: int
    unreachable: bool  # False: the producer answers, but its next event cannot be applied yet


def show_feed_states(app: Flask, consumers: Iterable[FeedConsumer]) -> None:
    """The pages of a service that follows feeds say so while one of them is failing: their
    figures may be behind (the consumers retry by themselves; the officer should know)."""
    app.config["EKTP_FEEDS"] = list(consumers)


def delayed_feeds(consumers: Iterable[FeedConsumer], now: dt.datetime | None = None) -> list[DelayedFeed]:
    """The consumers' feeds that are failing now, as the banner shows them (read per page)."""
    today = (now or dt.datetime.now(dt.timezone.utc)).astimezone(WIB).date()
    delayed = []
    for state in (consumer.state() for consumer in consumers):
        if not state.failing:
            continue
        since = state.failing_since.astimezone(WIB)
        delayed.append(DelayedFeed(state.feed, FEED_LABELS.get(state.feed, state.feed),
                                   since.strftime("%H:%M WIB" if since.date() == today else "%d-%m-%Y %H:%M WIB"),
                                   state.attempts, state.unreachable))
    return delayed


# Endpoints of the base app itself: open, and free of personal data.
OPEN_ENDPOINTS = frozenset({"healthz", "readyz", "prometheus_metrics", "static", "bootstrap.static"})

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "frame-ancestors 'none'; base-uri 'none'",
}


@dataclass(frozen=True)
class WebGate:
    policy: AccessPolicy            # the service's HTTP table: Flask endpoint -> Rule
    verifier: TokenVerifier
    login_url: str                  # the identity provider's login page
    cookie_secure: bool             # False only in demo mode on plain HTTP
    secret_key: bytes               # Flask's key for the CSRF session
    links: dict[str, str] | None = None   # each service's public address (navigation, login returns)
    cookie_domain: str | None = None      # shared parent domain when the services have hosts of their own

    @property
    def logout_url(self) -> str:
        return urllib.parse.urljoin(self.login_url, "keluar")

    def set_session(self, response: Response, token: str, *, max_age: int) -> None:
        """The one session cookie every service reads: HttpOnly, SameSite=Lax, Secure outside demo."""
        response.set_cookie(SESSION_COOKIE, token, max_age=max_age, secure=self.cookie_secure, httponly=True,
                            samesite="Lax", path="/", domain=self.cookie_domain)

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, secure=self.cookie_secure, httponly=True, samesite="Lax", path="/",
                               domain=self.cookie_domain)


def current_officer() -> Principal:
    """The signed-in principal of this request (the gate admitted it)."""
    principal = g.get("principal")
    if principal is None:
        raise Unauthenticated("Silakan masuk terlebih dahulu.")
    return principal


def create_base_app(*, context_name: str, title: str, metrics: ServiceMetrics,
                    ready_check: Callable[[], bool], gate: WebGate) -> Flask:
    app = Flask(context_name, template_folder="templates")
    app.config.update(
        SECRET_KEY=gate.secret_key,
        BOOTSTRAP_SERVE_LOCAL=True,
        # Flask's own session only carries the CSRF secret; one cookie name per service,
        # because browsers share cookies across ports of one host.
        SESSION_COOKIE_NAME=f"ektp_{context_name}_form",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=gate.cookie_secure,
        EKTP_CONTEXT=context_name,
        EKTP_TITLE=title,
        EKTP_GATE=gate,
        EKTP_LINKS=gate.links or {name: f"http://127.0.0.1:{port}/" for name, _, port in SERVICES},
        EKTP_FEEDS=[],   # the feed consumers whose failures the pages announce (show_feed_states)
        # The gate below checks the CSRF token itself, after access: who may not call at all is
        # sent to the login (or refused) before anything about the form is looked at.
        WTF_CSRF_CHECK_DEFAULT=False,
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=f"{TRANSLATIONS};{pathlib.Path(app.root_path) / 'translations'}",
    )
    Bootstrap5(app)
    Babel(app, locale_selector=_chosen_language)
    csrf = CSRFProtect(app)
    # The shared templates (servicekit/base.html, servicekit/error.html).
    app.register_blueprint(Blueprint("servicekit", __name__, template_folder="templates"))

    @app.context_processor
    def _navigation() -> dict:
        return {"ektp_services": SERVICES, "ektp_links": app.config["EKTP_LINKS"],
                "ektp_context": context_name, "ektp_title": title, "ektp_principal": g.get("principal"),
                "ektp_role_labels": ROLE_LABELS, "ektp_logout_url": gate.logout_url,
                "ektp_language": str(get_locale() or DEFAULT_LANGUAGE), "ektp_languages": LANGUAGES,
                "ektp_language_url": _language_url, "ektp_delayed_feeds": delayed_feeds(app.config["EKTP_FEEDS"])}

    @app.after_request
    def _remember_language(response: Response) -> Response:
        asked = request.args.get("lang")
        if asked in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != asked:
            response.set_cookie(LANGUAGE_COOKIE, asked, max_age=LANGUAGE_COOKIE_SECONDS, secure=gate.cookie_secure,
                                httponly=True, samesite="Lax", path="/", domain=gate.cookie_domain)
        return response

    @app.before_request
    def _admit():
        g.principal = None
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            try:
                g.principal = gate.verifier.verify(token).with_origin(request.remote_addr or "")
            except Unauthenticated:
                g.principal = None
        if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS:
            return None  # 404/405 and the open endpoints
        try:
            gate.policy.authorize(request.endpoint, g.principal)
        except Unauthenticated as exc:
            if _wants_json():
                return jsonify(error=exc.message), 401
            return redirect(gate.login_url + "?" + urllib.parse.urlencode({"next": request.url}))
        csrf.protect()   # every form, the login's too (a no-op for GET and HEAD)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if g.get("principal") is not None:
            response.headers["Cache-Control"] = "no-store"   # pages with officers' data stay off shared caches
        return response

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

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return _error_page(400, "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.", [])

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return _error_page(exc.code or 500, exc.description or exc.name, [])

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.error("http request failed", exc_info=exc, extra={"route": request.url_rule.rule if request.url_rule else "unmatched"})
        return _error_page(500, "Terjadi kesalahan internal. Silakan coba lagi.", [])

    return app


def _chosen_language() -> str:
    """`?lang=` of this request, else the remembered choice, else Bahasa Indonesia."""
    for choice in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if choice in LANGUAGES:
            return choice
    return DEFAULT_LANGUAGE


def _language_url(language: str) -> str:
    """This page in another language: the same path and query, `lang` replaced."""
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", language)]
    return request.path + "?" + urllib.parse.urlencode(query)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def _error_page(status: int, message: str, violations: list[tuple[str, str]]):
    if _wants_json():
        return jsonify(error=message, violations=[{"field": f, "description": d} for f, d in violations]), status
    return render_template("servicekit/error.html", status=status, message=message, violations=violations), status


class HttpServer:
    """waitress in a background thread; `port` is the bound port (0 asks for a free one).

    Behind `trusted_proxy_count` proxies (an ingress), the client address and scheme come from
    their X-Forwarded-For / -Proto headers; without, such headers are dropped, never believed.
    """

    def __init__(self, app: Flask, host: str, port: int, threads: int = 8, trusted_proxy_count: int = 0) -> None:
        proxies = {"trusted_proxy": "*", "trusted_proxy_count": trusted_proxy_count,
                   "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if trusted_proxy_count else {}
        self._server = create_waitress(app, host=host, port=port, threads=threads, ident="ektp",
                                       clear_untrusted_proxy_headers=True, **proxies)
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="http", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Close every socket from inside waitress's own loop (closing them from this thread
        races with its select), let the loop end, then stop the worker threads."""
        server = self._server

        def close_all() -> None:
            for channel in list(server._map.values()):
                channel.close()

        try:
            server.trigger.pull_trigger(close_all)
        except OSError:   # the trigger's pipe is already closed (seen once in a full test run): no loop to ask
            log.warning("http server: its trigger was already closed; closing its sockets directly")
            close_all()
        self._thread.join(timeout)
        server.task_dispatcher.shutdown()
