"""The four services as real processes, on free loopback ports, with a small demo world;
and a real Chromium (Debian package) driven by Playwright."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import grpc
import pytest
from prometheus_client.parser import text_string_to_metric_families

from servicekit.clients import make_channel
from servicekit.web import SESSION_COOKIE
from tests.conftest import SHARED_DATA
from tools.processes import ServiceSet


def _start_platform(var_dir, extra_env: dict[str, str] | None = None):
    services = ServiceSet(var_dir=var_dir, extra_env=extra_env or {})  # `serve` migrates in demo mode
    regions = SHARED_DATA / "wilayah_kemendagri.csv"
    services.load_demo("--residents", "40", *(["--regions", str(regions)] if regions.exists() else []))
    services.start()
    try:
        services.wait_serving()
        yield services
    finally:
        if services.processes:
            services.stop()


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """On the embedded default: a SQLite database per service."""
    yield from _start_platform(tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="session")
def platform_on_postgres(tmp_path_factory, postgres_server):
    """The same, with each service on its own PostgreSQL database."""
    urls = {f"{name.upper()}_DATABASE_URL": postgres_server.create_database()
            for name in ("enrolment", "inventory", "documents", "reporting")}
    yield from _start_platform(tmp_path_factory.mktemp("var-pg"), urls)


def stub(services: ServiceSet, name: str, stub_class, token: str):
    """A client stub whose calls carry `token`."""
    return stub_class(make_channel(services.target(name), token=lambda: token))


def get(url: str, token: str | None = None):
    """GET with the session cookie (no redirects followed: a 302 to the login stays a 302)."""
    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    request = urllib.request.Request(url, headers={"Cookie": f"{SESSION_COOKIE}={token}"} if token else {})
    try:
        return urllib.request.build_opener(_NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as answer:
        return answer


def rpc_code(call, request) -> grpc.StatusCode:
    try:
        call(request, timeout=10)
        return grpc.StatusCode.OK
    except grpc.RpcError as err:
        return err.code()


def metric(services: ServiceSet, name: str, sample: str, labels: dict[str, str] | None = None) -> float | None:
    """One sample from a service's /metrics page (None when absent)."""
    with urllib.request.urlopen(f"{services.http(name)}/metrics", timeout=5) as response:
        text = response.read().decode()
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == sample and all(s.labels.get(k) == v for k, v in (labels or {}).items()):
                return s.value
    return None


FEEDS = {"documents": ("enrolment", "inventory"), "reporting": ("enrolment", "inventory", "documents")}


def caught_up(services: ServiceSet, *consumers: str) -> bool:
    """Each consumer's cursor (every consumer's by default), as its metrics say, has reached its
    producers' last outbox sequence."""
    for consumer in consumers or FEEDS:
        for feed in FEEDS[consumer]:
            produced = metric(services, feed, f"ektp_{feed}_outbox_last_sequence")
            applied = metric(services, consumer, f"ektp_{consumer}_consumer_sequence", {"feed": feed})
            if produced is None or applied is None or applied < produced:
                return False
    return True


@pytest.fixture
def page(browser, platform):
    """A browser page of an officer of the Kapuas Dinas, logged in through the login form."""
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(platform.http("enrolment") + "/masuk")
    page.get_by_label("Nama pengguna").fill("kapuas.operator")
    page.get_by_label("Kata sandi").fill(platform.accounts["kapuas.operator"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(platform.http("enrolment") + "/")
    yield page
    context.close()
