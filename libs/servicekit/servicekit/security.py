"""One service's security runtime, built once by its bootstrap from `SecuritySettings`:
its signing key and identity, the token verifier, the gates for gRPC and HTTP, and channels
to other services that carry its identity (over mutual TLS in production)."""
from __future__ import annotations

from dataclasses import dataclass

import grpc
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from servicekit.access import AccessPolicy
from servicekit.clients import make_channel
from servicekit.config import SecuritySettings
from servicekit.grpcserver import GrpcGate
from servicekit.tokens import (
    ServiceCredentials,
    TokenIssuer,
    TokenVerifier,
    TrustedKeys,
    load_private_key,
    publish_public_key,
)
from servicekit.web import WebGate


@dataclass
class Security:
    context: str
    settings: SecuritySettings
    issuer: TokenIssuer
    verifier: TokenVerifier
    credentials: ServiceCredentials
    _secret: bytes

    @classmethod
    def load(cls, context: str, settings: SecuritySettings) -> Security:
        key = load_private_key(settings.token_key, create=settings.generate_keys)
        if settings.generate_keys:
            publish_public_key(settings.trusted_keys, context, key)
        issuer = TokenIssuer(context, key)
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        # The Flask secret (CSRF) is derived from the service key, so replicas share it and
        # there is no second secret to provision.
        secret = HKDF(hashes.SHA256(), 32, salt=None, info=f"ektp {context} flask".encode()).derive(raw)
        return cls(context, settings, issuer, TokenVerifier(TrustedKeys(settings.trusted_keys)),
                   ServiceCredentials(issuer), secret)

    def grpc_gate(self, policy: AccessPolicy, service_names: list[str]) -> GrpcGate:
        return GrpcGate(policy, self.verifier, frozenset(service_names),
                        bind_service_to_peer=self.settings.tls is not None,
                        trusted_proxy_count=self.settings.trusted_proxy_count)

    def web_gate(self, policy: AccessPolicy) -> WebGate:
        return WebGate(policy, self.verifier, login_url=self.settings.login_url,
                       cookie_secure=self.settings.cookie_secure, secret_key=self._secret,
                       links=self.settings.service_urls, cookie_domain=self.settings.cookie_domain)

    def channel(self, target: str) -> grpc.Channel:
        """A channel to another service; every call carries this service's identity."""
        return make_channel(target, token=self.credentials.token, tls=self.settings.tls)
