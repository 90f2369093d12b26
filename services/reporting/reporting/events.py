"""Adapter: the producers' event envelopes (protobuf) -> reporting's domain facts.

Reporting produces no events; it only decodes the payloads of the feeds it follows.
Types it does not fold decode to a `FeedEvent` without a fact (marked applied, ignored):
RegionsImported, BlankRequestChanged, PrintJobQueued (the backlog is print-ready without a
card), ShortageLettersSent, BatchReceived (cards count as handed over one by one).
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


def _date(text: str) -> dt.date | None:
    """An ISO date of a payload; None when empty or malformed (a bad date must not stop the feed)."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _captured(m: enrolment_pb2.RecordingCaptured, region: str) -> domain.RecordingCaptured:
    return domain.RecordingCaptured(m.register_number, m.office_code, m.region_code or region,
                                    _time(m.captured_at, m.HasField("captured_at")),
                                    _date(m.voter_eligible_on), m.drive_id)


def _print_ready(m: enrolment_pb2.RecordingPrintReady, region: str) -> domain.RecordingPrintReady:
    return domain.RecordingPrintReady(m.register_number, m.office_code, m.region_code or region)


def _duplicate(m: enrolment_pb2.RecordingDuplicate, region: str) -> domain.RecordingDuplicate:
    return domain.RecordingDuplicate(m.register_number, m.office_code, m.region_code or region)


def _failed(m: enrolment_pb2.RecordingFailed, region: str) -> domain.RecordingFailed:
    return domain.RecordingFailed(m.register_number, m.office_code, m.region_code or region)


def _resident_changed(m: enrolment_pb2.ResidentChanged, region: str) -> domain.ResidentChanged:
    return domain.ResidentChanged(m.register_number, m.office_code, m.region_code or region,
                                  m.previous_register_number)


def _adjudicated(m: enrolment_pb2.AdjudicationResolved, region: str) -> domain.AdjudicationResolved:
    return domain.AdjudicationResolved(m.register_number, m.office_code, m.region_code or region,
                                       _enum(enrolment_pb2.AdjudicationDecision, m.decision, "ADJUDICATION_DECISION_",
                                             domain.Adjudication))


def _drive_closed(m: enrolment_pb2.DriveClosed, _region: str) -> domain.DriveClosed:
    r = m.reconciliation
    return domain.DriveClosed(m.drive_id, m.office_code, tuple(m.village_codes), _date(m.planned_for),
                              r.planned, r.recorded, r.failed, r.duplicates)


def _card(m: documents_pb2.CardPrinted, region: str) -> domain.CardPrinted:
    return domain.CardPrinted(m.document_id, m.register_number, m.office_code, m.region_code or region,
                              m.card_serial)


def _suket(m: documents_pb2.SuketIssued, region: str) -> domain.SuketIssued:
    return domain.SuketIssued(m.document_id, m.register_number, m.office_code, m.region_code or region,
                              _time(m.valid_until, m.HasField("valid_until")))


def _superseded(m: documents_pb2.SuketSuperseded, region: str) -> domain.SuketSuperseded:
    return domain.SuketSuperseded(m.document_id, m.register_number, m.region_code or region)


def _expired(m: documents_pb2.SuketExpired, region: str) -> domain.SuketExpired:
    return domain.SuketExpired(m.document_id, m.register_number, m.region_code or region)


def _voided(m: documents_pb2.DocumentVoided, region: str) -> domain.DocumentVoided:
    return domain.DocumentVoided(m.document_id, m.register_number, m.region_code or region)


def _card_spoiled(m: documents_pb2.CardSpoiled, region: str) -> domain.CardSpoiled:
    return domain.CardSpoiled(m.document_id, m.register_number, m.office_code, m.region_code or region)


def _dispatched(m: documents_pb2.BatchDispatched, _region: str) -> domain.BatchDispatched:
    return domain.BatchDispatched(m.batch_id, tuple(
        domain.CardDispatched(card.document_id, card.register_number, card.region_code, m.batch_id)
        for card in m.cards))


def _handed_over(m: documents_pb2.CardHandedOver, region: str) -> domain.CardHandedOver:
    return domain.CardHandedOver(m.document_id, m.register_number, m.region_code or region, m.batch_id)


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


def _spoiled(m: inventory_pb2.StockSpoiled | inventory_pb2.StockLost, _region: str) -> domain.StockSpoiled:
    return domain.StockSpoiled(m.office_code, m.quantity, m.available)


def _transfer_received(m: inventory_pb2.TransferReceived, _region: str) -> domain.StockReceived:
    return domain.StockReceived(m.office_code, m.quantity, m.available)


def _level(m: inventory_pb2.StockLow | inventory_pb2.StockTransferred | inventory_pb2.StockCounted,
           _region: str) -> domain.StockLevel:
    return domain.StockLevel(m.office_code, m.available)


def _delivery(m: inventory_pb2.DeliveryReceived, _region: str) -> domain.DeliveryReceived:
    return domain.DeliveryReceived(m.package_id, m.quantity, m.delivered_total)


def _procurement(m: inventory_pb2.ProcurementStatusChanged, _region: str) -> domain.ProcurementStatusChanged:
    return domain.ProcurementStatusChanged(m.package_id, m.fiscal_year, m.quantity, _status(m.status), m.reason)


def _status(value: int) -> domain.ProcurementStatus:
    return _enum(inventory_pb2.ProcurementStatus, value, "PROCUREMENT_STATUS_", domain.ProcurementStatus)


def _enum(pb_enum, value: int, prefix: str, domain_enum):
    """Unknown (newer) enum values read as UNSPECIFIED rather than failing the feed."""
    known = pb_enum.DESCRIPTOR.values_by_number.get(value)
    name = known.name.removeprefix(prefix) if known else ""
    return domain_enum.__members__.get(name, domain_enum.UNSPECIFIED)


Decoder = Callable[[Message, str], domain.Fact]

_DECODERS: dict[str, tuple[type[Message], Decoder]] = {
    message.DESCRIPTOR.full_name: (message, decoder) for message, decoder in (
        (enrolment_pb2.TargetChanged, _target),
        (enrolment_pb2.RecordingCaptured, _captured),
        (enrolment_pb2.RecordingPrintReady, _print_ready),
        (enrolment_pb2.RecordingDuplicate, _duplicate),
        (enrolment_pb2.RecordingFailed, _failed),
        (enrolment_pb2.ResidentChanged, _resident_changed),
        (enrolment_pb2.AdjudicationResolved, _adjudicated),
        (enrolment_pb2.DriveClosed, _drive_closed),
        (documents_pb2.CardPrinted, _card),
        (documents_pb2.SuketIssued, _suket),
        (documents_pb2.SuketSuperseded, _superseded),
        (documents_pb2.SuketExpired, _expired),
        (documents_pb2.DocumentVoided, _voided),
        (documents_pb2.CardSpoiled, _card_spoiled),
        (documents_pb2.BatchDispatched, _dispatched),
        (documents_pb2.CardHandedOver, _handed_over),
        (inventory_pb2.StockReceived, _received),
        (inventory_pb2.StockReserved, _reserved),
        (inventory_pb2.StockConsumed, _consumed),
        (inventory_pb2.StockReleased, _released),
        (inventory_pb2.StockOut, _stock_out),
        (inventory_pb2.StockSpoiled, _spoiled),
        (inventory_pb2.StockLost, _spoiled),
        (inventory_pb2.TransferReceived, _transfer_received),
        (inventory_pb2.StockLow, _level),
        (inventory_pb2.StockTransferred, _level),
        (inventory_pb2.StockCounted, _level),
        (inventory_pb2.ProcurementStatusChanged, _procurement),
        (inventory_pb2.DeliveryReceived, _delivery),
    )
}

def decode(feed: str, event: events_pb2.Event) -> domain.FeedEvent:
    fact = None
    if event.type in _DECODERS:
        message_type, decoder = _DECODERS[event.type]
        message = message_type()
        message.ParseFromString(event.payload.value)
        fact = decoder(message, event.region_code)
    return domain.FeedEvent(feed, event.event_id, event.sequence, fact,
                            _time(event.occurred_at, event.HasField("occurred_at")))


def applier(service: ReportingService, feed: str) -> Callable[[events_pb2.Event], None]:
    """The `apply` callback a FeedConsumer hands each event of `feed` to."""
    def apply(event: events_pb2.Event) -> None:
        service.apply(decode(feed, event))
    return apply
