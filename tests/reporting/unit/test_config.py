import pathlib

import pytest

from reporting.config import Settings
from servicekit.config import ConfigError


def test_defaults_follow_the_design(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert (settings.grpc_port, settings.http_port) == (50054, 8004)
    assert settings.feed_targets == {"enrolment": "127.0.0.1:50051", "inventory": "127.0.0.1:50052",
                                     "documents": "127.0.0.1:50053"}
    assert settings.database_url == f"sqlite:///{pathlib.Path(tmp_path) / 'reporting.db'}"


def test_demo_mode_keeps_reporting_keys_under_var_and_generates_them(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    security = settings.security
    assert security.token_key == settings.var_dir / "keys" / "reporting-token.pem"
    assert security.trusted_keys == settings.var_dir / "keys" / "trusted"
    assert security.generate_keys and security.tls is None


def test_environment_overrides_targets_and_ports():
    settings = Settings.from_env({"REPORTING_GRPC_PORT": "6000", "INVENTORY_GRPC_TARGET": "inventory:50052",
                                  "REPORTING_STREAM_SECONDS": "5"})
    assert (settings.grpc_port, settings.inventory_grpc_target) == (6000, "inventory:50052")
    assert settings.stream_seconds == 5.0


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_MODE": "production", "REPORTING_HTTP_PORT": "x"})
    problems = " ".join(caught.value.problems)
    assert "REPORTING_DATABASE_URL" in problems and "REPORTING_HTTP_PORT" in problems
    assert "REPORTING_TOKEN_KEY_FILE" in problems and "EKTP_TRUSTED_KEYS_DIR" in problems
