"""The document store: encrypted files with the plain PDF's sha256 checked on every read."""
import hashlib
import os
import stat

import pytest

from documents.errors import StoredDocumentCorrupt
from documents.store import EncryptedDocumentStore, FileStore
from servicekit.fieldcrypto import FieldCipher, Keyring

PDF = b"%PDF-1.4 synthetic card of 6203-20261128-000001"
KEY = "documents/0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e.pdf"


@pytest.fixture
def cipher(tmp_path) -> FieldCipher:
    return FieldCipher(Keyring.load(tmp_path / "keys", create=True))


@pytest.fixture
def files(tmp_path) -> FileStore:
    return FileStore(tmp_path / "var" / "documents")


@pytest.fixture
def store(files, cipher) -> EncryptedDocumentStore:
    return EncryptedDocumentStore(files, cipher)


def test_put_returns_the_sha256_of_the_pdf_and_get_gives_it_back(store):
    digest = store.put(KEY, PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert store.get(KEY, digest) == PDF


def test_any_kind_of_pdf_has_its_own_key(store):
    letter = b"%PDF surat pemberitahuan"
    digest = store.put("letters/set-1/62.03.01.pdf", letter)
    store.put(KEY, PDF)
    assert store.get("letters/set-1/62.03.01.pdf", digest) == letter


def test_files_are_encrypted_private_and_filed_under_the_key_prefix(store, files, cipher, tmp_path):
    store.put(KEY, PDF)
    path = files.path(KEY)
    assert path == tmp_path / "var" / "documents" / "documents" / "0b" / "0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e.pdf"
    sealed = path.read_bytes()
    assert PDF not in sealed and b"6203-20261128" not in sealed
    assert cipher.key_id_of(sealed) == cipher.keyring.active_kid
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list(files.keys()) == [KEY]


def test_a_file_that_no_longer_matches_its_sha256_is_reported_corrupt(store, cipher, files):
    old_digest = store.put(KEY, PDF)
    store.put(KEY, PDF + b" another rendering")    # a valid file, but not the recorded PDF
    with pytest.raises(StoredDocumentCorrupt, match="sha256"):
        store.get(KEY, old_digest)


def test_a_tampered_file_is_reported_corrupt(store, files):
    digest = store.put(KEY, PDF)
    sealed = bytearray(files.path(KEY).read_bytes())
    sealed[-1] ^= 0x01
    files.path(KEY).write_bytes(bytes(sealed))
    with pytest.raises(StoredDocumentCorrupt, match="tidak dapat dibuka"):
        store.get(KEY, digest)


def test_a_file_moved_to_another_key_does_not_open(store, files):
    other = "documents/99999999-4a0e-4b8e-9b0e-1f2a3b4c5d6e.pdf"
    digest = store.put(KEY, PDF)
    store.put(other, b"%PDF someone else")
    files.path(other).write_bytes(files.path(KEY).read_bytes())
    with pytest.raises(StoredDocumentCorrupt):
        store.get(other, digest)


def test_a_missing_file_is_reported_corrupt(store, files):
    digest = store.put(KEY, PDF)
    files.path(KEY).unlink()
    with pytest.raises(StoredDocumentCorrupt, match="hilang"):
        store.get(KEY, digest)


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_partial_one(store, files, monkeypatch):
    digest = store.put(KEY, PDF)

    def crash(fd):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        store.put(KEY, PDF + b" rewritten")
    monkeypatch.undo()
    assert store.get(KEY, digest) == PDF
    assert [p.name for p in files.path(KEY).parent.iterdir()] == [files.path(KEY).name]


@pytest.mark.parametrize("key", ["../escape.pdf", "/etc/passwd", "documents/../x.pdf", ".hidden", "", "a//b"])
def test_keys_that_are_not_plain_relative_names_are_refused(files, key):
    with pytest.raises(ValueError):
        files.path(key)


def test_reseal_rewrites_only_the_files_under_an_old_key(store, files, cipher):
    digest = store.put(KEY, PDF)
    old_kid = cipher.keyring.active_kid
    cipher.keyring.activate(cipher.keyring.add_key())
    store.put("letters/l1.pdf", b"%PDF letter")             # already under the new key
    assert store.reseal() == 1
    assert cipher.key_id_of(files.path(KEY).read_bytes()) == cipher.keyring.active_kid != old_kid
    assert store.get(KEY, digest) == PDF
    assert store.reseal() == 0
