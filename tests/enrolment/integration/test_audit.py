"""Reading and recording residents leave a tamper-evident trail: who, in which role, what,
which recording, from where. `python -m enrolment audit-verify` finds tampering."""
from __future__ import annotations

import grpc
import pytest
import sqlalchemy as sa

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from enrolment import db
from enrolment.__main__ import main
from servicekit.access import Role
from tests.enrolment.factories import CLI, VILLAGE, pb_request, request
from tests.enrolment.integration.conftest import build_runtime, stop_runtime
from tests.identity import bearer

T = 5.0


def audit_rows(runtime) -> list[tuple]:
    t = db.audit_log
    with runtime.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            sa.select(t.c.actor, t.c.role, t.c.action, t.c.record_type, t.c.record_id, t.c.origin).order_by(t.c.seq))]


def test_recording_and_reading_append_who_what_which_and_from_where(runtime, channel, identity):
    stub = enrolment_pb2_grpc.EnrolmentServiceStub(channel)
    dinas = bearer(identity.officer(Role.OPERATOR_DINAS, "62.03", subject="dinas.kapuas"))
    lurah = bearer(identity.officer(Role.LURAH, VILLAGE, subject="lurah.uji"))
    request_pb = pb_request(request_id="tablet-9/1")
    number = stub.RecordResident(request_pb, timeout=T, metadata=dinas).recording.register_number
    stub.GetRecording(pb.GetRecordingRequest(register_number=number), timeout=T, metadata=lurah)
    stub.GetRecording(pb.GetRecordingRequest(register_number=number), timeout=T,
                      metadata=bearer(identity.service("documents")))
    stub.RecordResident(request_pb, timeout=T, metadata=dinas)   # a retry hands the recording back: a read

    assert audit_rows(runtime) == [
        ("dinas.kapuas", "operator_dinas", "recording.create", "recording", number, "127.0.0.1"),
        ("lurah.uji", "lurah", "recording.read", "recording", number, "127.0.0.1"),
        ("service:documents", "service", "recording.read", "recording", number, "127.0.0.1"),
        ("dinas.kapuas", "operator_dinas", "recording.read", "recording", number, "127.0.0.1"),
    ]
    assert not any(request_pb.resident.nik in str(row) or "Siti" in str(row) for row in audit_rows(runtime))


def test_refused_and_failed_calls_append_nothing(runtime, channel, identity):
    stub = enrolment_pb2_grpc.EnrolmentServiceStub(channel)
    number = runtime.service.record_resident(CLI, request()).register_number
    before = audit_rows(runtime)
    out_of_scope = bearer(identity.officer(Role.OPERATOR_DINAS, "63.10"))
    for call, message in ((stub.GetRecording, pb.GetRecordingRequest(register_number=number)),
                          (stub.RecordResident, pb_request()),
                          (stub.GetRecording, pb.GetRecordingRequest(register_number="6203-20261128-000099"))):
        with pytest.raises(grpc.RpcError):
            call(message, timeout=T, metadata=out_of_scope)
    assert audit_rows(runtime) == before


def test_the_cli_and_the_pages_are_audited_with_their_origin(runtime, web):
    number = runtime.service.record_resident(CLI, request()).register_number
    assert web(Role.AUDITOR, "62").get(f"/perekaman/{number}").status_code == 200
    rows = audit_rows(runtime)
    assert rows[0] == ("service:enrolment", "service", "recording.create", "recording", number, "cli")
    assert rows[-1] == ("petugas.uji", "auditor", "recording.read", "recording", number, "127.0.0.1")


def _cli(tmp_path, monkeypatch, url: str, capsys, *argv: str) -> tuple[int, str]:
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ENROLMENT_DATABASE_URL", url)
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def sqlite_runtime(sqlite_url, tmp_path):
    runtime = build_runtime(sqlite_url, tmp_path)
    yield runtime
    stop_runtime(runtime)


def test_audit_verify_passes_an_intact_log_and_fails_after_tampering(sqlite_runtime, tmp_path, monkeypatch, capsys):
    runtime = sqlite_runtime
    for _ in range(3):
        runtime.service.get_recording(CLI, runtime.service.record_resident(CLI, request()).register_number)
    url = runtime.settings.database_url
    code, out = _cli(tmp_path, monkeypatch, url, capsys, "audit-verify")
    assert (code, "audit log intact, 6 entries" in out) == (0, True)

    with runtime.engine.begin() as conn:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            conn.execute(sa.text("UPDATE audit_log SET actor = 'someone.else' WHERE seq = 2"))
    with runtime.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.execute(sa.text("UPDATE audit_log SET actor = 'someone.else' WHERE seq = 2"))
    code, out = _cli(tmp_path, monkeypatch, url, capsys, "audit-verify")
    assert code == 1 and "BROKEN at entry 2" in out
