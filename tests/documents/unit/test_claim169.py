"""The Suket QR codec (MOSIP ID Claim 169): round trip, what a plain reader sees, and every
kind of bad input classified as forged, never as another exception."""
import base64
import datetime as dt
import zlib

import base45
import cbor2
import pytest
import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents import claim169, domain
from documents.domain import IssuerPolicy, Sex
from documents.errors import ForgedQrPayload
from documents.signing import Ed25519Signer
from tests.documents import factories

KEY = Ed25519Signer.generate()
ISSUED_AT = dt.datetime(2026, 11, 28, 3, 15, 42, 123456, tzinfo=dt.timezone.utc)   # 10:15 WIB
DOCUMENT_ID = "0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e"
RECORDING = factories.recording(factories.register_number(1))
ISSUER = IssuerPolicy("Kepala Dinas", {}).for_office("62.03", "Kabupaten Kapuas")
CLAIM = domain.suket_claim(DOCUMENT_ID, RECORDING, ISSUER, ISSUED_AT, dt.date(2027, 5, 28))
PAYLOAD = claim169.encode(CLAIM, KEY)
BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def layers(payload: str) -> list:
    """[protected, unprotected, payload, signature] of a QR text, read with plain libraries."""
    cwt = cbor2.loads(zlib.decompress(base45.b45decode(payload)))
    assert (cwt.tag, cwt.value.tag) == (61, 18)
    return list(cwt.value.value)


def pack(protected: bytes, unprotected: dict, payload: bytes, signature: bytes) -> str:
    cwt = cbor2.dumps(cbor2.CBORTag(61, cbor2.CBORTag(18, [protected, unprotected, payload, signature])))
    return base45.b45encode(zlib.compress(cwt)).decode()


def forged_reason(payload: str, key=KEY) -> str:
    with pytest.raises(ForgedQrPayload) as caught:
        claim169.decode(payload, key)
    assert caught.value.violations[0].field == "qr_payload"
    return caught.value.message


# ---- genuine ------------------------------------------------------------------------------

def test_a_signed_claim_decodes_to_the_same_claim():
    assert claim169.decode(PAYLOAD, KEY) == CLAIM


def test_the_claim_holds_what_the_letter_prints_and_no_nik():
    assert CLAIM.full_name == RECORDING.resident.full_name.upper()
    assert CLAIM.address == (RECORDING.resident.address.upper(), "RT/RW 003/001", "KEL/DESA TERUSAN TENGAH",
                             "KECAMATAN SELAT")
    assert CLAIM.issuer == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kapuas"
    assert CLAIM.issued_at == dt.datetime(2026, 11, 28, 3, 15, 42, tzinfo=dt.timezone.utc)
    claims = cbor2.loads(layers(PAYLOAD)[2])
    assert RECORDING.resident.nik not in repr(claims)
    assert RECORDING.resident.full_name not in repr(CLAIM)   # the repr hides personal data


def test_encoding_is_deterministic():
    assert claim169.encode(CLAIM, KEY) == PAYLOAD


def test_the_qr_text_uses_only_the_base45_alphabet_so_the_code_is_alphanumeric():
    assert set(PAYLOAD) <= set(BASE45_ALPHABET)
    assert segno.make(PAYLOAD, error="m", micro=False).mode == "alphanumeric"


def test_any_claim_169_reader_verifies_it_offline_with_the_published_jwks_key():
    """Read with nothing but cbor2, zlib, base45 and the JWKS entry: not with documents' decoder."""
    [jwk] = KEY.jwks()["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4)))

    protected, unprotected, payload, signature = layers(PAYLOAD)
    header = cbor2.loads(protected)
    assert header[1] == -8 and header[4] == jwk["kid"].encode() and unprotected == {}
    public.verify(signature, cbor2.dumps(["Signature1", protected, b"", payload]))   # raises when wrong

    claims = cbor2.loads(payload)
    assert claims[1] == CLAIM.issuer and claims[2] == factories.register_number(1)
    assert claims[6] == claims[5] == int(CLAIM.issued_at.timestamp())
    # valid through 28 May 2027 in WIB: it expires at the start of 29 May 2027, 00:00 WIB
    assert claims[4] == int(dt.datetime(2027, 5, 28, 17, 0, tzinfo=dt.timezone.utc).timestamp())
    identity = claims[169]
    assert identity[1] == DOCUMENT_ID and identity[3] == "ind" and identity[23] == "ID"
    assert identity[4] == CLAIM.full_name
    assert identity[8] == RECORDING.resident.birth_date.strftime("%Y%m%d")
    assert identity[9] == {Sex.MALE: 1, Sex.FEMALE: 2}[RECORDING.resident.sex]
    assert identity[10].split("\n") == list(CLAIM.address)


def test_the_jwk_kid_is_the_rfc_7638_thumbprint():
    # RFC 8037, appendix A.3: the thumbprint of the example Ed25519 key
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    secret = base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    signer = Ed25519Signer(Ed25519PrivateKey.from_private_bytes(secret))
    assert signer.public_jwk()["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert signer.key_id == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


# ---- bad input: forged, with why -----------------------------------------------------------

def test_a_changed_name_under_the_old_signature_is_forged():
    protected, unprotected, payload, signature = layers(PAYLOAD)
    claims = cbor2.loads(payload)
    claims[169][4] = "NAMA LAIN"
    tampered = pack(protected, unprotected, cbor2.dumps(claims), signature)
    assert "tidak cocok" in forged_reason(tampered)


def test_an_extended_validity_under_the_old_signature_is_forged():
    protected, unprotected, payload, signature = layers(PAYLOAD)
    claims = cbor2.loads(payload)
    claims[4] += 365 * 24 * 3600
    assert "tidak cocok" in forged_reason(pack(protected, unprotected, cbor2.dumps(claims), signature))


def test_a_flipped_signature_bit_is_forged():
    protected, unprotected, payload, signature = layers(PAYLOAD)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert "tidak cocok" in forged_reason(pack(protected, unprotected, payload, flipped))


def test_a_payload_signed_with_another_key_is_forged():
    assert "kunci yang tidak dikenal" in forged_reason(claim169.encode(CLAIM, Ed25519Signer.generate()))


def test_a_suket_signed_before_a_key_rotation_still_verifies_with_the_retired_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    signed_before = claim169.encode(CLAIM, Ed25519Signer(old))
    after_rotation = Ed25519Signer(new, retired=[old.public_key()])
    assert claim169.decode(signed_before, after_rotation) == CLAIM
    assert "kunci yang tidak dikenal" in forged_reason(signed_before, Ed25519Signer(new))   # not published: forged


def test_another_key_claiming_our_kid_is_forged():
    impostor = Ed25519Signer.generate()
    impostor.key_id = KEY.key_id
    assert "tidak cocok" in forged_reason(claim169.encode(CLAIM, impostor))


def test_a_header_naming_another_algorithm_is_forged():
    _, unprotected, payload, signature = layers(PAYLOAD)
    protected = cbor2.dumps({1: -7, 4: KEY.key_id.encode()})   # ES256
    assert "EdDSA" in forged_reason(pack(protected, unprotected, payload, signature))


def test_a_token_without_the_cose_sign1_tag_is_forged():
    protected, unprotected, payload, signature = layers(PAYLOAD)
    bare = base45.b45encode(zlib.compress(cbor2.dumps([protected, unprotected, payload, signature]))).decode()
    assert "COSE_Sign1" in forged_reason(bare)


def test_a_token_signed_with_our_key_that_is_not_a_suket_is_forged():
    protected = cbor2.dumps({1: -8, 4: KEY.key_id.encode()})
    payload = cbor2.dumps({1: "someone", 169: {4: "X"}})   # no document id, no validity
    signature = KEY.sign(claim169.sig_structure(protected, payload))
    assert "bukan Suket" in forged_reason(pack(protected, {}, payload, signature))


def test_a_changed_character_of_the_qr_text_is_forged():
    for position in (0, len(PAYLOAD) // 2, len(PAYLOAD) - 1):
        replacement = "A" if PAYLOAD[position] != "A" else "B"
        forged_reason(PAYLOAD[:position] + replacement + PAYLOAD[position + 1:])


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_qr_text_is_forged(keep):
    forged_reason(PAYLOAD[: int(len(PAYLOAD) * keep)])


def test_data_appended_to_the_compressed_token_is_forged():
    extended = base45.b45encode(base45.b45decode(PAYLOAD) + b"xx").decode()
    assert "tidak utuh" in forged_reason(extended)


def test_data_appended_to_the_token_inside_the_compression_is_forged():
    cwt = zlib.decompress(base45.b45decode(PAYLOAD))
    assert "data tambahan" in forged_reason(base45.b45encode(zlib.compress(cwt + b"\x00")).decode())


@pytest.mark.parametrize("garbage", ["EKTP1.eyJ2IjoxfQ.c2ln", "hello world", "HC1:NCFOXN%TS3DH", "::::", "A" * 5000,
                                     "6BF5YZB2"])
def test_garbage_is_forged(garbage):
    forged_reason(garbage)


def test_a_zlib_bomb_is_forged_without_inflating_it():
    bomb = base45.b45encode(zlib.compress(b"\0" * 2_000_000, 9)).decode()
    assert len(bomb) <= domain.MAX_QR_LENGTH
    forged_reason(bomb)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=600))
def test_any_text_is_forged_never_an_error(text):
    forged_reason(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=BASE45_ALPHABET, max_size=600))
def test_any_base45_text_is_forged_never_an_error(text):
    forged_reason(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_compressed_bytes_are_forged_never_an_error(data):
    forged_reason(base45.b45encode(zlib.compress(data)).decode())


CBOR_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=20) | st.binary(max_size=40)
    | st.floats(allow_nan=False),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.integers(-10, 200), children, max_size=5)
    | st.builds(cbor2.CBORTag, st.sampled_from([0, 1, 18, 61, 169, 2, 3, 24]), children),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(CBOR_VALUES, CBOR_VALUES, CBOR_VALUES)
def test_any_cbor_token_shape_is_forged_never_an_error(protected, unprotected, payload):
    """Structures that get through zlib and CBOR and reach every later check."""
    try:
        items = [cbor2.dumps(protected), unprotected, cbor2.dumps(payload), b"\0" * 64]
        text = pack(*items)
    except (cbor2.CBOREncodeError, TypeError, ValueError):
        return   # not encodable: cannot be a QR either
    forged_reason(text)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([1, 2, 4, 5, 6, 169, 7]), CBOR_VALUES, max_size=6))
def test_any_claims_signed_with_our_key_that_are_not_a_suket_are_forged(claims):
    """A correct signature over claims of the wrong shape: refused, never an exception."""
    protected = cbor2.dumps({1: -8, 4: KEY.key_id.encode()})
    try:
        payload = cbor2.dumps(claims)
    except (cbor2.CBOREncodeError, TypeError, ValueError):
        return
    text = pack(protected, {}, payload, KEY.sign(claim169.sig_structure(protected, payload)))
    try:
        claim169.decode(text, KEY)
    except ForgedQrPayload:
        pass


def test_the_signature_does_not_verify_with_another_public_key():
    """The independent reader agrees: a foreign key cannot verify our signature."""
    protected, _, payload, signature = layers(PAYLOAD)
    other = Ed25519Signer.generate().jwks()["keys"][0]["x"]
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(other + "=" * (-len(other) % 4)))
    with pytest.raises(InvalidSignature):
        public.verify(signature, cbor2.dumps(["Signature1", protected, b"", payload]))
