import stat

import pytest

from documents.signing import load_signer


def test_demo_key_is_generated_once_with_owner_only_permissions_and_reused(tmp_path):
    path = tmp_path / "keys" / "documents-ed25519.pem"
    first = load_signer(path, create=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = load_signer(path, create=True)
    assert second.verify(b"data", first.sign(b"data"))


def test_missing_key_is_an_error_when_not_allowed_to_create(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_signer(tmp_path / "none.pem")


def _public_pem(signer_key) -> bytes:
    from cryptography.hazmat.primitives import serialization
    return signer_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


def test_retired_public_keys_are_loaded_published_and_verify(tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from documents.signing import Ed25519Signer
    old = Ed25519PrivateKey.generate()
    retired = tmp_path / "retired"
    retired.mkdir()
    (retired / "2026-05.pem").write_bytes(_public_pem(old))
    signer = load_signer(tmp_path / "active.pem", create=True, retired_dir=retired)
    old_id = Ed25519Signer(old).key_id
    assert [k["kid"] for k in signer.jwks()["keys"]] == [signer.key_id, old_id]   # the active key first
    assert signer.public_key(old_id).verify(b"data", old.sign(b"data"))
    assert not signer.verify(b"data", old.sign(b"data"))   # never signs or verifies as the active key
    assert signer.public_key("unknown") is None


def test_a_retired_key_that_is_not_ed25519_is_refused(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec
    retired = tmp_path / "retired"
    retired.mkdir()
    (retired / "wrong.pem").write_bytes(_public_pem(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(ValueError):
        load_signer(tmp_path / "active.pem", create=True, retired_dir=retired)
