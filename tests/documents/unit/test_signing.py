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
