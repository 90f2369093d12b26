"""The gates every service stands behind: gRPC (tokens, rules, mTLS) and HTTP (session cookie,
rules, CSRF, cookie and header policy). Exercised on a tiny service of their own."""
from __future__ import annotations

import urllib.request

import grpc
import pytest
from flask import Flask, render_template_string, request
from grpc_health.v1 import health_pb2, health_pb2_grpc

from servicekit.access import AccessPolicy, Role, allow
from servicekit.clients import make_channel
from servicekit.grpcserver import GrpcGate, create_server, current_principal
from servicekit.metrics import ServiceMetrics
from servicekit.tokens import IDENTITY_ISSUER, TokenVerifier, TrustedKeys
from servicekit.web import SESSION_COOKIE, HttpServer, WebGate, create_base_app, current_officer
from tests.identity import TestIdentity, bearer
from tests.tlsutil import TestCA

POLICY = AccessPolicy({
    "Whoami": allow(Role.OPERATOR_DINAS, Role.LURAH, services=["documents"]),
    "Watch": allow(Role.OPERATOR_DINAS),
})


def _whoami(request: bytes, context) -> bytes:
    p = current_principal()
    return f"{p.subject}|{p.role}|{p.scope}|{p.origin}".encode()


def _watch(request: bytes, context):
    for _ in range(3):
        yield current_principal().subject.encode()


def _unlisted(request: bytes, context) -> bytes:
    return b"should never run"


@pytest.fixture
def identity(tmp_path):
    identity = TestIdentity(tmp_path / "keys")
    identity.issuer(IDENTITY_ISSUER)
    for name in ("documents", "reporting"):
        identity.issuer(name)
    return identity


def _serve(identity, tls=None, health_address=None):
    handler = grpc.method_handlers_generic_handler("test.Gate", {
        "Whoami": grpc.unary_unary_rpc_method_handler(_whoami),
        "Watch": grpc.unary_stream_rpc_method_handler(_watch),
        "Unlisted": grpc.unary_unary_rpc_method_handler(_unlisted),
    })
    gate = GrpcGate(POLICY, TokenVerifier(TrustedKeys(identity.trusted)), frozenset({"test.Gate"}),
                    bind_service_to_peer=tls is not None)
    server = create_server(address="127.0.0.1:0", context_name="gatetest",
                           register=lambda s: s.add_generic_rpc_handlers((handler,)), service_names=["test.Gate"],
                           metrics=ServiceMetrics("gatetest"), reflection_on=False, gate=gate, tls=tls,
                           health_address=health_address)
    server.start()
    server.set_serving(True)
    return server


@pytest.fixture
def server(identity):
    server = _serve(identity)
    yield server
    server.stop(0)


def _code(call, token=None, payload=b"x"):
    try:
        result = call(payload, metadata=bearer(token) if token else (), timeout=5)
        if not isinstance(result, bytes):
            result = list(result)
        return grpc.StatusCode.OK, result
    except grpc.RpcError as err:
        return err.code(), None


def test_the_admitted_principal_reaches_the_handler_with_its_origin(identity, server):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    code, body = _code(channel.unary_unary("/test.Gate/Whoami"), identity.officer(Role.LURAH, "62.03.01.1006", "murung"))
    assert code == grpc.StatusCode.OK
    assert body == b"murung|lurah|62.03.01.1006|127.0.0.1"


@pytest.mark.parametrize("method", ["/test.Gate/Whoami", "/test.Gate/Watch"])
def test_no_token_expired_or_forged_is_unauthenticated(identity, server, method):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    call = channel.unary_stream(method) if method.endswith("Watch") else channel.unary_unary(method)
    for token in (None, identity.expired(), identity.forged(), "garbage"):
        assert _code(call, token)[0] == grpc.StatusCode.UNAUTHENTICATED, token


def test_a_method_without_a_rule_is_refused_even_to_a_valid_officer(identity, server):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    code, _ = _code(channel.unary_unary("/test.Gate/Unlisted"), identity.officer(Role.OPERATOR_DINAS, "62.03"))
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_roles_and_services_outside_the_rule_are_denied(identity, server):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    whoami, watch = channel.unary_unary("/test.Gate/Whoami"), channel.unary_stream("/test.Gate/Watch")
    assert _code(whoami, identity.officer(Role.AUDITOR, "62"))[0] == grpc.StatusCode.PERMISSION_DENIED
    assert _code(whoami, identity.service("reporting"))[0] == grpc.StatusCode.PERMISSION_DENIED
    assert _code(whoami, identity.service("documents"))[0] == grpc.StatusCode.OK
    assert _code(watch, identity.officer(Role.LURAH, "62.03.01.1006"))[0] == grpc.StatusCode.PERMISSION_DENIED
    code, items = _code(watch, identity.officer(Role.OPERATOR_DINAS, "62.03", "kapuas.operator"))
    assert code == grpc.StatusCode.OK and items == [b"kapuas.operator"] * 3


def test_health_answers_without_a_token(server):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service="test.Gate"), timeout=5)
    assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_a_client_channel_carries_its_service_identity(identity, server):
    channel = make_channel(f"127.0.0.1:{server.port}", token=identity.issuer("documents").service_token)
    assert channel.unary_unary("/test.Gate/Whoami")(b"x", timeout=5).startswith(b"service:documents|service|*|")


# ---- mutual TLS ----------------------------------------------------------------------------------

@pytest.fixture
def tls_server(identity, tmp_path):
    ca = TestCA(tmp_path / "pki")
    server = _serve(identity, tls=ca.issue("gatetest"))
    yield server, ca
    server.stop(0)


def test_mtls_admits_a_service_whose_certificate_matches_its_token(identity, tls_server):
    server, ca = tls_server
    channel = make_channel(f"localhost:{server.port}", token=identity.issuer("documents").service_token,
                           tls=ca.issue("documents"))
    assert channel.unary_unary("/test.Gate/Whoami")(b"x", timeout=5).startswith(b"service:documents|")


def test_mtls_refuses_a_service_token_presented_with_another_certificate(identity, tls_server):
    server, ca = tls_server
    channel = make_channel(f"localhost:{server.port}", token=identity.issuer("documents").service_token,
                           tls=ca.issue("reporting"))
    assert _code(channel.unary_unary("/test.Gate/Whoami"))[0] == grpc.StatusCode.UNAUTHENTICATED


def test_mtls_refuses_a_client_without_a_certificate(identity, tls_server):
    server, ca = tls_server
    credentials = grpc.ssl_channel_credentials(root_certificates=ca.ca_file.read_bytes())
    channel = grpc.secure_channel(f"localhost:{server.port}", credentials)
    code, _ = _code(channel.unary_unary("/test.Gate/Whoami"), identity.service("documents"))
    assert code == grpc.StatusCode.UNAVAILABLE


def test_probes_use_a_plaintext_port_that_serves_health_and_nothing_else(identity, tmp_path):
    ca = TestCA(tmp_path / "pki")
    server = _serve(identity, tls=ca.issue("gatetest"), health_address="127.0.0.1:0")
    try:
        channel = grpc.insecure_channel(f"127.0.0.1:{server.health_port}")
        health = health_pb2_grpc.HealthStub(channel)
        for name in ("test.Gate", "liveness"):
            assert health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5).status == \
                health_pb2.HealthCheckResponse.SERVING
        code, _ = _code(channel.unary_unary("/test.Gate/Whoami"), identity.service("documents"))
        assert code == grpc.StatusCode.UNIMPLEMENTED
        server.set_serving(False)    # the database is gone: not ready, but alive
        assert health.Check(health_pb2.HealthCheckRequest(service="test.Gate"), timeout=5).status == \
            health_pb2.HealthCheckResponse.NOT_SERVING
        assert health.Check(health_pb2.HealthCheckRequest(service="liveness"), timeout=5).status == \
            health_pb2.HealthCheckResponse.SERVING
    finally:
        server.stop(0)


def test_mtls_refuses_a_certificate_from_another_authority(identity, tls_server, tmp_path):
    server, _ = tls_server
    rogue = TestCA(tmp_path / "rogue", name="rogue CA")
    files = rogue.issue("documents")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=(tmp_path / "pki" / "ca.pem").read_bytes(),
        private_key=files.key.read_bytes(), certificate_chain=files.cert.read_bytes())
    channel = grpc.secure_channel(f"localhost:{server.port}", credentials)
    assert _code(channel.unary_unary("/test.Gate/Whoami"), identity.service("documents"))[0] \
        == grpc.StatusCode.UNAVAILABLE


# ---- HTTP ----------------------------------------------------------------------------------------

LOGIN = "http://127.0.0.1:8001/masuk"


def _app(identity, *, secure: bool = False):
    gate = WebGate(AccessPolicy({"page": allow(Role.OPERATOR_DINAS), "form": allow(Role.OPERATOR_DINAS)}),
                   TokenVerifier(TrustedKeys(identity.trusted)), login_url=LOGIN, cookie_secure=secure,
                   secret_key=b"s" * 32)
    app = create_base_app(context_name="gatetest", title="t", metrics=ServiceMetrics("gatetest"),
                          ready_check=lambda: True, gate=gate)

    @app.get("/halaman")
    def page():
        return render_template_string("{{ who }} <form method=post><input name=csrf_token value='{{ csrf_token() }}'>"
                                      "</form>", who=current_officer().subject)

    @app.post("/kirim")
    def form():
        return "diterima"

    @app.get("/lupa")
    def forgotten():
        return "should never render"

    return app


def test_a_page_without_a_session_redirects_to_the_login_and_json_gets_401(identity):
    client = _app(identity).test_client()
    response = client.get("/halaman?x=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LOGIN + "?next=")
    assert client.get("/halaman", headers={"Accept": "application/json"}).status_code == 401


def test_a_session_cookie_admits_the_officer_and_others_get_403(identity):
    client = _app(identity).test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, "62.03", "kapuas.operator"))
    response = client.get("/halaman")
    assert response.status_code == 200 and b"kapuas.operator" in response.data
    assert response.headers["Cache-Control"] == "no-store"
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.LURAH, "62.03.01.1006"))
    assert client.get("/halaman").status_code == 403
    client.set_cookie(SESSION_COOKIE, identity.expired())
    assert client.get("/halaman").status_code == 302


def test_a_route_without_a_rule_is_forbidden(identity):
    client = _app(identity).test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, "62.03"))
    assert client.get("/lupa").status_code == 403


def test_probes_and_metrics_are_open(identity):
    client = _app(identity).test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_a_form_from_someone_not_signed_in_goes_to_the_login_before_any_csrf_check(identity):
    client = _app(identity).test_client()
    response = client.post("/kirim", data={})
    assert response.status_code == 302 and response.headers["Location"].startswith(LOGIN + "?next=")


def test_a_form_without_its_csrf_token_is_refused(identity):
    client = _app(identity).test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, "62.03"))
    refused = client.post("/kirim", data={})
    assert refused.status_code == 400 and "Formulir kedaluwarsa" in refused.get_data(as_text=True)
    page = client.get("/halaman").get_data(as_text=True)
    token = page.split("value='")[1].split("'")[0]
    assert client.post("/kirim", data={"csrf_token": token}).status_code == 200


@pytest.mark.parametrize("secure", [False, True])
def test_cookies_are_httponly_samesite_and_secure_outside_demo(identity, secure):
    client = _app(identity, secure=secure).test_client()
    client.set_cookie(SESSION_COOKIE, identity.officer(Role.OPERATOR_DINAS, "62.03"))
    cookie = client.get("/halaman").headers["Set-Cookie"]       # the CSRF session
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and ("Secure" in cookie) is secure
    assert cookie.startswith("ektp_gatetest_form=")


def test_the_session_cookie_can_span_the_services_hosts(identity):
    gate = WebGate(AccessPolicy({}), TokenVerifier(TrustedKeys(identity.trusted)), login_url=LOGIN,
                   cookie_secure=True, secret_key=b"s" * 32, cookie_domain=".ektp.example.go.id")
    app = _app(identity, secure=True)
    with app.test_request_context():
        response = app.make_response("ok")
        gate.set_session(response, "t", max_age=60)
        cookie = response.headers["Set-Cookie"]
    assert "Domain=.ektp.example.go.id" in cookie or "Domain=ektp.example.go.id" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_pages_carry_security_headers(identity):
    response = _app(identity).test_client().get("/healthz")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("proxies", "seen"), [(0, "127.0.0.1"), (1, "10.9.8.7")])
def test_the_client_address_comes_from_a_trusted_proxy_only(proxies, seen):
    app = Flask("alamat")
    app.get("/")(lambda: request.remote_addr)
    server = HttpServer(app, "127.0.0.1", 0, trusted_proxy_count=proxies)
    server.start()
    try:
        asked = urllib.request.Request(f"http://127.0.0.1:{server.port}/", headers={"X-Forwarded-For": "10.9.8.7"})
        with urllib.request.urlopen(asked, timeout=5) as answer:
            assert answer.read().decode() == seen
    finally:
        server.stop()



def test_the_http_server_stops_even_when_its_trigger_is_already_closed():
    """Seen once in a full test run: the waitress trigger's pipe closed before stop(). The
    server still stops and its port no longer answers."""
    app = Flask("berhenti")
    app.get("/")(lambda: "ok")
    server = HttpServer(app, "127.0.0.1", 0)
    server.start()
    server._server.trigger.close()
    server.stop(timeout=2)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=2)

class _Call:
    """The two things client_address reads from a gRPC ServicerContext."""

    def __init__(self, peer: str, metadata: tuple[tuple[str, str], ...] = ()) -> None:
        self._peer, self._metadata = peer, metadata

    def peer(self) -> str:
        return self._peer

    def invocation_metadata(self):
        return self._metadata


def test_the_client_address_comes_from_the_trusted_proxy_and_never_from_an_untrusted_header():
    from servicekit.grpcserver import client_address

    via_ingress = _Call("ipv4:10.42.0.7:51234", (("x-forwarded-for", "198.51.100.4, 203.0.113.9"),))
    assert client_address(via_ingress, 1) == "203.0.113.9"            # what the ingress appended
    assert client_address(via_ingress, 2) == "198.51.100.4"
    assert client_address(via_ingress, 0) == "10.42.0.7"              # no trusted proxy: the header is ignored
    assert client_address(_Call("ipv6:[::1]:5"), 1) == "::1"          # no header: the peer
    assert client_address(_Call("ipv4:10.42.0.7:1", (("x-forwarded-for", "203.0.113.9"),)), 2) == "10.42.0.7"
