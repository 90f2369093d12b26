"""Settings of the documents service, read once from the environment; fails fast."""
from __future__ import annotations

import pathlib
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from servicekit.config import (
    DEFAULT_PORTS,
    DEMO,
    PRODUCTION,
    EnvReader,
    SecuritySettings,
    default_target,
    grpc_target,
    secret_path,
    service_common,
)

DEFAULT_SIGNATORY = "Kepala Dinas"
# The seat of each demo office, written on its Suket (DOCUMENTS_ISSUE_PLACES="62.03=Kuala Kapuas,...").
DEFAULT_ISSUE_PLACES = "62.03=Kuala Kapuas,63.10=Batulicin"
KEY_FILE_NAME = "documents-ed25519.pem"
RETIRED_KEYS_DIR_NAME = "documents-ed25519-retired"   # public keys of earlier signing keys
DATA_KEYS_DIR_NAME = "documents-data"
STORE_DIR_NAME = "documents"   # the document store's files: <var_dir>/documents by default


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: pathlib.Path
    mode: str = DEMO
    host: str = "127.0.0.1"
    grpc_port: int = DEFAULT_PORTS["documents"][0]
    http_port: int = DEFAULT_PORTS["documents"][1]
    health_port: int = 0            # plaintext gRPC health for probes (0: none)
    log_level: str = "INFO"
    reflection: bool = True
    enrolment_target: str = default_target("enrolment")
    inventory_target: str = default_target("inventory")
    signing_key_file: pathlib.Path | None = None  # None: <var_dir>/keys/documents-ed25519.pem
    signatory: str = DEFAULT_SIGNATORY
    issue_places: tuple[tuple[str, str], ...] = ()
    call_deadline: float = 5.0
    security: SecuritySettings | None = None      # None: demo keys under <var_dir>/keys
    data_keys_dir: pathlib.Path | None = None     # None: <var_dir>/keys/documents-data
    suket_when_out_of_stock: bool = True           # offices without a policy of their own
    print_workers: int = 2                         # threads rendering and storing a backlog's cards
    store_dir: pathlib.Path | None = None         # None: <var_dir>/documents
    expiry_interval_seconds: int = 3600            # the Suket expiry job: how often it runs
    retired_keys_dir: pathlib.Path | None = None  # None: <var_dir>/keys/documents-ed25519-retired

    @property
    def signing_key_path(self) -> pathlib.Path:
        return self.signing_key_file or self.var_dir / "keys" / KEY_FILE_NAME

    @property
    def retired_keys_path(self) -> pathlib.Path:
        """Public keys (`*.pem`) of earlier Suket signing keys: still published and verifying."""
        return self.retired_keys_dir or self.var_dir / "keys" / RETIRED_KEYS_DIR_NAME

    @property
    def data_keys_path(self) -> pathlib.Path:
        """The data keys that encrypt stored PDFs (a directory: `<kid>.key` files and `active`)."""
        return self.data_keys_dir or self.var_dir / "keys" / DATA_KEYS_DIR_NAME

    @property
    def store_path(self) -> pathlib.Path:
        """The directory of the document store (encrypted PDF files)."""
        return self.store_dir or self.var_dir / STORE_DIR_NAME

    @property
    def generate_data_keys(self) -> bool:
        """Only the embedded demo creates its data key; production mounts the directory as a secret."""
        return self.mode == DEMO

    @property
    def generate_signing_key(self) -> bool:
        """Only the embedded demo creates its own key; production mounts one as a secret file."""
        return self.mode == DEMO

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(environ)
        base = service_common(reader, "documents")
        mode = base["mode"]
        raw_key_file = reader.str("DOCUMENTS_SIGNING_KEY_FILE", None if mode == PRODUCTION else "")
        key_file = pathlib.Path(raw_key_file) if raw_key_file else None
        data_keys_dir = secret_path(reader, "DOCUMENTS_DATA_KEYS_DIR", mode,
                                    base["var_dir"] / "keys" / DATA_KEYS_DIR_NAME)
        settings = cls(
            **base,
            enrolment_target=grpc_target(reader, "enrolment"),
            inventory_target=grpc_target(reader, "inventory"),
            signing_key_file=key_file,
            signatory=reader.str("DOCUMENTS_SIGNER", DEFAULT_SIGNATORY),
            issue_places=_places(reader, DEFAULT_ISSUE_PLACES if mode == DEMO else ""),
            data_keys_dir=data_keys_dir,
            suket_when_out_of_stock=reader.bool("DOCUMENTS_SUKET_WHEN_OUT_OF_STOCK", True),
            print_workers=reader.int("DOCUMENTS_PRINT_WORKERS", 2, minimum=1, maximum=32),
            store_dir=_store_dir(reader, mode),
            expiry_interval_seconds=reader.int("DOCUMENTS_EXPIRY_INTERVAL_SECONDS", 3600, minimum=1,
                                               maximum=86_400),
            retired_keys_dir=_optional_path(reader.str("DOCUMENTS_SIGNING_RETIRED_KEYS_DIR", "")),
        )
        if mode == PRODUCTION and key_file is not None and not key_file.is_file():
            reader.problems.append("DOCUMENTS_SIGNING_KEY_FILE does not name a readable file")
        if mode == PRODUCTION and str(data_keys_dir) not in ("", ".") and not data_keys_dir.is_dir():
            reader.problems.append("DOCUMENTS_DATA_KEYS_DIR does not name a directory")
        reader.check()
        return settings


def _optional_path(raw: str) -> pathlib.Path | None:
    return pathlib.Path(raw) if raw else None


def _store_dir(reader: EnvReader, mode: str) -> pathlib.Path | None:
    """DOCUMENTS_STORE_URL: the document store's directory, as a path or a file:// URL; in the
    demo by default <var_dir>/documents. Production must name it: with several replicas it is a
    volume they all share and that outlives the pods (a pod's var dir is neither). Only file
    stores exist: an S3-compatible store is not implemented."""
    raw = reader.str("DOCUMENTS_STORE_URL", "")
    if not raw:
        if mode == PRODUCTION:
            reader.problems.append("DOCUMENTS_STORE_URL is required in production: a directory on a volume "
                                   "every replica shares (see deploy/k8s/base/documents/store-pvc.yaml)")
        return None
    url = urllib.parse.urlparse(raw)
    if url.scheme not in ("", "file"):
        reader.problems.append(f"DOCUMENTS_STORE_URL: scheme {url.scheme!r} is not supported (a directory "
                               "or a file:// URL)")
        return None
    return pathlib.Path(urllib.parse.unquote(url.path) if url.scheme else raw).resolve()


def _places(reader: EnvReader, default: str) -> tuple[tuple[str, str], ...]:
    """DOCUMENTS_ISSUE_PLACES: comma-separated `office=place` pairs."""
    raw = reader.str("DOCUMENTS_ISSUE_PLACES", default or "-")
    if raw in ("", "-"):
        return ()
    pairs = []
    for item in raw.split(","):
        office, sep, place = item.partition("=")
        if not sep or not office.strip() or not place.strip():
            reader.problems.append(f"DOCUMENTS_ISSUE_PLACES: {item!r} is not office=place")
            continue
        pairs.append((office.strip(), place.strip()))
    return tuple(pairs)
