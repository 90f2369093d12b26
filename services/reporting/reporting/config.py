"""Settings of the reporting service, read once from the environment; fails fast."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from reporting.domain import is_report_region
from servicekit.config import DEFAULT_PORTS, DEMO, EnvReader, default_target, grpc_target, service_common


@dataclass(frozen=True)
class Settings:
    database_url: str
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = DEFAULT_PORTS["reporting"][0]
    http_port: int = DEFAULT_PORTS["reporting"][1]
    var_dir: pathlib.Path = pathlib.Path("var")
    log_level: str = "INFO"
    reflection: bool = True
    enrolment_grpc_target: str = default_target("enrolment")
    inventory_grpc_target: str = default_target("inventory")
    documents_grpc_target: str = default_target("documents")
    default_region: str = "62.03"        # the region the page shows without ?wilayah=
    stream_seconds: float = 30.0         # deadline of each StreamEvents call; then reconnect
    readiness_seconds: float = 5.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        shared = service_common(reader, "reporting")
        default_region = reader.str("REPORTING_DEFAULT_REGION", "62.03")
        if not is_report_region(default_region):
            reader.problems.append("REPORTING_DEFAULT_REGION must look like 62, 62.03 or 62.03.01")
        settings = cls(
            **shared,
            enrolment_grpc_target=grpc_target(reader, "enrolment"),
            inventory_grpc_target=grpc_target(reader, "inventory"),
            documents_grpc_target=grpc_target(reader, "documents"),
            default_region=default_region,
            stream_seconds=float(reader.int("REPORTING_STREAM_SECONDS", 30, minimum=1, maximum=3600)),
        )
        reader.check()
        return settings

    @property
    def feed_targets(self) -> dict[str, str]:
        """The producers reporting follows: feed name -> gRPC target."""
        return {"enrolment": self.enrolment_grpc_target, "inventory": self.inventory_grpc_target,
                "documents": self.documents_grpc_target}
