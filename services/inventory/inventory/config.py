"""Settings of the inventory service, read once from the environment; fails fast."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from inventory.domain import is_office_code
from servicekit.config import DEFAULT_PORTS, DEMO, EnvReader, SecuritySettings, service_common

# Offices shown on the page and in metrics even before they hold any blank (demo: Kab. Kapuas
# and Kab. Tanah Bumbu). Region master data stays with enrolment.
DEMO_OFFICES = ("62.03", "63.10")


@dataclass(frozen=True)
class Settings:
    database_url: str
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = DEFAULT_PORTS["inventory"][0]
    http_port: int = DEFAULT_PORTS["inventory"][1]
    health_port: int = 0            # plaintext gRPC health for probes (0: none)
    var_dir: pathlib.Path = pathlib.Path("var")
    log_level: str = "INFO"
    reflection: bool = True
    offices: tuple[str, ...] = ()
    security: SecuritySettings | None = None   # None: demo keys under var_dir/keys

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        shared = service_common(reader, "inventory")
        default_offices = ",".join(DEMO_OFFICES) if shared["mode"] == DEMO else ""
        offices = tuple(code.strip() for code in reader.str("INVENTORY_OFFICES", default_offices).split(",")
                        if code.strip())
        bad = [code for code in offices if not is_office_code(code)]
        if bad:
            reader.problems.append(f"INVENTORY_OFFICES must be Kemendagri office codes like 62.03, got {bad}")
        settings = cls(
            offices=offices,
            **shared,
        )
        reader.check()
        return settings
