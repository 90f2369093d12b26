"""Concurrent RecordResident calls share transactions (servicekit.batching.GroupCommit): each
caller still gets its own recording or its own refusal, the register numbers stay unique and
gap-free, and two concurrent recordings of one NIK are still one recording and one duplicate."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from enrolment import db, domain
from servicekit.access import Role
from tests.enrolment import factories as f
from tests.identity import KAPUAS, TANAH_BUMBU

from .conftest import build_runtime, stop_runtime


@pytest.fixture
def service(database_url, tmp_path):
    runtime = build_runtime(database_url, tmp_path)
    yield runtime
    stop_runtime(runtime)


def _commits(engine):
    counted = []
    sa.event.listen(engine, "commit", lambda conn: counted.append(1))
    return counted


def test_concurrent_recordings_share_commits_and_each_caller_gets_its_own(service):
    svc, commits = service.service, _commits(service.engine)
    start = threading.Barrier(16)

    def record(i: int):
        start.wait()
        return svc.record_resident(f.officer(), f.request(nik=f.nik(serial=5000 + i)))

    with ThreadPoolExecutor(16) as pool:
        recordings = list(pool.map(record, range(16)))
    assert [r.resident.nik for r in recordings] == [f.nik(serial=5000 + i) for i in range(16)]
    numbers = sorted(r.register_number for r in recordings)
    assert [int(n[-6:]) for n in numbers] == list(range(1, 17))
    assert all(r.state is domain.RecordingState.PRINT_READY for r in recordings)
    assert len(commits) < 16          # at least two recordings shared a transaction
    with service.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(db.recordings)) == 16


def test_a_refused_recording_in_a_shared_batch_fails_only_its_own_caller(service):
    svc = service.service
    start = threading.Barrier(12)
    outsider = f.officer(Role.OPERATOR_DINAS, TANAH_BUMBU)

    def record(i: int):
        start.wait()
        if i % 3 == 0:
            return svc.record_resident(f.officer(), f.request(nik="123"))                    # invalid
        if i % 3 == 1:
            return svc.record_resident(outsider, f.request(nik=f.nik(serial=6000 + i)))       # out of scope
        return svc.record_resident(f.officer(role=Role.OPERATOR_DINAS, scope=KAPUAS), f.request(nik=f.nik(serial=6000 + i)))

    def outcome(i: int):
        try:
            return record(i).state.value
        except Exception as refused:  # noqa: BLE001 - the refusal is the outcome under test
            return type(refused).__name__

    with ThreadPoolExecutor(12) as pool:
        outcomes = list(pool.map(outcome, range(12)))
    assert outcomes == [("InvalidRecording", "PermissionDenied", "PRINT_READY")[i % 3] for i in range(12)]
    with service.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(db.recordings)) == 4


def test_two_concurrent_recordings_of_one_nik_are_a_recording_and_a_duplicate(service):
    svc, same = service.service, f.nik(serial=7001)
    start = threading.Barrier(2)

    def record(_):
        start.wait()
        return svc.record_resident(f.officer(), f.request(nik=same))

    with ThreadPoolExecutor(2) as pool:
        states = sorted(r.state.value for r in pool.map(record, range(2)))
    assert states == ["DUPLICATE", "PRINT_READY"]
