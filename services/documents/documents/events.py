"""Codec between domain events and protobuf: outgoing documents events, incoming feed events."""
from __future__ import annotations

import datetime as dt

from google.protobuf import timestamp_pb2

from documents.domain import CardPrinted, DomainEvent, FeedEvent, PrintReady, SuketIssued, SuketSuperseded
from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.events.v1 import events_pb2
from servicekit.outbox import EncodedEvent

ENROLMENT_FEED = "enrolment"


def date_timestamp(day: dt.date) -> timestamp_pb2.Timestamp:
    """A calendar date as a Timestamp at 00:00 UTC of that date."""
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(dt.datetime.combine(day, dt.time(), dt.timezone.utc))
    return stamp


def encode(event: DomainEvent) -> EncodedEvent:
    if isinstance(event, CardPrinted):
        message = documents_pb2.CardPrinted(
            document_id=event.document_id, register_number=event.register_number,
            office_code=event.office_code, region_code=event.region_code, card_serial=event.card_serial)
    elif isinstance(event, SuketIssued):
        message = documents_pb2.SuketIssued(
            document_id=event.document_id, register_number=event.register_number,
            office_code=event.office_code, region_code=event.region_code,
            valid_until=date_timestamp(event.valid_until))
    elif isinstance(event, SuketSuperseded):
        message = documents_pb2.SuketSuperseded(
            document_id=event.document_id, register_number=event.register_number,
            region_code=event.region_code, superseded_by=event.superseded_by)
    else:
        raise TypeError(f"not a documents event: {type(event).__name__}")
    return EncodedEvent(type=message.DESCRIPTOR.full_name, region_code=event.region_code,
                        payload=message.SerializeToString())


_PRINT_READY = enrolment_pb2.RecordingPrintReady.DESCRIPTOR.full_name


def decode_enrolment(event: events_pb2.Event) -> FeedEvent:
    """An enrolment feed event; payload None for the types documents does not act on."""
    payload = None
    if event.type == _PRINT_READY:
        message = enrolment_pb2.RecordingPrintReady()
        if not event.payload.Unpack(message):
            raise ValueError(f"event {event.event_id} does not carry a {_PRINT_READY}")
        payload = PrintReady(message.register_number, message.office_code, message.region_code)
    return FeedEvent(ENROLMENT_FEED, event.event_id, event.sequence, payload)
