"""The document store: rendered PDFs (cards, Suket, letters, manifests) kept outside the database.

Two layers:

- `BlobStore`: where sealed bytes live under a key such as `documents/<id>.pdf` or
  `letters/<id>.pdf`. `FileStore` keeps them as files under `var/documents/` by default (one
  file per key, in sub-directories by the key's first characters, written atomically with mode
  0600). An S3-compatible blob store would implement the same three methods; none ships yet.
- `DocumentStore`: what the repositories use. `put(key, data)` seals the PDF with the service's
  data key (servicekit.fieldcrypto, bound to the key, so a file moved to another key does not
  open) and returns the sha256 of the plain PDF, which the caller records in its row;
  `get(key, sha256)` opens the file and checks that digest, raising `StoredDocumentCorrupt`
  when the file is missing, does not decrypt or is not the PDF that was recorded.

A PDF carries the resident's personal data: the store holds only ciphertext, and its log lines
and errors name the key (a document id), never the content.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pathlib
import re
import secrets
from collections.abc import Iterator
from typing import Protocol

from documents.errors import StoredDocumentCorrupt
from servicekit.fieldcrypto import DecryptionError, FieldCipher

log = logging.getLogger(__name__)

# Keys are relative paths of safe segments: no "..", no hidden files, no absolute paths.
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")
_TEMP_SUFFIX = ".tmp"
SEAL_TABLE, SEAL_COLUMN = "document_store", "pdf"   # what fieldcrypto binds each file to (with its key)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_key(key: str) -> str:
    if len(key) > 255 or not _KEY.fullmatch(key):
        raise ValueError(f"not a document store key: {key!r}")
    return key


class BlobStore(Protocol):
    def write(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...          # StoredDocumentCorrupt when missing
    def keys(self) -> Iterator[str]: ...


class DocumentStore(Protocol):
    """The port the repositories depend on."""

    def put(self, key: str, data: bytes) -> str: ...
    def get(self, key: str, sha256: str) -> bytes: ...


class FileStore:
    """Blobs as files under `root`: `documents/<id>.pdf` lives at `root/documents/<id[:2]>/<id>.pdf`."""

    def __init__(self, root: pathlib.Path) -> None:
        self.root = root

    def path(self, key: str) -> pathlib.Path:
        *folders, name = check_key(key).split("/")
        return self.root.joinpath(*folders, name[:2], name)

    def write(self, key: str, data: bytes) -> None:
        """Atomic: a temporary file in the same directory, fsync, rename, fsync the directory.
        A crash leaves the old file or the new one, never a partial one under the key."""
        path = self.path(key)
        _make_directories(path.parent, self.root)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_directory(path.parent)

    def read(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            log.error("stored file of %s is missing", key)
            raise StoredDocumentCorrupt(f"Berkas dokumen yang tersimpan hilang ({key}).") from None

    def keys(self) -> Iterator[str]:
        """Every stored key (temporary files of unfinished writes left out)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                folders = path.relative_to(self.root).parts[:-2]  # without the prefix directory
                yield "/".join((*folders, path.name))


class EncryptedDocumentStore:
    """PDFs sealed with the data key over a blob store; sha256 of the plain PDF checked on read."""

    def __init__(self, blobs: BlobStore, cipher: FieldCipher) -> None:
        self.blobs = blobs
        self._cipher = cipher

    def put(self, key: str, data: bytes) -> str:
        sealed = self._cipher.encrypt_bytes(data, table=SEAL_TABLE, column=SEAL_COLUMN, row=check_key(key))
        self.blobs.write(key, sealed)
        return sha256_hex(data)

    def get(self, key: str, sha256: str) -> bytes:
        data = self._open(key, self.blobs.read(key))
        if sha256_hex(data) != sha256:
            log.error("stored file of %s does not match its recorded sha256", key)
            raise StoredDocumentCorrupt(f"Berkas dokumen yang tersimpan rusak: isinya tidak cocok dengan sha256 "
                                        f"yang tercatat ({key}).")
        return data

    def reseal(self) -> int:
        """Re-encrypt every stored file not under the active data key (`keys-rotate`);
        returns how many were rewritten. Readers see the old file or the new one, both open."""
        self._cipher.keyring.refresh()
        rewritten = 0
        for key in self.blobs.keys():
            sealed = self.blobs.read(key)
            if self._cipher.key_id_of(sealed) == self._cipher.keyring.active_kid:
                continue
            data = self._open(key, sealed)
            self.blobs.write(key, self._cipher.encrypt_bytes(data, table=SEAL_TABLE, column=SEAL_COLUMN, row=key))
            rewritten += 1
        return rewritten

    def _open(self, key: str, sealed: bytes) -> bytes:
        try:
            return self._cipher.decrypt_bytes(sealed, table=SEAL_TABLE, column=SEAL_COLUMN, row=key)
        except DecryptionError:
            log.error("stored file of %s does not decrypt", key)
            raise StoredDocumentCorrupt(f"Berkas dokumen yang tersimpan rusak: tidak dapat dibuka ({key}).") from None


def _make_directories(directory: pathlib.Path, root: pathlib.Path) -> None:
    """`directory` and its parents up to `root`, private (0700), each new one made durable."""
    if directory.is_dir():
        return
    if directory == root or root not in directory.parents:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return
    _make_directories(directory.parent, root)
    try:
        directory.mkdir(mode=0o700)
    except FileExistsError:
        return
    _fsync_directory(directory.parent)


def _fsync_directory(directory: pathlib.Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
