"""Seconds from `make run` to all four services SERVING, cold and warm.

`make run` runs `python -m tools.platform run` once the venv and the generated code are in place;
that is what is timed here, from launch to its line "keempat layanan SERVING dalam N s" (printed
once every service's gRPC health says SERVING), on free loopback ports. Each round:

    cold   a fresh EKTP_VAR_DIR: migrations, the demo data (regions, residents, accounts, blanks)
    warm   the same var dir again: the demo step finds its data and the services start

then Ctrl-C (SIGINT) and the time until the launcher has stopped everything (its exit code and
every health port refusing). The launcher's own figure (from starting the services, without the
demo step) is reported next to the total. Median and spread over the rounds.

    python -m bench.startup [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

from bench.harness import spread
from tools.processes import ROOT, ServiceSet

SERVING_LINE = re.compile(r"SERVING dalam ([\d.]+) s")
LAUNCH_TIMEOUT = 300.0
STOP_TIMEOUT = 60.0


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


def _drain(lines: queue.Queue) -> list[str]:
    out = []
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            return out
        if line is not None:
            out.append(line.rstrip())


def _started_on(var_dir: pathlib.Path) -> list[int]:
    """Processes still running with this var dir in their environment (what a launch left behind)."""
    marker = f"EKTP_VAR_DIR={var_dir}".encode()
    found = []
    for environ in pathlib.Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0") and int(environ.parent.name) != os.getpid():
                found.append(int(environ.parent.name))
        except (OSError, ValueError):
            continue
    return found


def _describe(pid: int) -> str:
    """`<pid> <command> <state> <what it waits in>`: where a process that did not stop is stuck."""
    try:
        proc = pathlib.Path(f"/proc/{pid}")
        command = proc.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        state = next(line for line in proc.joinpath("status").read_text().splitlines() if line.startswith("State:"))
        return f"{pid} {command} {state.split(':', 1)[1].strip()} wchan={proc.joinpath('wchan').read_text()}"
    except (OSError, StopIteration):
        return f"{pid} gone"


def _end(pids: list[int]) -> None:
    """SIGTERM, then SIGKILL what is left: only processes this benchmark's launch started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        time.sleep(5)


def launch_and_stop(services: ServiceSet) -> dict:
    """One `tools.platform run` on the set's var dir and ports: seconds to SERVING, then to stopped."""
    started = time.perf_counter()
    launcher = subprocess.Popen([sys.executable, "-m", "tools.platform", "run"], cwd=ROOT, env=services.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(launcher.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        while True:
            line = lines.get(timeout=max(0.1, started + LAUNCH_TIMEOUT - time.perf_counter()))
            if line is None:
                raise RuntimeError("the launcher exited before SERVING:\n" + "".join(seen[-30:]))
            seen.append(line)
            if match := SERVING_LINE.search(line):
                serving = time.perf_counter() - started
                break
    except queue.Empty:
        launcher.kill()
        launcher.wait()
        raise RuntimeError(f"no SERVING within {LAUNCH_TIMEOUT:.0f} s:\n" + "".join(seen[-30:])) from None
    _drain(lines)   # the demo accounts' passwords are among these: never kept
    stopping = time.perf_counter()
    launcher.send_signal(signal.SIGINT)
    hung: list[str] = []
    try:
        code = launcher.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        hung = [_describe(pid) for pid in _started_on(services.var_dir)]   # before ending the launcher
        launcher.kill()
        code = launcher.wait()
    stopped = time.perf_counter() - stopping
    time.sleep(0.5)
    result = {"serving_s": round(serving, 2), "services_only_s": float(match.group(1)), "stop_s": round(stopped, 2),
              "exit_code": code, "all_stopped": all(services.status(n) == "UNAVAILABLE" for n in services.names)}
    left = _started_on(services.var_dir)
    if left or code != 0:
        # Not a clean stop: keep what the launcher said while stopping (honcho's lines), end the rest.
        result["left_running"] = len(left)
        result["left_processes"] = [_describe(pid) for pid in left]
        result["at_stop_timeout"] = hung
        result["stop_output"] = _drain(lines)[-40:]
        _end(left)
    return result


def run(rounds: int = 3) -> dict:
    cold, warm = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="ektp-bench-startup-", ignore_cleanup_errors=True) as tmp:
            services = ServiceSet(var_dir=pathlib.Path(tmp) / "var")   # its free ports and environment
            cold.append(launch_and_stop(services))
            warm.append(launch_and_stop(services))
    every = cold + warm
    result = {
        "name": "`make run` -> all four SERVING (tools.platform run, demo data, SQLite)",
        "rounds": rounds,
        "cold": spread([r["serving_s"] for r in cold]),
        "cold_services_only": spread([r["services_only_s"] for r in cold]),
        "warm": spread([r["serving_s"] for r in warm]),
        "warm_services_only": spread([r["services_only_s"] for r in warm]),
        "stop": spread([r["stop_s"] for r in every]),
        "clean_stops": sum(r["exit_code"] == 0 and r["all_stopped"] and not r.get("left_running") for r in every),
        "launches": len(every),
        "cold_rounds": cold, "warm_rounds": warm,
    }
    result["summary"] = [
        f"startup ({rounds} rounds; median, min-max):",
        f"  cold (fresh var: migrations + demo)  {result['cold']['median']:6.1f} s  "
        f"({result['cold']['min']:.1f}-{result['cold']['max']:.1f}); services alone "
        f"{result['cold_services_only']['median']:.1f} s",
        f"  warm (same var again)                {result['warm']['median']:6.1f} s  "
        f"({result['warm']['min']:.1f}-{result['warm']['max']:.1f}); services alone "
        f"{result['warm_services_only']['median']:.1f} s",
        f"  Ctrl-C to stopped                    {result['stop']['median']:6.1f} s  "
        f"({result['stop']['min']:.1f}-{result['stop']['max']:.1f}); clean stops "
        f"{result['clean_stops']}/{result['launches']}",
    ]
    for kind, rounds_of_kind in (("cold", cold), ("warm", warm)):
        for number, r in enumerate(rounds_of_kind, 1):
            if "left_running" in r:   # the launcher did not stop everything by itself
                result["summary"].append(
                    f"  NOT CLEAN: {kind} round {number}: exit {r['exit_code']} after {r['stop_s']:.0f} s, "
                    f"{r['left_running']} processes left running (ended here; details in the JSON)")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    result = run(args.rounds)
    print(json.dumps(result, indent=2) if args.json else "\n".join(result["summary"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
