import pathlib

import pytest

from documents.config import Settings
from servicekit.config import ConfigError


def test_demo_defaults_follow_the_design(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (settings.grpc_port, settings.http_port) == (50053, 8003)
    assert (settings.enrolment_target, settings.inventory_target) == ("127.0.0.1:50051", "127.0.0.1:50052")
    assert settings.signing_key_path == tmp_path / "keys" / "documents-ed25519.pem"
    assert settings.generate_signing_key
    assert dict(settings.issue_places) == {"62.03": "Kuala Kapuas", "63.10": "Batulicin"}
    assert settings.signatory == "Kepala Dinas"
    assert settings.database_url == f"sqlite:///{tmp_path / 'documents.db'}"


def test_production_requires_database_and_signing_key_and_reports_all_at_once():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "DOCUMENTS_GRPC_PORT": "x"})
    problems = " ".join(caught.value.problems)
    for name in ("DOCUMENTS_DATABASE_URL", "DOCUMENTS_SIGNING_KEY_FILE", "DOCUMENTS_GRPC_PORT"):
        assert name in problems


def test_production_refuses_a_signing_key_file_that_does_not_exist(tmp_path):
    with pytest.raises(ConfigError, match="DOCUMENTS_SIGNING_KEY_FILE"):
        Settings.from_env({"EKTP_MODE": "production", "DOCUMENTS_DATABASE_URL": "postgresql://db/documents",
                           "DOCUMENTS_SIGNING_KEY_FILE": str(tmp_path / "missing.pem")})


def test_production_reads_the_mounted_key_and_never_generates_one(tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("x")
    settings = Settings.from_env({"EKTP_MODE": "production", "DOCUMENTS_DATABASE_URL": "postgresql://db/d",
                                  "DOCUMENTS_SIGNING_KEY_FILE": str(key), "ENROLMENT_GRPC_TARGET": "enrolment:50051",
                                  "DOCUMENTS_SIGNER": "Plt. Kepala Dinas"})
    assert settings.signing_key_path == pathlib.Path(key) and not settings.generate_signing_key
    assert settings.enrolment_target == "enrolment:50051" and settings.signatory == "Plt. Kepala Dinas"
    assert not settings.reflection


def test_missing_production_key_is_reported_once():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "DOCUMENTS_DATABASE_URL": "postgresql://db/d"})
    assert caught.value.problems == ["DOCUMENTS_SIGNING_KEY_FILE is required"]


def test_demo_may_use_an_explicit_key_file(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "DOCUMENTS_SIGNING_KEY_FILE": "/run/k.pem"})
    assert settings.signing_key_path == pathlib.Path("/run/k.pem")


def test_issue_places_must_be_office_equals_place():
    with pytest.raises(ConfigError, match="DOCUMENTS_ISSUE_PLACES"):
        Settings.from_env({"DOCUMENTS_ISSUE_PLACES": "62.03=Kuala Kapuas,63.10"})
