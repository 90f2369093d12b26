"""Personal data at rest: which columns of `recordings` are sealed, with which keys, and how.

A copy of the database (a backup, a dump handed to a developer, a stolen disk) must not tell
who was recorded. So the NIK, KK number, names, birth place, address, parents' names, photo
and signature are each encrypted on their own (servicekit.fieldcrypto, AES-256-GCM), bound to
table, column and the row's register number, which never changes: a value copied to another
resident does not decrypt. The NIK must still be found by exact value (the duplicate check),
so it also gets `nik_index`, an HMAC under a key of its own.

Only the repository calls this: the domain and the use cases always see clear values.
The keys are files outside the database; demo mode creates them under var/keys.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enrolment import db
from enrolment.config import Settings
from servicekit.config import DEMO
from servicekit.fieldcrypto import BlindIndex, EncryptedColumn, EncryptedTable, FieldCipher, Keyring

TABLE = db.recordings.name
TEXT_COLUMNS = ("nik", "kk_number", "full_name", "birth_place", "address", "mother_name", "father_name")
BINARY_COLUMNS = ("face_photo", "signature")

# What `keys-rotate` re-encrypts: every sealed column, bound to the register number.
ENCRYPTED_TABLES = (EncryptedTable(db.recordings, "register_number", (
    *(EncryptedColumn(name) for name in TEXT_COLUMNS),
    *(EncryptedColumn(name, binary=True) for name in BINARY_COLUMNS))),)


@dataclass(frozen=True)
class PersonalData:
    """The cipher and the NIK's blind index of one enrolment database."""

    cipher: FieldCipher
    nik_index: BlindIndex

    def seal(self, register_number: str, text: Mapping[str, str], binary: Mapping[str, bytes]) -> dict[str, Any]:
        """Column values for storing: every text and binary column sealed, plus `nik_index`.
        An empty image is stored as NULL (not captured)."""
        row: dict[str, Any] = {
            name: self.cipher.encrypt_text(text[name], table=TABLE, column=name, row=register_number)
            for name in TEXT_COLUMNS}
        for name in BINARY_COLUMNS:
            value = binary[name]
            row[name] = (self.cipher.encrypt_bytes(value, table=TABLE, column=name, row=register_number)
                         if value else None)
        row["nik_index"] = self.nik_index(text["nik"])
        return row

    def name_token_index(self, token: str) -> str:
        """The blind index of one word of a name (domain.name_tokens), under the NIK's index key
        with its own prefix, so a name word can never equal a NIK's index. Common words stay
        recognisable as common (their counts show): like the NIK index, only as safe as the key."""
        return self.nik_index("name:" + token)

    def open_text(self, register_number: str, column: str, stored: str) -> str:
        return self.cipher.decrypt_text(stored, table=TABLE, column=column, row=register_number)

    def open_bytes(self, register_number: str, column: str, stored: bytes | None) -> bytes:
        if not stored:
            return b""
        return self.cipher.decrypt_bytes(bytes(stored), table=TABLE, column=column, row=register_number)


def open_cipher(settings: Settings) -> FieldCipher:
    """The data keys: `ENROLMENT_DATA_KEYS_DIR` (required in production), created in demo mode."""
    directory = settings.data_keys_dir or settings.var_dir / "keys" / "enrolment-data"
    return FieldCipher(Keyring.load(directory, create=settings.mode == DEMO))


def open_nik_index(settings: Settings) -> BlindIndex:
    """The blind index key: `ENROLMENT_INDEX_KEY_FILE` (required in production), created in demo mode."""
    path = settings.index_key_file or settings.var_dir / "keys" / "enrolment-index.key"
    return BlindIndex.load(path, create=settings.mode == DEMO)


def open_personal_data(settings: Settings) -> PersonalData:
    return PersonalData(open_cipher(settings), open_nik_index(settings))
