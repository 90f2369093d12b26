"""Settings of the reporting service, read once from the environment; fails fast."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from servicekit.config import (
    DEFAULT_PORTS,
    DEMO,
    EnvReader,
    SecuritySettings,
    default_target,
    grpc_target,
    service_common,
)


@dataclass(frozen=True)
class Settings:
    database_url: str
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = DEFAULT_PORTS["reporting"][0]
    http_port: int = DEFAULT_PORTS["reporting"][1]
    health_port: int = 0            # plaintext gRPC health for probes (0: none)
    var_dir: pathlib.Path = pathlib.Path("var")
    log_level: str = "INFO"
    reflection: bool = True
    enrolment_grpc_target: str = default_target("enrolment")
    inventory_grpc_target: str = default_target("inventory")
    documents_grpc_target: str = default_target("documents")
    stream_seconds: float = 30.0         # deadline of each StreamEvents call; then reconnect
    readiness_seconds: float = 5.0
    security: SecuritySettings | None = None   # None: demo keys under var_dir/keys

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        shared = service_common(reader, "reporting")
        settings = cls(
            **shared,
            enrolment_grpc_target=grpc_target(reader, "enrolment"),
            inventory_grpc_target=grpc_target(reader, "inventory"),
            documents_grpc_target=grpc_target(reader, "documents"),
            stream_seconds=float(reader.int("REPORTING_STREAM_SECONDS", 30, minimum=1, maximum=3600)),
        )
        reader.check()
        return settings

    @property
    def feed_targets(self) -> dict[str, str]:
        """The producers reporting follows: feed name -> gRPC target."""
        return {"enrolment": self.enrolment_grpc_target, "inventory": self.inventory_grpc_target,
                "documents": self.documents_grpc_target}
