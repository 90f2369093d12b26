"""`make run`'s launcher end to end: demo data, four services SERVING, a clean stop."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tools.processes import ROOT, ServiceSet

pytestmark = pytest.mark.e2e


def test_launcher_brings_all_four_to_serving_and_stops_them_cleanly(tmp_path):
    services = ServiceSet(var_dir=tmp_path / "var")  # only for its free ports and environment
    env = services.env
    launcher = subprocess.Popen([sys.executable, "-m", "tools.platform", "run"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = launcher.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "SERVING dalam" in line:
                break
        assert any("SERVING dalam" in line for line in seen), "".join(seen[-40:])
        status = subprocess.run([sys.executable, "-m", "tools.platform", "status"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=30)
        assert status.returncode == 0 and status.stdout.count("SERVING") == 4, status.stdout
        assert any("demo loaded" in line for line in seen)
        # The demo accounts, each with its generated password, printed once, one per role.
        printed = "".join(seen)
        assert "Demo accounts" in printed
        for username in ("kapuas.operator", "murung.lurah", "kalteng.ops", "tanahbumbu.operator"):
            assert f"  {username} " in printed, username
    finally:
        # An impatient operator: Ctrl-C twice at once. A second signal inside the first one's
        # handler used to deadlock the launcher (the handler took a lock).
        launcher.send_signal(signal.SIGTERM)
        launcher.send_signal(signal.SIGINT)
        out, _ = launcher.communicate(timeout=60)
    assert launcher.returncode == 0, out[-3000:]
    assert all(services.status(name) == "UNAVAILABLE" for name in services.names)
