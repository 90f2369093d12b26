"""The Suket QR as MOSIP ID Claim 169: a CWT signed as COSE_Sign1 (EdDSA / Ed25519), zlib, Base45.

    Base45( zlib( 61( 18([ protected, unprotected, payload, signature ]) ) ) )

- `protected` is the CBOR map {1 (alg): -8 (EdDSA), 4 (kid): the key id as bytes}; the key id
  is the RFC 7638 thumbprint of the public key, the `kid` of its JWK in the JWKS the documents
  service publishes at /.well-known/jwks.json. `unprotected` is empty.
- `payload` is the CWT claims map: 1 iss (the Dinas), 2 sub (the register number), 4 exp (the
  end of the last valid day, WIB), 5 nbf and 6 iat (when issued), and 169, the identity data
  with the specification's integer keys: 1 ID (the document id), 2 version, 3 language (ISO
  639-3), 4 full name, 8 date of birth (YYYYMMDD), 9 gender (1 male, 2 female), 10 address
  (lines separated by "\\n"), 23 country of issuance. Nothing the letter does not print, and no NIK.
- `signature` is Ed25519 over the COSE Sig_structure ["Signature1", protected, b"", payload].

Any Claim 169 reader holding the JWKS key verifies it offline. This module is only the codec:
what the claim asserts and what a verification concludes are rules of documents.domain.
`decode` turns anything that is not a payload genuinely signed with our key (garbage,
truncated, tampered, another issuer's key) into ForgedQrPayload with a reason in Bahasa
Indonesia, never another exception.
"""
from __future__ import annotations

import datetime as dt
import io
import zlib
from collections.abc import Mapping
from typing import Protocol

import base45
import cbor2

from documents.domain import MAX_QR_LENGTH, QR_CLAIM_VERSION, Sex, SuketClaim, valid_until_of
from documents.errors import ForgedQrPayload
from servicekit.errors import FieldViolation

CWT_TAG, COSE_SIGN1_TAG = 61, 18
HEADER_ALG, HEADER_KID = 1, 4
EDDSA = -8
ISS, SUB, EXP, NBF, IAT = 1, 2, 4, 5, 6
CLAIM_169 = 169
# Claim 169 attributes (MOSIP ID Claim 169 QR code specification, section 3.1).
ID, VERSION, LANGUAGE, FULL_NAME, DATE_OF_BIRTH, GENDER, ADDRESS, COUNTRY_OF_ISSUANCE = 1, 2, 3, 4, 8, 9, 10, 23
LANGUAGE_INDONESIAN = "ind"
COUNTRY_INDONESIA = "ID"
GENDERS = {Sex.MALE: 1, Sex.FEMALE: 2}
MAX_CWT_BYTES = 16_384   # far above a Suket's few hundred bytes; bounds what a crafted zlib stream inflates to


class VerifyingKey(Protocol):
    def verify(self, data: bytes, signature: bytes) -> bool: ...


class SigningKey(Protocol):
    """The Dinas' keys: the active one signs; it and any retired one verify (by key id)."""

    @property
    def key_id(self) -> str: ...
    def sign(self, data: bytes) -> bytes: ...
    def public_key(self, key_id: str) -> VerifyingKey | None: ...


def encode(claim: SuketClaim, key: SigningKey) -> str:
    """The QR text of `claim`, signed with `key` (deterministic: Ed25519 and canonical CBOR)."""
    identity = {ID: claim.document_id, VERSION: QR_CLAIM_VERSION, LANGUAGE: LANGUAGE_INDONESIAN,
                FULL_NAME: claim.full_name, DATE_OF_BIRTH: claim.birth_date.strftime("%Y%m%d"),
                ADDRESS: "\n".join(claim.address), COUNTRY_OF_ISSUANCE: COUNTRY_INDONESIA}
    if claim.sex in GENDERS:
        identity[GENDER] = GENDERS[claim.sex]
    issued = int(claim.issued_at.timestamp())
    payload = cbor2.dumps({ISS: claim.issuer, SUB: claim.register_number, EXP: int(claim.expires_at.timestamp()),
                           NBF: issued, IAT: issued, CLAIM_169: identity}, canonical=True)
    protected = cbor2.dumps({HEADER_ALG: EDDSA, HEADER_KID: key.key_id.encode("ascii")}, canonical=True)
    signature = key.sign(sig_structure(protected, payload))
    cwt = cbor2.dumps(cbor2.CBORTag(CWT_TAG, cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature])))
    return base45.b45encode(zlib.compress(cwt, 9)).decode("ascii")


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """What COSE_Sign1 signs (RFC 9052, section 4.4), with no external data."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


def decode(text: str, key: SigningKey) -> SuketClaim:
    """The claim of a QR text signed with one of `key`'s keys (the active one or a retired one
    still published); ForgedQrPayload (with why) for anything else."""
    cwt = _inflate(_unbase45(text))
    protected, payload, signature = _cose_sign1(cwt)
    header = _cbor_map(protected, "header tanda tangan")
    if header.get(HEADER_ALG) != EDDSA:
        raise _forged("QR tidak ditandatangani dengan EdDSA (Ed25519) seperti Suket Dinas.")
    kid = header.get(HEADER_KID)
    public = key.public_key(kid.decode("ascii", "replace")) if isinstance(kid, bytes) else None
    if public is None:
        raise _forged("QR ditandatangani dengan kunci yang tidak dikenal: bukan kunci penandatangan Dinas.")
    if not public.verify(sig_structure(protected, payload), signature):
        raise _forged("Tanda tangan QR tidak cocok dengan isinya: isi QR telah diubah.")
    return _claim(_cbor_map(payload, "isi QR"))


def _forged(reason: str) -> ForgedQrPayload:
    return ForgedQrPayload(reason, violations=[FieldViolation("qr_payload", reason)])


def _unbase45(text: str) -> bytes:
    text = text.strip()
    if len(text) > MAX_QR_LENGTH:
        raise _forged("Isi QR terlalu panjang untuk sebuah Suket.")
    try:
        return base45.b45decode(text)
    except (ValueError, TypeError, UnicodeError):
        raise _forged("Isi QR bukan kode Claim 169 (Base45) yang dapat dibaca.") from None


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        cwt = inflater.decompress(data, MAX_CWT_BYTES)
    except zlib.error:
        raise _forged("Isi QR rusak: data terkompresinya tidak dapat dibuka.") from None
    if not inflater.eof or inflater.unconsumed_tail or inflater.unused_data:
        raise _forged("Isi QR terpotong atau ditambah: datanya tidak utuh.")
    return cwt


def _cbor(data: bytes, what: str) -> object:
    """One CBOR item that fills `data` exactly (no trailing bytes, no duplicate keys)."""
    stream = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(stream, allow_duplicate_keys=False, max_depth=16).decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError, MemoryError):
        raise _forged(f"Isi QR rusak: {what} tidak dapat dibaca.") from None
    if stream.tell() != len(data):
        raise _forged(f"Isi QR rusak: ada data tambahan setelah {what}.")
    return item


def _cbor_map(data: object, what: str) -> Mapping:
    item = _cbor(data, what) if isinstance(data, bytes) else None
    if not isinstance(item, Mapping):
        raise _forged(f"Isi QR rusak: {what} tidak berformat CBOR yang diharapkan.")
    return item


def _cose_sign1(cwt: bytes) -> tuple[bytes, bytes, bytes]:
    item = _cbor(cwt, "token CWT")
    for tag in (CWT_TAG, COSE_SIGN1_TAG):   # the CWT tag is optional (RFC 8392), COSE_Sign1's is not
        if isinstance(item, cbor2.CBORTag) and item.tag == tag:
            item = item.value
        elif tag == COSE_SIGN1_TAG:
            raise _forged("Isi QR bukan token bertanda tangan (COSE_Sign1).")
    if not (isinstance(item, (list, tuple)) and len(item) == 4):
        raise _forged("Isi QR bukan token bertanda tangan (COSE_Sign1).")
    protected, unprotected, payload, signature = item
    if not (isinstance(protected, bytes) and isinstance(unprotected, Mapping) and isinstance(payload, bytes)
            and isinstance(signature, bytes)):
        raise _forged("Isi QR bukan token bertanda tangan (COSE_Sign1).")
    return protected, payload, signature


def _claim(claims: Mapping) -> SuketClaim:
    """The signed claims as a SuketClaim; a signed token of another shape is not a Suket."""
    identity = claims.get(CLAIM_169)
    try:
        if not isinstance(identity, Mapping):
            raise ValueError("no claim 169")
        sex = {number: sex for sex, number in GENDERS.items()}.get(identity.get(GENDER), Sex.UNKNOWN)
        issued = dt.datetime.fromtimestamp(_int(claims[IAT]), dt.timezone.utc)
        expires = dt.datetime.fromtimestamp(_int(claims[EXP]), dt.timezone.utc)
        return SuketClaim(
            document_id=_text(identity[ID]), register_number=_text(claims[SUB]),
            full_name=_text(identity[FULL_NAME]),
            birth_date=dt.datetime.strptime(_text(identity[DATE_OF_BIRTH]), "%Y%m%d").date(),
            sex=sex, address=tuple(_text(identity.get(ADDRESS, "")).split("\n")), issuer=_text(claims[ISS]),
            issued_at=issued, valid_until=valid_until_of(expires))
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise _forged("QR bertanda tangan, tetapi isinya bukan Suket.") from None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value
