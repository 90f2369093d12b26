"""Roles, region scope and identity tokens: who a token says you are, and when it is refused."""
from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from servicekit.access import EVERYWHERE, PUBLIC, AccessPolicy, Principal, Role, allow, region_covers, scope_problem
from servicekit.errors import PermissionDenied, Unauthenticated
from servicekit.tokens import (
    AUDIENCE,
    IDENTITY_ISSUER,
    ServiceCredentials,
    TokenIssuer,
    TokenVerifier,
    TrustedKeys,
    load_private_key,
    publish_public_key,
)
from tests.identity import TestIdentity


@pytest.fixture
def identity(tmp_path):
    return TestIdentity(tmp_path / "keys")


@pytest.fixture
def verifier(identity):
    identity.issuer(IDENTITY_ISSUER)
    return TokenVerifier(TrustedKeys(identity.trusted))


# ---- region scope ------------------------------------------------------------------------------

@pytest.mark.parametrize(("scope", "region", "covered"), [
    ("62.03", "62.03", True),
    ("62.03", "62.03.01.1006", True),
    ("62.03", "62.03.01", True),
    ("62.03", "62.031", False),          # a prefix is not a parent
    ("62.03", "63.10.01.1007", False),
    ("62.03", "62", False),
    ("62", "62.03.01", True),
    (EVERYWHERE, "63.10", True),
])
def test_a_scope_covers_its_own_region_and_everything_below(scope, region, covered):
    assert region_covers(scope, region) is covered


def test_an_aggregate_is_visible_from_inside_but_a_neighbour_is_not():
    kecamatan = Principal("selat", Role.OPERATOR_KECAMATAN, "62.03.01")
    assert kecamatan.sees("62.03") and kecamatan.sees("62.03.01.1006")
    assert not kecamatan.sees("63.10") and not kecamatan.sees("62.03.02") and not kecamatan.sees("")
    with pytest.raises(PermissionDenied):
        kecamatan.require_region("62.03")      # a record of the whole office is not its record
    with pytest.raises(PermissionDenied):
        kecamatan.require_view("63.10")


@pytest.mark.parametrize(("role", "scope", "ok"), [
    (Role.LURAH, "62.03.01.1006", True),
    (Role.LURAH, "62.03", False),
    (Role.OPERATOR_KECAMATAN, "62.03.01", True),
    (Role.OPERATOR_DINAS, "62.03.01", False),
    (Role.ADMIN_PROVINSI, "62", True),
    (Role.KEPALA_DINAS, "6203", False),
    (Role.SERVICE, "62", False),
])
def test_each_role_has_a_scope_of_its_own_level(role, scope, ok):
    assert (scope_problem(role, scope) is None) is ok


def test_a_policy_refuses_what_it_has_no_rule_for():
    policy = AccessPolicy({"Open": PUBLIC, "Record": allow(Role.OPERATOR_DINAS, services=["documents"])})
    dinas = Principal("a", Role.OPERATOR_DINAS, "62.03")
    policy.authorize("Open", None)
    policy.authorize("Record", dinas)
    policy.authorize("Record", Principal.service("documents"))
    with pytest.raises(Unauthenticated):
        policy.authorize("Record", None)
    with pytest.raises(PermissionDenied):
        policy.authorize("Record", Principal("l", Role.LURAH, "62.03.01.1006"))
    with pytest.raises(PermissionDenied):
        policy.authorize("Record", Principal.service("reporting"))
    with pytest.raises(PermissionDenied) as caught:
        policy.authorize("Forgotten", dinas)
    assert caught.value.reason == "NO_ACCESS_RULE"



def test_a_page_offers_an_action_exactly_when_authorize_would_let_it_through():
    policy = AccessPolicy({"Open": PUBLIC, "Record": allow(Role.OPERATOR_DINAS)})
    dinas, lurah = Principal("a", Role.OPERATOR_DINAS, "62.03"), Principal("l", Role.LURAH, "62.03.01.1006")
    assert policy.permits("Open", None) and policy.permits("Open", lurah)
    assert policy.permits("Record", dinas)
    assert not policy.permits("Record", lurah) and not policy.permits("Record", None)
    assert not policy.permits("Forgotten", dinas)

# ---- tokens ------------------------------------------------------------------------------------

def test_an_officer_token_names_subject_role_and_scope(identity, verifier):
    principal = verifier.verify(identity.officer(Role.LURAH, "62.03.01.1006", subject="murung.lurah"))
    assert principal == Principal("murung.lurah", Role.LURAH, "62.03.01.1006")


def test_a_service_token_is_that_service_everywhere(identity, verifier):
    assert verifier.verify(identity.service("documents")) == Principal.service("documents")


def _reason(verifier, token) -> str:
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    return caught.value.reason


def test_expired_and_forged_tokens_are_refused(identity, verifier):
    assert _reason(verifier, identity.expired()) == "TOKEN_EXPIRED"
    assert _reason(verifier, identity.forged()) == "INVALID_TOKEN"
    assert _reason(verifier, "not-a-token") == "MALFORMED_TOKEN"


def test_a_token_from_an_unknown_issuer_is_refused(verifier):
    stranger = TokenIssuer("stranger", Ed25519PrivateKey.generate())
    assert _reason(verifier, stranger.service_token()) == "UNKNOWN_ISSUER"


def _claims(**overrides) -> dict:
    now = int(time.time())
    return {"iss": IDENTITY_ISSUER, "aud": AUDIENCE, "sub": "petugas", "role": "operator_dinas", "scope": "62.03",
            "iat": now, "exp": now + 600, **overrides}


def test_the_algorithm_is_pinned(identity, verifier):
    public_pem = (identity.trusted / f"{IDENTITY_ISSUER}.pem").read_bytes()
    # The classic confusion: HMAC keyed with the public key. PyJWT refuses to even sign it,
    # so build it by hand.
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": IDENTITY_ISSUER}).encode())
    body = b64(json.dumps(_claims()).encode())
    signature = b64(hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest())
    assert _reason(verifier, f"{header}.{body}.{signature}") == "INVALID_TOKEN"
    unsigned = jwt.encode(_claims(), None, algorithm="none", headers={"kid": IDENTITY_ISSUER})
    assert _reason(verifier, unsigned) == "INVALID_TOKEN"


@pytest.mark.parametrize("overrides", [
    {"aud": "another-platform"},
    {"exp": None},
    {"iat": int(time.time()) + 3600},     # issued in the future
])
def test_audience_and_times_are_checked(identity, verifier, overrides):
    claims = {k: v for k, v in _claims(**overrides).items() if v is not None}
    key = load_private_key(identity.keys_dir / f"{IDENTITY_ISSUER}-token.pem")
    assert _reason(verifier, jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": IDENTITY_ISSUER})) \
        == "INVALID_TOKEN"


def test_a_service_key_cannot_mint_an_officer_or_another_service(identity, verifier):
    documents = identity.issuer("documents")
    as_admin = documents.issue(subject="documents", role=Role.ADMIN_PROVINSI, scope="62", lifetime=60)
    as_inventory = documents.issue(subject="inventory", role=Role.SERVICE, scope=EVERYWHERE, lifetime=60)
    assert _reason(verifier, as_admin) == "ISSUER_NOT_ENTITLED"
    assert _reason(verifier, as_inventory) == "ISSUER_NOT_ENTITLED"


def test_an_officer_token_with_a_scope_beyond_its_role_is_refused(identity, verifier):
    assert _reason(verifier, identity.officer(Role.LURAH, "62.03")) == "ISSUER_NOT_ENTITLED"


def test_a_service_started_later_is_trusted_without_restart(tmp_path):
    (tmp_path / "trusted").mkdir()
    verifier = TokenVerifier(TrustedKeys(tmp_path / "trusted", clock=lambda: 0.0))  # the clock never moves
    key = load_private_key(tmp_path / "late.pem", create=True)
    token = TokenIssuer("reporting", key).service_token()
    with pytest.raises(Unauthenticated):
        verifier.verify(token)
    publish_public_key(tmp_path / "trusted", "reporting", key)   # the directory changes
    assert verifier.verify(token) == Principal.service("reporting")


def test_a_cached_token_still_expires(identity):
    now = [time.time()]
    identity.issuer(IDENTITY_ISSUER)
    verifier = TokenVerifier(TrustedKeys(identity.trusted), leeway=0, clock=lambda: now[0])
    token = identity.officer(Role.OPERATOR_DINAS, "62.03", lifetime=60)
    verifier.verify(token)
    now[0] += 61
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_service_credentials_renew_before_expiry(tmp_path):
    now = [1000.0]
    issuer = TokenIssuer("documents", load_private_key(tmp_path / "d.pem", create=True), clock=lambda: now[0])
    credentials = ServiceCredentials(issuer, lifetime=300, clock=lambda: now[0])
    first = credentials.token()
    assert credentials.token() == first
    now[0] += 241
    assert credentials.token() != first


def test_generated_private_keys_are_readable_only_by_the_owner(tmp_path):
    load_private_key(tmp_path / "keys" / "svc.pem", create=True)
    assert (tmp_path / "keys" / "svc.pem").stat().st_mode & 0o077 == 0
