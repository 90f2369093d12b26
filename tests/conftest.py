"""Fixtures shared by every tier.

`database_url` runs each database-bound test twice: on a fresh SQLite file and on a fresh
database in a real PostgreSQL server that the session starts itself. Where the PostgreSQL
binaries are missing the PostgreSQL half is skipped, except in CI (CI=true), where that
is an error: the PostgreSQL suite must run there.
"""
from __future__ import annotations

import os
import pathlib
import time

import pytest

from tests.pg import PostgresServer

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = PostgresServer()
        server.start()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not available here: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_server").create_database()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"):
    """Poll until `predicate()` is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)
