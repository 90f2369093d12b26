"""Settings from the environment, and the page's Indonesian number and date formats."""
from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from inventory.config import Settings
from inventory.web import number, rupiah, tanggal
from servicekit.config import ConfigError


def test_demo_defaults_use_the_inventory_ports_and_a_sqlite_file(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (settings.mode, settings.grpc_port, settings.http_port) == ("demo", 50052, 8002)
    assert settings.database_url == f"sqlite:///{tmp_path / 'inventory.db'}"
    assert settings.offices == ("62.03", "63.10")
    assert settings.reflection is True
    assert settings.security.token_key == tmp_path / "keys" / "inventory-token.pem"
    assert settings.security.trusted_keys == tmp_path / "keys" / "trusted"
    assert (settings.security.generate_keys, settings.security.cookie_secure, settings.security.tls) == (
        True, False, None)


def test_ports_database_and_offices_come_from_the_environment():
    settings = Settings.from_env({"INVENTORY_GRPC_PORT": "6000", "INVENTORY_HTTP_PORT": "6001",
                                  "INVENTORY_DATABASE_URL": "postgresql://db/inventory",
                                  "INVENTORY_OFFICES": "62.03, 62.03.01"})
    assert (settings.grpc_port, settings.http_port) == (6000, 6001)
    assert settings.database_url == "postgresql://db/inventory"
    assert settings.offices == ("62.03", "62.03.01")


def test_every_configuration_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "INVENTORY_GRPC_PORT": "x",
                           "INVENTORY_OFFICES": "Kapuas"})
    problems = " ".join(caught.value.problems)
    assert "INVENTORY_GRPC_PORT" in problems
    assert "INVENTORY_DATABASE_URL is required" in problems
    assert "INVENTORY_OFFICES" in problems
    assert "INVENTORY_TOKEN_KEY_FILE is required" in problems  # no default keys in production
    assert "EKTP_TLS_CERT_FILE is required" in problems


PRODUCTION = {"EKTP_MODE": "production", "INVENTORY_DATABASE_URL": "postgresql://db/x",
              "INVENTORY_TOKEN_KEY_FILE": "/run/secrets/inventory/token.pem",
              "EKTP_TRUSTED_KEYS_DIR": "/run/trusted", "ENROLMENT_PUBLIC_URL": "https://ktp.example/enrolment/", "INVENTORY_PUBLIC_URL": "https://ktp.example/inventory/", "DOCUMENTS_PUBLIC_URL": "https://ktp.example/documents/", "REPORTING_PUBLIC_URL": "https://ktp.example/reporting/",
              "EKTP_TLS_CERT_FILE": "/run/tls/tls.crt", "EKTP_TLS_KEY_FILE": "/run/tls/tls.key",
              "EKTP_TLS_CA_FILE": "/run/tls/ca.crt"}


def test_production_watches_no_office_by_default():
    settings = Settings.from_env(PRODUCTION)
    assert settings.offices == ()
    assert settings.reflection is False


def test_production_reads_keys_from_mounted_files_and_turns_on_mutual_tls():
    security = Settings.from_env(PRODUCTION).security
    assert security.token_key == pathlib.Path("/run/secrets/inventory/token.pem")
    assert (security.generate_keys, security.cookie_secure) == (False, True)
    assert security.tls is not None and security.tls.ca == pathlib.Path("/run/tls/ca.crt")


def test_settings_can_be_built_directly_for_tests():
    settings = Settings(database_url="sqlite:///x.db", grpc_port=0, http_port=0)
    assert settings.var_dir == pathlib.Path("var")


def test_rupiah_uses_dots_between_thousands():
    assert rupiah(115_200_000_000) == "Rp 115.200.000.000"
    assert number(0) == "0"


def test_dates_are_written_in_bahasa_indonesia_in_wib():
    assert tanggal(dt.datetime(2016, 11, 13, 18, 0, tzinfo=dt.timezone.utc)) == "14 November 2016"
