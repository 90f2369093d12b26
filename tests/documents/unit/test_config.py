import pathlib

import pytest

from documents.config import Settings
from servicekit.config import ConfigError


@pytest.fixture
def production(tmp_path):
    """Everything production needs but the documents-specific files, as mounted secrets would be."""
    (tmp_path / "data-keys").mkdir()
    return {"EKTP_MODE": "production", "DOCUMENTS_DATABASE_URL": "postgresql://db/d",
            "DOCUMENTS_TOKEN_KEY_FILE": "/run/secrets/documents-token.pem",
            "EKTP_TRUSTED_KEYS_DIR": "/run/trusted", "ENROLMENT_PUBLIC_URL": "https://ktp.example/enrolment/", "INVENTORY_PUBLIC_URL": "https://ktp.example/inventory/", "DOCUMENTS_PUBLIC_URL": "https://ktp.example/documents/", "REPORTING_PUBLIC_URL": "https://ktp.example/reporting/",
            "EKTP_TLS_CERT_FILE": "/run/tls/tls.crt", "EKTP_TLS_KEY_FILE": "/run/tls/tls.key",
            "EKTP_TLS_CA_FILE": "/run/tls/ca.crt", "DOCUMENTS_DATA_KEYS_DIR": str(tmp_path / "data-keys"),
            "DOCUMENTS_STORE_URL": "/var/lib/ektp-documents"}


def test_demo_defaults_follow_the_design(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (settings.grpc_port, settings.http_port) == (50053, 8003)
    assert (settings.enrolment_target, settings.inventory_target) == ("127.0.0.1:50051", "127.0.0.1:50052")
    assert settings.signing_key_path == tmp_path / "keys" / "documents-ed25519.pem"
    assert settings.generate_signing_key
    assert dict(settings.issue_places) == {"62.03": "Kuala Kapuas", "63.10": "Batulicin"}
    assert settings.signatory == "Kepala Dinas"
    assert settings.database_url == f"sqlite:///{tmp_path / 'documents.db'}"


def test_demo_keeps_identity_and_data_keys_under_var_keys_and_creates_them(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert settings.security.token_key == tmp_path / "keys" / "documents-token.pem"
    assert settings.security.generate_keys and settings.security.tls is None
    assert settings.data_keys_path == tmp_path / "keys" / "documents-data"
    assert settings.generate_data_keys


def test_production_requires_database_keys_and_signing_key_and_reports_all_at_once():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "DOCUMENTS_GRPC_PORT": "x"})
    problems = " ".join(caught.value.problems)
    for name in ("DOCUMENTS_DATABASE_URL", "DOCUMENTS_SIGNING_KEY_FILE", "DOCUMENTS_GRPC_PORT",
                 "DOCUMENTS_DATA_KEYS_DIR", "DOCUMENTS_STORE_URL", "DOCUMENTS_TOKEN_KEY_FILE", "EKTP_TRUSTED_KEYS_DIR"):
        assert name in problems


def test_production_refuses_a_signing_key_file_that_does_not_exist(production, tmp_path):
    with pytest.raises(ConfigError, match="DOCUMENTS_SIGNING_KEY_FILE"):
        Settings.from_env({**production, "DOCUMENTS_SIGNING_KEY_FILE": str(tmp_path / "missing.pem")})


def test_production_refuses_a_data_keys_directory_that_does_not_exist(production, tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("x")
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**production, "DOCUMENTS_SIGNING_KEY_FILE": str(key),
                           "DOCUMENTS_DATA_KEYS_DIR": str(tmp_path / "missing")})
    assert caught.value.problems == ["DOCUMENTS_DATA_KEYS_DIR does not name a directory"]


def test_production_reads_the_mounted_keys_and_never_generates_one(production, tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("x")
    settings = Settings.from_env({**production, "DOCUMENTS_SIGNING_KEY_FILE": str(key),
                                  "ENROLMENT_GRPC_TARGET": "enrolment:50051", "DOCUMENTS_SIGNER": "Plt. Kepala Dinas"})
    assert settings.signing_key_path == pathlib.Path(key) and not settings.generate_signing_key
    assert settings.data_keys_path == tmp_path / "data-keys" and not settings.generate_data_keys
    assert not settings.security.generate_keys and settings.security.tls is not None
    assert settings.enrolment_target == "enrolment:50051" and settings.signatory == "Plt. Kepala Dinas"
    assert not settings.reflection


def test_production_keeps_the_store_where_it_is_told_never_in_the_pod(production, tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("x")
    settings = Settings.from_env({**production, "DOCUMENTS_SIGNING_KEY_FILE": str(key)})
    assert settings.store_path == pathlib.Path("/var/lib/ektp-documents")
    without = {k: v for k, v in production.items() if k != "DOCUMENTS_STORE_URL"}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**without, "DOCUMENTS_SIGNING_KEY_FILE": str(key)})
    assert [p.split(" ")[0] for p in caught.value.problems] == ["DOCUMENTS_STORE_URL"]


def test_missing_production_key_is_reported_once(production):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(production)
    assert caught.value.problems == ["DOCUMENTS_SIGNING_KEY_FILE is required"]


def test_demo_may_use_an_explicit_key_file(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "DOCUMENTS_SIGNING_KEY_FILE": "/run/k.pem"})
    assert settings.signing_key_path == pathlib.Path("/run/k.pem")


def test_issue_places_must_be_office_equals_place():
    with pytest.raises(ConfigError, match="DOCUMENTS_ISSUE_PLACES"):
        Settings.from_env({"DOCUMENTS_ISSUE_PLACES": "62.03=Kuala Kapuas,63.10"})


def test_the_document_store_defaults_to_var_documents_in_the_demo(tmp_path):
    assert Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)}).store_path == tmp_path / "documents"


@pytest.mark.parametrize("url", ["{dir}", "file://{dir}"])
def test_the_document_store_is_a_directory_or_a_file_url(tmp_path, url):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "DOCUMENTS_STORE_URL": url.format(dir=tmp_path / "s")})
    assert settings.store_path == tmp_path / "s"


def test_the_document_store_has_no_s3_backend():
    with pytest.raises(ConfigError, match="scheme 's3' is not supported"):
        Settings.from_env({"DOCUMENTS_STORE_URL": "s3://ektp-documents/pdf"})


def test_the_suket_expiry_job_and_the_retired_signing_keys_are_configurable(tmp_path):
    demo = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert demo.expiry_interval_seconds == 3600
    assert demo.retired_keys_path == tmp_path / "keys" / "documents-ed25519-retired"
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "DOCUMENTS_EXPIRY_INTERVAL_SECONDS": "600",
                                  "DOCUMENTS_SIGNING_RETIRED_KEYS_DIR": "/run/retired"})
    assert (settings.expiry_interval_seconds, settings.retired_keys_path) == (600, pathlib.Path("/run/retired"))
    with pytest.raises(ConfigError, match="DOCUMENTS_EXPIRY_INTERVAL_SECONDS"):
        Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "DOCUMENTS_EXPIRY_INTERVAL_SECONDS": "0"})
