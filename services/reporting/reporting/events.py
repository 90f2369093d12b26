"""Adapter: the producers' event envelopes (protobuf) -> reporting's domain facts.

Reporting produces no events; it only decodes the payloads of the feeds it follows.
Types it does not fold decode to a `FeedEvent` without a fact (marked applied, ignored).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from google.protobuf import timestamp_pb2
from google.protobuf.message import Message

from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2
from reporting import domain
from reporting.service import ReportingService


def _time(stamp: timestamp_pb2.Timestamp, present: bool) -> dt.datetime | None:
    return stamp.ToDatetime(tzinfo=dt.timezone.utc) if present else None


def _target(m: enrolment_pb2.TargetChanged, region: str) -> domain.TargetChanged:
    return domain.TargetChanged(m.region_code or region, m.region_name, m.wajib_ktp)


def _captured(m: enrolment_pb2.RecordingCaptured, region: str) -> domain.RecordingCaptured:
    return domain.RecordingCaptured(m.register_number, m.office_code, m.region_code or region,
                                    _time(m.captured_at, m.HasField("captured_at")))


def _print_ready(m: enrolment_pb2.RecordingPrintReady, region: str) -> domain.RecordingPrintReady:
    return domain.RecordingPrintReady(m.register_number, m.office_code, m.region_code or region)


def _duplicate(m: enrolment_pb2.RecordingDuplicate, region: str) -> domain.RecordingDuplicate:
    return domain.RecordingDuplicate(m.register_number, m.office_code, m.region_code or region)


def _card(m: documents_pb2.CardPrinted, region: str) -> domain.CardPrinted:
    return domain.CardPrinted(m.document_id, m.register_number, m.office_code, m.region_code or region,
                              m.card_serial)


def _suket(m: documents_pb2.SuketIssued, region: str) -> domain.SuketIssued:
    return domain.SuketIssued(m.document_id, m.register_number, m.office_code, m.region_code or region,
                              _time(m.valid_until, m.HasField("valid_until")))


def _superseded(m: documents_pb2.SuketSuperseded, region: str) -> domain.SuketSuperseded:
    return domain.SuketSuperseded(m.document_id, m.register_number, m.region_code or region)


def _received(m: inventory_pb2.StockReceived, _region: str) -> domain.StockReceived:
    return domain.StockReceived(m.office_code, m.quantity, m.available)


def _reserved(m: inventory_pb2.StockReserved, _region: str) -> domain.StockReserved:
    return domain.StockReserved(m.office_code, m.available)


def _consumed(m: inventory_pb2.StockConsumed, _region: str) -> domain.StockConsumed:
    return domain.StockConsumed(m.office_code)


def _released(m: inventory_pb2.StockReleased, _region: str) -> domain.StockReleased:
    return domain.StockReleased(m.office_code, m.available)


def _stock_out(m: inventory_pb2.StockOut, _region: str) -> domain.StockOut:
    return domain.StockOut(m.office_code)


def _procurement(m: inventory_pb2.ProcurementStatusChanged, _region: str) -> domain.ProcurementStatusChanged:
    return domain.ProcurementStatusChanged(m.package_id, m.fiscal_year, m.quantity, _status(m.status), m.reason)


def _status(value: int) -> domain.ProcurementStatus:
    """Unknown (newer) enum values read as UNSPECIFIED rather than failing the feed."""
    known = inventory_pb2.ProcurementStatus.DESCRIPTOR.values_by_number.get(value)
    name = known.name.removeprefix("PROCUREMENT_STATUS_") if known else ""
    return domain.ProcurementStatus.__members__.get(name, domain.ProcurementStatus.UNSPECIFIED)


Decoder = Callable[[Message, str], domain.Fact]

_DECODERS: dict[str, tuple[type[Message], Decoder]] = {
    message.DESCRIPTOR.full_name: (message, decoder) for message, decoder in (
        (enrolment_pb2.TargetChanged, _target),
        (enrolment_pb2.RecordingCaptured, _captured),
        (enrolment_pb2.RecordingPrintReady, _print_ready),
        (enrolment_pb2.RecordingDuplicate, _duplicate),
        (documents_pb2.CardPrinted, _card),
        (documents_pb2.SuketIssued, _suket),
        (documents_pb2.SuketSuperseded, _superseded),
        (inventory_pb2.StockReceived, _received),
        (inventory_pb2.StockReserved, _reserved),
        (inventory_pb2.StockConsumed, _consumed),
        (inventory_pb2.StockReleased, _released),
        (inventory_pb2.StockOut, _stock_out),
        (inventory_pb2.ProcurementStatusChanged, _procurement),
    )
}

def decode(feed: str, event: events_pb2.Event) -> domain.FeedEvent:
    fact = None
    if event.type in _DECODERS:
        message_type, decoder = _DECODERS[event.type]
        message = message_type()
        message.ParseFromString(event.payload.value)
        fact = decoder(message, event.region_code)
    return domain.FeedEvent(feed, event.event_id, event.sequence, fact)


def applier(service: ReportingService, feed: str) -> Callable[[events_pb2.Event], None]:
    """The `apply` callback a FeedConsumer hands each event of `feed` to."""
    def apply(event: events_pb2.Event) -> None:
        service.apply(decode(feed, event))
    return apply
