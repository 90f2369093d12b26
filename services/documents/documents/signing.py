"""The Dinas' Ed25519 signing key (adapter around `cryptography`) and the public keys it publishes.

A key's id is the RFC 7638 JWK thumbprint of its public key: the `kid` of its JWK in the JWKS
the documents service publishes (/.well-known/jwks.json) and of every Suket QR signed with it,
so a reader picks the right key offline. After a rotation the old key's public half stays
published (and keeps verifying) as a retired key, until the Sukets it signed have expired.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import pathlib
from collections.abc import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

log = logging.getLogger(__name__)


class PublicKey:
    """One verifying key: its id and its JWK (RFC 8037: OKP, Ed25519)."""

    def __init__(self, key: Ed25519PublicKey) -> None:
        self._key = key
        self.x = _b64url(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        # RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
        required = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": self.x}, separators=(",", ":"), sort_keys=True)
        self.key_id = _b64url(hashlib.sha256(required.encode()).digest())

    def verify(self, data: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def jwk(self) -> dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": self.key_id, "use": "sig", "alg": "EdDSA"}


class Ed25519Signer:
    """The active key signs; it and the retired keys verify."""

    def __init__(self, private_key: Ed25519PrivateKey, retired: Iterable[Ed25519PublicKey] = ()) -> None:
        self._private = private_key
        self._active = PublicKey(private_key.public_key())
        self.key_id = self._active.key_id
        self._keys = {key.key_id: key for key in (PublicKey(k) for k in retired)}
        self._keys[self.key_id] = self._active

    @classmethod
    def generate(cls) -> Ed25519Signer:
        return cls(Ed25519PrivateKey.generate())

    def sign(self, data: bytes) -> bytes:
        return self._private.sign(data)

    def verify(self, data: bytes, signature: bytes) -> bool:
        """With the active key."""
        return self._active.verify(data, signature)

    def public_key(self, key_id: str) -> PublicKey | None:
        """The active or a retired key with this id; None for a key this Dinas never published."""
        return self._keys.get(key_id)

    def public_jwk(self) -> dict[str, str]:
        return self._active.jwk()

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JWK Set the documents service publishes: the active key first, then the retired."""
        return {"keys": [self._active.jwk(), *(k.jwk() for k in self._keys.values() if k is not self._active)]}


def load_signer(path: pathlib.Path, *, create: bool = False, retired_dir: pathlib.Path | None = None) -> Ed25519Signer:
    """The key in `path` (PEM, PKCS#8); with `create`, generate it once (mode 0600) when missing.
    `retired_dir` holds the public keys (`*.pem`) of earlier signing keys, still published."""
    if not path.exists() and create:
        _create_key_file(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return Ed25519Signer(key, _retired_keys(retired_dir))


def _retired_keys(directory: pathlib.Path | None) -> list[Ed25519PublicKey]:
    if directory is None or not directory.is_dir():
        return []
    keys = []
    for file in sorted(directory.glob("*.pem")):
        key = serialization.load_pem_public_key(file.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{file} does not hold an Ed25519 public key")
        keys.append(key)
    return keys


def _create_key_file(path: pathlib.Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its key
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    log.info("generated a demo signing key", extra={"path": str(path)})


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
