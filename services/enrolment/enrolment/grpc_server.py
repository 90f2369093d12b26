"""EnrolmentService over gRPC: protobuf <-> domain translation only; errors map in servicekit.

The gate (servicekit.grpcserver) has admitted the caller before a method runs; each method
hands `current_principal()` to its use case, which checks the region scope."""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterator

import grpc
from google.protobuf import timestamp_pb2
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from enrolment import domain
from enrolment.service import EnrolmentService
from servicekit.grpcserver import current_principal

SERVICE_NAME = "ektp.enrolment.v1.EnrolmentService"

StreamEvents = Callable[[events_pb2.StreamEventsRequest, grpc.ServicerContext],
                        Iterator[events_pb2.StreamEventsResponse]]

_ENUMS: dict[type[enum.Enum], tuple[EnumTypeWrapper, str]] = {
    domain.Sex: (pb.Sex, "SEX_"),
    domain.MaritalStatus: (pb.MaritalStatus, "MARITAL_STATUS_"),
    domain.Religion: (pb.Religion, "RELIGION_"),
    domain.Citizenship: (pb.Citizenship, "CITIZENSHIP_"),
    domain.Modality: (pb.Modality, "MODALITY_"),
    domain.RecordingState: (pb.RecordingState, "RECORDING_STATE_"),
}


def _from_pb(enum_type, value: int):
    """Domain enum member for a proto enum number; unknown numbers count as UNSPECIFIED."""
    wrapper, prefix = _ENUMS[enum_type]
    try:
        return enum_type(wrapper.Name(value).removeprefix(prefix))
    except ValueError:
        return enum_type("UNSPECIFIED")


def _to_pb(member: enum.Enum) -> int:
    wrapper, prefix = _ENUMS[type(member)]
    return wrapper.Value(prefix + member.value)


def resident_from_pb(m: pb.Resident) -> domain.Resident:
    return domain.Resident(
        nik=m.nik, kk_number=m.kk_number, full_name=m.full_name, birth_place=m.birth_place,
        birth_date=m.birth_date, sex=_from_pb(domain.Sex, m.sex), blood_type=m.blood_type,
        address=m.address, rt=m.rt, rw=m.rw, region_code=m.region_code,
        religion=_from_pb(domain.Religion, m.religion),
        marital_status=_from_pb(domain.MaritalStatus, m.marital_status),
        occupation=m.occupation, citizenship=_from_pb(domain.Citizenship, m.citizenship),
        mother_name=m.mother_name, father_name=m.father_name)


def request_from_pb(m: pb.RecordResidentRequest) -> domain.RecordingRequest:
    biometrics = domain.Biometrics(
        qualities=tuple(domain.ModalityQuality(_from_pb(domain.Modality, q.modality), q.quality)
                        for q in m.biometrics.qualities),
        template_digest=m.biometrics.template_digest, face_photo=m.biometrics.face_photo,
        signature=m.biometrics.signature)
    return domain.RecordingRequest(resident_from_pb(m.resident), m.office_code, biometrics, m.request_id)


def resident_to_pb(r: domain.Resident) -> pb.Resident:
    return pb.Resident(
        nik=r.nik, kk_number=r.kk_number, full_name=r.full_name, birth_place=r.birth_place,
        birth_date=r.birth_date, sex=_to_pb(r.sex), blood_type=r.blood_type, address=r.address,
        rt=r.rt, rw=r.rw, region_code=r.region_code, religion=_to_pb(r.religion),
        marital_status=_to_pb(r.marital_status), occupation=r.occupation, citizenship=_to_pb(r.citizenship),
        mother_name=r.mother_name, father_name=r.father_name)


def recording_to_pb(rec: domain.Recording) -> pb.Recording:
    captured = timestamp_pb2.Timestamp()
    captured.FromDatetime(rec.captured_at)
    return pb.Recording(
        register_number=rec.register_number, state=_to_pb(rec.state), resident=resident_to_pb(rec.resident),
        office_code=rec.office_code, captured_at=captured, review_flags=list(rec.review_flags),
        duplicate_of=rec.duplicate_of, face_photo=rec.biometrics.face_photo, signature=rec.biometrics.signature)


def region_to_pb(r: domain.Region) -> pb.Region:
    return pb.Region(code=r.code, name=r.name, level=int(r.level), parent_code=r.parent_code,
                     is_kelurahan=r.is_kelurahan)


class EnrolmentServicer(enrolment_pb2_grpc.EnrolmentServiceServicer):
    def __init__(self, service: EnrolmentService, stream_events: StreamEvents) -> None:
        self._service = service
        self._stream_events = stream_events

    def RecordResident(self, request, context):
        recording = self._service.record_resident(current_principal(), request_from_pb(request))
        return pb.RecordResidentResponse(recording=recording_to_pb(recording))

    def GetRecording(self, request, context):
        recording = self._service.get_recording(current_principal(), request.register_number)
        return pb.GetRecordingResponse(recording=recording_to_pb(recording))

    def GetRegion(self, request, context):
        return pb.GetRegionResponse(region=region_to_pb(self._service.get_region(current_principal(), request.code)))

    def ListRegions(self, request, context):
        regions = self._service.list_regions(current_principal(), request.parent_code)
        return pb.ListRegionsResponse(regions=[region_to_pb(r) for r in regions])

    def ListTargets(self, request, context):
        targets = self._service.list_targets(current_principal(), request.parent_code)
        return pb.ListTargetsResponse(targets=[
            pb.Target(region_code=t.region_code, region_name=t.region_name, wajib_ktp=t.wajib_ktp) for t in targets])

    def StreamEvents(self, request, context):
        return self._stream_events(request, context)


def register(servicer: EnrolmentServicer) -> Callable[[grpc.Server], None]:
    return lambda server: enrolment_pb2_grpc.add_EnrolmentServiceServicer_to_server(servicer, server)
