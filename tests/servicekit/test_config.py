import pathlib

import pytest

from servicekit.config import ConfigError, EnvReader, SecuritySettings, common, database_url, security


def test_all_problems_are_reported_at_once():
    reader = EnvReader({"EKTP_MODE": "staging", "X_PORT": "eighty", "EKTP_GRPC_REFLECTION": "maybe"})
    common(reader)
    reader.int("X_PORT", 1)
    with pytest.raises(ConfigError) as caught:
        reader.check()
    assert len(caught.value.problems) == 3


def test_production_requires_a_database_url_and_demo_defaults_to_sqlite(tmp_path):
    reader = EnvReader({})
    assert database_url(reader, "inventory", "demo", tmp_path) == f"sqlite:///{tmp_path / 'inventory.db'}"
    reader.check()
    strict = EnvReader({})
    database_url(strict, "inventory", "production", pathlib.Path("var"))
    with pytest.raises(ConfigError, match="INVENTORY_DATABASE_URL is required"):
        strict.check()


def test_reflection_is_off_by_default_in_production():
    assert common(EnvReader({"EKTP_MODE": "production"}))["reflection"] is False
    assert common(EnvReader({}))["reflection"] is True


def test_production_has_no_default_secret_and_turns_tls_on():
    reader = EnvReader({"EKTP_MODE": "production"})
    security(reader, "inventory", "production", pathlib.Path("var"))
    with pytest.raises(ConfigError) as caught:
        reader.check()
    assert set(caught.value.problems) == {
        "INVENTORY_TOKEN_KEY_FILE is required", "EKTP_TRUSTED_KEYS_DIR is required",
        "ENROLMENT_PUBLIC_URL is required", "INVENTORY_PUBLIC_URL is required", "DOCUMENTS_PUBLIC_URL is required",
        "REPORTING_PUBLIC_URL is required",
        "EKTP_TLS_CERT_FILE is required", "EKTP_TLS_KEY_FILE is required", "EKTP_TLS_CA_FILE is required"}


def test_production_reads_every_key_from_the_named_files():
    env = {"INVENTORY_TOKEN_KEY_FILE": "/run/secrets/token.pem", "EKTP_TRUSTED_KEYS_DIR": "/run/trusted",
           "ENROLMENT_PUBLIC_URL": "https://ktp.example/enrolment/", "INVENTORY_PUBLIC_URL": "https://ktp.example/inventory/",
           "DOCUMENTS_PUBLIC_URL": "https://ktp.example/documents/", "REPORTING_PUBLIC_URL": "https://ktp.example/reporting/",
           "EKTP_TLS_CERT_FILE": "/run/tls/tls.crt",
           "EKTP_TLS_KEY_FILE": "/run/tls/tls.key", "EKTP_TLS_CA_FILE": "/run/tls/ca.crt"}
    reader = EnvReader(env)
    settings = security(reader, "inventory", "production", pathlib.Path("var"))
    reader.check()
    assert settings.token_key == pathlib.Path("/run/secrets/token.pem") and not settings.generate_keys
    assert settings.cookie_secure and settings.tls is not None and settings.tls.ca == pathlib.Path("/run/tls/ca.crt")
    assert settings.login_url == "https://ktp.example/enrolment/masuk"
    assert settings.service_urls["reporting"] == "https://ktp.example/reporting/"


def test_demo_generates_keys_under_var_and_relaxes_secure_cookies(tmp_path):
    reader = EnvReader({})
    settings = security(reader, "documents", "demo", tmp_path)
    reader.check()
    assert settings == SecuritySettings.demo(tmp_path, "documents")
    assert settings.generate_keys and not settings.cookie_secure and settings.tls is None
    assert settings.token_key == tmp_path / "keys" / "documents-token.pem"


def test_the_database_url_may_come_from_a_mounted_secret_file(tmp_path):
    secret = tmp_path / "uri"
    secret.write_text("postgresql://app:rahasia@ektp-inventory-db-rw:5432/app\n")
    reader = EnvReader({"INVENTORY_DATABASE_URL_FILE": str(secret)})
    assert database_url(reader, "inventory", "production", tmp_path) == "postgresql://app:rahasia@ektp-inventory-db-rw:5432/app"
    reader.check()
    missing = EnvReader({"INVENTORY_DATABASE_URL_FILE": str(tmp_path / "absent")})
    database_url(missing, "inventory", "production", tmp_path)
    with pytest.raises(ConfigError, match="INVENTORY_DATABASE_URL_FILE: cannot read"):
        missing.check()
    assert "rahasia" not in str(missing.problems)
