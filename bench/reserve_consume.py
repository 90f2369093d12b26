"""Reserve+Consume pairs per second with 16 concurrent workers against a bare `BEGIN IMMEDIATE`
single-row decrement loop on the same SQLite file, in the same run.

Subject: one call = `reserve_blank` then `consume_blank` of a fresh idempotency key, through the
inventory service layer (validation, per-office lock, lowest available serial, reservation with
its expiry, ledger entries, the balance row, outbox events, the hash-chained audit log): two
units of work, two durable commits (WAL, synchronous=FULL), exactly as a gRPC call runs them.

Baseline: one call = two bare transactions on the same file with the same pragmas, each
`BEGIN IMMEDIATE; UPDATE bench_counter SET n = n - 1 WHERE id = 1 AND n > 0; COMMIT` -- the
least a reserve and a consume can cost, since each must be durable on its own. Its raw
decrements per second (twice its calls) are reported too.

Why the service layer and not gRPC: the baseline has no transport, so putting gRPC (HTTP/2,
protobuf, token verification) on one side only would measure the RPC stack, which
`bench/record_resident.py` already measures against an echo server; here the question is what
the ledger costs over the storage floor under contention.
"""
from __future__ import annotations

import pathlib
import sqlite3
import tempfile
import threading

from bench.harness import compare
from inventory import bootstrap
from inventory.config import Settings
from servicekit.access import Principal

OFFICE = "62.03"
DOCUMENTS = Principal.service("documents", origin="bench")
SYSTEM = Principal.service("inventory", origin="bench")
MAX_RECEIPT = 100_000


def _bare_connection(path: pathlib.Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def run(rounds: int = 5, calls: int = 400, concurrency: int = 16) -> dict:
    with tempfile.TemporaryDirectory(prefix="ektp-bench-reserve-") as tmp:
        path = pathlib.Path(tmp) / "inventory.db"
        core = bootstrap.build_core(Settings(database_url=f"sqlite:///{path}", var_dir=pathlib.Path(tmp),
                                             offices=(OFFICE,)))
        try:
            needed = rounds * calls + 2 * 50
            first = 10_000_000
            while needed > 0:                           # enough blanks for every pair
                batch = min(needed, MAX_RECEIPT)
                core.service.receive_stock(SYSTEM, OFFICE, str(first), str(first + batch - 1), "SPB-BENCH")
                first, needed = first + batch, needed - batch

            setup = _bare_connection(path)
            setup.execute("CREATE TABLE bench_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            setup.execute("INSERT INTO bench_counter (id, n) VALUES (1, 1000000000)")
            setup.close()
            local = threading.local()                   # one bare connection per worker thread

            def decrement() -> None:
                conn = getattr(local, "conn", None)
                if conn is None:
                    conn = local.conn = _bare_connection(path)
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE bench_counter SET n = n - 1 WHERE id = 1 AND n > 0")
                conn.execute("COMMIT")

            def subject(i: int) -> None:
                key = f"card:BENCH-{i}"
                reservation = core.service.reserve_blank(DOCUMENTS, OFFICE, key)
                core.service.consume_blank(DOCUMENTS, key, reservation.serial)

            def baseline(i: int) -> None:
                decrement()
                decrement()

            result = compare("Reserve+Consume vs 2x bare decrement", subject, baseline,
                             rounds=rounds, calls=calls, concurrency=concurrency)
            result["baseline_decrements_per_second"] = 2 * result["baseline"]["calls_per_second_median"]
            result["ratio_to_single_decrements"] = (result["subject"]["calls_per_second_median"]
                                                    / result["baseline_decrements_per_second"])
            check = core.service.check_ledger(SYSTEM, OFFICE)
            result["ledger_consistent"] = check.ok
            result["pairs_consumed"] = check.balance.consumed
            return result
        finally:
            core.close()


if __name__ == "__main__":
    import json

    print(json.dumps(run(rounds=3, calls=200), indent=2))
