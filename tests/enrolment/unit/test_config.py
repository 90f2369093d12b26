import pytest

from enrolment.config import Settings
from servicekit.config import ConfigError


def test_defaults_follow_the_design_ports_and_demo_sqlite(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (settings.grpc_port, settings.http_port, settings.default_office) == (50051, 8001, "62.03")
    assert settings.database_url == f"sqlite:///{tmp_path / 'enrolment.db'}"


def test_production_requires_a_database_url_and_reports_every_problem():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "ENROLMENT_GRPC_PORT": "x",
                           "ENROLMENT_DEFAULT_OFFICE": "62"})
    assert len(caught.value.problems) == 3


def test_ports_and_office_come_from_the_environment():
    settings = Settings.from_env({"ENROLMENT_GRPC_PORT": "6000", "ENROLMENT_HTTP_PORT": "7000",
                                  "ENROLMENT_DATABASE_URL": "postgresql://x/y", "ENROLMENT_DEFAULT_OFFICE": "63.10"})
    assert (settings.grpc_port, settings.http_port, settings.database_url, settings.default_office) == (
        6000, 7000, "postgresql://x/y", "63.10")
