"""Mutual TLS for gRPC between services (production): certificates from files.

The server demands a client certificate signed by the platform CA; the client checks the
server's name against its certificate. A service identity token must come over a channel
whose client certificate names the same service (see `peer_names`), so a token copied
elsewhere is useless.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

import grpc


@dataclass(frozen=True)
class TlsFiles:
    cert: pathlib.Path      # this service's certificate (PEM), used as server and as client
    key: pathlib.Path       # its private key (PEM)
    ca: pathlib.Path        # the CA that signs every service's certificate

    def _read(self) -> tuple[bytes, bytes, bytes]:
        return self.key.read_bytes(), self.cert.read_bytes(), self.ca.read_bytes()


def server_credentials(files: TlsFiles) -> grpc.ServerCredentials:
    key, cert, ca = files._read()
    return grpc.ssl_server_credentials([(key, cert)], root_certificates=ca, require_client_auth=True)


def channel_credentials(files: TlsFiles) -> grpc.ChannelCredentials:
    key, cert, ca = files._read()
    return grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)


def peer_names(context: grpc.ServicerContext) -> set[str]:
    """Common name and DNS names of the verified client certificate (empty without TLS)."""
    auth = context.auth_context()
    return {value.decode() for key in ("x509_common_name", "x509_subject_alternative_name")
            for value in auth.get(key, [])}
