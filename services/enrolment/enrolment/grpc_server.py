"""EnrolmentService over gRPC: protobuf <-> domain translation only; errors map in servicekit.

The gate (servicekit.grpcserver) has admitted the caller before a method runs; each method
hands `current_principal()` to its use case, which checks the region scope."""
from __future__ import annotations

import enum
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator

import grpc
from google.protobuf import timestamp_pb2
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from enrolment import domain
from enrolment.accounts import AccountService
from enrolment.events import reconciliation_to_pb
from enrolment.service import EnrolmentService
from enrolment.web import FAILED_LOGINS_PER_MINUTE
from servicekit.errors import Unauthenticated
from servicekit.grpcserver import client_address, current_principal
from servicekit.ratelimit import FailureLimit

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
    domain.RecordingType: (pb.RecordingType, "RECORDING_TYPE_"),
    domain.AdjudicationDecision: (pb.AdjudicationDecision, "ADJUDICATION_DECISION_"),
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
        qualities=tuple(domain.ModalityQuality(_from_pb(domain.Modality, q.modality), q.quality, q.template_digest)
                        for q in m.biometrics.qualities),
        template_digest=m.biometrics.template_digest, face_photo=m.biometrics.face_photo,
        signature=m.biometrics.signature)
    return domain.RecordingRequest(resident_from_pb(m.resident), m.office_code, biometrics, m.request_id,
                                   drive_id=m.drive_id or None, recording_type=recording_type_from_pb(m.recording_type))


def recording_type_from_pb(value: int) -> domain.RecordingType:
    """UNSPECIFIED (a client from before the field) and unknown numbers are NEW."""
    try:
        return domain.RecordingType(pb.RecordingType.Name(value).removeprefix("RECORDING_TYPE_"))
    except ValueError:
        return domain.RecordingType.NEW


def decision_from_pb(value: int) -> domain.AdjudicationDecision | None:
    """None for UNSPECIFIED or an unknown number: the use case asks for a decision."""
    try:
        return domain.AdjudicationDecision(pb.AdjudicationDecision.Name(value).removeprefix("ADJUDICATION_DECISION_"))
    except ValueError:
        return None


def adjudication_to_pb(a: domain.Adjudication) -> pb.Adjudication:
    opened = timestamp_pb2.Timestamp()
    opened.FromDatetime(a.opened_at)
    resolved = None
    if a.resolved_at is not None:
        resolved = timestamp_pb2.Timestamp()
        resolved.FromDatetime(a.resolved_at)
    return pb.Adjudication(
        register_number=a.register_number, candidate_register_number=a.candidate_register_number,
        reasons=list(a.reasons), score=a.score, region_code=a.region_code, office_code=a.office_code,
        opened_at=opened, resolved_at=resolved,
        decision=_to_pb(a.decision) if a.decision else pb.ADJUDICATION_DECISION_UNSPECIFIED,
        resolver=a.resolver, note=a.note,
        comparison=[pb.FieldComparison(field=c.field, similarity=c.similarity, compared=c.compared)
                    for c in a.comparison])


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
        duplicate_of=rec.duplicate_of, face_photo=rec.biometrics.face_photo, signature=rec.biometrics.signature,
        drive_id=rec.drive_id or 0, recording_type=_to_pb(rec.recording_type),
        previous_register_number=rec.previous_register_number, failure_reason=rec.failure_reason,
        hold_until=rec.hold_until.isoformat() if rec.hold_until else "")


_SYNC_OUTCOMES = {o: pb.SyncOutcome.Value(f"SYNC_OUTCOME_{o.value}") for o in domain.SyncOutcome}
# SyncRecordings commits items in batches: up to this many, or what arrived within SYNC_LINGER
# seconds of a batch's first item (one transaction per batch keeps throughput near the wire's).
SYNC_BATCH = 100
SYNC_LINGER = 0.005
TOO_MANY_LOGINS = "Terlalu banyak percobaan masuk yang gagal dari perangkat ini. Tunggu satu menit."


def sync_item_from_pb(m: pb.SyncRecordingsRequest) -> domain.SyncItem:
    return domain.SyncItem(m.device_id, m.local_id, request_from_pb(m.recording))


def sync_result_to_pb(r: domain.SyncResult) -> pb.SyncRecordingsResponse:
    return pb.SyncRecordingsResponse(
        local_id=r.local_id, outcome=_SYNC_OUTCOMES[r.outcome], register_number=r.register_number,
        state=_to_pb(r.state) if r.state is not None else pb.RECORDING_STATE_UNSPECIFIED,
        duplicate_of=r.duplicate_of, message=r.message, replayed=r.replayed,
        violations=[pb.SyncViolation(field=v.field, description=v.description) for v in r.violations])


class StreamBatches:
    """A client stream's messages in batches: up to `size`, or what arrived within `linger`
    seconds of a batch's first message. A reader thread drains the stream so that a batch
    closes on time while the client is still sending; a cut or cancelled stream just ends."""

    _END = object()

    def __init__(self, stream: Iterable, *, size: int, linger: float) -> None:
        self._size, self._linger = size, linger
        self._queue: queue.Queue = queue.Queue(maxsize=4 * size)
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(stream,), name="enrolment-sync-reader", daemon=True)
        self._reader.start()

    def _read(self, stream: Iterable) -> None:
        try:
            for message in stream:
                if not self._put(message):
                    return
        except Exception:  # noqa: BLE001 - the client cut or cancelled the stream: no more messages
            pass
        self._put(self._END)

    def _put(self, item: object) -> bool:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        self._closed.set()

    def __iter__(self) -> Iterator[list]:
        while True:
            first = self._first()
            if first is self._END:
                return
            batch, closes = [first], time.monotonic() + self._linger
            while len(batch) < self._size:
                try:
                    message = self._queue.get(timeout=max(0.0, closes - time.monotonic()))
                except queue.Empty:
                    break
                if message is self._END:
                    yield batch
                    return
                batch.append(message)
            yield batch

    def _first(self) -> object:
        """The next message, waiting as long as it takes; the end once closed (a consumer in
        another thread then stops instead of waiting for a reader that has gone)."""
        while not self._closed.is_set():
            try:
                return self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
        return self._END


def processed_ahead(process: Callable[[list], list], batches: StreamBatches) -> Iterator[list]:
    """`process(batch)` for each batch, in order, in a worker thread: the next batch is processed
    and committed while the results of the one before are being sent (each send waits for the
    transport, the commit for the disk; one thread doing both left each idle in turn). A
    result list is handed over as soon as its batch is done, whatever the stream does next. An
    exception in `process` is raised here after the results before it; closing this generator
    (the client went away) stops the worker after the batch in hand."""
    done: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    end = object()

    def hand_over(item: object) -> bool:
        while not stop.is_set():
            try:
                done.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for batch in batches:
                if stop.is_set() or not hand_over(process(batch)):
                    return
        except BaseException as exc:  # noqa: BLE001 - raised again in the consumer's thread
            hand_over(exc)
            return
        hand_over(end)

    worker = threading.Thread(target=work, name="enrolment-sync-worker", daemon=True)
    worker.start()
    try:
        while (item := done.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        batches.close()


def region_to_pb(r: domain.Region) -> pb.Region:
    return pb.Region(code=r.code, name=r.name, level=int(r.level), parent_code=r.parent_code,
                     is_kelurahan=r.is_kelurahan, historic=r.historic)


_DRIVE_STATES = {s: pb.DriveState.Value(f"DRIVE_STATE_{s.value}") for s in domain.DriveState}
_DRIVE_STATES_BACK = {number: state for state, number in _DRIVE_STATES.items()}


def _stamp(value) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def drive_to_pb(d: domain.Drive) -> pb.Drive:
    def village(v: domain.DriveVillage) -> pb.DriveVillage:
        part = None
        if v.recorded is not None:
            part = pb.DriveReconciliation(planned=v.planned, recorded=v.recorded, failed=v.failed or 0,
                                          duplicates=v.duplicates or 0)
        return pb.DriveVillage(region_code=v.region_code, region_name=v.region_name, planned=v.planned,
                               reconciliation=part)

    return pb.Drive(
        id=d.id, office_code=d.office_code, state=_DRIVE_STATES[d.state], planned_for=d.planned_for.isoformat(),
        villages=[village(v) for v in d.villages], team=list(d.team), devices=list(d.devices),
        planned_by=d.planned_by, planned_at=_stamp(d.planned_at), opened_at=_stamp(d.opened_at),
        closed_at=_stamp(d.closed_at), closed_by=d.closed_by,
        reconciliation=reconciliation_to_pb(d.reconciliation) if d.reconciliation else None)


def drive_plan_from_pb(m: pb.PlanDriveRequest) -> domain.DrivePlan:
    return domain.DrivePlan(office_code=m.office_code, village_codes=tuple(m.village_codes),
                            planned_for=m.planned_for, team=tuple(m.team), devices=tuple(m.devices))


class EnrolmentServicer(enrolment_pb2_grpc.EnrolmentServiceServicer):
    def __init__(self, service: EnrolmentService, stream_events: StreamEvents,
                 accounts: AccountService | None = None, trusted_proxy_count: int = 0) -> None:
        self._service = service
        self._trusted_proxy_count = trusted_proxy_count   # the ingress of field devices
        self._stream_events = stream_events
        self._accounts = accounts
        self._login_failures = FailureLimit(FAILED_LOGINS_PER_MINUTE, 60)   # per client address, as the login page

    def RecordResident(self, request, context):
        recording = self._service.record_resident(current_principal(), request_from_pb(request))
        return pb.RecordResidentResponse(recording=recording_to_pb(recording))

    def ListAdjudications(self, request, context):
        found = self._service.list_adjudications(current_principal(), request.region_code,
                                                 include_resolved=request.include_resolved, limit=request.limit)
        return pb.ListAdjudicationsResponse(adjudications=[adjudication_to_pb(a) for a in found])

    def ResolveDuplicate(self, request, context):
        adjudication, recording = self._service.resolve_duplicate(
            current_principal(), request.register_number, decision_from_pb(request.decision), request.note)
        return pb.ResolveDuplicateResponse(adjudication=adjudication_to_pb(adjudication),
                                           recording=recording_to_pb(recording))

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

    def PlanDrive(self, request, context):
        return pb.PlanDriveResponse(drive=drive_to_pb(self._service.plan_drive(current_principal(),
                                                                               drive_plan_from_pb(request))))

    def GetDrive(self, request, context):
        return pb.GetDriveResponse(drive=drive_to_pb(self._service.get_drive(current_principal(), request.drive_id)))

    def ListDrives(self, request, context):
        drives = self._service.list_drives(current_principal(), request.office_code,
                                           _DRIVE_STATES_BACK.get(request.state))
        return pb.ListDrivesResponse(drives=[drive_to_pb(d) for d in drives])

    def OpenDrive(self, request, context):
        return pb.OpenDriveResponse(drive=drive_to_pb(self._service.open_drive(current_principal(), request.drive_id)))

    def CloseDrive(self, request, context):
        return pb.CloseDriveResponse(drive=drive_to_pb(self._service.close_drive(current_principal(),
                                                                                 request.drive_id)))

    def StreamEvents(self, request, context):
        return self._stream_events(request, context)

    def SyncRecordings(self, request_iterator, context):
        actor = current_principal()
        batches = StreamBatches(request_iterator, size=SYNC_BATCH, linger=SYNC_LINGER)

        def process(batch: list) -> list[domain.SyncResult]:
            return self._service.sync_recordings(actor, [sync_item_from_pb(m) for m in batch])

        try:
            for results in processed_ahead(process, batches):
                for result in results:   # only after the batch committed
                    yield sync_result_to_pb(result)
        finally:
            batches.close()

    def Login(self, request, context):
        if self._accounts is None:
            raise Unauthenticated("Login tidak tersedia di layanan ini.", reason="LOGIN_UNAVAILABLE")
        address = client_address(context, self._trusted_proxy_count)
        if self._login_failures.blocked(address):
            raise Unauthenticated(TOO_MANY_LOGINS, reason="TOO_MANY_FAILED_LOGINS")
        try:
            session = self._accounts.login(request.username, request.password, origin=address)
        except Unauthenticated:
            self._login_failures.failed(address)
            raise
        who = session.principal
        return pb.LoginResponse(token=session.token, username=who.subject, role=who.role.value, scope=who.scope,
                                expires_in_seconds=session.lifetime_seconds)


def register(servicer: EnrolmentServicer) -> Callable[[grpc.Server], None]:
    return lambda server: enrolment_pb2_grpc.add_EnrolmentServiceServicer_to_server(servicer, server)
