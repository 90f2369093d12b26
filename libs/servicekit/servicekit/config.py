"""Reading settings from the environment, failing fast with every problem at once.

Each service has its own frozen `Settings.from_env()`; this module only offers the reader.
"""
from __future__ import annotations

import os
import pathlib
from collections.abc import Mapping

DEMO = "demo"
PRODUCTION = "production"


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
