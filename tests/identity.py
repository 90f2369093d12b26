"""Tokens for tests, made the way the platform makes them.

`TestIdentity(keys_dir)` plays the identity provider (the enrolment key) and any calling
service: each signs with its own Ed25519 key under `keys_dir`, and publishes its public key
in `keys_dir/trusted`, exactly where `SecuritySettings.demo(var_dir, ...)` looks
(`keys_dir = var_dir / "keys"`). A service built on the same var_dir trusts them.
"""
from __future__ import annotations

import pathlib
import threading
import time

import grpc
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from servicekit.access import HUMAN_ROLES, SCOPE_LEVELS, Role  # noqa: F401 - re-exported for tests
from servicekit.tokens import ALGORITHM, AUDIENCE, IDENTITY_ISSUER, TokenIssuer, load_private_key, publish_public_key

KAPUAS = "62.03"
TANAH_BUMBU = "63.10"

# Real Kemendagri codes of both demo kabupaten, one per scope level.
HOMES = {
    KAPUAS: {1: "62", 2: "62.03", 3: "62.03.01", 4: "62.03.01.1006"},        # Selat, Murung Keramat
    TANAH_BUMBU: {1: "63", 2: "63.10", 3: "63.10.01", 4: "63.10.01.1007"},   # Batu Licin, Batulicin
}


def scope_for(role: Role | str, home: str) -> str:
    """The scope an officer of `role` in kabupaten `home` has (the first level the role allows)."""
    return HOMES[home][min(SCOPE_LEVELS[Role(role)])]


class TestIdentity:
    __test__ = False  # not a test class

    def __init__(self, keys_dir: pathlib.Path) -> None:
        self.keys_dir = keys_dir
        self.trusted = keys_dir / "trusted"
        self._issuers: dict[str, TokenIssuer] = {}
        self._lock = threading.Lock()

    def issuer(self, name: str) -> TokenIssuer:
        with self._lock:  # threads asking at once must share one key
            if name not in self._issuers:
                key = load_private_key(self.keys_dir / f"{name}-token.pem", create=True)
                publish_public_key(self.trusted, name, key)
                self._issuers[name] = TokenIssuer(name, key)
            return self._issuers[name]

    def officer(self, role: Role | str, scope: str, subject: str = "petugas.uji", lifetime: int = 600) -> str:
        return self.issuer(IDENTITY_ISSUER).issue(subject=subject, role=Role(role), scope=scope, lifetime=lifetime)

    def service(self, name: str) -> str:
        return self.issuer(name).service_token()

    def expired(self, role: Role | str = Role.OPERATOR_DINAS, scope: str = KAPUAS) -> str:
        now = int(time.time())
        claims = {"iss": IDENTITY_ISSUER, "aud": AUDIENCE, "sub": "petugas.uji", "role": str(role),
                  "scope": scope, "iat": now - 7200, "exp": now - 3600}
        return self._sign_as_identity(claims)

    def forged(self, role: Role | str = Role.ADMIN_PROVINSI, scope: str = KAPUAS) -> str:
        """Claims the identity provider but is signed with a key nobody trusts."""
        now = int(time.time())
        claims = {"iss": IDENTITY_ISSUER, "aud": AUDIENCE, "sub": "penyusup", "role": str(role),
                  "scope": scope, "iat": now, "exp": now + 600}
        return jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm=ALGORITHM, headers={"kid": IDENTITY_ISSUER})

    def _sign_as_identity(self, claims: dict) -> str:
        self.issuer(IDENTITY_ISSUER)
        key = load_private_key(self.keys_dir / f"{IDENTITY_ISSUER}-token.pem")
        return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": IDENTITY_ISSUER})


def bearer(token: str) -> tuple[tuple[str, str]]:
    """gRPC call metadata carrying `token`."""
    return (("authorization", f"Bearer {token}"),)


def call_code(call, request, token: str | None) -> grpc.StatusCode:
    """Invoke a unary or server-streaming stub method and return its status code (OK on success)."""
    metadata = bearer(token) if token else ()
    try:
        result = call(request, metadata=metadata, timeout=10)
        if not hasattr(result, "ListFields"):   # a stream: read it to the end
            for _ in result:
                pass
        return grpc.StatusCode.OK
    except grpc.RpcError as err:
        return err.code()
