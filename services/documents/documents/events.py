"""Codec between domain events and protobuf: outgoing documents events, incoming feed events."""
from __future__ import annotations

import datetime as dt

from google.protobuf import timestamp_pb2

from documents import distribution
from documents.domain import (
    CardPrinted,
    CardSpoiled,
    DocumentKind,
    DocumentVoided,
    DomainEvent,
    FeedEvent,
    PrintJobQueued,
    PrintReady,
    StockArrived,
    SuketExpired,
    SuketIssued,
    SuketSuperseded,
)
from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2
from servicekit.outbox import EncodedEvent

ENROLMENT_FEED = "enrolment"
DOCUMENT_KINDS = {DocumentKind.CARD: documents_pb2.DOCUMENT_KIND_CARD_PRINT_JOB,
                  DocumentKind.SUKET: documents_pb2.DOCUMENT_KIND_SUKET}
INVENTORY_FEED = "inventory"


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
    elif isinstance(event, PrintJobQueued):
        message = documents_pb2.PrintJobQueued(
            job_id=event.job_id, register_number=event.register_number, office_code=event.office_code,
            region_code=event.region_code, priority=event.priority)
    elif isinstance(event, CardSpoiled):
        message = documents_pb2.CardSpoiled(
            document_id=event.document_id, register_number=event.register_number,
            office_code=event.office_code, region_code=event.region_code, card_serial=event.card_serial)
    elif isinstance(event, SuketExpired):
        message = documents_pb2.SuketExpired(
            document_id=event.document_id, register_number=event.register_number,
            region_code=event.region_code, valid_until=event.valid_until.isoformat())
    elif isinstance(event, DocumentVoided):
        message = documents_pb2.DocumentVoided(
            document_id=event.document_id, register_number=event.register_number,
            region_code=event.region_code, kind=DOCUMENT_KINDS[event.kind])
    elif isinstance(event, DISTRIBUTION_EVENTS):
        message = _distribution_message(event)
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


# Inventory events after which an office has blanks again: its print queue is printed.
_STOCK_ARRIVALS = {m.DESCRIPTOR.full_name: m for m in (
    inventory_pb2.StockReceived, inventory_pb2.TransferReceived, inventory_pb2.StockReleased)}


def decode_inventory(event: events_pb2.Event) -> FeedEvent:
    """An inventory feed event; StockArrived when blanks became available at an office."""
    payload = None
    message_type = _STOCK_ARRIVALS.get(event.type)
    if message_type is not None:
        message = message_type()
        if not event.payload.Unpack(message):
            raise ValueError(f"event {event.event_id} does not carry a {event.type}")
        payload = StockArrived(message.office_code)
    return FeedEvent(INVENTORY_FEED, event.event_id, event.sequence, payload)


# ---- shortage letters and distribution (documents.distribution) ----------------------------

DISTRIBUTION_EVENTS = (distribution.ShortageLettersSent, distribution.BatchDispatched, distribution.BatchReceived,
                       distribution.CardHandedOver)


def _batch_card(card: distribution.BatchCard) -> documents_pb2.BatchCard:
    message = documents_pb2.BatchCard(document_id=card.document_id, register_number=card.register_number,
                                      region_code=card.region_code)
    if card.handed_over_at is not None:
        message.handed_over_at.FromDatetime(card.handed_over_at.astimezone(dt.timezone.utc))
    return message


def _distribution_message(event):
    if isinstance(event, distribution.ShortageLettersSent):
        return documents_pb2.ShortageLettersSent(set_id=event.set_id, office_code=event.office_code,
                                                 letters=event.letters)
    if isinstance(event, distribution.BatchDispatched):
        return documents_pb2.BatchDispatched(batch_id=event.batch_id, office_code=event.office_code,
                                             district_code=event.district_code,
                                             cards=[_batch_card(c) for c in event.cards])
    if isinstance(event, distribution.BatchReceived):
        return documents_pb2.BatchReceived(batch_id=event.batch_id, office_code=event.office_code,
                                           district_code=event.district_code, cards=event.cards)
    return documents_pb2.CardHandedOver(document_id=event.document_id, register_number=event.register_number,
                                        region_code=event.region_code, batch_id=event.batch_id)
