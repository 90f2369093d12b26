"""Enrolment settings, read once from the environment; fails fast listing every problem."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from enrolment.domain import RegionLevel, region_level
from servicekit.config import DEFAULT_PORTS, DEMO, EnvReader, SecuritySettings, secret_path, service_common


@dataclass(frozen=True)
class Settings:
    database_url: str
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = DEFAULT_PORTS["enrolment"][0]
    http_port: int = DEFAULT_PORTS["enrolment"][1]
    health_port: int = 0            # plaintext gRPC health for probes (0: none)
    var_dir: pathlib.Path = pathlib.Path("var")
    log_level: str = "INFO"
    reflection: bool = True
    default_office: str = "62.03"   # the Dinas a province-wide officer's home page shows
    security: SecuritySettings | None = None   # None: demo keys under var_dir/keys
    # Keys of the personal data at rest (enrolment.personal_data); None: demo keys under var_dir/keys.
    data_keys_dir: pathlib.Path | None = None     # directory of AES data keys + `active`
    index_key_file: pathlib.Path | None = None    # HMAC key of the NIK's blind index

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        shared = service_common(reader, "enrolment")
        office = reader.str("ENROLMENT_DEFAULT_OFFICE", "62.03")
        if region_level(office) is not RegionLevel.REGENCY:
            reader.problems.append(f"ENROLMENT_DEFAULT_OFFICE must be a regency code like 62.03, got {office!r}")
        mode, var_dir = shared["mode"], shared["var_dir"]
        settings = cls(
            default_office=office,
            data_keys_dir=secret_path(reader, "ENROLMENT_DATA_KEYS_DIR", mode, var_dir / "keys" / "enrolment-data"),
            index_key_file=secret_path(reader, "ENROLMENT_INDEX_KEY_FILE", mode,
                                       var_dir / "keys" / "enrolment-index.key"),
            **shared,
        )
        reader.check()
        return settings
