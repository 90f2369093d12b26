"""Codec between enrolment's domain events and their protobuf payloads (the outbox format)."""
from __future__ import annotations

from collections.abc import Callable

from google.protobuf import timestamp_pb2
from google.protobuf.message import Message

from ektp.enrolment.v1 import enrolment_pb2
from ektp.events.v1 import events_pb2
from enrolment import domain
from servicekit.outbox import EncodedEvent

DomainEvent = (domain.RecordingCaptured | domain.RecordingPrintReady | domain.RecordingDuplicate
               | domain.RecordingFailed | domain.ResidentChanged | domain.AdjudicationResolved
               | domain.TargetChanged | domain.RegionsImported | domain.DriveClosed)


def _timestamp(value) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _captured(e: domain.RecordingCaptured) -> tuple[Message, str]:
    return enrolment_pb2.RecordingCaptured(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code,
        captured_at=_timestamp(e.captured_at),
        voter_eligible_on=e.voter_eligible_on.isoformat() if e.voter_eligible_on else "",
        drive_id=e.drive_id or 0), e.region_code


def _print_ready(e: domain.RecordingPrintReady) -> tuple[Message, str]:
    return enrolment_pb2.RecordingPrintReady(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code), e.region_code


def _duplicate(e: domain.RecordingDuplicate) -> tuple[Message, str]:
    return enrolment_pb2.RecordingDuplicate(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code,
        duplicate_of=e.duplicate_of), e.region_code


def _target(e: domain.TargetChanged) -> tuple[Message, str]:
    return enrolment_pb2.TargetChanged(
        region_code=e.region_code, region_name=e.region_name, wajib_ktp=e.wajib_ktp), e.region_code


def _regions_imported(e: domain.RegionsImported) -> tuple[Message, str]:
    return enrolment_pb2.RegionsImported(
        inserted=e.inserted, renamed=e.renamed, unchanged=e.unchanged, retired=e.retired,
        reinstated=e.reinstated, total=e.total), ""


def reconciliation_to_pb(r: domain.Reconciliation) -> enrolment_pb2.DriveReconciliation:
    return enrolment_pb2.DriveReconciliation(planned=r.planned, recorded=r.recorded, failed=r.failed,
                                             duplicates=r.duplicates)


def _drive_closed(e: domain.DriveClosed) -> tuple[Message, str]:
    return enrolment_pb2.DriveClosed(
        drive_id=e.drive_id, office_code=e.office_code, village_codes=list(e.village_codes),
        planned_for=e.planned_for.isoformat(), reconciliation=reconciliation_to_pb(e.reconciliation)), e.office_code


def _failed(e: domain.RecordingFailed) -> tuple[Message, str]:
    return enrolment_pb2.RecordingFailed(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code,
        reason_code=e.reason_code), e.region_code


def _resident_changed(e: domain.ResidentChanged) -> tuple[Message, str]:
    return enrolment_pb2.ResidentChanged(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code,
        previous_register_number=e.previous_register_number,
        recording_type=enrolment_pb2.RecordingType.Value("RECORDING_TYPE_" + e.recording_type.value),
        previous_region_code=e.previous_region_code, changed_fields=list(e.changed_fields)), e.region_code


def _adjudication_resolved(e: domain.AdjudicationResolved) -> tuple[Message, str]:
    return enrolment_pb2.AdjudicationResolved(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code,
        decision=enrolment_pb2.AdjudicationDecision.Value("ADJUDICATION_DECISION_" + e.decision.value)), e.region_code


_ENCODERS: dict[type, Callable[[object], tuple[Message, str]]] = {
    domain.RecordingFailed: _failed,
    domain.ResidentChanged: _resident_changed,
    domain.AdjudicationResolved: _adjudication_resolved,
    domain.RegionsImported: _regions_imported,
    domain.DriveClosed: _drive_closed,
    domain.RecordingCaptured: _captured,
    domain.RecordingPrintReady: _print_ready,
    domain.RecordingDuplicate: _duplicate,
    domain.TargetChanged: _target,
}


def encode(event: object) -> EncodedEvent:
    """Outbox form of a domain event: full proto type name, envelope region, payload bytes."""
    message, region_code = _ENCODERS[type(event)](event)
    return EncodedEvent(type=message.DESCRIPTOR.full_name, region_code=region_code,
                        payload=message.SerializeToString())


_PAYLOADS = {m.DESCRIPTOR.full_name: m for m in (
    enrolment_pb2.RecordingFailed, enrolment_pb2.ResidentChanged, enrolment_pb2.AdjudicationResolved,
    enrolment_pb2.RegionsImported, enrolment_pb2.DriveClosed,
    enrolment_pb2.RecordingCaptured, enrolment_pb2.RecordingPrintReady,
    enrolment_pb2.RecordingDuplicate, enrolment_pb2.TargetChanged)}


def decode_payload(event: events_pb2.Event) -> Message | None:
    """The typed payload of an enrolment event envelope; None for an unknown type."""
    message_type = _PAYLOADS.get(event.type)
    if message_type is None:
        return None
    message = message_type()
    event.payload.Unpack(message)
    return message
