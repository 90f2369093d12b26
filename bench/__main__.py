"""`make bench`: each subject next to its same-run baseline; JSON to bench/results/latest.json.

    python -m bench                      # every benchmark
    python -m bench --only sync_recordings --only nik_search
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import sys
from collections.abc import Callable

from bench import (
    backlog,
    coverage_query,
    freshness,
    load,
    nik_search,
    record_resident,
    regions_import,
    reserve_consume,
    startup,
    suket_pdf,
    sync_recordings,
)
from bench.harness import table

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "latest.json"

# name -> how to run it from the command line's arguments
BENCHMARKS: dict[str, Callable[[argparse.Namespace], dict]] = {
    "backlog": lambda a: backlog.run(size=a.backlog_size),
    "record_resident": lambda a: record_resident.run(a.rounds, a.calls, a.concurrency),
    "sync_recordings": lambda a: sync_recordings.run(recordings=a.recordings, rounds=min(a.rounds, 3)),
    "nik_search": lambda a: nik_search.run(rows=a.residents, rounds=a.rounds, calls=a.calls),
    "regions_import": lambda a: regions_import.run(rounds=min(a.rounds, 3)),
    "reserve_consume": lambda a: reserve_consume.run(rounds=a.rounds, calls=a.calls, concurrency=16),
    "suket_pdf": lambda a: suket_pdf.run(rounds=a.rounds, calls=min(a.calls, 200)),
    "coverage_query": lambda a: coverage_query.run(residents=a.province_residents, rounds=a.rounds, calls=5),
    "freshness": lambda a: freshness.run(recordings=100, rounds=a.rounds),
    "load": lambda a: load.run(seconds=20),          # steady rates per service, and RSS idle / under load
    "startup": lambda a: startup.run(rounds=min(a.rounds, 3)),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=400, help="calls per round")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads of RecordResident")
    parser.add_argument("--recordings", type=int, default=10_000, help="recordings per SyncRecordings round")
    parser.add_argument("--residents", type=int, default=1_000_000, help="residents stored for the NIK search")
    parser.add_argument("--province-residents", type=int, default=3_000_000,
                        help="residents recorded in the province for the coverage query")
    parser.add_argument("--backlog-size", type=int, default=10_000,
                        help="print-ready records queued before the blanks arrive (the issue's figure: 100000)")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), help="run only these")
    args = parser.parse_args(argv)
    results = []
    for name in args.only or BENCHMARKS:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(BENCHMARKS[name](args))
    report = {
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average": os.getloadavg()},
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(table([r for r in results if "subject" in r]))
    for r in results:
        if "summary" in r:        # an absolute measurement that brings its own lines (load, startup)
            print("\n".join(r["summary"]))
        elif "subject" not in r:  # an absolute measurement without a same-run baseline (freshness)
            print(f"{r['name']}: {json.dumps({k: v for k, v in r.items() if k != 'name'})}")
    print(f"\nwritten to {RESULTS.relative_to(pathlib.Path.cwd()) if RESULTS.is_relative_to(pathlib.Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
