"""Reading settings from the environment, failing fast with every problem at once.

Each service has its own frozen `Settings.from_env()`; this module only offers the reader.
"""
from __future__ import annotations

import os
import pathlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from servicekit.tls import TlsFiles

DEMO = "demo"
PRODUCTION = "production"

# DESIGN.md "Default ports": context -> (gRPC, HTTP). Every one can be overridden by env.
DEFAULT_PORTS = {"enrolment": (50051, 8001), "inventory": (50052, 8002),
                 "documents": (50053, 8003), "reporting": (50054, 8004)}


class ConfigError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration: " + "; ".join(problems))
        self.problems = problems


class EnvReader:
    """Collects problems while reading; call `check()` once at the end."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.problems: list[str] = []

    def str(self, name: str, default: str | None = None) -> str:
        value = self.environ.get(name, "").strip()
        if value:
            return value
        if default is None:
            self.problems.append(f"{name} is required")
            return ""
        return default

    def int(self, name: str, default: int, *, minimum: int = 0, maximum: int = 65535) -> int:
        raw = self.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(f"{name} must be a whole number, got {raw!r}")
            return default
        if not minimum <= value <= maximum:
            self.problems.append(f"{name} must be between {minimum} and {maximum}, got {value}")
        return value

    def bool(self, name: str, default: bool) -> bool:
        raw = self.environ.get(name, "").strip().lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        self.problems.append(f"{name} must be true or false, got {raw!r}")
        return default

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.str(name, default)
        if value not in choices:
            self.problems.append(f"{name} must be one of {', '.join(choices)}, got {value!r}")
        return value

    def path(self, name: str, default: pathlib.Path) -> pathlib.Path:
        return pathlib.Path(self.str(name, str(default)))

    def check(self) -> None:
        if self.problems:
            raise ConfigError(self.problems)


def common(reader: EnvReader) -> dict:
    """Settings every service shares: mode, bind host, var dir, log level, reflection."""
    mode = reader.choice("EKTP_MODE", DEMO, (DEMO, PRODUCTION))
    return {
        "mode": mode,
        "host": reader.str("EKTP_HOST", "127.0.0.1"),
        "var_dir": reader.path("EKTP_VAR_DIR", pathlib.Path("var")).resolve(),
        "log_level": reader.choice("EKTP_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
        "reflection": reader.bool("EKTP_GRPC_REFLECTION", mode == DEMO),
    }


def database_url(reader: EnvReader, service: str, mode: str, var_dir: pathlib.Path) -> str:
    """`<SERVICE>_DATABASE_URL`, or the file named by `<SERVICE>_DATABASE_URL_FILE` (a mounted
    secret, e.g. CloudNativePG's `uri`); required in production, a SQLite file under var/ in demo."""
    name = f"{service.upper()}_DATABASE_URL"
    from_file = reader.environ.get(f"{name}_FILE", "").strip()
    if from_file:
        try:
            return pathlib.Path(from_file).read_text().strip()
        except OSError as exc:
            reader.problems.append(f"{name}_FILE: cannot read {from_file} ({exc.strerror})")
            return ""
    if mode == PRODUCTION:
        return reader.str(name)
    return reader.str(name, f"sqlite:///{var_dir / (service + '.db')}")


def service_common(reader: EnvReader, context: str) -> dict:
    """`common()` plus the service's own `<CTX>_DATABASE_URL`, `<CTX>_GRPC_PORT`, `<CTX>_HTTP_PORT`,
    `<CTX>_HEALTH_PORT` and its `security` settings."""
    shared = common(reader)
    grpc_port, http_port = DEFAULT_PORTS[context]
    prefix = context.upper()
    return {**shared,
            "database_url": database_url(reader, context, shared["mode"], shared["var_dir"]),
            "security": security(reader, context, shared["mode"], shared["var_dir"]),
            "grpc_port": reader.int(f"{prefix}_GRPC_PORT", grpc_port),
            "http_port": reader.int(f"{prefix}_HTTP_PORT", http_port),
            # A plaintext port serving only grpc.health.v1, for the kubelet's gRPC probes,
            # which cannot speak TLS. 0: none (health is on the gRPC port).
            "health_port": reader.int(f"{prefix}_HEALTH_PORT", 0)}


def grpc_target(reader: EnvReader, context: str) -> str:
    """How to reach another service: `<CTX>_GRPC_TARGET`, by default its gRPC port on loopback."""
    return reader.str(f"{context.upper()}_GRPC_TARGET", default_target(context))


def default_target(context: str) -> str:
    return f"127.0.0.1:{DEFAULT_PORTS[context][0]}"


@dataclass(frozen=True)
class SecuritySettings:
    """Keys, certificates and cookie policy of one service. Production reads every path from
    the environment (files mounted from Kubernetes secrets) and has no default; demo mode
    keeps them under var/keys and generates what is missing."""

    token_key: pathlib.Path         # this service's Ed25519 private key (PEM): signs its identity tokens
    trusted_keys: pathlib.Path      # directory of issuers' public keys, `<issuer>.pem`
    generate_keys: bool             # demo: create missing keys and publish this service's public key
    login_url: str                  # where pages send an officer who has not logged in
    cookie_secure: bool             # Secure cookies; relaxed only in demo mode on plain HTTP
    session_hours: int = 8
    tls: TlsFiles | None = None     # mutual TLS for gRPC (production)
    cookie_domain: str | None = None   # e.g. ".ektp.example.go.id" when each service has its own host
    # Proxies in front of the HTTP port (an ingress) whose X-Forwarded-For is believed: the client
    # address goes to the audit log and the login's failure limit. 0: the peer is the client.
    trusted_proxy_count: int = 0
    # Each service's public address: the navigation links, and the only places a login may
    # send an officer back to.
    service_urls: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_URLS))

    @classmethod
    def demo(cls, var_dir: pathlib.Path, context: str) -> SecuritySettings:
        keys = var_dir / "keys"
        return cls(token_key=keys / f"{context}-token.pem", trusted_keys=keys / "trusted", generate_keys=True,
                   login_url=DEFAULT_URLS["enrolment"] + "masuk", cookie_secure=False)


DEFAULT_URLS = {name: f"http://127.0.0.1:{http}/" for name, (_, http) in DEFAULT_PORTS.items()}


def service_urls(reader: EnvReader, mode: str) -> dict[str, str]:
    """`<SERVICE>_PUBLIC_URL` of each service (behind an ingress: its public address);
    required in production, loopback on the default ports in demo."""
    return {name: reader.str(f"{name.upper()}_PUBLIC_URL", None if mode == PRODUCTION else default).rstrip("/") + "/"
            for name, default in DEFAULT_URLS.items()}


def secret_path(reader: EnvReader, name: str, mode: str, demo_default: pathlib.Path) -> pathlib.Path:
    """A key file or directory: required in production (no default secrets), under var/keys in demo."""
    return pathlib.Path(reader.str(name)) if mode == PRODUCTION else reader.path(name, demo_default)


def security(reader: EnvReader, context: str, mode: str, var_dir: pathlib.Path) -> SecuritySettings:
    """`<CTX>_TOKEN_KEY_FILE`, `EKTP_TRUSTED_KEYS_DIR`, `EKTP_SESSION_HOURS`, the services'
    `<SERVICE>_PUBLIC_URL`s (the login page is enrolment's `masuk`), `EKTP_GRPC_TLS` (on by
    default in production) with `EKTP_TLS_CERT_FILE`/`_KEY_FILE`/`_CA_FILE`."""
    production = mode == PRODUCTION
    urls = service_urls(reader, mode)
    tls = None
    if reader.bool("EKTP_GRPC_TLS", production):
        tls = TlsFiles(cert=pathlib.Path(reader.str("EKTP_TLS_CERT_FILE")),
                       key=pathlib.Path(reader.str("EKTP_TLS_KEY_FILE")),
                       ca=pathlib.Path(reader.str("EKTP_TLS_CA_FILE")))
    return SecuritySettings(
        token_key=secret_path(reader, f"{context.upper()}_TOKEN_KEY_FILE", mode,
                              var_dir / "keys" / f"{context}-token.pem"),
        trusted_keys=secret_path(reader, "EKTP_TRUSTED_KEYS_DIR", mode, var_dir / "keys" / "trusted"),
        generate_keys=not production,
        login_url=urls["enrolment"] + "masuk",
        cookie_secure=production,
        session_hours=reader.int("EKTP_SESSION_HOURS", 8, minimum=1, maximum=24),
        tls=tls, service_urls=urls, cookie_domain=reader.environ.get("EKTP_COOKIE_DOMAIN", "").strip() or None,
        trusted_proxy_count=reader.int("EKTP_TRUSTED_PROXY_COUNT", 0, maximum=5))
