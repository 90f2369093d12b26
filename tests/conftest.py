"""Fixtures shared by every tier.

`database_url` runs each database-bound test twice: on a fresh SQLite file and on a fresh
database in a real PostgreSQL server that the session starts itself. Missing PostgreSQL
binaries are an error, never a skip: the PostgreSQL suite always runs (`.ci/run` installs
the server package).
"""
from __future__ import annotations

import pathlib
import shutil
import time

import pytest

from tests.pg import PostgresServer

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    server.start()   # fails with what is missing (initdb, pg_ctl) when the binaries are absent
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


def require_tool(name: str) -> str:
    """A system tool the tests need (kubectl, promtool): missing is a failure, never a skip.
    `make deploy-check`, part of `make test`, needs them too; `.ci/run` installs them."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; .ci/run installs it (see its system packages)")
    return found


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the machine (never a downloaded build); missing is a failure. One
    Playwright for the whole session: its sync API cannot run twice at once in one process."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser") or require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
