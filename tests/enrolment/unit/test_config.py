import pytest

from enrolment.config import Settings
from servicekit.config import ConfigError


def test_defaults_follow_the_design_ports_and_demo_sqlite(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (settings.grpc_port, settings.http_port, settings.default_office) == (50051, 8001, "62.03")
    assert settings.database_url == f"sqlite:///{tmp_path / 'enrolment.db'}"


def test_production_requires_a_database_url_and_the_keys_and_reports_every_problem():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "ENROLMENT_GRPC_PORT": "x",
                           "ENROLMENT_DEFAULT_OFFICE": "62"})
    problems = "\n".join(caught.value.problems)
    for expected in ("ENROLMENT_DATABASE_URL is required", "ENROLMENT_GRPC_PORT must be a whole number",
                     "ENROLMENT_DEFAULT_OFFICE must be a regency code", "ENROLMENT_TOKEN_KEY_FILE is required",
                     "ENROLMENT_DATA_KEYS_DIR is required", "ENROLMENT_INDEX_KEY_FILE is required"):
        assert expected in problems


def test_personal_data_keys_live_under_the_var_dir_in_demo_mode_and_come_from_the_environment(tmp_path):
    demo = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (demo.data_keys_dir, demo.index_key_file) == (
        tmp_path / "keys" / "enrolment-data", tmp_path / "keys" / "enrolment-index.key")
    mounted = Settings.from_env({"ENROLMENT_DATA_KEYS_DIR": "/secrets/data", "ENROLMENT_INDEX_KEY_FILE": "/secrets/index"})
    assert (str(mounted.data_keys_dir), str(mounted.index_key_file)) == ("/secrets/data", "/secrets/index")


def test_ports_and_office_come_from_the_environment():
    settings = Settings.from_env({"ENROLMENT_GRPC_PORT": "6000", "ENROLMENT_HTTP_PORT": "7000",
                                  "ENROLMENT_DATABASE_URL": "postgresql://x/y", "ENROLMENT_DEFAULT_OFFICE": "63.10"})
    assert (settings.grpc_port, settings.http_port, settings.database_url, settings.default_office) == (
        6000, 7000, "postgresql://x/y", "63.10")
