"""Enrolment settings, read once from the environment; fails fast listing every problem."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from enrolment.domain import (
    DEFAULT_DEMOGRAPHIC_THRESHOLD,
    DEFAULT_MINIMUM_QUALITY,
    Modality,
    ModalityKind,
    QualityGate,
    RegionLevel,
    region_level,
)
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
    # Recording (domain.QualityGate, de-duplication, pre-recordings): see `recording_settings`.
    quality_gate: QualityGate = QualityGate()
    demographic_threshold: float = DEFAULT_DEMOGRAPHIC_THRESHOLD   # 0..1
    release_interval_seconds: int = 3600   # held pre-recordings released this often in `serve` (0: never)

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
            **recording_settings(reader),
            data_keys_dir=secret_path(reader, "ENROLMENT_DATA_KEYS_DIR", mode, var_dir / "keys" / "enrolment-data"),
            index_key_file=secret_path(reader, "ENROLMENT_INDEX_KEY_FILE", mode,
                                       var_dir / "keys" / "enrolment-index.key"),
            **shared,
        )
        reader.check()
        return settings


ALL_MODALITIES = frozenset(m for m in Modality if m != "UNSPECIFIED")


def recording_settings(reader: EnvReader) -> dict:
    """The quality gate, the demographic threshold and the release interval.

    ENROLMENT_MIN_QUALITY_{FACE,FINGER,IRIS,SIGNATURE}: lowest accepted quality 0-100 per kind
    (defaults 40, 40, 40, 0). ENROLMENT_REQUIRED_MODALITIES: modalities that must be captured,
    comma-separated names (FACE, SIGNATURE, IRIS_LEFT, FINGER_RIGHT_THUMB, ...), or ALL, or
    NONE (default FACE). ENROLMENT_DEMOGRAPHIC_THRESHOLD_PERCENT: demographic similarity from
    which a recording is a suspected duplicate, 50-100 (default 92).
    ENROLMENT_RELEASE_INTERVAL_SECONDS: how often `serve` releases pre-recordings (0: never).
    """
    minimum = {kind: reader.int(f"ENROLMENT_MIN_QUALITY_{kind.value}", DEFAULT_MINIMUM_QUALITY[kind], maximum=100)
               for kind in ModalityKind}
    raw = reader.str("ENROLMENT_REQUIRED_MODALITIES", "FACE").upper()
    if raw == "ALL":
        required = ALL_MODALITIES
    elif raw == "NONE":
        required = frozenset()
    else:
        names = [n.strip() for n in raw.split(",") if n.strip()]
        unknown = [n for n in names if n not in {m.value for m in ALL_MODALITIES}]
        if unknown:
            reader.problems.append(f"ENROLMENT_REQUIRED_MODALITIES: unknown modalities {', '.join(unknown)}; use "
                                   f"ALL, NONE or some of {', '.join(m.value for m in Modality if m != 'UNSPECIFIED')}")
        required = frozenset(Modality(n) for n in names if n not in unknown)
    threshold = reader.int("ENROLMENT_DEMOGRAPHIC_THRESHOLD_PERCENT", round(DEFAULT_DEMOGRAPHIC_THRESHOLD * 100),
                           minimum=50, maximum=100)
    return {"quality_gate": QualityGate(minimum, required), "demographic_threshold": threshold / 100,
            "release_interval_seconds": reader.int("ENROLMENT_RELEASE_INTERVAL_SECONDS", 3600, maximum=7 * 86400)}
