import pathlib

import pytest

from servicekit.config import ConfigError, EnvReader, common, database_url


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
