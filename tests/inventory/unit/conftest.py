"""The inventory service on a fresh SQLite file (tables from the metadata, for speed)."""
from __future__ import annotations

import pytest

from inventory import bootstrap, db
from inventory.config import Settings


@pytest.fixture
def core(sqlite_url, tmp_path):
    core = bootstrap.build_core(Settings(database_url=sqlite_url, var_dir=tmp_path, offices=("62.03",)),
                                migrate=False)
    db.metadata.create_all(core.engine)
    yield core
    core.close()


@pytest.fixture
def service(core):
    return core.service
