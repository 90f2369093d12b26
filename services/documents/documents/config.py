"""Settings of the documents service, read once from the environment; fails fast."""
from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

from servicekit.config import DEMO, PRODUCTION, EnvReader, common, database_url

DEFAULT_ISSUER = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kapuas"
DEFAULT_SIGNATORY = "Kepala Dinas"
DEFAULT_ISSUE_PLACE = "Kuala Kapuas"
KEY_FILE_NAME = "documents-ed25519.pem"


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: pathlib.Path
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = 50053
    http_port: int = 8003
    log_level: str = "INFO"
    reflection: bool = True
    enrolment_target: str = "127.0.0.1:50051"
    inventory_target: str = "127.0.0.1:50052"
    signing_key_file: pathlib.Path | None = None  # None: <var_dir>/keys/documents-ed25519.pem
    issuer_name: str = DEFAULT_ISSUER
    signatory: str = DEFAULT_SIGNATORY
    issue_place: str = DEFAULT_ISSUE_PLACE
    call_deadline: float = 5.0

    @property
    def signing_key_path(self) -> pathlib.Path:
        return self.signing_key_file or self.var_dir / "keys" / KEY_FILE_NAME

    @property
    def generate_signing_key(self) -> bool:
        """Only the embedded demo creates its own key; production mounts one as a secret file."""
        return self.mode == DEMO

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        base = common(reader)
        mode, var_dir = base["mode"], base["var_dir"]
        raw_key_file = reader.str("DOCUMENTS_SIGNING_KEY_FILE", None if mode == PRODUCTION else "")
        key_file = pathlib.Path(raw_key_file) if raw_key_file else None
        settings = cls(
            **base,
            database_url=database_url(reader, "documents", mode, var_dir),
            grpc_port=reader.int("DOCUMENTS_GRPC_PORT", 50053),
            http_port=reader.int("DOCUMENTS_HTTP_PORT", 8003),
            enrolment_target=reader.str("ENROLMENT_GRPC_TARGET", "127.0.0.1:50051"),
            inventory_target=reader.str("INVENTORY_GRPC_TARGET", "127.0.0.1:50052"),
            signing_key_file=key_file,
            issuer_name=reader.str("DOCUMENTS_ISSUER_NAME", DEFAULT_ISSUER),
            signatory=reader.str("DOCUMENTS_SIGNER", DEFAULT_SIGNATORY),
            issue_place=reader.str("DOCUMENTS_ISSUE_PLACE", DEFAULT_ISSUE_PLACE),
        )
        if mode == PRODUCTION and key_file is not None and not key_file.is_file():
            reader.problems.append("DOCUMENTS_SIGNING_KEY_FILE does not name a readable file")
        reader.check()
        return settings
