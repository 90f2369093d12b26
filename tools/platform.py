"""`make run`: load the demo data and demo accounts, start the four services (each migrates its
database in demo mode), wait until all SERVE.

The demo step prints the demo accounts with generated passwords the first time only (there
is no default password); `ektp users reset-password NAME` gives one a new password later.

    python -m tools.platform run      # foreground; Ctrl-C stops everything cleanly
    python -m tools.platform status   # gRPC health of the four services

Data stays under var/ (EKTP_VAR_DIR), so running again keeps it. Reference data is read
from ../shared/data when present (never copied into the repository).
"""
from __future__ import annotations

import argparse
import os
import pathlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from servicekit.config import DEFAULT_PORTS
from tools.processes import GRPC_SERVICE, health_status

ROOT = pathlib.Path(__file__).resolve().parents[1]
REGIONS_CSV = ROOT.parent / "shared" / "data" / "wilayah_kemendagri.csv"
RESEND_SECONDS = 10.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("EKTP_MODE", "demo")
    env.setdefault("EKTP_VAR_DIR", str(ROOT / "var"))
    env["PATH"] = f"{pathlib.Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    host = env.get("EKTP_HOST", "127.0.0.1")
    for name in GRPC_SERVICE:   # links and login follow overridden ports unless told otherwise
        env.setdefault(f"{name.upper()}_PUBLIC_URL", f"http://{host}:{_port(env, name, 'HTTP')}/")
    return env


def _port(env: dict[str, str], name: str, kind: str) -> int:
    default = DEFAULT_PORTS[name][0 if kind == "GRPC" else 1]
    return int(env.get(f"{name.upper()}_{kind}_PORT", default))


def serving(env: dict[str, str]) -> dict[str, str]:
    """Health status name of each service, or the error that stopped the check."""
    host = env.get("EKTP_HOST", "127.0.0.1")
    return {name: health_status(f"{host}:{_port(env, name, 'GRPC')}", service) for name, service in GRPC_SERVICE.items()}


def _step(env: dict[str, str], *args: str) -> None:
    """A set-up command; its own summary line is shown, routine log lines are not."""
    subprocess.run([sys.executable, "-m", *args], check=True, env={**env, "EKTP_LOG_LEVEL": "WARNING"}, cwd=ROOT)


def run() -> int:
    env = _env()
    print("ektp: menyiapkan basis data dan data demo ...", flush=True)
    regions = ["--regions", str(REGIONS_CSV)] if REGIONS_CSV.exists() else []
    _step(env, "enrolment", "demo", *regions)
    _step(env, "inventory", "demo")

    started = time.monotonic()
    honcho = subprocess.Popen([sys.executable, "-m", "honcho", "start", "-f", str(ROOT / "Procfile")],
                              env=env, cwd=ROOT, start_new_session=True)
    # A plain list as the flag, not a threading.Event: a signal handler must take no lock, or a
    # second Ctrl-C arriving inside the first handler's Event.set() deadlocks on it.
    stopping: list[bool] = []

    def _stop(*_: object) -> None:
        """Ctrl-C or SIGTERM (once or more): pass it on to honcho, which stops the services."""
        stopping.append(True)
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGINT)

    # Set explicitly: a process started in the background may inherit SIGINT as ignored.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    while not stopping:
        status = serving(env)
        if all(s == "SERVING" for s in status.values()):
            break
        if honcho.poll() is not None or time.monotonic() - started > 60:
            print(f"ektp: layanan tidak siap: {status}", file=sys.stderr)
            _stop()
            _wait_for(honcho, stopping, _stop)
            return 1
        time.sleep(0.5)
    else:
        return 0 if _wait_for(honcho, stopping, _stop) in (0, 130, -signal.SIGINT) else 1
    host = env.get("EKTP_HOST", "127.0.0.1")
    print(f"\nektp: keempat layanan SERVING dalam {time.monotonic() - started:.1f} s\n", flush=True)
    for name in GRPC_SERVICE:
        print(f"  {name:10} http://{host}:{_port(env, name, 'HTTP')}/   gRPC {host}:{_port(env, name, 'GRPC')}",
              flush=True)
    print(f"\n  Masuk: http://{host}:{_port(env, 'enrolment', 'HTTP')}/masuk dengan akun demo yang dicetak di atas.",
          flush=True)
    print("\nTekan Ctrl-C untuk berhenti.\n", flush=True)
    code = _wait_for(honcho, stopping, _stop)
    return 0 if stopping else code


def _wait_for(honcho: subprocess.Popen, stopping: list[bool], stop: Callable[[], None]) -> int:
    """honcho's exit code. Once stopping, the signal is passed on again every RESEND_SECONDS
    until honcho exits: the bench saw honcho miss a Ctrl-C now and then (2 launches in 10), which
    left the platform running with the launcher waiting for it."""
    sent = len(stopping)
    last_sent = time.monotonic()
    while (code := honcho.poll()) is None:
        time.sleep(0.2)
        if len(stopping) != sent:   # a new Ctrl-C or SIGTERM arrived
            sent, last_sent = len(stopping), time.monotonic()
        elif stopping and time.monotonic() - last_sent > RESEND_SECONDS:
            print("ektp: layanan belum berhenti; sinyal dikirim lagi", file=sys.stderr, flush=True)
            stop()
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "status"])
    args = parser.parse_args(argv)
    if args.command == "status":
        status = serving(_env())
        for name, value in status.items():
            print(f"{name:10} {value}")
        return 0 if all(v == "SERVING" for v in status.values()) else 1
    return run()


if __name__ == "__main__":
    sys.exit(main())
