"""Signed identity tokens: EdDSA (Ed25519) JWTs, one format for officers and for services.

Every service holds one private key (a file; a Kubernetes secret in production, generated
under var/keys in demo mode) and signs its own short-lived *service identity* tokens with
it. The enrolment service is also the identity provider: its key signs the officers' session
tokens after login. Every service verifies with the issuers' public keys, read from a
directory of `<issuer>.pem` files.

An issuer may only assert what it is entitled to: any issuer its own service identity
(`sub` = issuer, role `service`), and only the identity provider an officer's role and scope.
So a stolen documents key cannot mint an admin. The algorithm is pinned, and `iss`, `aud`,
`exp`, `iat` and `sub` are required.
"""
from __future__ import annotations

import logging
import os
import pathlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from servicekit.access import EVERYWHERE, HUMAN_ROLES, Principal, Role, scope_problem
from servicekit.errors import Unauthenticated

log = logging.getLogger(__name__)

ALGORITHM = "EdDSA"
AUDIENCE = "ektp"
IDENTITY_ISSUER = "enrolment"          # signs officers' session tokens
SERVICE_TOKEN_SECONDS = 300
_REQUIRED = ["exp", "iat", "iss", "aud", "sub"]
_ISSUER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")   # a service name; never a path

Clock = Callable[[], float]


class KeyFileError(Exception):
    """A key file is missing or unreadable; the message names the file, never the key."""


def load_private_key(path: pathlib.Path, *, create: bool = False) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file; `create` (demo mode) writes a new one if missing."""
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        _write_atomically(path, pem, 0o600)
        return key
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(f"cannot read the Ed25519 private key {path}: {exc.__class__.__name__}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return key


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def publish_public_key(directory: pathlib.Path, issuer: str, key: Ed25519PrivateKey) -> None:
    """Demo mode: put this service's public key where the others look for trusted issuers."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{issuer}.pem"
    pem = public_pem(key)
    if not target.exists() or target.read_bytes() != pem:
        _write_atomically(target, pem, 0o644)


def _write_atomically(path: pathlib.Path, data: bytes, mode: int) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


class TokenIssuer:
    def __init__(self, issuer: str, key: Ed25519PrivateKey, *, clock: Clock = time.time) -> None:
        self.issuer = issuer
        self._key = key
        self._clock = clock

    def issue(self, *, subject: str, role: Role, scope: str, lifetime: int) -> str:
        now = int(self._clock())
        claims = {"iss": self.issuer, "aud": AUDIENCE, "sub": subject, "role": role.value, "scope": scope,
                  "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.issuer})

    def service_token(self, lifetime: int = SERVICE_TOKEN_SECONDS) -> str:
        return self.issue(subject=self.issuer, role=Role.SERVICE, scope=EVERYWHERE, lifetime=lifetime)


class TrustedKeys:
    """Issuers' public keys from `<issuer>.pem` files in a directory (a mounted secret or
    ConfigMap). An unknown issuer makes it look again when that issuer's file has appeared,
    or at most once a second otherwise, so a service that starts later is trusted without a
    restart."""

    def __init__(self, directory: pathlib.Path, *, clock: Clock = time.monotonic) -> None:
        self.directory = directory
        self._clock = clock
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()
        self._reload()

    def get(self, issuer: str) -> Ed25519PublicKey | None:
        key = self._keys.get(issuer)
        if key is None and _ISSUER_NAME.match(issuer) and (
                (self.directory / f"{issuer}.pem").exists() or self._clock() - self._loaded_at >= 1.0):
            with self._lock:
                self._reload()
            key = self._keys.get(issuer)
        return key

    def _reload(self) -> None:
        keys = {}
        for path in sorted(self.directory.glob("*.pem")) if self.directory.is_dir() else ():
            try:
                key = serialization.load_pem_public_key(path.read_bytes())
            except (OSError, ValueError):
                log.warning("ignoring an unreadable trusted key file", extra={"file": path.name})
                continue
            if isinstance(key, Ed25519PublicKey):
                keys[path.stem] = key
        self._keys = keys
        self._loaded_at = self._clock()


class TokenVerifier:
    """Token -> Principal, or Unauthenticated. Verified tokens are cached until they expire."""

    def __init__(self, trusted: TrustedKeys, *, leeway: int = 30, clock: Clock = time.time,
                 cache_size: int = 4096) -> None:
        self._trusted = trusted
        self._leeway = leeway
        self._clock = clock
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal:
        with self._lock:
            hit = self._cache.get(token)
            if hit is not None:
                self._cache.move_to_end(token)
        if hit is not None and self._clock() < hit[1] + self._leeway:
            return hit[0]
        principal, expires = self._verify(token)
        with self._lock:
            self._cache[token] = (principal, expires)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            issuer = jwt.get_unverified_header(token).get("kid", "")
        except jwt.PyJWTError:
            raise _refused("MALFORMED_TOKEN") from None
        key = self._trusted.get(issuer) if isinstance(issuer, str) else None
        if key is None:
            raise _refused("UNKNOWN_ISSUER")
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=issuer,
                                leeway=self._leeway, options={"require": _REQUIRED},
                                )
        except jwt.ExpiredSignatureError:
            raise _refused("TOKEN_EXPIRED") from None
        except jwt.PyJWTError:
            raise _refused("INVALID_TOKEN") from None
        now = self._clock()
        if claims["exp"] + self._leeway <= now:
            raise _refused("TOKEN_EXPIRED")
        if claims["iat"] > now + self._leeway:
            raise _refused("INVALID_TOKEN")
        return _principal(issuer, claims), float(claims["exp"])


def _principal(issuer: str, claims: dict) -> Principal:
    try:
        role = Role(claims.get("role"))
    except ValueError:
        raise _refused("INVALID_TOKEN") from None
    subject, scope = claims["sub"], claims.get("scope")
    if role is Role.SERVICE:
        if subject != issuer or scope != EVERYWHERE:
            raise _refused("ISSUER_NOT_ENTITLED")
        return Principal.service(issuer)
    if issuer != IDENTITY_ISSUER or role not in HUMAN_ROLES or not isinstance(scope, str) \
            or scope_problem(role, scope) or not isinstance(subject, str) or subject.startswith("service:"):
        raise _refused("ISSUER_NOT_ENTITLED")
    return Principal(subject, role, scope)


def _refused(reason: str) -> Unauthenticated:
    message = "Sesi telah berakhir; silakan masuk kembali." if reason == "TOKEN_EXPIRED" else "Token tidak sah."
    return Unauthenticated(message, reason=reason)


class ServiceCredentials:
    """This service's identity for outgoing calls: a short-lived token, renewed a minute early."""

    def __init__(self, issuer: TokenIssuer, *, lifetime: int = SERVICE_TOKEN_SECONDS, clock: Clock = time.time) -> None:
        self._issuer = issuer
        self._lifetime = lifetime
        self._clock = clock
        self._token = ""
        self._renew_at = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            now = self._clock()
            if now >= self._renew_at:
                self._token = self._issuer.service_token(self._lifetime)
                self._renew_at = now + max(self._lifetime - 60, self._lifetime / 2)
            return self._token
