"""The load benchmark's machinery: its schedule is open loop, it reads resident sets from /proc
(children included), and a short run at a low rate against the four real services gets an
answer to every call it sends, with no error, and reads each service's memory."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench import load

pytestmark = pytest.mark.e2e


def test_calls_are_due_at_fixed_intervals_whatever_the_answers():
    """Open loop: call i is due at start + i / rate even when no call ever answers."""
    dues: list[tuple[int, float]] = []

    def never_answers(i: int, since: float, recorder: load.Recorder) -> None:
        dues.append((i, since))

    recorder = load.Recorder()
    started = load.drive({"Echo": (40.0, never_answers)}, 0.25, recorder)
    assert [i for i, _ in dues] == list(range(10))
    assert all(since == started + i / 40.0 for i, since in dues)


def test_resident_set_counts_the_children_of_a_process():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alone = load.memory(child.pid)
        with_child = load.memory(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert alone["processes"] == 1 and alone["rss_mb"] > 0 and alone["hwm_mb"] >= alone["rss_mb"]
    assert with_child["processes"] >= 2 and with_child["rss_mb"] > alone["rss_mb"]


@pytest.mark.timeout(120)
def test_a_short_run_gets_every_call_answered_and_reads_each_services_memory(tmp_path):
    services = load.start_platform(tmp_path / "var", demo_residents=40)
    try:
        result = load.measure(services, seconds=3, rates=dict.fromkeys(load.DEFAULT_RATES, 4.0),
                              catch_up_timeout=45, idle_samples=2)
    finally:
        services.stop()

    expected = {"enrolment": {"RecordResident", "GetRecording"},
                "inventory": {"ReserveBlank", "ConsumeBlank", "GetStock"},
                "documents": {"VerifyDocument", "ListDocuments"}, "reporting": {"GetCoverage"}}
    assert {name: set(report["rpcs"]) for name, report in result["services"].items()} == expected
    for name, report in result["services"].items():
        for rpc, tally in report["rpcs"].items():
            assert tally["sent"] >= 10 and tally["answered"] == tally["sent"], (name, rpc, tally)
            assert tally["errors"] == {}, (name, rpc, tally)
            assert 0 < tally["p50_ms"] <= tally["p99_ms"] <= tally["max_ms"], (name, rpc, tally)
    pairs = result["services"]["inventory"]["rpcs"]
    assert pairs["ConsumeBlank"]["sent"] == pairs["ReserveBlank"]["sent"]   # each reserved blank consumed
    for name, footprint in result["footprint"].items():
        assert footprint["processes"] >= 1, name
        assert footprint["idle_rss_mb"] > 0 and footprint["load_peak_rss_mb"] > 0, name
