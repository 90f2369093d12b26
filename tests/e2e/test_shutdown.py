"""SIGTERM: every service drains and exits 0 (its own set, so the shared platform lives on)."""
from __future__ import annotations

import pytest

from tools.processes import ServiceSet

pytestmark = pytest.mark.e2e


def test_every_service_stops_gracefully_on_sigterm(tmp_path):
    services = ServiceSet(var_dir=tmp_path)
    services.start()
    try:
        services.wait_serving()
    finally:
        codes = services.stop()
    assert codes == {name: 0 for name in services.names}
    for name in services.names:
        log = services.log_path(name).read_text()
        assert '"service stopped"' in log, name
