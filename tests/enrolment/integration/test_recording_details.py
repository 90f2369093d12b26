"""Issue 4 over gRPC, on SQLite and PostgreSQL: recording types, pre-recording and its release,
the quality gate, de-duplication by NIK, template digest and demographics, and the adjudication
queue with its three decisions."""
import datetime as dt

import grpc
import pytest
import sqlalchemy as sa
from prometheus_client import generate_latest

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from enrolment import db, domain
from enrolment.release import PreRecordingReleaser
from servicekit.access import Role
from servicekit.outbox import last_sequence, read_events
from tests.conftest import wait_for
from tests.enrolment.factories import CLI, VILLAGE, digest, nik
from tests.enrolment.factories import pb_request as base_request
from tests.enrolment.integration.conftest import build_runtime, stop_runtime
from tests.enrolment.integration.test_grpc import details
from tests.identity import KAPUAS, TANAH_BUMBU, bearer

T = 10.0
OTHER_DESA = "62.03.01.1002"
FACE = pb.ModalityQuality(modality=pb.MODALITY_FACE, quality=90)


def pb_request(**changes) -> pb.RecordResidentRequest:
    kind = changes.pop("recording_type", pb.RECORDING_TYPE_UNSPECIFIED)
    request = base_request(**changes)
    request.recording_type = kind
    return request


def again(first: pb.RecordResidentRequest, **resident_changes) -> pb.RecordResidentRequest:
    """The same person's request once more, with some resident fields changed."""
    request = pb.RecordResidentRequest()
    request.CopyFrom(first)
    for name, value in resident_changes.items():
        setattr(request.resident, name, value)
    return request


def events(runtime, after: int = 0) -> list[tuple[str, object]]:
    """(type name, decoded payload) of the outbox after `after`."""
    out = []
    for e in read_events(runtime.engine, after, 1000):
        name = e.type.rsplit(".", 1)[1]
        out.append((name, getattr(pb, name).FromString(e.payload)))
    return out


def of(runtime, register_number: str) -> list[str]:
    return [name for name, payload in events(runtime) if getattr(payload, "register_number", "") == register_number]


def count(runtime, table: sa.Table) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


@pytest.fixture
def as_officer(runtime, identity, channel):
    """Calls a method as `role` in `scope`: as_officer(role, scope).Method(request)."""
    stub = enrolment_pb2_grpc.EnrolmentServiceStub(channel)

    class Caller:
        def __init__(self, role, scope, subject="petugas.uji"):
            self.metadata = bearer(identity.officer(role, scope, subject=subject))

        def __getattr__(self, method):
            return lambda request: getattr(stub, method)(request, timeout=T, metadata=self.metadata)
    return Caller


# ---- recording types -------------------------------------------------------------------------

def test_moved_in_links_the_earlier_recording_and_emits_resident_changed(stub, runtime):
    first = stub.RecordResident(pb_request(), timeout=T).recording
    moved = stub.RecordResident(_follow_up(first, pb.RECORDING_TYPE_MOVED_IN, region_code=OTHER_DESA,
                                           address="Jl. Baru 3"), timeout=T).recording
    assert (moved.state, moved.recording_type) == (pb.RECORDING_STATE_PRINT_READY, pb.RECORDING_TYPE_MOVED_IN)
    assert moved.previous_register_number == first.register_number and moved.duplicate_of == ""
    assert of(runtime, moved.register_number) == ["RecordingCaptured", "ResidentChanged", "RecordingPrintReady"]
    changed = next(p for n, p in events(runtime) if n == "ResidentChanged")
    assert (changed.previous_register_number, changed.previous_region_code) == (first.register_number, VILLAGE)
    assert list(changed.changed_fields) == ["address", "region_code"]
    assert changed.recording_type == pb.RECORDING_TYPE_MOVED_IN


def _follow_up(first: pb.Recording, kind: int, **resident_changes) -> pb.RecordResidentRequest:
    request = pb.RecordResidentRequest(resident=first.resident, office_code=first.office_code, recording_type=kind,
                                       biometrics=pb.BiometricCapture(qualities=[FACE]))
    for name, value in resident_changes.items():
        setattr(request.resident, name, value)
    return request


def test_data_change_and_replacement_follow_the_latest_recording(stub, runtime):
    first = stub.RecordResident(pb_request(), timeout=T).recording
    changed = stub.RecordResident(_follow_up(first, pb.RECORDING_TYPE_DATA_CHANGE, occupation="Guru",
                                             marital_status=pb.MARITAL_STATUS_MARRIED), timeout=T).recording
    assert changed.state == pb.RECORDING_STATE_PRINT_READY and changed.previous_register_number == first.register_number
    change_event = next(p for n, p in events(runtime) if n == "ResidentChanged")
    assert list(change_event.changed_fields) == ["marital_status", "occupation"]
    replaced = stub.RecordResident(_follow_up(changed, pb.RECORDING_TYPE_REPLACEMENT), timeout=T).recording
    assert replaced.state == pb.RECORDING_STATE_PRINT_READY
    assert replaced.previous_register_number == changed.register_number
    assert of(runtime, replaced.register_number) == ["RecordingCaptured", "RecordingPrintReady"]


@pytest.mark.parametrize("kind", [pb.RECORDING_TYPE_MOVED_IN, pb.RECORDING_TYPE_DATA_CHANGE,
                                  pb.RECORDING_TYPE_REPLACEMENT])
def test_a_follow_up_without_an_earlier_recording_is_refused_and_stores_nothing(stub, runtime, kind):
    before = last_sequence(runtime.engine)
    with pytest.raises(grpc.RpcError) as caught:
        stub.RecordResident(pb_request(recording_type=kind), timeout=T)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details(caught.value) == (["recording_type"], "RECORDING_TYPE_REFUSED")
    assert count(runtime, db.recordings) == 0 and events(runtime, before) == []


def test_a_replacement_with_other_data_and_a_move_within_the_desa_are_refused(stub, runtime):
    first = stub.RecordResident(pb_request(), timeout=T).recording
    for kind, changes, field in ((pb.RECORDING_TYPE_REPLACEMENT, {"address": "Jl. Lain 1"}, "recording_type"),
                                 (pb.RECORDING_TYPE_MOVED_IN, {"address": "Jl. Lain 1"}, "resident.region_code"),
                                 (pb.RECORDING_TYPE_DATA_CHANGE, {}, "recording_type")):
        with pytest.raises(grpc.RpcError) as caught:
            stub.RecordResident(_follow_up(first, kind, **changes), timeout=T)
        assert details(caught.value) == ([field], "RECORDING_TYPE_REFUSED")
    assert count(runtime, db.recordings) == 1


# ---- pre-recording ---------------------------------------------------------------------------

def test_sixteen_year_old_is_pre_recorded_held_and_released_on_the_seventeenth_birthday(stub, runtime):
    held = stub.RecordResident(pb_request(birth=dt.date(2010, 1, 1)), timeout=T).recording
    assert held.state == pb.RECORDING_STATE_SENT and held.hold_until == "2027-01-01"
    assert domain.FLAG_PRE_RECORDING in held.review_flags
    assert of(runtime, held.register_number) == ["RecordingCaptured"]
    assert runtime.service.release_pre_recordings(CLI, dt.date(2026, 12, 31)) == 0
    assert runtime.service.release_pre_recordings(CLI, dt.date(2027, 1, 1)) == 1
    assert runtime.service.release_pre_recordings(CLI, dt.date(2027, 1, 2)) == 0     # once only
    got = stub.GetRecording(pb.GetRecordingRequest(register_number=held.register_number), timeout=T).recording
    assert got.state == pb.RECORDING_STATE_PRINT_READY
    assert of(runtime, held.register_number) == ["RecordingCaptured", "RecordingPrintReady"]
    assert ("recording.release", held.register_number) in audit_actions(runtime)
    assert "ektp_enrolment_pre_recordings_released_total 1.0" in metrics(runtime)


def metrics(runtime) -> str:
    return generate_latest(runtime.metrics.registry).decode()


def test_the_service_process_releases_due_pre_recordings_by_itself(stub, runtime):
    held = stub.RecordResident(pb_request(birth=dt.date(2010, 1, 1)), timeout=T).recording
    releaser = PreRecordingReleaser(runtime.service, interval=0.05)
    runtime.service._clock = lambda: dt.datetime(2027, 1, 1, 1, tzinfo=dt.timezone.utc)   # 08:00 WIB on the day
    releaser.start()
    try:
        wait_for(lambda: of(runtime, held.register_number)[-1:] == ["RecordingPrintReady"], message="the release")
        runs = releaser.runs
        wait_for(lambda: releaser.runs > runs + 2, message="more runs")
    finally:
        releaser.stop()
    assert of(runtime, held.register_number) == ["RecordingCaptured", "RecordingPrintReady"]   # released once


def test_the_runtime_has_the_release_worker_unless_switched_off(database_url, tmp_path):
    runtime = build_runtime(database_url, tmp_path, release_interval_seconds=0)
    try:
        assert not any(isinstance(w, PreRecordingReleaser) for w in runtime.process.workers)
    finally:
        stop_runtime(runtime)


def test_release_command_releases_what_is_due(sqlite_url, tmp_path, monkeypatch, capsys):
    from enrolment.__main__ import main

    runtime = build_runtime(sqlite_url, tmp_path)
    try:
        held = runtime.service.record_resident(CLI, _domain_request(dt.date(2010, 1, 1)))
    finally:
        stop_runtime(runtime)
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ENROLMENT_DATABASE_URL", sqlite_url)
    assert main(["release-pre-recordings", "--date", "2026-12-31"]) == 0
    assert capsys.readouterr().out.startswith("0 ")
    assert main(["release-pre-recordings", "--date", "2027-01-01"]) == 0
    assert capsys.readouterr().out.startswith("1 ")
    assert held.state is domain.RecordingState.SENT


def _domain_request(birth: dt.date) -> domain.RecordingRequest:
    from tests.enrolment.factories import request
    return request(birth=birth)


# ---- quality gate ----------------------------------------------------------------------------

def test_low_quality_capture_is_stored_failed_with_a_reason_and_a_register_number(stub, runtime):
    low = pb.BiometricCapture(qualities=[FACE, pb.ModalityQuality(modality=pb.MODALITY_FINGER_LEFT_INDEX, quality=12)])
    failed = stub.RecordResident(pb_request(biometrics=low), timeout=T).recording
    assert failed.state == pb.RECORDING_STATE_FAILED and failed.register_number
    assert "telunjuk kiri 12 (minimum 40)" in failed.failure_reason
    assert of(runtime, failed.register_number) == ["RecordingCaptured", "RecordingFailed"]
    assert next(p for n, p in events(runtime) if n == "RecordingFailed").reason_code == "QUALITY"
    # A FAILED recording does not block recording the same NIK again.
    retried = stub.RecordResident(again(pb_request(), nik=failed.resident.nik), timeout=T).recording
    assert retried.state == pb.RECORDING_STATE_PRINT_READY


def test_the_quality_gate_is_configured_by_settings(database_url, tmp_path):
    from enrolment.config import Settings
    gate = Settings.from_env({"ENROLMENT_DATABASE_URL": database_url, "EKTP_VAR_DIR": str(tmp_path),
                              "ENROLMENT_REQUIRED_MODALITIES": "ALL", "ENROLMENT_MIN_QUALITY_FACE": "95"}).quality_gate
    runtime = build_runtime(database_url, tmp_path, quality_gate=gate)
    try:
        recorded = runtime.service.record_resident(CLI, _domain_request(dt.date(1990, 5, 17)))
    finally:
        stop_runtime(runtime)
    assert recorded.state is domain.RecordingState.FAILED
    assert "belum direkam: tanda tangan, iris kiri" in recorded.failure_reason
    assert "wajah 90 (minimum 95)" in recorded.failure_reason


# ---- de-duplication and the adjudication queue ---------------------------------------------

def _finger(modality, seed: str, quality: int = 80) -> pb.ModalityQuality:
    return pb.ModalityQuality(modality=modality, quality=quality, template_digest=digest(seed))


def test_same_nik_again_is_duplicate_and_queued_for_the_dinas(stub, runtime, as_officer):
    first = stub.RecordResident(pb_request(), timeout=T).recording
    second = stub.RecordResident(again(pb_request(), nik=first.resident.nik), timeout=T).recording
    assert (second.state, second.duplicate_of) == (pb.RECORDING_STATE_DUPLICATE, first.register_number)
    queue = stub.ListAdjudications(pb.ListAdjudicationsRequest(), timeout=T).adjudications
    assert [(a.register_number, a.candidate_register_number, list(a.reasons)) for a in queue] == [
        (second.register_number, first.register_number, ["NIK"])]
    assert not queue[0].HasField("resolved_at") and queue[0].decision == pb.ADJUDICATION_DECISION_UNSPECIFIED
    elsewhere = as_officer(Role.OPERATOR_DINAS, TANAH_BUMBU).ListAdjudications(pb.ListAdjudicationsRequest())
    assert list(elsewhere.adjudications) == []


def test_a_shared_finger_or_iris_template_under_another_nik_is_a_duplicate(stub, runtime):
    first = stub.RecordResident(pb_request(biometrics=pb.BiometricCapture(qualities=[
        FACE, _finger(pb.MODALITY_FINGER_RIGHT_INDEX, "index"), _finger(pb.MODALITY_IRIS_LEFT, "iris")])),
        timeout=T).recording
    other = stub.RecordResident(pb_request(full_name="Orang Lain", biometrics=pb.BiometricCapture(qualities=[
        FACE, _finger(pb.MODALITY_IRIS_RIGHT, "iris")])), timeout=T).recording
    assert (other.state, other.duplicate_of) == (pb.RECORDING_STATE_DUPLICATE, first.register_number)
    entry = stub.ListAdjudications(pb.ListAdjudicationsRequest(), timeout=T).adjudications[0]
    assert list(entry.reasons) == ["IRIS_RIGHT"] and entry.score == 1.0
    clean = stub.RecordResident(pb_request(biometrics=pb.BiometricCapture(qualities=[
        FACE, _finger(pb.MODALITY_FINGER_RIGHT_INDEX, "someone else")])), timeout=T).recording
    assert clean.state == pb.RECORDING_STATE_PRINT_READY
    assert count(runtime, db.recording_templates) == 4


def test_a_similar_person_born_the_same_day_in_the_province_is_a_demographic_duplicate(stub, runtime):
    first = stub.RecordResident(pb_request(full_name="Siti Rahmawati", mother_name="Aminah", father_name="Ahmad"),
                                timeout=T).recording
    similar = stub.RecordResident(pb_request(full_name="SITI RAHMAWATY", mother_name="Aminah",
                                             father_name="Achmad", region_code=OTHER_DESA), timeout=T).recording
    assert (similar.state, similar.duplicate_of) == (pb.RECORDING_STATE_DUPLICATE, first.register_number)
    entry = stub.ListAdjudications(pb.ListAdjudicationsRequest(), timeout=T).adjudications[0]
    assert list(entry.reasons) == ["DEMOGRAPHIC"] and 0.92 <= entry.score < 1.0
    verdicts = {c.field: c.similarity for c in entry.comparison}
    assert verdicts["birth_date"] == 1.0 and verdicts["mother_name"] == 1.0 and verdicts["full_name"] > 0.9
    # Another birth date, another name, or no parents on record: a different person.
    for changes in ({"birth": dt.date(1990, 5, 18)}, {"full_name": "Dewi Lestari"}, {"mother_name": ""}):
        values = {"full_name": "Siti Rahmawati", "mother_name": "Aminah", **changes}
        assert stub.RecordResident(pb_request(**values), timeout=T).recording.state == pb.RECORDING_STATE_PRINT_READY


def _queued(stub) -> tuple[pb.Recording, pb.Recording]:
    """A recording and its demographic duplicate (open in the queue)."""
    first = stub.RecordResident(pb_request(full_name="Rina Marlina", mother_name="Sumiati"), timeout=T).recording
    second = stub.RecordResident(pb_request(full_name="Rina Marlina", mother_name="Sumiati"), timeout=T).recording
    assert second.state == pb.RECORDING_STATE_DUPLICATE
    return first, second


def _resolve(caller, number: str, decision: int, note: str = "KK dan akta lahir diperiksa"):
    return caller.ResolveDuplicate(pb.ResolveDuplicateRequest(register_number=number, decision=decision, note=note))


def audit_actions(runtime) -> list[tuple[str, str]]:
    t = db.audit_log
    with runtime.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(t.c.action, t.c.record_id).order_by(t.c.seq))]


def test_different_person_goes_print_ready_audited_and_announced(stub, runtime, as_officer):
    _, second = _queued(stub)
    head = as_officer(Role.KEPALA_DINAS, KAPUAS, subject="kepala.kapuas")
    answer = _resolve(head, second.register_number, pb.ADJUDICATION_DECISION_DIFFERENT_PERSON)
    assert answer.recording.state == pb.RECORDING_STATE_PRINT_READY and answer.recording.duplicate_of == ""
    assert (answer.adjudication.decision, answer.adjudication.resolver) == (
        pb.ADJUDICATION_DECISION_DIFFERENT_PERSON, "kepala.kapuas")
    assert answer.adjudication.HasField("resolved_at")
    assert of(runtime, second.register_number) == ["RecordingCaptured", "RecordingDuplicate", "RecordingPrintReady",
                                                   "AdjudicationResolved"]
    assert audit_actions(runtime)[-1] == ("adjudication.resolve", second.register_number)
    assert 'ektp_enrolment_adjudications_total{decision="DIFFERENT_PERSON",office_code="62.03"} 1.0' in metrics(runtime)
    assert list(stub.ListAdjudications(pb.ListAdjudicationsRequest(), timeout=T).adjudications) == []
    decided = stub.ListAdjudications(pb.ListAdjudicationsRequest(include_resolved=True), timeout=T).adjudications
    assert [a.register_number for a in decided] == [second.register_number]


def test_same_person_stays_duplicate_and_fraud_fails_flagged(stub, runtime, as_officer):
    dinas = as_officer(Role.OPERATOR_DINAS, KAPUAS)
    _, same = _queued(stub)
    kept = _resolve(dinas, same.register_number, pb.ADJUDICATION_DECISION_SAME_PERSON, note="").recording
    assert kept.state == pb.RECORDING_STATE_DUPLICATE
    assert of(runtime, same.register_number)[-1] == "AdjudicationResolved"
    fraud_case = stub.RecordResident(again(pb_request(full_name="Rina Marlina", mother_name="Sumiati")), timeout=T)
    fraud = _resolve(dinas, fraud_case.recording.register_number, pb.ADJUDICATION_DECISION_FRAUD).recording
    assert fraud.state == pb.RECORDING_STATE_FAILED and domain.FLAG_FRAUD in fraud.review_flags
    assert fraud.failure_reason == domain.FAILURE_FRAUD
    failed_events = [p for n, p in events(runtime) if n == "RecordingFailed"]
    assert [(e.register_number, e.reason_code) for e in failed_events] == [(fraud.register_number, "FRAUD")]


def test_a_decision_is_made_once_in_scope_with_a_note_and_never_two_people_for_one_nik(stub, runtime, as_officer):
    dinas = as_officer(Role.OPERATOR_DINAS, KAPUAS)
    _, second = _queued(stub)
    for caller, decision, note, code in (
            (dinas, pb.ADJUDICATION_DECISION_UNSPECIFIED, "x", grpc.StatusCode.INVALID_ARGUMENT),
            (dinas, pb.ADJUDICATION_DECISION_FRAUD, "  ", grpc.StatusCode.INVALID_ARGUMENT),
            (as_officer(Role.OPERATOR_DINAS, TANAH_BUMBU), pb.ADJUDICATION_DECISION_FRAUD, "x",
             grpc.StatusCode.PERMISSION_DENIED)):
        with pytest.raises(grpc.RpcError) as caught:
            _resolve(caller, second.register_number, decision, note)
        assert caught.value.code() == code
    _resolve(dinas, second.register_number, pb.ADJUDICATION_DECISION_SAME_PERSON)
    with pytest.raises(grpc.RpcError) as caught:
        _resolve(dinas, second.register_number, pb.ADJUDICATION_DECISION_DIFFERENT_PERSON)
    assert details(caught.value) == (["register_number"], "ADJUDICATION_REFUSED")
    first = stub.RecordResident(pb_request(), timeout=T).recording
    by_nik = stub.RecordResident(again(pb_request(), nik=first.resident.nik), timeout=T).recording
    with pytest.raises(grpc.RpcError) as caught:
        _resolve(dinas, by_nik.register_number, pb.ADJUDICATION_DECISION_DIFFERENT_PERSON)
    assert details(caught.value) == (["decision"], "ADJUDICATION_REFUSED")
    with pytest.raises(grpc.RpcError) as caught:
        _resolve(dinas, "6203-20261128-000999", pb.ADJUDICATION_DECISION_SAME_PERSON)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_duplicate_pre_recording_found_different_stays_held(stub, runtime, as_officer):
    young = dict(birth=dt.date(2010, 1, 1), full_name="Andi Pratama", mother_name="Yuliana")
    stub.RecordResident(pb_request(**young), timeout=T)
    second = stub.RecordResident(pb_request(**young), timeout=T).recording
    assert second.state == pb.RECORDING_STATE_DUPLICATE
    after = _resolve(as_officer(Role.OPERATOR_DINAS, KAPUAS), second.register_number,
                     pb.ADJUDICATION_DECISION_DIFFERENT_PERSON).recording
    assert after.state == pb.RECORDING_STATE_SENT and after.hold_until == "2027-01-01"
    assert runtime.service.release_pre_recordings(CLI, dt.date(2027, 1, 1)) == 2


def test_concurrent_recordings_of_one_person_under_two_niks_find_each_other(runtime, stub):
    import threading
    requests = [pb_request(full_name="Yusuf Maulana", mother_name="Halimah", nik=nik(dt.date(1990, 5, 17)))
                for _ in range(2)]
    results = []
    threads = [threading.Thread(target=lambda r=r: results.append(stub.RecordResident(r, timeout=T).recording))
               for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.state for r in results) == [pb.RECORDING_STATE_PRINT_READY, pb.RECORDING_STATE_DUPLICATE]
