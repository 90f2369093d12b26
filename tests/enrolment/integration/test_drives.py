"""Pick-up drives (jemput bola) over gRPC: plan (to the lowest coverage), open, record under,
close with the reconciliation and DriveClosed; bad input and wrong states; the pages."""
from __future__ import annotations

import re

import grpc
import pytest
import sqlalchemy as sa

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from enrolment import db
from servicekit.access import Role
from servicekit.clients import make_channel
from tests.enrolment.factories import CLI, VILLAGE, pb_request
from tests.enrolment.integration.test_grpc import T, details, events

KAPUAS, SELAT, MURUNG, KELURAHAN = "62.03", "62.03.01", "62.03.01.1006", "62.03.01.1002"
DAY = "2026-11-30"   # the tests' clock says 2026-11-28


@pytest.fixture
def team(runtime):
    for username, role, scope in (("kapuas.operator", "operator_dinas", KAPUAS),
                                  ("selat.operator", "operator_kecamatan", SELAT),
                                  ("tb.operator", "operator_dinas", "63.10"),
                                  ("kapuas.auditor", "auditor", KAPUAS)):
        runtime.accounts.create(CLI, username, role, scope, "kata-sandi-uji-123")
    runtime.service.set_targets([(MURUNG, 50), (VILLAGE, 10), (KELURAHAN, 30)])
    return ("kapuas.operator", "selat.operator")


def plan_request(**changes) -> pb.PlanDriveRequest:
    values = dict(office_code=KAPUAS, village_codes=[MURUNG], planned_for=DAY,
                  team=["kapuas.operator", "selat.operator"], devices=["tablet-01", "tablet-02"])
    values.update(changes)
    return pb.PlanDriveRequest(**values)


def stub_as(runtime, identity, role: Role, scope: str):
    channel = make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: identity.officer(role, scope))
    return enrolment_pb2_grpc.EnrolmentServiceStub(channel)


def failure(call, request) -> tuple[grpc.StatusCode, list[str], str]:
    with pytest.raises(grpc.RpcError) as caught:
        call(request, timeout=T)
    return (caught.value.code(), *details(caught.value))


def drives_stored(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(db.drives)).scalar_one()


def test_a_drive_is_planned_opened_recorded_under_and_closed_with_its_reconciliation(stub, feed, team):
    planned = stub.PlanDrive(plan_request(village_codes=[MURUNG, KELURAHAN]), timeout=T).drive
    assert planned.state == pb.DRIVE_STATE_PLANNED and planned.planned_for == DAY
    assert [(v.region_code, v.planned) for v in planned.villages] == [(KELURAHAN, 30), (MURUNG, 50)]
    assert list(planned.team) == ["kapuas.operator", "selat.operator"] and not planned.HasField("reconciliation")

    opened = stub.OpenDrive(pb.OpenDriveRequest(drive_id=planned.id), timeout=T).drive
    assert opened.state == pb.DRIVE_STATE_OPEN and opened.opened_at.seconds > 0
    first = pb_request(region_code=MURUNG)
    first.drive_id = planned.id
    recorded = stub.RecordResident(first, timeout=T).recording
    assert recorded.drive_id == planned.id and recorded.state == pb.RECORDING_STATE_PRINT_READY
    again = pb_request(region_code=MURUNG, nik=first.resident.nik)          # the same person again
    again.drive_id = planned.id
    assert stub.RecordResident(again, timeout=T).recording.state == pb.RECORDING_STATE_DUPLICATE
    other = pb_request(region_code=KELURAHAN)
    other.drive_id = planned.id
    stub.RecordResident(other, timeout=T)
    stub.RecordResident(pb_request(region_code=MURUNG), timeout=T)          # at the office: not the drive's

    closed = stub.CloseDrive(pb.CloseDriveRequest(drive_id=planned.id), timeout=T).drive
    assert closed.state == pb.DRIVE_STATE_CLOSED and closed.closed_by == "petugas.uji"
    r = closed.reconciliation
    assert (r.planned, r.recorded, r.failed, r.duplicates) == (80, 2, 0, 1)
    assert [(v.region_code, v.reconciliation.recorded, v.reconciliation.duplicates) for v in closed.villages] == [
        (KELURAHAN, 1, 0), (MURUNG, 1, 1)]
    assert stub.GetDrive(pb.GetDriveRequest(drive_id=planned.id), timeout=T).drive == closed
    assert stub.CloseDrive(pb.CloseDriveRequest(drive_id=planned.id), timeout=T).drive == closed   # harmless retry

    closing = [e for e in events(feed) if e.type == "ektp.enrolment.v1.DriveClosed"]
    assert len(closing) == 1 and closing[0].region_code == KAPUAS
    payload = pb.DriveClosed()
    closing[0].payload.Unpack(payload)
    assert (payload.drive_id, list(payload.village_codes), payload.reconciliation.recorded) == (
        planned.id, [KELURAHAN, MURUNG], 2)

    late = pb_request(region_code=MURUNG)
    late.drive_id = planned.id
    code, fields, reason = failure(stub.RecordResident, late)
    assert code is grpc.StatusCode.FAILED_PRECONDITION and reason == "DRIVE_NOT_OPEN" and fields == ["drive_id"]
    assert failure(stub.OpenDrive, pb.OpenDriveRequest(drive_id=planned.id))[0] is grpc.StatusCode.FAILED_PRECONDITION


def test_without_desa_the_plan_takes_the_lowest_coverage_desa_with_people_to_record(stub, team):
    drive = stub.PlanDrive(plan_request(village_codes=[]), timeout=T).drive
    assert [v.region_code for v in drive.villages] == [MURUNG]        # 0 of 50: the most still to record at 0%
    listed = stub.ListDrives(pb.ListDrivesRequest(office_code=KAPUAS), timeout=T).drives
    assert [d.id for d in listed] == [drive.id]
    assert stub.ListDrives(pb.ListDrivesRequest(office_code=KAPUAS, state=pb.DRIVE_STATE_CLOSED), timeout=T).drives == []


def test_a_kecamatan_operator_plans_for_its_own_kecamatan_only(runtime, identity, team):
    selat = stub_as(runtime, identity, Role.OPERATOR_KECAMATAN, SELAT)
    drive = selat.PlanDrive(plan_request(village_codes=[]), timeout=T).drive
    assert [v.region_code for v in drive.villages] == [MURUNG]
    code, _, reason = failure(selat.PlanDrive, plan_request(village_codes=["62.03.02.2001"]))
    assert code is grpc.StatusCode.INVALID_ARGUMENT     # not a registered desa in the test regions
    other = stub_as(runtime, identity, Role.OPERATOR_DINAS, "63.10")
    assert failure(other.PlanDrive, plan_request())[0] is grpc.StatusCode.PERMISSION_DENIED
    assert failure(other.GetDrive, pb.GetDriveRequest(drive_id=drive.id))[0] is grpc.StatusCode.PERMISSION_DENIED
    assert drives_stored(runtime) == 1


def test_a_bad_plan_is_invalid_argument_naming_each_field_and_stores_nothing(stub, runtime, team):
    bad = plan_request(village_codes=[MURUNG, "63.10.01.1007", MURUNG], planned_for="2026-11-27",
                       team=["kapuas.operator", "tb.operator", "kapuas.auditor", "nobody.here", "Bad Name"],
                       devices=["tab 1"])
    code, fields, reason = failure(stub.PlanDrive, bad)
    assert code is grpc.StatusCode.INVALID_ARGUMENT
    assert fields == ["village_codes[1]", "village_codes[2]", "planned_for", "team[1]", "team[2]", "team[3]",
                      "team[4]", "devices[0]"]
    assert failure(stub.PlanDrive, plan_request(office_code="62-03"))[1] == ["office_code"]
    assert drives_stored(runtime) == 0


def test_unknown_and_malformed_drive_ids(stub, team):
    assert failure(stub.GetDrive, pb.GetDriveRequest(drive_id=999))[0] is grpc.StatusCode.NOT_FOUND
    code, fields, _ = failure(stub.CloseDrive, pb.CloseDriveRequest(drive_id=0))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and fields == ["drive_id"]
    assert failure(stub.ListDrives, pb.ListDrivesRequest(office_code="62.03.01"))[1] == ["office_code"]


def test_a_recording_under_a_drive_must_fit_it(stub, runtime, team):
    drive = stub.PlanDrive(plan_request(), timeout=T).drive
    planned_only = pb_request(region_code=MURUNG)
    planned_only.drive_id = drive.id
    assert failure(stub.RecordResident, planned_only)[0] is grpc.StatusCode.FAILED_PRECONDITION
    stub.OpenDrive(pb.OpenDriveRequest(drive_id=drive.id), timeout=T)
    elsewhere = pb_request(region_code=VILLAGE)           # lives in a desa the drive does not visit
    elsewhere.drive_id = drive.id
    assert failure(stub.RecordResident, elsewhere)[:2] == (grpc.StatusCode.INVALID_ARGUMENT, ["resident.region_code"])
    unknown = pb_request(region_code=MURUNG)
    unknown.drive_id = 4242
    assert failure(stub.RecordResident, unknown)[:2] == (grpc.StatusCode.INVALID_ARGUMENT, ["drive_id"])
    with runtime.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one() == 0


# ---- pages ------------------------------------------------------------------------------------------

def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_plan_page_proposes_the_lowest_coverage_desa_and_keeps_what_was_typed(runtime, web, team):
    client = web(Role.OPERATOR_DINAS, KAPUAS)
    form = client.get("/jemput-bola/rencana").get_data(as_text=True)
    assert re.search(rf'value="{re.escape(MURUNG)}" id="desa-{re.escape(MURUNG)}"\s+checked', form)
    refused = client.post("/jemput-bola/rencana", data={
        "csrf_token": csrf(form), "kantor": KAPUAS, "tanggal": "2026-11-01", "tim": "kapuas.operator, orang.asing",
        "perangkat": "tablet-01", "desa": [MURUNG]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="tanggal-error"' in page and 'id="tim-error"' in page
    assert 'value="kapuas.operator, orang.asing"' in page and 'value="2026-11-01"' in page
    assert drives_stored(runtime) == 0
    saved = client.post("/jemput-bola/rencana", data={
        "csrf_token": csrf(form), "kantor": KAPUAS, "tanggal": DAY, "tim": "kapuas.operator selat.operator",
        "perangkat": "", "desa": [MURUNG, KELURAHAN]})
    assert saved.status_code == 302
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Direncanakan" in detail and "Murung Keramat" in detail and "Buka jemput bola" in detail


def test_the_drive_pages_open_and_close_a_drive_and_show_its_reconciliation(runtime, web, team):
    client = web(Role.OPERATOR_DINAS, KAPUAS)
    drive = runtime.service.plan_drive(CLI, __import__("enrolment.domain", fromlist=["DrivePlan"]).DrivePlan(
        KAPUAS, (MURUNG,), DAY, ("kapuas.operator",)))
    confirm = client.get(f"/jemput-bola/{drive.id}/mulai").get_data(as_text=True)
    assert client.post(f"/jemput-bola/{drive.id}/mulai", data={"csrf_token": csrf(confirm)}).status_code == 302
    confirm = client.get(f"/jemput-bola/{drive.id}/tutup").get_data(as_text=True)
    assert "Hasil sementara" in confirm
    assert client.post(f"/jemput-bola/{drive.id}/tutup", data={}).status_code == 400     # no CSRF token
    assert client.post(f"/jemput-bola/{drive.id}/tutup", data={"csrf_token": csrf(confirm)}).status_code == 302
    detail = client.get(f"/jemput-bola/{drive.id}").get_data(as_text=True)
    assert "Rekonsiliasi" in detail and 'id="total-planned">50<' in detail
    listing = client.get("/jemput-bola").get_data(as_text=True)
    assert f'href="/jemput-bola/{drive.id}"' in listing and "Ditutup" in listing
    assert web(Role.AUDITOR, KAPUAS).post(f"/jemput-bola/{drive.id}/tutup", data={}).status_code == 403


def test_closing_while_the_team_still_records_counts_every_recording_made_under_the_drive(runtime, team):
    """A close waits for recordings in flight (they share-lock the drive) and later ones are
    refused: whatever was stored under the drive is exactly what the reconciliation counts."""
    import threading

    from enrolment.domain import DrivePlan, DriveState
    from enrolment.errors import DriveNotOpen
    from tests.conftest import wait_for
    from tests.enrolment.factories import request

    service = runtime.service
    drive = service.plan_drive(CLI, DrivePlan(KAPUAS, (MURUNG,), DAY, ("kapuas.operator",)))
    service.open_drive(CLI, drive.id)
    refused, stored, start = [], [], threading.Barrier(5)

    def record(n: int) -> None:
        start.wait()
        for _ in range(n):
            base = request(region_code=MURUNG)
            try:
                stored.append(service.record_resident(CLI, type(base)(base.resident, base.office_code,
                                                                      base.biometrics, drive_id=drive.id)))
            except DriveNotOpen:
                refused.append(1)

    workers = [threading.Thread(target=record, args=(15,)) for _ in range(4)]
    for w in workers:
        w.start()
    start.wait()
    wait_for(lambda: len(stored) >= 5, message="the first recordings under the drive")
    closed = service.close_drive(CLI, drive.id)
    for w in workers:
        w.join(60)
    with runtime.engine.connect() as conn:
        under = conn.execute(sa.select(sa.func.count()).select_from(db.recordings)
                             .where(db.recordings.c.drive_id == drive.id)).scalar_one()
    assert closed.state is DriveState.CLOSED and len(stored) + len(refused) == 60
    assert under == len(stored) == closed.reconciliation.recorded   # none slipped in after the close
