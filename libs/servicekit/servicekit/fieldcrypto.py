"""Field-level encryption of personal data, a blind index for the NIK, and key rotation.

Why field by field: a copy of the database (a backup, a dump handed to a developer, a stolen
disk) must not reveal a resident's name, birth place, address, parents' names, photo or
signature. Each such value is sealed on its own with AES-256-GCM under a data key that lives
outside the database, in files (a Kubernetes secret mounted as a directory).

Why the associated data: the ciphertext is bound to its table, column and row (and key id), so
someone who can write to the database cannot move a value to another resident or another field
and have it decrypt there.

Why a key id in every value: rotation. `Keyring.add_key` + `Keyring.activate` make new values
use a new key while every old key stays readable; `reencrypt` then rewrites the old values in
short compare-and-set transactions while the services keep serving. Services notice a newly
activated key through `Keyring.refresh` (one `stat` per `REFRESH_INTERVAL`), and a value under
a key they have never seen makes them re-read the key directory once.

Why a blind index: the NIK must be found by exact value, which an encrypted column cannot do.
`BlindIndex` stores HMAC-SHA256 of the NIK under its own key. A NIK has little entropy, so the
index is only as safe as that key: keep it out of the database and its backups.

Keys and key bytes never appear in a log line or an exception message; file paths and key ids
(which are not secret) do.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import logging
import os
import pathlib
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import Engine

from servicekit.db import SqlUnitOfWork

log = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_SUFFIX = ".key"
ACTIVE_FILE = "active"
# How long a service may keep encrypting under the previous key after `activate`. Run
# `reencrypt` no sooner than this (plus the longest request) after activating a key, or run it
# twice: a value written under the old key behind the re-encryption's cursor is left for the
# next run.
REFRESH_INTERVAL = 1.0
# After the full scan, rows that changed under the re-encryption are retried this many times.
MAX_RETRY_PASSES = 10

_VERSION = "v1"
_BINARY_VERSION = b"v1"
_KID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_URLSAFE_B64_RE = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_AAD_LABEL = b"ektp.fieldcrypto.v1"
_MIN_SEALED = NONCE_BYTES + TAG_BYTES
_NOT_DECRYPTABLE = "stored value does not decrypt: tampered with, or bound to another table, column or row"
_NOT_RECOGNISED = "stored value is not a v1 encrypted value"


class DataKeyError(Exception):
    """A data key is missing, unreadable or malformed. The message names the file, never the key."""


class DecryptionError(Exception):
    """A stored value cannot be decrypted. The message is generic: no value, no key."""


# --- key files -----------------------------------------------------------------------------

def _decode_urlsafe_b64(text: str) -> bytes | None:
    if not _URLSAFE_B64_RE.fullmatch(text):
        return None
    text = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _read_key_file(path: pathlib.Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataKeyError(f"{path}: key file does not exist") from None
    except OSError as exc:
        raise DataKeyError(f"{path}: cannot read key file ({exc.strerror})") from None
    try:
        key = _decode_urlsafe_b64(raw.decode("ascii").strip())
    except UnicodeDecodeError:
        key = None  # `from None` below: the decode error would carry the file's bytes
    if key is None or len(key) != KEY_BYTES:
        raise DataKeyError(f"{path}: not {KEY_BYTES} bytes of urlsafe base64 on one line") from None
    return key


def _fsync_directory(directory: pathlib.Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(directory: pathlib.Path, name: str, text: str) -> pathlib.Path:
    """A durable 0600 temp file next to its final place (so a rename cannot cross filesystems)."""
    temp = directory / f".{name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _replace_file(path: pathlib.Path, text: str) -> None:
    """Atomically (over)write `path`: readers see the old or the new content, never a part."""
    temp = _write_temp(path.parent, path.name, text)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _create_file(path: pathlib.Path, text: str) -> bool:
    """Atomically create `path`, never overwriting it (a hard link fails if the name exists).
    False if it already existed: two processes creating the same key must not each keep a
    different one."""
    temp = _write_temp(path.parent, path.name, text)
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    finally:
        temp.unlink(missing_ok=True)
    _fsync_directory(path.parent)
    return True


def _new_key_text() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=KEY_BYTES * 8)).decode("ascii")


def _new_kid() -> str:
    return "k" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)


def _make_private_directory(directory: pathlib.Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataKeyError(f"{directory}: cannot create key directory ({exc.strerror})") from None


# --- keyring -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Snapshot:
    keys: dict[str, bytes]
    active: str
    active_signature: tuple[int, int, int, int] | None  # of the `active` file when it was read


def _signature(path: pathlib.Path) -> tuple[int, int, int, int] | None:
    # Follows symlinks: a Kubernetes secret update swaps the `..data` link, which changes the inode.
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def _read_directory(directory: pathlib.Path) -> _Snapshot:
    if not directory.is_dir():
        raise DataKeyError(f"{directory}: key directory does not exist")
    keys: dict[str, bytes] = {}
    for path in sorted(directory.glob("*" + KEY_SUFFIX)):
        kid = path.name[: -len(KEY_SUFFIX)]
        if not _KID_RE.fullmatch(kid):
            raise DataKeyError(f"{path}: a key id may only hold letters, digits, '-' and '_' (at most 64)")
        keys[kid] = _read_key_file(path)
    if not keys:
        raise DataKeyError(f"{directory}: no data keys (no *{KEY_SUFFIX} files)")
    active_path = directory / ACTIVE_FILE
    signature = _signature(active_path)  # before reading: a change after it is seen next time
    try:
        active = active_path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise DataKeyError(f"{active_path}: missing; it must name the key id that encrypts new values") from None
    except (OSError, UnicodeDecodeError):
        raise DataKeyError(f"{active_path}: cannot read it as one ASCII line") from None
    if active not in keys:
        raise DataKeyError(f"{active_path}: names key id {active[:64]!r}, which has no key file in {directory}")
    return _Snapshot(keys=keys, active=active, active_signature=signature)


class Keyring:
    """Data keys of one service, read from a directory (a Kubernetes secret mounted as files):
    `<kid>.key` files, each holding 32 random bytes as urlsafe base64 on one line, and a file
    `active` naming the kid that encrypts new values. All keys stay readable for decryption.

    Thread-safe: the keys are an immutable snapshot swapped as a whole.
    """

    def __init__(self, directory: pathlib.Path, snapshot: _Snapshot) -> None:
        self.directory = directory
        self._snapshot = snapshot
        self._lock = threading.RLock()
        self._checked_at = time.monotonic()
        self._last_refresh_error: str | None = None

    @classmethod
    def load(cls, directory: pathlib.Path, *, create: bool = False) -> Keyring:
        """Read the key directory. `create=True` (demo mode only) makes the directory (0700),
        a first key and the `active` file where they are missing."""
        directory = pathlib.Path(directory)
        if create:
            _make_private_directory(directory)
            if not (directory / ACTIVE_FILE).exists():
                kids = sorted(p.name[: -len(KEY_SUFFIX)] for p in directory.glob("*" + KEY_SUFFIX))
                kid = kids[-1] if kids else _write_new_key(directory)[0]
                _write_active(directory, kid)
                log.info("demo mode: data key %s created in %s", kid, directory)
        return cls(directory, _read_directory(directory))

    @property
    def active_kid(self) -> str:
        return self._snapshot.active

    @property
    def kids(self) -> list[str]:
        return sorted(self._snapshot.keys)

    def key(self, kid: str) -> bytes:
        """The key `kid`. An unknown kid makes the directory be read again once: another process
        may have added it (rotation without downtime)."""
        key = self._snapshot.keys.get(kid)
        if key is None:
            with self._lock:
                self._reload()
            key = self._snapshot.keys.get(kid)
            if key is None:
                raise DataKeyError(f"{self.directory}: no key file for key id {kid[:64]!r}")
        return key

    def refresh(self) -> None:
        """Re-read the directory if the `active` file changed. Cheap enough for every encrypt:
        at most one `stat` per REFRESH_INTERVAL. A directory that has become unreadable keeps
        the keys already loaded (logged once per distinct problem)."""
        if time.monotonic() - self._checked_at < REFRESH_INTERVAL:
            return
        with self._lock:
            now = time.monotonic()
            if now - self._checked_at < REFRESH_INTERVAL:
                return  # another thread just checked
            self._checked_at = now
            if _signature(self.directory / ACTIVE_FILE) == self._snapshot.active_signature:
                return
            try:
                self._reload()
            except DataKeyError as exc:
                if str(exc) != self._last_refresh_error:
                    log.warning("keeping the data keys already loaded: %s", exc)
                    self._last_refresh_error = str(exc)
                return
            self._last_refresh_error = None

    def add_key(self) -> str:
        """Write a new random key file (0600, atomic); it does not encrypt until `activate`."""
        with self._lock:
            kid, key = _write_new_key(self.directory)
            self._snapshot = replace(self._snapshot, keys={**self._snapshot.keys, kid: key})
        log.info("data key %s added in %s", kid, self.directory)
        return kid

    def activate(self, kid: str) -> None:
        """Make `kid` encrypt new values, here at once and in other processes at their next refresh."""
        with self._lock:
            self.key(kid)  # must exist (re-reads the directory when this instance has not seen it)
            _write_active(self.directory, kid)
            self._reload()
        log.info("data key %s activated in %s", kid, self.directory)

    def _reload(self) -> None:
        self._snapshot = _read_directory(self.directory)
        self._checked_at = time.monotonic()


def _write_new_key(directory: pathlib.Path) -> tuple[str, bytes]:
    text = _new_key_text()
    try:
        while True:
            kid = _new_kid()
            path = directory / f"{kid}{KEY_SUFFIX}"
            if _create_file(path, text):
                break
    except OSError as exc:
        raise DataKeyError(f"{directory}: cannot write a new key file ({exc.strerror})") from None
    return kid, _read_key_file(path)


def _write_active(directory: pathlib.Path, kid: str) -> None:
    path = directory / ACTIVE_FILE
    try:
        _replace_file(path, kid)
    except OSError as exc:
        raise DataKeyError(f"{path}: cannot write ({exc.strerror})") from None


# --- field cipher --------------------------------------------------------------------------

def _associated_data(kind: str, kid: str, table: str, column: str, row: str) -> bytes:
    # Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
    out = bytearray(_AAD_LABEL)
    for part in (kind, kid, table, column, row):
        encoded = part.encode("utf-8")
        out += len(encoded).to_bytes(4, "big") + encoded
    return bytes(out)


def _parse_text(stored: str) -> tuple[str, bytes]:
    parts = stored.split(":", 2)
    if len(parts) == 3 and parts[0] == _VERSION and _KID_RE.fullmatch(parts[1]):
        sealed = _decode_urlsafe_b64(parts[2])
        if sealed is not None and len(sealed) >= _MIN_SEALED:
            return parts[1], sealed
    raise DecryptionError(_NOT_RECOGNISED)


def _parse_bytes(stored: bytes) -> tuple[str, bytes]:
    if stored[:2] == _BINARY_VERSION and len(stored) > 3:
        end = 3 + stored[2]
        kid = stored[3:end].decode("ascii", errors="replace")
        sealed = stored[end:]
        if _KID_RE.fullmatch(kid) and len(sealed) >= _MIN_SEALED:
            return kid, sealed
    raise DecryptionError(_NOT_RECOGNISED)


class FieldCipher:
    """AES-256-GCM per field. The associated data binds the ciphertext to table, column and row
    (and the key id), so a value copied to another row or column does not decrypt.

    `table` and `column` are the SQL names; `row` is `str()` of a column that never changes
    (a uuid, a register number): `reencrypt` binds exactly that.
    """

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._aeads: dict[str, AESGCM] = {}

    def encrypt_text(self, value: str, *, table: str, column: str, row: str) -> str:
        """`v1:<kid>:<urlsafe base64 of nonce + ciphertext + tag>`; "" stays "" (nothing to hide)."""
        if value == "":
            return ""
        kid, sealed = self._seal("text", value.encode("utf-8"), table, column, row)
        return f"{_VERSION}:{kid}:{base64.urlsafe_b64encode(sealed).decode('ascii')}"

    def decrypt_text(self, stored: str, *, table: str, column: str, row: str) -> str:
        if stored == "":
            return ""
        kid, sealed = _parse_text(stored)
        plaintext = self._open("text", kid, sealed, table, column, row)
        try:
            return plaintext.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError(_NOT_DECRYPTABLE) from None

    def encrypt_bytes(self, value: bytes, *, table: str, column: str, row: str) -> bytes:
        """`b"v1"` + kid length (1 byte) + kid + nonce + ciphertext + tag; b"" stays b""."""
        if not value:
            return b""
        kid, sealed = self._seal("bytes", bytes(value), table, column, row)
        encoded_kid = kid.encode("ascii")
        return _BINARY_VERSION + bytes([len(encoded_kid)]) + encoded_kid + sealed

    def decrypt_bytes(self, stored: bytes, *, table: str, column: str, row: str) -> bytes:
        if not stored:
            return b""
        kid, sealed = _parse_bytes(bytes(stored))
        return self._open("bytes", kid, sealed, table, column, row)

    def key_id_of(self, stored: str | bytes) -> str | None:
        """The kid a stored value is encrypted under; None for "" / b"". DecryptionError when
        the value is not in a known format."""
        if not stored:
            return None
        if isinstance(stored, str):
            return _parse_text(stored)[0]
        return _parse_bytes(bytes(stored))[0]

    def _aead(self, kid: str) -> AESGCM:
        aead = self._aeads.get(kid)
        if aead is None:
            aead = self._aeads[kid] = AESGCM(self.keyring.key(kid))
        return aead

    def _seal(self, kind: str, plaintext: bytes, table: str, column: str, row: str) -> tuple[str, bytes]:
        self.keyring.refresh()
        kid = self.keyring.active_kid
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._aead(kid).encrypt(nonce, plaintext, _associated_data(kind, kid, table, column, row))
        return kid, nonce + ciphertext

    def _open(self, kind: str, kid: str, sealed: bytes, table: str, column: str, row: str) -> bytes:
        aead = self._aead(kid)  # an unknown kid is a DataKeyError: a missing key, not tampering
        try:
            return aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                _associated_data(kind, kid, table, column, row))
        except InvalidTag:
            raise DecryptionError(_NOT_DECRYPTABLE) from None


# --- blind index ---------------------------------------------------------------------------

class BlindIndex:
    """HMAC-SHA256 of a normalised value under its own key (a file), so an exact NIK can be found
    without storing it in clear. Hex, 64 chars.

    There is no rotation: a new key means recomputing every index value, so the file is created
    once (never overwritten, even by two demo processes starting together)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def load(cls, path: pathlib.Path, *, create: bool = False) -> BlindIndex:
        path = pathlib.Path(path)
        if create and not path.exists():
            _make_private_directory(path.parent)
            try:
                if _create_file(path, _new_key_text()):
                    log.info("demo mode: blind index key created at %s", path)
            except OSError as exc:
                raise DataKeyError(f"{path}: cannot write the blind index key ({exc.strerror})") from None
        return cls(_read_key_file(path))

    def __call__(self, value: str) -> str:
        normalised = "".join(value.split())  # "3201 0101 0101 0001" finds "3201010101010001"
        # hmac.digest: the same HMAC-SHA256 as hmac.new(...).hexdigest(), in one C call (it runs
        # for every NIK and every word of every name recorded or searched).
        return hmac.digest(self._key, normalised.encode("utf-8"), hashlib.sha256).hex()

    def __repr__(self) -> str:
        return "BlindIndex(<key hidden>)"


# --- re-encryption -------------------------------------------------------------------------

@dataclass(frozen=True)
class EncryptedColumn:
    name: str
    binary: bool = False


@dataclass(frozen=True)
class EncryptedTable:
    table: sa.Table          # a SQLAlchemy Core table
    row_key: str             # the column whose str() is the `row` bound into the ciphertext; never changes
    columns: tuple[EncryptedColumn, ...]


def reencrypt(engine: Engine, cipher: FieldCipher, tables: Sequence[EncryptedTable], *,
              batch_size: int = 500, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Re-encrypt every value not under the active key, in short transactions of `batch_size` rows
    (keyset pagination ordered by row_key), so the service keeps serving while it runs. Each UPDATE
    is a compare-and-set (`WHERE row_key = :k AND col = :old` for all changed columns) so a concurrent
    write is never overwritten; such a row is re-read and retried in the next pass. Returns
    {table name: rows rewritten}. Running it twice rewrites nothing the second time.

    `progress(table name, rows rewritten so far in that table)` is called after every batch.
    Decryption and encryption happen between the reading and the writing transaction, so no
    transaction (on SQLite: the single writer's lock) is held while the CPU works.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    counts: dict[str, int] = {}
    for spec in tables:
        counts[spec.table.name] = _reencrypt_table(engine, cipher, spec, batch_size, progress)
        log.info("re-encryption of %s: %d rows rewritten under key %s",
                 spec.table.name, counts[spec.table.name], cipher.keyring.active_kid)
    return counts


def _reencrypt_table(engine: Engine, cipher: FieldCipher, spec: EncryptedTable, batch_size: int,
                     progress: Callable[[str, int], None] | None) -> int:
    table = spec.table
    key_column = table.c[spec.row_key]
    select = sa.select(key_column, *(table.c[c.name] for c in spec.columns)).order_by(key_column)
    rewritten = 0
    missed: list[Any] = []

    last: Any = None
    while True:  # the full scan, by keyset
        query = select.limit(batch_size) if last is None else select.where(key_column > last).limit(batch_size)
        rows = _read(engine, query)
        if not rows:
            break
        last = rows[-1][0]
        done, misses = _rewrite_batch(engine, cipher, spec, rows)
        rewritten += done
        missed += misses
        if progress is not None:
            progress(table.name, rewritten)

    for _ in range(MAX_RETRY_PASSES):  # rows that changed under us: read them again
        if not missed:
            break
        retry, missed = missed, []
        for start in range(0, len(retry), batch_size):
            rows = _read(engine, select.where(key_column.in_(retry[start:start + batch_size])))
            done, misses = _rewrite_batch(engine, cipher, spec, rows)
            rewritten += done
            missed += misses
            if progress is not None:
                progress(table.name, rewritten)
    if missed:
        log.warning("re-encryption of %s: %d rows kept changing under it; run it again", table.name, len(missed))
    return rewritten


def _read(engine: Engine, query: sa.Select) -> list[sa.Row]:
    with SqlUnitOfWork(engine, readonly=True) as uow:
        assert uow.connection is not None
        return list(uow.connection.execute(query))


def _rewrite_batch(engine: Engine, cipher: FieldCipher, spec: EncryptedTable,
                   rows: Sequence[sa.Row]) -> tuple[int, list[Any]]:
    """Rewrite the rows of one batch not under the active key. Returns (rows rewritten, row keys
    whose compare-and-set missed)."""
    table_name = spec.table.name
    cipher.keyring.refresh()
    active = cipher.keyring.active_kid
    # Rows grouped by the set of columns they change, one executemany per group.
    groups: dict[tuple[int, ...], list[dict[str, Any]]] = {}
    for row in rows:
        row_id = str(row[0])
        params: dict[str, Any] = {"_fc_key": row[0]}
        for i, (column, value) in enumerate(zip(spec.columns, row[1:], strict=True)):
            if value is None or len(value) == 0:
                continue
            try:
                if column.binary:
                    value = bytes(value)
                    if cipher.key_id_of(value) == active:
                        continue
                    plain = cipher.decrypt_bytes(value, table=table_name, column=column.name, row=row_id)
                    new: Any = cipher.encrypt_bytes(plain, table=table_name, column=column.name, row=row_id)
                else:
                    if cipher.key_id_of(value) == active:
                        continue
                    plain = cipher.decrypt_text(value, table=table_name, column=column.name, row=row_id)
                    new = cipher.encrypt_text(plain, table=table_name, column=column.name, row=row_id)
            except DecryptionError:
                # Not the row key in the message: it may be a register number.
                raise DecryptionError(f"cannot re-encrypt {table_name}.{column.name}: {_NOT_DECRYPTABLE}") from None
            params[f"_fc_old{i}"] = value
            params[f"_fc_new{i}"] = new
        changed = tuple(i for i in range(len(spec.columns)) if f"_fc_new{i}" in params)
        if changed:
            groups.setdefault(changed, []).append(params)
    if not groups:
        return 0, []

    rewritten = 0
    missed: list[Any] = []
    with SqlUnitOfWork(engine) as uow:
        assert uow.connection is not None
        for changed, batch in groups.items():
            result = uow.connection.execute(_compare_and_set(spec, changed), batch)
            rewritten += result.rowcount
            if result.rowcount < len(batch):
                # executemany reports only the total; the retry re-reads the whole group and
                # skips the rows already under the active key.
                missed += [params["_fc_key"] for params in batch]
        uow.commit()
    return rewritten, missed


def _compare_and_set(spec: EncryptedTable, changed: tuple[int, ...]) -> sa.Update:
    table = spec.table
    columns = [table.c[spec.columns[i].name] for i in changed]
    return (
        sa.update(table)
        .where(table.c[spec.row_key] == sa.bindparam("_fc_key"),
               *(column == sa.bindparam(f"_fc_old{i}") for i, column in zip(changed, columns, strict=True)))
        .values({column: sa.bindparam(f"_fc_new{i}", type_=column.type) for i, column in zip(changed, columns, strict=True)})
    )
