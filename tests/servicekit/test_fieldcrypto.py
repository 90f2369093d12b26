"""Field encryption, blind index and key rotation: values are bound to their place, keys come
from files, a new key reaches running services, and re-encryption never overwrites a newer write."""
from __future__ import annotations

import base64
import re
import shutil
import stat
import time

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from servicekit.db import SqlUnitOfWork, create_engine
from servicekit.fieldcrypto import (
    REFRESH_INTERVAL,
    BlindIndex,
    DataKeyError,
    DecryptionError,
    EncryptedColumn,
    EncryptedTable,
    FieldCipher,
    Keyring,
    reencrypt,
)

KID = re.compile(r"k\d{14}[0-9a-f]{4}")
PLACE = {"table": "residents", "column": "full_name", "row": "0b7f6c1e-3d2a-4c1b-9f00-5a7e2d1c0001"}


@pytest.fixture(scope="module")
def module_cipher(tmp_path_factory):
    return FieldCipher(Keyring.load(tmp_path_factory.mktemp("keys") / "data", create=True))


@pytest.fixture
def keys_dir(tmp_path):
    return tmp_path / "keys"


@pytest.fixture
def cipher(keys_dir):
    return FieldCipher(Keyring.load(keys_dir, create=True))


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- round trips and binding ---------------------------------------------------------------

@given(value=st.text())
def test_text_round_trips(module_cipher, value):
    stored = module_cipher.encrypt_text(value, **PLACE)
    assert module_cipher.decrypt_text(stored, **PLACE) == value


@given(value=st.binary(max_size=4096))
def test_bytes_round_trip(module_cipher, value):
    stored = module_cipher.encrypt_bytes(value, **PLACE)
    assert module_cipher.decrypt_bytes(stored, **PLACE) == value


def test_empty_values_stay_empty_and_name_no_key(cipher):
    assert cipher.encrypt_text("", **PLACE) == ""
    assert cipher.encrypt_bytes(b"", **PLACE) == b""
    assert cipher.decrypt_text("", **PLACE) == ""
    assert cipher.decrypt_bytes(b"", **PLACE) == b""
    assert cipher.key_id_of("") is None
    assert cipher.key_id_of(b"") is None


def test_the_same_value_encrypts_differently_each_time(cipher):
    assert cipher.encrypt_text("Siti Aminah", **PLACE) != cipher.encrypt_text("Siti Aminah", **PLACE)


@pytest.mark.parametrize("moved", [{"row": "0b7f6c1e-3d2a-4c1b-9f00-5a7e2d1c0002"},
                                   {"column": "mother_name"},
                                   {"table": "applicants"}], ids=["row", "column", "table"])
def test_a_value_moved_elsewhere_does_not_decrypt(cipher, moved):
    elsewhere = {**PLACE, **moved}
    text = cipher.encrypt_text("Siti Aminah", **PLACE)
    photo = cipher.encrypt_bytes(b"\x89PNG photo", **PLACE)
    with pytest.raises(DecryptionError) as raised:
        cipher.decrypt_text(text, **elsewhere)
    assert "Siti" not in str(raised.value)
    with pytest.raises(DecryptionError):
        cipher.decrypt_bytes(photo, **elsewhere)


def test_a_flipped_byte_is_refused(cipher):
    stored = cipher.encrypt_bytes(b"signature strokes", **PLACE)
    kid_end = 3 + stored[2]
    for position in range(len(stored)):
        tampered = bytearray(stored)
        tampered[position] ^= 0x01
        # A changed kid (or kid length) may name a key that does not exist: that is a key error, not a decryption.
        expected = (DecryptionError, DataKeyError) if 2 <= position < kid_end else DecryptionError
        with pytest.raises(expected):
            cipher.decrypt_bytes(bytes(tampered), **PLACE)


def test_a_changed_text_ciphertext_is_refused(cipher):
    stored = cipher.encrypt_text("Jl. Merdeka No. 17, Bandung", **PLACE)
    version, kid, payload = stored.split(":", 2)
    sealed = bytearray(base64.urlsafe_b64decode(payload))
    for position in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x80
        forged = f"{version}:{kid}:{base64.urlsafe_b64encode(bytes(tampered)).decode()}"
        with pytest.raises(DecryptionError):
            cipher.decrypt_text(forged, **PLACE)
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(stored[:-4], **PLACE)  # truncated


@pytest.mark.parametrize("stored", ["v2:k20260101000000abcd:AAAA", "Siti Aminah", "v1:bad kid:AAAA", "v1:k1:"])
def test_an_unknown_text_format_is_refused(cipher, stored):
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(stored, **PLACE)


def test_an_unknown_binary_version_is_refused(cipher):
    stored = cipher.encrypt_bytes(b"photo", **PLACE)
    with pytest.raises(DecryptionError):
        cipher.decrypt_bytes(b"v2" + stored[2:], **PLACE)


def test_a_ciphertext_names_its_kid(cipher):
    kid = cipher.keyring.active_kid
    assert KID.fullmatch(kid)
    text = cipher.encrypt_text("Bandung", **PLACE)
    blob = cipher.encrypt_bytes(b"photo", **PLACE)
    assert text.startswith(f"v1:{kid}:")
    assert blob[:3] == b"v1" + bytes([len(kid)]) and blob[3:3 + len(kid)] == kid.encode()
    assert cipher.key_id_of(text) == kid
    assert cipher.key_id_of(blob) == kid


# --- keyring -------------------------------------------------------------------------------

def test_demo_mode_creates_a_private_directory_with_one_active_key(keys_dir):
    keyring = Keyring.load(keys_dir, create=True)
    assert _mode(keys_dir) == 0o700
    assert keyring.kids == [keyring.active_kid]
    key_file = keys_dir / f"{keyring.active_kid}.key"
    assert _mode(key_file) == 0o600
    assert len(base64.urlsafe_b64decode(key_file.read_text().strip())) == 32
    assert (keys_dir / "active").read_text().strip() == keyring.active_kid
    again = Keyring.load(keys_dir, create=True)
    assert again.kids == keyring.kids
    assert again.key(keyring.active_kid) == keyring.key(keyring.active_kid)


def test_added_key_files_are_private_and_readable_by_a_fresh_load(keys_dir):
    keyring = Keyring.load(keys_dir, create=True)
    kid = keyring.add_key()
    assert KID.fullmatch(kid)
    assert _mode(keys_dir / f"{kid}.key") == 0o600
    assert keyring.active_kid != kid  # added, not yet active
    assert Keyring.load(keys_dir).key(kid) == keyring.key(kid)
    assert not [p for p in keys_dir.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("exists", [True, False], ids=["empty", "missing"])
def test_loading_without_keys_fails_naming_the_directory(tmp_path, exists):
    directory = tmp_path / "no-keys"
    if exists:
        directory.mkdir()
    with pytest.raises(DataKeyError, match=re.escape(str(directory))):
        Keyring.load(directory)


def test_a_malformed_key_file_is_named_without_showing_its_content(keys_dir):
    keyring = Keyring.load(keys_dir, create=True)
    short_key = base64.urlsafe_b64encode(b"sixteen byte key").decode()
    bad = keys_dir / "k20260101000000beef.key"
    bad.write_text(short_key + "\n")
    with pytest.raises(DataKeyError) as raised:
        Keyring.load(keys_dir)
    assert str(bad) in str(raised.value)
    assert short_key not in str(raised.value)
    bad.write_text("not base64 at all!\n")
    with pytest.raises(DataKeyError, match="urlsafe base64"):
        Keyring.load(keys_dir)
    bad.unlink()
    (keys_dir / "active").write_text("k19990101000000dead\n")
    with pytest.raises(DataKeyError, match="active"):
        Keyring.load(keys_dir)
    assert keyring.active_kid  # the instance already loaded is unaffected


def test_an_unknown_kid_is_a_key_error_naming_the_directory(cipher, keys_dir):
    with pytest.raises(DataKeyError, match=re.escape(str(keys_dir))):
        cipher.keyring.key("k19990101000000dead")
    with pytest.raises(DataKeyError):
        cipher.keyring.activate("k19990101000000dead")


def test_a_key_rotated_by_another_process_is_used_after_refresh_and_old_values_still_decrypt(keys_dir):
    service = FieldCipher(Keyring.load(keys_dir, create=True))
    old_kid = service.keyring.active_kid
    old_value = service.encrypt_text("Siti Aminah", **PLACE)

    operator = Keyring.load(keys_dir)  # e.g. `ektp keys rotate`, another process
    new_kid = operator.add_key()
    operator.activate(new_kid)
    time.sleep(REFRESH_INTERVAL + 0.1)

    new_value = service.encrypt_text("Siti Aminah", **PLACE)
    assert service.key_id_of(new_value) == new_kid != old_kid
    assert service.keyring.active_kid == new_kid
    assert service.decrypt_text(old_value, **PLACE) == "Siti Aminah"
    assert service.decrypt_text(new_value, **PLACE) == "Siti Aminah"
    assert set(service.keyring.kids) == {old_kid, new_kid}


def test_a_value_under_a_key_this_process_has_not_seen_yet_decrypts(keys_dir):
    service = FieldCipher(Keyring.load(keys_dir, create=True))
    operator = Keyring.load(keys_dir)
    newest = operator.add_key()
    operator.activate(newest)
    # An up-to-date replica writes under the newest key before this service's next refresh:
    # the unknown kid makes the service re-read the directory once.
    up_to_date_replica = FieldCipher(Keyring.load(keys_dir))
    stored = up_to_date_replica.encrypt_text("Budi", **PLACE)
    assert service.key_id_of(stored) == newest
    assert service.decrypt_text(stored, **PLACE) == "Budi"


# --- blind index ---------------------------------------------------------------------------

def test_blind_index_is_deterministic_keyed_and_hides_the_nik(tmp_path):
    index = BlindIndex.load(tmp_path / "secrets" / "nik-index.key", create=True)
    nik = "3201010101900001"
    digest = index(nik)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert index(nik) == digest
    assert index("3201 0101 0190 0001 ") == digest
    assert index("3201010101900002") != digest
    assert nik not in digest
    assert BlindIndex.load(tmp_path / "secrets" / "nik-index.key")(nik) == digest
    assert BlindIndex.load(tmp_path / "secrets" / "nik-index.key", create=True)(nik) == digest
    other = BlindIndex.load(tmp_path / "other.key", create=True)
    assert other(nik) != digest


def test_blind_index_key_file_is_private_and_required(tmp_path):
    path = tmp_path / "nik-index.key"
    with pytest.raises(DataKeyError, match=re.escape(str(path))):
        BlindIndex.load(path)
    BlindIndex.load(path, create=True)
    assert _mode(path) == 0o600
    assert len(base64.urlsafe_b64decode(path.read_text().strip())) == 32


# --- re-encryption -------------------------------------------------------------------------

ROWS = 1200


def _residents_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "residents", metadata,
        sa.Column("register_no", sa.String(20), primary_key=True),
        sa.Column("full_name", sa.Text, nullable=False),
        sa.Column("birth_place", sa.Text, nullable=True),
        sa.Column("photo", sa.LargeBinary, nullable=True),
        sa.Column("region", sa.String(10), nullable=False),
    )


@pytest.fixture
def residents(database_url):
    engine = create_engine(database_url)
    metadata = sa.MetaData()
    table = _residents_table(metadata)
    metadata.create_all(engine)
    spec = EncryptedTable(table=table, row_key="register_no",
                          columns=(EncryptedColumn("full_name"), EncryptedColumn("birth_place"),
                                   EncryptedColumn("photo", binary=True)))
    yield engine, table, spec
    engine.dispose()


def _name(n: int) -> str:
    return f"Warga {n}"


def _fill(engine, table, cipher: FieldCipher) -> None:
    rows = []
    for n in range(ROWS):
        key = f"R{n:06d}"
        where = {"table": "residents", "row": key}
        rows.append({
            "register_no": key,
            "full_name": cipher.encrypt_text(_name(n), column="full_name", **where),
            # some NULL and empty values, which stay as they are
            "birth_place": None if n % 7 == 0 else cipher.encrypt_text("" if n % 11 == 0 else "Garut",
                                                                        column="birth_place", **where),
            "photo": None if n % 5 == 0 else cipher.encrypt_bytes(bytes([n % 256]) * 64, column="photo", **where),
            "region": "32.05",
        })
    with SqlUnitOfWork(engine) as uow:
        uow.connection.execute(table.insert(), rows)
        uow.commit()


def _stored(engine, table, key: str):
    with engine.connect() as conn:
        return conn.execute(sa.select(table).where(table.c.register_no == key)).one()


def _all(engine, table):
    with engine.connect() as conn:
        return conn.execute(sa.select(table).order_by(table.c.register_no)).all()


def _rotate(cipher: FieldCipher) -> str:
    kid = cipher.keyring.add_key()
    cipher.keyring.activate(kid)
    return kid


def test_reencrypt_moves_every_value_to_the_new_key_and_a_second_run_rewrites_nothing(residents, cipher):
    engine, table, spec = residents
    _fill(engine, table, cipher)
    old_kid = cipher.keyring.active_kid
    new_kid = _rotate(cipher)
    reported: list[tuple[str, int]] = []

    assert reencrypt(engine, cipher, [spec], batch_size=100, progress=lambda t, n: reported.append((t, n))) \
        == {"residents": ROWS}
    assert reencrypt(engine, cipher, [spec], batch_size=100) == {"residents": 0}

    assert len(reported) >= ROWS // 100
    assert [n for _, n in reported] == sorted(n for _, n in reported)
    assert reported[-1] == ("residents", ROWS)
    for n, row in enumerate(_all(engine, table)):
        where = {"table": "residents", "row": row.register_no}
        assert cipher.key_id_of(row.full_name) == new_kid
        assert cipher.decrypt_text(row.full_name, column="full_name", **where) == _name(n)
        if row.birth_place:
            assert cipher.key_id_of(row.birth_place) == new_kid
            assert cipher.decrypt_text(row.birth_place, column="birth_place", **where) == "Garut"
        else:
            assert row.birth_place == (None if n % 7 == 0 else "")
        if n % 5 == 0:
            assert row.photo is None
        else:
            assert cipher.key_id_of(row.photo) == new_kid
            assert cipher.decrypt_bytes(row.photo, column="photo", **where) == bytes([n % 256]) * 64
        assert row.region == "32.05"
    assert old_kid in cipher.keyring.kids  # old key kept: backups still decrypt


class _WritesConcurrently(FieldCipher):
    """Re-encrypts like FieldCipher, but the first time it re-encrypts the name of a chosen row it
    first lets a 'service' write that row, between re-encryption's read and its compare-and-set."""

    def __init__(self, keyring, engine, table, writes):
        super().__init__(keyring)
        self._engine, self._table, self.pending = engine, table, dict(writes)

    def encrypt_text(self, value, *, table, column, row):
        write = self.pending.pop(row, None) if column == "full_name" else None
        if write is not None:
            with SqlUnitOfWork(self._engine) as uow:
                uow.connection.execute(sa.update(self._table).where(self._table.c.register_no == row)
                                       .values(full_name=write))
                uow.commit()
        return super().encrypt_text(value, table=table, column=column, row=row)


def test_reencrypt_never_overwrites_a_row_written_while_it_runs(residents, cipher, keys_dir, tmp_path):
    engine, table, spec = residents
    _fill(engine, table, cipher)
    # A replica that has not yet seen the new key: same old key, its own directory.
    stale_dir = tmp_path / "stale-replica-keys"
    shutil.copytree(keys_dir, stale_dir)
    stale_replica = FieldCipher(Keyring.load(stale_dir))
    new_kid = _rotate(cipher)
    current_replica = FieldCipher(Keyring.load(keys_dir))

    def name_by(replica, key, text):
        return replica.encrypt_text(text, table="residents", column="full_name", row=key)

    writes = {
        "R000150": name_by(stale_replica, "R000150", "Dewi Lestari"),    # under the OLD key
        # no birth place nor photo (735 % 35 == 0): full_name is all there is to re-encrypt
        "R000735": name_by(current_replica, "R000735", "Agus Salim"),    # under the NEW key
    }
    racing = _WritesConcurrently(cipher.keyring, engine, table, writes)

    counts = reencrypt(engine, racing, [spec], batch_size=100)

    assert racing.pending == {}, "both concurrent writes happened"
    # R000735 was written under the new key by the service, so re-encryption did not rewrite it.
    assert counts == {"residents": ROWS - 1}
    for key, expected in (("R000150", "Dewi Lestari"), ("R000735", "Agus Salim")):
        row = _stored(engine, table, key)
        assert cipher.key_id_of(row.full_name) == new_kid
        assert cipher.decrypt_text(row.full_name, table="residents", column="full_name", row=key) == expected
    assert reencrypt(engine, cipher, [spec], batch_size=100) == {"residents": 0}


def test_a_row_changed_between_batches_keeps_the_new_value(residents, cipher, keys_dir, tmp_path):
    engine, table, spec = residents
    _fill(engine, table, cipher)
    stale_dir = tmp_path / "stale-replica-keys"
    shutil.copytree(keys_dir, stale_dir)
    stale_replica = FieldCipher(Keyring.load(stale_dir))
    _rotate(cipher)
    later = "R001050"  # in a batch not yet read when the first batch reports progress

    def service_writes(_table: str, _done: int) -> None:
        if _done == 100:
            value = stale_replica.encrypt_text("Rina Wati", table="residents", column="full_name", row=later)
            with SqlUnitOfWork(engine) as uow:
                uow.connection.execute(sa.update(table).where(table.c.register_no == later).values(full_name=value))
                uow.commit()

    reencrypt(engine, cipher, [spec], batch_size=100, progress=service_writes)

    row = _stored(engine, table, later)
    assert cipher.key_id_of(row.full_name) == cipher.keyring.active_kid
    assert cipher.decrypt_text(row.full_name, table="residents", column="full_name", row=later) == "Rina Wati"


def test_reencrypt_refuses_a_value_that_does_not_belong_to_its_row(residents, cipher):
    engine, table, spec = residents
    _fill(engine, table, cipher)
    moved = _stored(engine, table, "R000001").full_name
    with SqlUnitOfWork(engine) as uow:
        uow.connection.execute(sa.update(table).where(table.c.register_no == "R000002").values(full_name=moved))
        uow.commit()
    _rotate(cipher)
    with pytest.raises(DecryptionError, match="residents.full_name") as raised:
        reencrypt(engine, cipher, [spec], batch_size=100)
    assert "R00000" not in str(raised.value)
