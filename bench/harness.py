"""Measure a subject and its baseline in the same run: several interleaved rounds, each a
fixed number of calls from the same number of client threads; report the median and spread
of throughput and p99 latency, and their ratios (subject / baseline).
"""
from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

Call = Callable[[int], None]  # performs call number i


@dataclass(frozen=True)
class Round:
    calls_per_second: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True)
class Summary:
    calls_per_second_median: float
    calls_per_second_min: float
    calls_per_second_max: float
    p50_ms_median: float
    p99_ms_median: float
    p99_ms_min: float
    p99_ms_max: float


def percentile(sorted_values: list[float], q: float) -> float:
    """The value at quantile `q` of already sorted values (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def spread(values: list[float]) -> dict:
    """Median and range of one figure over several rounds."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_round(call: Call, calls: int, concurrency: int, offset: int) -> Round:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(offset, offset + calls))

    def worker() -> None:
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            start = time.perf_counter()
            call(i)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return Round(calls / elapsed, percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000)


def summarise(rounds: list[Round]) -> Summary:
    rates = [r.calls_per_second for r in rounds]
    p99s = [r.p99_ms for r in rounds]
    return Summary(statistics.median(rates), min(rates), max(rates),
                   statistics.median(r.p50_ms for r in rounds), statistics.median(p99s), min(p99s), max(p99s))


def compare(name: str, subject: Call, baseline: Call, *, rounds: int, calls: int, concurrency: int,
            warmup: int = 50) -> dict:
    """Interleave subject and baseline rounds so machine noise hits both alike."""
    run_round(subject, warmup, concurrency, 10_000_000)
    run_round(baseline, warmup, concurrency, 10_000_000)
    subject_rounds, baseline_rounds = [], []
    for r in range(rounds):
        subject_rounds.append(run_round(subject, calls, concurrency, r * calls))
        baseline_rounds.append(run_round(baseline, calls, concurrency, r * calls))
    s, b = summarise(subject_rounds), summarise(baseline_rounds)
    return {
        "name": name, "rounds": rounds, "calls_per_round": calls, "concurrency": concurrency,
        "subject": asdict(s), "baseline": asdict(b),
        "throughput_ratio": s.calls_per_second_median / b.calls_per_second_median,
        "p99_ratio": s.p99_ms_median / b.p99_ms_median,
        "subject_rounds": [asdict(x) for x in subject_rounds],
        "baseline_rounds": [asdict(x) for x in baseline_rounds],
    }


def table(results: list[dict]) -> str:
    head = (f"{'benchmark':28} {'subject/s':>10} {'(min-max)':>15} {'baseline/s':>11} {'ratio':>6} "
            f"{'p99 ms':>8} {'base p99':>9} {'p99 ratio':>9}")
    lines = [head, "-" * len(head)]
    for r in results:
        s, b = r["subject"], r["baseline"]
        spread = f"{s['calls_per_second_min']:.0f}-{s['calls_per_second_max']:.0f}"
        lines.append(f"{r['name']:28} {s['calls_per_second_median']:10.0f} {spread:>15} "
                     f"{b['calls_per_second_median']:11.0f} {r['throughput_ratio']:6.2f} "
                     f"{s['p99_ms_median']:8.2f} {b['p99_ms_median']:9.2f} {r['p99_ratio']:9.2f}")
    return "\n".join(lines)
