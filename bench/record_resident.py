"""RecordResident calls/s and p99 against a bare gRPC unary echo of the same bytes.

Both servers run as their own processes on loopback; the client sends pre-serialised
requests through the same kind of channel from the same number of threads, so the ratio
is the cost of the service (validation, SQLite transaction with fsync, events) over gRPC.
"""
from __future__ import annotations

import datetime as dt
import pathlib
import subprocess
import sys
import tempfile

import grpc
from faker import Faker

from bench import echo_server
from bench.harness import compare
from ektp.enrolment.v1 import enrolment_pb2 as epb
from tools.processes import ROOT, ServiceSet, free_port

SHARED_REGIONS = ROOT.parent / "shared" / "data" / "wilayah_kemendagri.csv"
KECAMATAN = [f"62.03.{i:02d}" for i in range(1, 18)]
WARMUP = 50
WARMUP_OFFSET = 10_000_000   # bench.harness.compare numbers its warm-up calls from here


def requests(count: int) -> list[bytes]:
    """Distinct valid recordings: unique NIKs across Kapuas kecamatan and birth dates."""
    fake = Faker("id_ID")
    Faker.seed(7)
    out = []
    for i in range(count):
        kecamatan = KECAMATAN[i % len(KECAMATAN)]
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=(i * 7) % 15000)
        prefix = kecamatan.replace(".", "")
        resident = epb.Resident(
            nik=f"{prefix}{birth:%d%m%y}{9000 + i % 999:04d}", kk_number=f"{prefix}{birth:%d%m%y}{1 + i % 9999:04d}",
            full_name=fake.name_male(), birth_place="Kuala Kapuas", birth_date=birth.isoformat(),
            sex=epb.SEX_MALE, blood_type="A", address=fake.street_address(), rt="001", rw="002",
            region_code=kecamatan, religion=epb.RELIGION_ISLAM, marital_status=epb.MARITAL_STATUS_MARRIED,
            occupation="Wiraswasta", citizenship=epb.CITIZENSHIP_WNI)
        # A face quality: the default quality gate requires the face (enrolment.domain.QualityGate).
        capture = epb.BiometricCapture(qualities=[epb.ModalityQuality(modality=epb.MODALITY_FACE, quality=90)])
        out.append(epb.RecordResidentRequest(resident=resident, office_code="62.03",
                                             biometrics=capture).SerializeToString())
    return out


def run(rounds: int, calls: int, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="ektp-bench-") as tmp:
        services = ServiceSet(var_dir=pathlib.Path(tmp), names=("enrolment",))
        services.command("enrolment", "migrate")
        services.load_demo("--residents", "10", *(["--regions", str(SHARED_REGIONS)] if SHARED_REGIONS.exists() else []))
        services.start()
        echo_port = free_port()
        echo = subprocess.Popen([sys.executable, "-m", "bench.echo_server", str(echo_port)], cwd=ROOT,
                                stdout=subprocess.DEVNULL)
        try:
            services.wait_serving()
            # Both sides send the same metadata: an officer's session token, from the login page.
            metadata = (("authorization", f"Bearer {services.login('kapuas.operator')}"),)
            # The measured calls take payloads 0..rounds*calls-1 and the warm-up (compare() numbers
            # its calls from WARMUP_OFFSET) the WARMUP after them: every call a NIK of its own,
            # never a duplicate of a warm-up recording.
            measured = rounds * calls
            payloads = requests(measured + WARMUP)

            def payload(i: int) -> bytes:
                return payloads[i] if i < measured else payloads[measured + (i - WARMUP_OFFSET) % WARMUP]

            subject_channel = grpc.insecure_channel(services.target("enrolment"))
            baseline_channel = grpc.insecure_channel(f"127.0.0.1:{echo_port}")
            grpc.channel_ready_future(baseline_channel).result(timeout=10)
            record = subject_channel.unary_unary("/ektp.enrolment.v1.EnrolmentService/RecordResident")
            echo_call = baseline_channel.unary_unary(echo_server.METHOD)

            def subject(i: int) -> None:
                record(payload(i), timeout=10, metadata=metadata)

            def baseline(i: int) -> None:
                echo_call(payload(i), timeout=10, metadata=metadata)

            result = compare("RecordResident vs echo", subject, baseline,
                             rounds=rounds, calls=calls, concurrency=concurrency, warmup=WARMUP)
            result["payload_bytes"] = len(payloads[0])
            return result
        finally:
            echo.terminate()
            echo.wait()
            services.stop()
