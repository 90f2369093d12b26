"""`make bench`: each subject next to its same-run baseline; JSON to bench/results/latest.json."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import sys

from bench import record_resident
from bench.harness import table

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=400, help="calls per round")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    results = [record_resident.run(args.rounds, args.calls, args.concurrency)]
    report = {
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(table(results))
    print(f"\nwritten to {RESULTS.relative_to(pathlib.Path.cwd()) if RESULTS.is_relative_to(pathlib.Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
