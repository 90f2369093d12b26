"""SyncRecordings messages/s against a bare gRPC bidirectional echo of the same messages.

Both servers run as their own processes on loopback. Each round streams `recordings` new,
distinct, valid recordings (pre-serialised SyncRecordingsRequest bytes) from one field device
and reads one result per item; the baseline streams the same bytes through an echo that
sends each message straight back. The ratio is the cost of the service (validation, the
receipts, SQLite transactions per batch with fsync, outbox and audit) over the wire's.
Latency per message: from being handed to gRPC to its result arriving (results come in order).
"""
from __future__ import annotations

import datetime as dt
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict

import grpc
from faker import Faker

from bench import echo_server
from bench.harness import Round, summarise
from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import domain
from tools.processes import ROOT, ServiceSet, free_port

SHARED_REGIONS = ROOT.parent / "shared" / "data" / "wilayah_kemendagri.csv"
KECAMATAN = [f"62.03.{i:02d}" for i in range(1, 18)]
SYNC_METHOD = "/ektp.enrolment.v1.EnrolmentService/SyncRecordings"


def sync_requests(count: int, *, first: int = 0, device_id: str = "bench-tablet") -> list[bytes]:
    """Distinct valid recordings from one device: unique NIKs (kecamatan, birth date, serial),
    a KK with a real issue date, the face captured (the quality gate's one required modality)."""
    fake = Faker("id_ID")
    fake.seed_instance(first)
    out = []
    for i in range(first, first + count):
        kecamatan = KECAMATAN[i % len(KECAMATAN)]
        days = i // len(KECAMATAN)
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=days % 18000)
        female = i % 2 == 1
        sex = domain.Sex.FEMALE if female else domain.Sex.MALE
        issued = dt.date(2010, 1, 1) + dt.timedelta(days=i % 3000)
        prefix = kecamatan.replace(".", "")
        resident = pb.Resident(
            nik=domain.encode_nik(kecamatan, birth, sex, 1 + days // 18000 + 100),
            kk_number=f"{prefix}{issued:%d%m%y}{1 + i % 9999:04d}",
            full_name=fake.name_female() if female else fake.name_male(), birth_place="Kuala Kapuas",
            birth_date=birth.isoformat(), sex=pb.SEX_FEMALE if female else pb.SEX_MALE, blood_type="A",
            address=fake.street_address(), rt="001", rw="002", region_code=kecamatan, religion=pb.RELIGION_ISLAM,
            marital_status=pb.MARITAL_STATUS_MARRIED, occupation="Wiraswasta", citizenship=pb.CITIZENSHIP_WNI)
        recording = pb.RecordResidentRequest(resident=resident, office_code="62.03", biometrics=pb.BiometricCapture(
            qualities=[pb.ModalityQuality(modality=pb.MODALITY_FACE, quality=85)]))
        out.append(pb.SyncRecordingsRequest(device_id=device_id, local_id=f"r{i:08d}",
                                            recording=recording).SerializeToString())
    return out


def stream_round(call, payloads: list[bytes], metadata) -> tuple[Round, list[bytes]]:
    """Stream every payload, read every answer; messages/s and per-message latency."""
    sent: list[float] = []

    def requests():
        for payload in payloads:
            sent.append(time.perf_counter())
            yield payload

    start = time.perf_counter()
    answers, latencies = [], []
    for i, answer in enumerate(call(requests(), timeout=600, metadata=metadata)):
        latencies.append(time.perf_counter() - sent[i])
        answers.append(answer)
    elapsed = time.perf_counter() - start
    if len(answers) != len(payloads):
        raise RuntimeError(f"{len(answers)} answers for {len(payloads)} messages")
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, round(q * (len(latencies) - 1)))]  # noqa: E731
    return Round(len(payloads) / elapsed, pick(0.50) * 1000, pick(0.99) * 1000), answers


def run(recordings: int = 10_000, rounds: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="ektp-bench-") as tmp:
        services = ServiceSet(var_dir=pathlib.Path(tmp), names=("enrolment",))
        services.command("enrolment", "migrate")
        services.load_demo("--residents", "10",
                           *(["--regions", str(SHARED_REGIONS)] if SHARED_REGIONS.exists() else []))
        services.start()
        echo_port = free_port()
        echo = subprocess.Popen([sys.executable, "-m", "bench.echo_server", str(echo_port)], cwd=ROOT,
                                stdout=subprocess.DEVNULL)
        try:
            services.wait_serving()
            # Both sides send the same metadata: a field officer's session token, from the login page.
            metadata = (("authorization", f"Bearer {services.login('kapuas.operator')}"),)
            subject_channel = grpc.insecure_channel(services.target("enrolment"))
            baseline_channel = grpc.insecure_channel(f"127.0.0.1:{echo_port}")
            grpc.channel_ready_future(baseline_channel).result(timeout=10)
            subject = subject_channel.stream_stream(SYNC_METHOD)
            baseline = baseline_channel.stream_stream(echo_server.STREAM_METHOD)
            warmup = sync_requests(200, first=10_000_000)
            stream_round(subject, warmup, metadata)
            stream_round(baseline, warmup, metadata)
            subject_rounds, baseline_rounds, accepted = [], [], 0
            for r in range(rounds):
                payloads = sync_requests(recordings, first=r * recordings)
                measured, answers = stream_round(subject, payloads, metadata)
                subject_rounds.append(measured)
                accepted += sum(pb.SyncRecordingsResponse.FromString(a).outcome == pb.SYNC_OUTCOME_ACCEPTED
                                for a in answers)
                baseline_rounds.append(stream_round(baseline, payloads, metadata)[0])
            subject_channel.close()
            baseline_channel.close()
        finally:
            echo.terminate()
            echo.wait()
            services.stop()
    if accepted != rounds * recordings:   # the figure only counts if every recording was stored
        raise RuntimeError(f"only {accepted} of {rounds * recordings} recordings were accepted")
    s, b = summarise(subject_rounds), summarise(baseline_rounds)
    return {
        "name": "SyncRecordings vs stream echo", "rounds": rounds, "calls_per_round": recordings, "concurrency": 1,
        "unit": "messages/s", "subject": asdict(s), "baseline": asdict(b),
        "throughput_ratio": s.calls_per_second_median / b.calls_per_second_median,
        "p99_ratio": s.p99_ms_median / b.p99_ms_median,
        "subject_rounds": [asdict(x) for x in subject_rounds],
        "baseline_rounds": [asdict(x) for x in baseline_rounds],
        "payload_bytes": statistics.mean(len(p) for p in sync_requests(10)),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, 1), indent=2))
