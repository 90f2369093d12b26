import datetime as dt
import threading

import grpc
import pytest
import sqlalchemy as sa
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from enrolment import db
from enrolment.demo import synthetic_png
from enrolment.events import decode_payload
from servicekit.access import Role
from tests.conftest import wait_for
from tests.enrolment.factories import VILLAGE, nik, pb_request
from tests.identity import bearer

T = 5.0  # every call carries a deadline


def details(err: grpc.RpcError) -> tuple[list[str], str]:
    """(field violations, ErrorInfo reason) of a failed call."""
    fields, reason = [], ""
    for detail in rpc_status.from_call(err).details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations]
        elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
    return fields, reason


def events(feed, after: int = 0) -> list[events_pb2.Event]:
    """The event stream, read as the reporting service (officers may not read it)."""
    request = events_pb2.StreamEventsRequest(after_sequence=after)
    return [r.event for r in feed.StreamEvents(request, timeout=T)]


def stored_recordings(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one()


def test_clean_recording_is_print_ready_and_streams_captured_then_print_ready(stub, feed):
    recording = stub.RecordResident(pb_request(rt="7"), timeout=T).recording
    assert recording.state == pb.RECORDING_STATE_PRINT_READY
    assert recording.register_number == "6203-20261128-000001"
    assert recording.resident.rt == "007" and recording.office_code == "62.03"
    stream = events(feed)
    assert [e.type for e in stream] == ["ektp.enrolment.v1.RecordingCaptured", "ektp.enrolment.v1.RecordingPrintReady"]
    assert [e.sequence for e in stream] == sorted(e.sequence for e in stream)
    assert all(e.region_code == VILLAGE for e in stream)
    ready = decode_payload(stream[1])
    assert (ready.register_number, ready.office_code, ready.region_code) == (recording.register_number, "62.03", VILLAGE)
    fetched = stub.GetRecording(pb.GetRecordingRequest(register_number=recording.register_number), timeout=T)
    assert fetched.recording == recording


def test_second_recording_of_the_same_nik_is_duplicate_without_print_ready(stub, feed):
    first = stub.RecordResident(pb_request(), timeout=T).recording
    after = events(feed)[-1].sequence
    again = pb_request()
    again.resident.nik = first.resident.nik
    second = stub.RecordResident(again, timeout=T).recording
    assert (second.state, second.duplicate_of) == (pb.RECORDING_STATE_DUPLICATE, first.register_number)
    later = events(feed, after)
    assert [e.type.rsplit(".", 1)[1] for e in later] == ["RecordingCaptured", "RecordingDuplicate"]
    assert decode_payload(later[1]).duplicate_of == first.register_number


def _bad(**changes):
    return pb_request(**changes)


def _bad_biometrics(*qualities, digest="", face_photo=b"", signature=b""):
    return pb_request(biometrics=pb.BiometricCapture(
        qualities=[pb.ModalityQuality(modality=m, quality=q) for m, q in qualities], template_digest=digest,
        face_photo=face_photo, signature=signature))


PHOTO, SIGNATURE = synthetic_png(30, 40, 120), synthetic_png(60, 20, 30)


BAD_INPUTS = {
    "resident.nik": [_bad(nik="12345"), _bad(nik="6203011713900001"), _bad(nik="6299011705900001"),
                     _bad(nik="6203013102900001", birth=dt.date(1990, 2, 28))],
    "resident.kk_number": [_bad(kk_number="62030115"), _bad(kk_number="9999011505100001")],
    "resident.full_name": [_bad(full_name=""), _bad(full_name="Budi 2"), _bad(full_name="x" * 101)],
    "resident.birth_place": [_bad(birth_place=" ")],
    "resident.birth_date": [_bad(birth_date="17-05-1990"), _bad(birth_date="2027-01-01"),
                            _bad(birth_date="1899-12-31")],
    "resident.sex": [_bad(sex=pb.SEX_UNSPECIFIED)],
    "resident.blood_type": [_bad(blood_type="Z")],
    "resident.address": [_bad(address="")],
    "resident.rt": [_bad(rt="000"), _bad(rt="1234"), _bad(rt="")],
    "resident.rw": [_bad(rw="a")],
    "resident.region_code": [_bad(region_code="62.03"), _bad(region_code="62.03.01.2999"), _bad(region_code="x")],
    "resident.religion": [_bad(religion=pb.RELIGION_UNSPECIFIED)],
    "resident.marital_status": [_bad(marital_status=pb.MARITAL_STATUS_UNSPECIFIED)],
    "resident.occupation": [_bad(occupation="")],
    "resident.citizenship": [_bad(citizenship=pb.CITIZENSHIP_UNSPECIFIED)],
    "office_code": [_bad(office_code=""), _bad(office_code="62.03.01"), _bad(office_code="62.99")],
    "request_id": [_bad(request_id="r" * 101)],
    "biometrics.qualities[0].quality": [_bad_biometrics((pb.MODALITY_FACE, 101))],
    "biometrics.qualities[1].modality": [_bad_biometrics((pb.MODALITY_FACE, 50), (pb.MODALITY_FACE, 60)),
                                         _bad_biometrics((pb.MODALITY_FACE, 50), (pb.MODALITY_UNSPECIFIED, 60))],
    "biometrics.template_digest": [_bad_biometrics(digest="abc")],
    "resident.mother_name": [_bad(mother_name="Siti 2"), _bad(mother_name="x" * 101)],
    "resident.father_name": [_bad(father_name="<Ahmad>")],
    "biometrics.face_photo": [_bad_biometrics(face_photo=b"GIF89a" + bytes(20)),
                              _bad_biometrics(face_photo=PHOTO + bytes(512 * 1024))],
    "biometrics.signature": [_bad_biometrics(signature=b"%PDF-1.7")],
}


def test_each_bad_input_is_invalid_argument_naming_the_field_and_stores_nothing(stub, runtime, feed):
    for field, requests in BAD_INPUTS.items():
        for request in requests:
            with pytest.raises(grpc.RpcError) as caught:
                stub.RecordResident(request, timeout=T)
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, field
            fields, reason = details(caught.value)
            assert fields == [field], (field, request)
            assert reason == "INVALID_ARGUMENT"
            assert request.resident.nik not in caught.value.details()
    assert stored_recordings(runtime) == 0
    assert events(feed) == []


def test_every_violation_of_one_request_comes_back_together(stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.RecordResident(_bad(rt="0", rw="0", office_code="", sex=pb.SEX_UNSPECIFIED), timeout=T)
    assert sorted(details(caught.value)[0]) == ["office_code", "resident.rt", "resident.rw", "resident.sex"]


def test_single_fifteen_year_old_is_failed_precondition_not_eligible(stub, runtime):
    with pytest.raises(grpc.RpcError) as caught:
        stub.RecordResident(pb_request(birth=dt.date(2011, 1, 1)), timeout=T)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details(caught.value) == (["resident.birth_date"], "NOT_ELIGIBLE")
    assert stored_recordings(runtime) == 0


def test_married_sixteen_year_old_is_recorded(stub):
    request = pb_request(birth=dt.date(2010, 1, 1), marital_status=pb.MARITAL_STATUS_MARRIED)
    assert stub.RecordResident(request, timeout=T).recording.state == pb.RECORDING_STATE_PRINT_READY


def test_get_recording_unknown_is_not_found_and_malformed_is_invalid(stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetRecording(pb.GetRecordingRequest(register_number="6203-20261128-000042"), timeout=T)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetRecording(pb.GetRecordingRequest(register_number="6203-2026"), timeout=T)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details(caught.value)[0] == ["register_number"]


def test_repeated_request_id_returns_the_first_recording_and_stores_nothing(stub, runtime, feed):
    first = stub.RecordResident(pb_request(request_id="tablet-1/0001"), timeout=T).recording
    retry = pb_request(request_id="tablet-1/0001")
    second = stub.RecordResident(retry, timeout=T).recording
    assert second == first
    assert stored_recordings(runtime) == 1 and len(events(feed)) == 2


def test_mismatched_nik_is_recorded_with_review_flags(stub):
    request = pb_request(birth=dt.date(1990, 5, 17))
    request.resident.nik = nik(dt.date(1990, 5, 18))
    recording = stub.RecordResident(request, timeout=T).recording
    assert list(recording.review_flags) == ["NIK_BIRTH_DATE_MISMATCH"]
    assert recording.state == pb.RECORDING_STATE_PRINT_READY


def test_follow_stream_delivers_an_event_committed_after_it_opened(stub, feed):
    call = feed.StreamEvents(events_pb2.StreamEventsRequest(follow=True), timeout=15)
    received = []

    def read():
        try:
            for response in call:
                received.append(response.event)
        except grpc.RpcError as err:
            assert err.code() == grpc.StatusCode.CANCELLED

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    stub.RecordResident(pb_request(), timeout=T)
    wait_for(lambda: len(received) >= 2, message="followed events")
    call.cancel()
    reader.join(5)
    assert received[0].type == "ektp.enrolment.v1.RecordingCaptured"


def test_concurrent_recordings_get_unique_register_numbers(stub):
    numbers, errors = [], []

    def record(_):
        try:
            for _ in range(3):
                numbers.append(stub.RecordResident(pb_request(), timeout=30).recording.register_number)
        except grpc.RpcError as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=record, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"6203-20261128-{i:06d}" for i in range(1, 25)]


def test_concurrent_recordings_of_one_nik_leave_exactly_one_print_ready(stub):
    request = pb_request()
    states = []
    threads = [threading.Thread(target=lambda: states.append(stub.RecordResident(request, timeout=30).recording.state))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(states) == [pb.RECORDING_STATE_PRINT_READY] + [pb.RECORDING_STATE_DUPLICATE] * 7


def test_regions_and_targets_are_served(stub, runtime, feed):
    runtime.service.set_targets([("62.03.01", 120)])
    provinces = stub.ListRegions(pb.ListRegionsRequest(), timeout=T).regions
    assert [r.code for r in provinces] == ["62", "63"]
    region = stub.GetRegion(pb.GetRegionRequest(code=VILLAGE), timeout=T).region
    assert (region.level, region.parent_code, region.is_kelurahan) == (pb.REGION_LEVEL_VILLAGE, "62.03.01", False)
    targets = stub.ListTargets(pb.ListTargetsRequest(parent_code="62.03"), timeout=T).targets
    assert [(t.region_code, t.region_name, t.wajib_ktp) for t in targets] == [("62.03.01", "Selat", 120)]
    changed = [decode_payload(e) for e in events(feed)]
    assert [(c.region_code, c.region_name, c.wajib_ktp) for c in changed] == [("62.03.01", "Selat", 120)]
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetRegion(pb.GetRegionRequest(code="62.99"), timeout=T)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListRegions(pb.ListRegionsRequest(parent_code="62;03"), timeout=T)
    assert details(caught.value)[0] == ["parent_code"]


def test_health_is_serving_per_service(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", "ektp.enrolment.v1.EnrolmentService"):
        response = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=T)
        assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_parents_photo_and_signature_come_back_to_staff_and_a_lurah_sees_only_the_status(stub, channel, identity):
    request = pb_request(mother_name="Siti Aminah", father_name="Ahmad Yani", biometrics=pb.BiometricCapture(
        qualities=[pb.ModalityQuality(modality=pb.MODALITY_FACE, quality=90)], face_photo=PHOTO, signature=SIGNATURE))
    recorded = stub.RecordResident(request, timeout=T).recording
    assert (recorded.resident.mother_name, recorded.face_photo, recorded.signature) == ("Siti Aminah", PHOTO, SIGNATURE)
    number = pb.GetRecordingRequest(register_number=recorded.register_number)
    assert stub.GetRecording(number, timeout=T).recording == recorded
    lurah = bearer(identity.officer(Role.LURAH, "62.03.01.2001"))
    as_lurah = enrolment_pb2_grpc.EnrolmentServiceStub(channel).GetRecording(number, timeout=T, metadata=lurah)
    status = as_lurah.recording
    assert (status.register_number, status.state, status.office_code, status.resident.region_code,
            status.captured_at) == (recorded.register_number, recorded.state, "62.03", VILLAGE, recorded.captured_at)
    assert status.resident == pb.Resident(region_code=VILLAGE)
    assert (status.face_photo, status.signature, list(status.review_flags)) == (b"", b"", [])
