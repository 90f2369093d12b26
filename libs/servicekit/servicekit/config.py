"""Reading settings from the environment, failing fast with every problem at once.

Each service has its own frozen `Settings.from_env()`; this module only offers the reader.
"""
from __future__ import annotations

import os
import pathlib
from collections.abc import Mapping

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
    """`<SERVICE>_DATABASE_URL`; required in production, a SQLite file under var/ in demo."""
    name = f"{service.upper()}_DATABASE_URL"
    if mode == PRODUCTION:
        return reader.str(name)
    return reader.str(name, f"sqlite:///{var_dir / (service + '.db')}")


def service_common(reader: EnvReader, context: str) -> dict:
    """`common()` plus the service's own `<CTX>_DATABASE_URL`, `<CTX>_GRPC_PORT`, `<CTX>_HTTP_PORT`."""
    shared = common(reader)
    grpc_port, http_port = DEFAULT_PORTS[context]
    prefix = context.upper()
    return {**shared,
            "database_url": database_url(reader, context, shared["mode"], shared["var_dir"]),
            "grpc_port": reader.int(f"{prefix}_GRPC_PORT", grpc_port),
            "http_port": reader.int(f"{prefix}_HTTP_PORT", http_port)}


def grpc_target(reader: EnvReader, context: str) -> str:
    """How to reach another service: `<CTX>_GRPC_TARGET`, by default its gRPC port on loopback."""
    return reader.str(f"{context.upper()}_GRPC_TARGET", default_target(context))


def default_target(context: str) -> str:
    return f"127.0.0.1:{DEFAULT_PORTS[context][0]}"
