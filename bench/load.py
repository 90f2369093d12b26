"""A bounded load run and the resident-set size of each service, idle and under load.

The four services run as their own processes on loopback (embedded SQLite, demo mode) with the
demo data `make run` loads (`enrolment demo`, `inventory demo`). Once every consumer has caught
up, the resident set of each service is sampled while idle; then each service in turn is driven
at steady rates for a bounded time, one RPC mix per service:

    enrolment   RecordResident (new Kapuas residents) + GetRecording (demo recordings)
    inventory   ReserveBlank, then ConsumeBlank of the serial it got + GetStock
    documents   VerifyDocument (QR of demo Sukets, no token) + ListDocuments
    reporting   GetCoverage of Kab. Kapuas

Open loop: call i of an RPC is due at start + i / rate and is sent then, whether or not earlier
calls have answered; its latency is counted from the moment it was due, so a server that falls
behind shows up as queueing in p99 instead of as a politely slower client (no coordinated
omission). A ConsumeBlank is sent when its ReserveBlank answers, and timed from then. Between
services the run waits until the consumers have folded what the load produced (RecordResident
makes documents issue a Suket per recording, which reporting then counts), and says how long that
took.

Resident set: VmRSS of the `python -m <svc> serve` process and of any children it has (summed),
from /proc; idle is the median of a few samples once settled, under load the peak while any
service is driven (every service is sampled throughout: a feed consumer works when its producer
is loaded). Target: each service <= 120 MB idle.

    python -m bench.load [--seconds 20] [--rate enrolment.RecordResident=50 ...] [--demo-residents N]
"""
from __future__ import annotations

import argparse
import heapq
import json
import os
import pathlib
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import grpc
from prometheus_client.parser import text_string_to_metric_families

from bench.harness import percentile
from bench.record_resident import SHARED_REGIONS, requests
from ektp.documents.v1 import documents_pb2 as dpb
from ektp.enrolment.v1 import enrolment_pb2 as epb
from ektp.inventory.v1 import inventory_pb2 as ipb
from ektp.reporting.v1 import reporting_pb2 as rpb
from tools.processes import GRPC_SERVICE, ServiceSet

KAPUAS = "62.03"            # no blanks in the demo: each new recording gets a Suket
TANAH_BUMBU = "63.10"       # holds blanks in the demo: the Reserve+Consume office
FIRST_SERIAL = 6310500001   # blanks received for the load: after the demo's 6310000001-6310001000
DEADLINE_SECONDS = 10.0
TARGET_IDLE_RSS_MB = 120.0
# Sustainable on a 2-core machine (the services, their consumers and this client share it).
DEFAULT_RATES = {
    "enrolment.RecordResident": 50.0, "enrolment.GetRecording": 50.0,
    "inventory.ReserveBlank": 30.0, "inventory.GetStock": 100.0,
    "documents.VerifyDocument": 50.0, "documents.ListDocuments": 20.0,
    "reporting.GetCoverage": 100.0,
}


# ---- measuring --------------------------------------------------------------------------------

@dataclass
class Tally:
    """What one RPC got during a phase: latency of each answer (from when it was due) and codes."""

    offered_per_s: float
    sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    codes: Counter = field(default_factory=Counter)
    last_answer: float = 0.0

    def summary(self, started: float) -> dict:
        ordered = sorted(self.latencies_ms)
        answered = sum(self.codes.values())
        ok = self.codes.get("OK", 0)
        elapsed = max(self.last_answer - started, 1e-9)
        return {
            "offered_per_s": self.offered_per_s, "sent": self.sent, "answered": answered,
            "achieved_per_s": round(ok / elapsed, 1) if ok else 0.0,
            "p50_ms": round(percentile(ordered, 0.50), 2) if ordered else None,
            "p99_ms": round(percentile(ordered, 0.99), 2) if ordered else None,
            "max_ms": round(ordered[-1], 2) if ordered else None,
            "errors": {code: n for code, n in sorted(self.codes.items()) if code != "OK"},
        }


class Recorder:
    """Thread-safe tallies: answers arrive on gRPC's completion threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tallies: dict[str, Tally] = {}
        self.in_flight = 0
        self.max_send_lag_ms = 0.0     # how late the client itself sent a call (its own limit)

    def expect(self, rpc: str, rate: float) -> None:
        self.tallies.setdefault(rpc, Tally(rate))

    def sent(self, rpc: str, lag_s: float) -> None:
        with self._lock:
            self.tallies[rpc].sent += 1
            self.in_flight += 1
            self.max_send_lag_ms = max(self.max_send_lag_ms, lag_s * 1000)

    def answered(self, rpc: str, since: float, code: grpc.StatusCode) -> None:
        now = time.perf_counter()
        with self._lock:
            tally = self.tallies[rpc]
            tally.latencies_ms.append((now - since) * 1000)
            tally.codes[code.name] += 1
            tally.last_answer = max(tally.last_answer, now)
            self.in_flight -= 1


# ---- the calls --------------------------------------------------------------------------------

Start = Callable[[int, float, Recorder], None]   # send call number i, due at `since`


def unary(channel: grpc.Channel, service: str, rpc: str, payload: Callable[[int], bytes], metadata=(),
          response=None, then: Callable[[int, object, Recorder], None] | None = None) -> Start:
    """An asynchronous unary call of pre-serialised bytes; `then` runs on its successful answer."""
    call = channel.unary_unary(f"/{GRPC_SERVICE[service]}/{rpc}", response_deserializer=response)

    def start(i: int, since: float, recorder: Recorder) -> None:
        recorder.sent(rpc, time.perf_counter() - since)
        future = call.future(payload(i), timeout=DEADLINE_SECONDS, metadata=metadata)

        def finished(done: grpc.Future) -> None:
            code = done.code()
            recorder.answered(rpc, since, code)
            if then is not None and code == grpc.StatusCode.OK:
                then(i, done.result(), recorder)

        future.add_done_callback(finished)
    return start


def drive(streams: dict[str, tuple[float, Start]], seconds: float, recorder: Recorder) -> float:
    """Send each stream's calls at its fixed interval for `seconds`; wait for the answers.

    One thread keeps one schedule for all streams (a heap of due times) and never waits for an
    answer, so the offered rate does not bend to the server's speed. Returns the start time."""
    for rpc, (rate, _) in streams.items():
        recorder.expect(rpc, rate)      # (kept in place when the caller listed them already)
    started = time.perf_counter()
    due = [(started, rpc, 0) for rpc in streams]
    heapq.heapify(due)
    while due:
        at, rpc, i = heapq.heappop(due)
        if at - started >= seconds:
            continue
        pause = at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        rate, start = streams[rpc]
        start(i, at, recorder)
        heapq.heappush(due, (started + (i + 1) / rate, rpc, i + 1))
    give_up = time.perf_counter() + DEADLINE_SECONDS + 5
    while recorder.in_flight and time.perf_counter() < give_up:
        time.sleep(0.05)
    return started


# ---- resident set -----------------------------------------------------------------------------

def _process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc/<pid>/task/*/children."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        for children in pathlib.Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    return tree


def memory(pid: int) -> dict:
    """VmRSS and VmHWM (kB -> MB) of a process, summed over it and its children."""
    rss = hwm = 0
    tree = _process_tree(pid)
    for member in tree:
        try:
            status = pathlib.Path(f"/proc/{member}/status").read_text()
        except OSError:      # exited meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss += int(fields.get("VmRSS", "0 kB").split()[0])
        hwm += int(fields.get("VmHWM", "0 kB").split()[0])
    return {"rss_mb": rss / 1024, "hwm_mb": hwm / 1024, "processes": len(tree)}


class PeakSampler(threading.Thread):
    """Samples every service's RSS a few times a second; keeps the peak of each."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self._pids, self._interval = pids, interval
        self.peak_mb: dict[str, float] = dict.fromkeys(pids, 0.0)
        self._done = threading.Event()   # not `_stop`: threading.Thread has a method of that name

    def run(self) -> None:
        while not self._done.wait(self._interval):
            for name, pid in self._pids.items():
                self.peak_mb[name] = max(self.peak_mb[name], memory(pid)["rss_mb"])

    def stop(self) -> dict[str, float]:
        self._done.set()
        self.join()
        return self.peak_mb


def idle_footprint(pids: dict[str, int], samples: int = 5, interval: float = 1.0) -> dict[str, dict]:
    """Median RSS of a few samples per service, the high-water mark and the process count."""
    taken: dict[str, list[dict]] = defaultdict(list)
    for _ in range(samples):
        for name, pid in pids.items():
            taken[name].append(memory(pid))
        time.sleep(interval)
    return {name: {"idle_rss_mb": round(statistics.median(s["rss_mb"] for s in values), 1),
                   "hwm_mb": round(values[-1]["hwm_mb"], 1), "processes": values[-1]["processes"]}
            for name, values in taken.items()}


# ---- the platform -----------------------------------------------------------------------------

def _metrics(services: ServiceSet, name: str) -> dict[tuple[str, tuple], float]:
    with urllib.request.urlopen(f"{services.http(name)}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def caught_up(services: ServiceSet) -> bool:
    """Every consumer's cursor has reached its producer's last outbox sequence (as /metrics say)."""
    pages = {name: _metrics(services, name) for name in services.names}
    for consumer, feeds in (("documents", ("enrolment", "inventory")),
                            ("reporting", ("enrolment", "inventory", "documents"))):
        for feed in feeds:
            produced = pages[feed].get((f"ektp_{feed}_outbox_last_sequence", ()))
            applied = pages[consumer].get((f"ektp_{consumer}_consumer_sequence", (("feed", feed),)))
            if produced is None or applied is None or applied < produced:
                return False
    return True


def wait_caught_up(services: ServiceSet, timeout: float) -> float:
    """Seconds until the consumers caught up (twice in a row: a fold may emit events itself)."""
    started = time.monotonic()
    in_a_row = 0
    while in_a_row < 2:
        in_a_row = in_a_row + 1 if caught_up(services) else 0
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"consumers not caught up after {timeout:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - started


def start_platform(var_dir: pathlib.Path, demo_residents: int | None) -> ServiceSet:
    """The demo of `make run` (`enrolment demo`, `inventory demo`), then the four services."""
    services = ServiceSet(var_dir=var_dir)
    demo = ["--regions", str(SHARED_REGIONS)] if SHARED_REGIONS.exists() else []
    if demo_residents is not None:
        demo += ["--residents", str(demo_residents)]
    services.load_demo(*demo)
    services.command("inventory", "demo")
    services.start()
    services.wait_serving()
    return services


def login(services: ServiceSet, username: str) -> tuple[tuple[str, str], ...]:
    """Bearer metadata of a demo account, through enrolment's Login RPC (as a field device)."""
    with grpc.insecure_channel(services.target("enrolment")) as channel:
        answer = channel.unary_unary(f"/{GRPC_SERVICE['enrolment']}/Login",
                                     response_deserializer=epb.LoginResponse.FromString)(
            epb.LoginRequest(username=username, password=services.accounts[username]).SerializeToString(),
            timeout=DEADLINE_SECONDS)
    return (("authorization", f"Bearer {answer.token}"),)


def _register_numbers(var_dir: pathlib.Path, office: str, limit: int = 500) -> list[str]:
    """Print-ready demo recordings of an office, read from enrolment's SQLite file."""
    with sqlite3.connect(f"file:{var_dir / 'enrolment.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT register_number FROM recordings WHERE office_code = ? AND state = 'PRINT_READY'"
                          " ORDER BY id LIMIT ?", (office, limit)).fetchall()
    return [r[0] for r in rows]


def _suket_payloads(channel: grpc.Channel, metadata, register_numbers: list[str]) -> list[str]:
    """QR contents of the demo Sukets, asked through ListDocuments like an officer would."""
    listing = channel.unary_unary(f"/{GRPC_SERVICE['documents']}/ListDocuments",
                                  response_deserializer=dpb.ListDocumentsResponse.FromString)
    payloads = []
    for number in register_numbers[:100]:
        answer = listing(dpb.ListDocumentsRequest(register_number=number).SerializeToString(),
                         timeout=DEADLINE_SECONDS, metadata=metadata)
        payloads += [d.qr_payload for d in answer.documents if d.qr_payload]
    return payloads


@dataclass
class Phase:
    service: str
    streams: dict[str, tuple[float, Start]]   # rpc -> (calls per second, how to send one)
    chained: dict[str, str] = field(default_factory=dict)   # rpc sent on another's answer -> that rpc


def phases(services: ServiceSet, rates: dict[str, float], seconds: float) -> tuple[list[Phase], list[grpc.Channel]]:
    """Each service's RPC mix, with its payloads made before the clock starts."""
    channels = {name: grpc.insecure_channel(services.target(name)) for name in services.names}
    kapuas = login(services, "kapuas.operator")
    tanah_bumbu = login(services, "tanahbumbu.operator")
    numbers = _register_numbers(services.var_dir, KAPUAS)
    if not numbers:
        raise RuntimeError("the demo left no print-ready Kapuas recording to read")

    def rate(key: str) -> float:
        return rates.get(key, DEFAULT_RATES[key])

    def cycle(items: list[bytes]) -> Callable[[int], bytes]:
        return lambda i: items[i % len(items)]

    # enrolment: every RecordResident a new resident (a repeat would be refused as already recorded)
    recordings = requests(int(rate("enrolment.RecordResident") * seconds) + 10)
    get_recording = [epb.GetRecordingRequest(register_number=n).SerializeToString() for n in numbers]
    enrolment = Phase("enrolment", {
        "RecordResident": (rate("enrolment.RecordResident"), unary(
            channels["enrolment"], "enrolment", "RecordResident", cycle(recordings), kapuas)),
        "GetRecording": (rate("enrolment.GetRecording"), unary(
            channels["enrolment"], "enrolment", "GetRecording", cycle(get_recording), kapuas)),
    })

    # inventory: blanks enough for every pair, received first (documents has nothing queued there)
    pairs = int(rate("inventory.ReserveBlank") * seconds) + 10
    channels["inventory"].unary_unary(f"/{GRPC_SERVICE['inventory']}/ReceiveStock")(
        ipb.ReceiveStockRequest(office_code=TANAH_BUMBU, first_serial=str(FIRST_SERIAL),
                                last_serial=str(FIRST_SERIAL + pairs - 1)).SerializeToString(),
        timeout=60, metadata=tanah_bumbu)
    run_id = f"{time.time_ns():x}"
    serials: dict[int, str] = {}   # pair i -> the serial its ReserveBlank got
    consume = unary(channels["inventory"], "inventory", "ConsumeBlank",
                    lambda i: ipb.ConsumeBlankRequest(idempotency_key=f"load:{run_id}:{i}",
                                                      serial=serials.pop(i)).SerializeToString(),
                    tanah_bumbu)

    def consume_reserved(i: int, answer: ipb.ReserveBlankResponse, recorder: Recorder) -> None:
        serials[i] = answer.reservation.serial
        consume(i, time.perf_counter(), recorder)

    reserve = [ipb.ReserveBlankRequest(office_code=TANAH_BUMBU, idempotency_key=f"load:{run_id}:{i}").SerializeToString()
               for i in range(pairs)]
    inventory = Phase("inventory", chained={"ConsumeBlank": "ReserveBlank"}, streams={
        "ReserveBlank": (rate("inventory.ReserveBlank"), unary(
            channels["inventory"], "inventory", "ReserveBlank", cycle(reserve), tanah_bumbu,
            response=ipb.ReserveBlankResponse.FromString, then=consume_reserved)),
        "GetStock": (rate("inventory.GetStock"), unary(
            channels["inventory"], "inventory", "GetStock",
            cycle([ipb.GetStockRequest(office_code=TANAH_BUMBU).SerializeToString()]), tanah_bumbu)),
    })

    # documents: the public verification of a QR, and an officer's list of a resident's documents
    qr = [dpb.VerifyDocumentRequest(qr_payload=p).SerializeToString()
          for p in _suket_payloads(channels["documents"], kapuas, numbers)]
    if not qr:
        raise RuntimeError("no demo Suket to verify")
    listing = [dpb.ListDocumentsRequest(register_number=n).SerializeToString() for n in numbers]
    documents = Phase("documents", {
        "VerifyDocument": (rate("documents.VerifyDocument"), unary(
            channels["documents"], "documents", "VerifyDocument", cycle(qr))),
        "ListDocuments": (rate("documents.ListDocuments"), unary(
            channels["documents"], "documents", "ListDocuments", cycle(listing), kapuas)),
    })

    reporting = Phase("reporting", {
        "GetCoverage": (rate("reporting.GetCoverage"), unary(
            channels["reporting"], "reporting", "GetCoverage",
            cycle([rpb.GetCoverageRequest(region_code=KAPUAS).SerializeToString()]), kapuas)),
    })
    return [enrolment, inventory, documents, reporting], list(channels.values())


# ---- the run ----------------------------------------------------------------------------------

def measure(services: ServiceSet, *, seconds: float, rates: dict[str, float], catch_up_timeout: float = 600.0,
            idle_samples: int = 5) -> dict:
    """Idle footprint, then each service driven in turn; the platform is already serving."""
    pids = {name: process.pid for name, process in services.processes.items()}
    demo_caught_up = wait_caught_up(services, catch_up_timeout)
    time.sleep(2)   # let the last folds' garbage go before sampling
    footprint = idle_footprint(pids, samples=idle_samples)
    plan, channels = phases(services, rates, seconds)
    report: dict[str, dict] = {}
    sampler = PeakSampler(pids)
    sampler.start()
    try:
        for phase in plan:
            recorder = Recorder()
            for rpc, (rate, _) in phase.streams.items():
                recorder.expect(rpc, rate)
            for rpc, after in phase.chained.items():    # offered: one per answered call it follows
                recorder.expect(rpc, phase.streams[after][0])
            started = drive(phase.streams, seconds, recorder)
            report[phase.service] = {
                "rpcs": {rpc: tally.summary(started) for rpc, tally in recorder.tallies.items()},
                "client_max_send_lag_ms": round(recorder.max_send_lag_ms, 1),
                "machine_load_1m": round(os.getloadavg()[0], 2),   # the machine is shared: read with this
                "catch_up_s": round(wait_caught_up(services, catch_up_timeout), 1),
            }
    finally:
        peaks = sampler.stop()
        for channel in channels:
            channel.close()
    for name in footprint:
        footprint[name]["load_peak_rss_mb"] = round(peaks[name], 1)
        footprint[name]["hwm_after_load_mb"] = round(memory(pids[name])["hwm_mb"], 1)
    return {"demo_caught_up_s": round(demo_caught_up, 1), "services": report, "footprint": footprint}


def summary_lines(result: dict) -> list[str]:
    """A compact table for the terminal."""
    lines = [f"load: {result['seconds_per_service']:.0f} s per service, open loop, loopback, SQLite "
             f"(demo caught up in {result['demo_caught_up_s']} s)",
             f"  {'service':10} {'rpc':15} {'offered/s':>9} {'achieved/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
             f"{'max ms':>8}  errors"]
    for service, report in result["services"].items():
        for rpc, r in report["rpcs"].items():
            errors = ", ".join(f"{code} {n}" for code, n in r["errors"].items()) or "-"
            lines.append(f"  {service:10} {rpc:15} {r['offered_per_s']:9.0f} {r['achieved_per_s']:10.1f} "
                         f"{r['p50_ms'] or 0:8.1f} {r['p99_ms'] or 0:8.1f} {r['max_ms'] or 0:8.1f}  {errors}")
        lines.append(f"  {'':10} (consumers caught up {report['catch_up_s']} s after; client send lag max "
                     f"{report['client_max_send_lag_ms']} ms; load average {report['machine_load_1m']})")
    lines.append(f"footprint (RSS MB; target idle <= {TARGET_IDLE_RSS_MB:.0f}):")
    for name, f in result["footprint"].items():
        verdict = "ok" if f["idle_rss_mb"] <= TARGET_IDLE_RSS_MB else "OVER"
        lines.append(f"  {name:10} idle {f['idle_rss_mb']:6.1f} ({verdict})  under load peak {f['load_peak_rss_mb']:6.1f}"
                     f"  high-water {f['hwm_after_load_mb']:6.1f}  processes {f['processes']}")
    return lines


def run(seconds: float = 20.0, rates: dict[str, float] | None = None, demo_residents: int | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="ektp-bench-load-") as tmp:
        services = start_platform(pathlib.Path(tmp), demo_residents)
        try:
            measured = measure(services, seconds=seconds, rates=rates or {})
        finally:
            services.stop()
    result = {"name": "load and footprint (four services, demo data)", "seconds_per_service": seconds,
              "demo_residents": demo_residents or "demo default", **measured,
              "target_idle_rss_mb": TARGET_IDLE_RSS_MB,
              "idle_rss_met": all(f["idle_rss_mb"] <= TARGET_IDLE_RSS_MB for f in measured["footprint"].values())}
    result["summary"] = summary_lines(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds each service is driven")
    parser.add_argument("--rate", action="append", default=[], metavar="SERVICE.RPC=PER_SECOND",
                        help=f"override a rate; defaults: {DEFAULT_RATES}")
    parser.add_argument("--demo-residents", type=int, default=None, help="demo size (default: as `make run`)")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    rates = {}
    for item in args.rate:
        key, _, value = item.partition("=")
        if key not in DEFAULT_RATES:
            parser.error(f"unknown rate {key}; one of {sorted(DEFAULT_RATES)}")
        rates[key] = float(value)
    result = run(args.seconds, rates, args.demo_residents)
    print(json.dumps(result, indent=2) if args.json else "\n".join(result["summary"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
