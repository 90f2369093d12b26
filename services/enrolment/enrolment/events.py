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
               | domain.TargetChanged)


def _timestamp(value) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _captured(e: domain.RecordingCaptured) -> tuple[Message, str]:
    return enrolment_pb2.RecordingCaptured(
        register_number=e.register_number, office_code=e.office_code, region_code=e.region_code,
        captured_at=_timestamp(e.captured_at)), e.region_code


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


_ENCODERS: dict[type, Callable[[object], tuple[Message, str]]] = {
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
