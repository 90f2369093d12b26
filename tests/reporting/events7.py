"""Synthetic payloads of the events issue 7 folds (Faker-free: codes and numbers only), and an
envelope dated on a given day, for the reporting tests."""
from __future__ import annotations

import datetime as dt

from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2
from tests.reporting import builders as b


def at(day: dt.date, hour: int = 3) -> dt.datetime:
    """A moment of `day` in WIB (03:00 UTC is 10:00 WIB)."""
    return dt.datetime.combine(day, dt.time(hour), dt.timezone.utc)


def dated(payload, sequence: int, when: dt.datetime) -> events_pb2.Event:
    event = b.envelope(payload, sequence)
    event.occurred_at.FromDatetime(when)
    return event


def captured(region: str, number: str, day: dt.date, *, eligible_on: dt.date | None = None,
             drive_id: int = 0) -> enrolment_pb2.RecordingCaptured:
    message = b.captured(region, number)
    message.captured_at.FromDatetime(at(day))
    message.voter_eligible_on = eligible_on.isoformat() if eligible_on else ""
    message.drive_id = drive_id
    return message


def failed(number: str, region: str) -> enrolment_pb2.RecordingFailed:
    return enrolment_pb2.RecordingFailed(register_number=number, office_code=region[:5], region_code=region,
                                         reason_code="QUALITY")


def moved_in(number: str, region: str, previous: str, previous_region: str) -> enrolment_pb2.ResidentChanged:
    return enrolment_pb2.ResidentChanged(register_number=number, office_code=region[:5], region_code=region,
                                         previous_register_number=previous,
                                         recording_type=enrolment_pb2.RECORDING_TYPE_MOVED_IN,
                                         previous_region_code=previous_region, changed_fields=["region_code"])


def adjudicated(number: str, region: str, decision: int) -> enrolment_pb2.AdjudicationResolved:
    return enrolment_pb2.AdjudicationResolved(register_number=number, office_code=region[:5], region_code=region,
                                              decision=decision)


def drive_closed(drive_id: int, office: str, villages: list[str], planned_for: str,
                 recorded: int = 0) -> enrolment_pb2.DriveClosed:
    return enrolment_pb2.DriveClosed(drive_id=drive_id, office_code=office, village_codes=villages,
                                     planned_for=planned_for,
                                     reconciliation=enrolment_pb2.DriveReconciliation(planned=10, recorded=recorded))


def suket(number: str, region: str, doc_id: str, valid_until: dt.date) -> documents_pb2.SuketIssued:
    message = b.suket_issued(number, region, doc_id)
    message.valid_until.FromDatetime(dt.datetime.combine(valid_until, dt.time(), dt.timezone.utc))
    return message


def voided(doc_id: str, number: str, region: str) -> documents_pb2.DocumentVoided:
    return documents_pb2.DocumentVoided(document_id=doc_id, register_number=number, region_code=region,
                                        kind=documents_pb2.DOCUMENT_KIND_CARD_PRINT_JOB)


def expired(doc_id: str, number: str, region: str) -> documents_pb2.SuketExpired:
    return documents_pb2.SuketExpired(document_id=doc_id, register_number=number, region_code=region)


def card_spoiled(doc_id: str, number: str, region: str) -> documents_pb2.CardSpoiled:
    return documents_pb2.CardSpoiled(document_id=doc_id, register_number=number, office_code=region[:5],
                                     region_code=region, card_serial="0000000001")


def dispatched(batch_id: str, cards: list[tuple[str, str, str]]) -> documents_pb2.BatchDispatched:
    return documents_pb2.BatchDispatched(batch_id=batch_id, office_code=cards[0][2][:5],
                                         district_code=cards[0][2][:8],
                                         cards=[documents_pb2.BatchCard(document_id=d, register_number=n,
                                                                        region_code=r) for d, n, r in cards])


def handed_over(doc_id: str, number: str, region: str, batch_id: str) -> documents_pb2.CardHandedOver:
    return documents_pb2.CardHandedOver(document_id=doc_id, register_number=number, region_code=region,
                                        batch_id=batch_id)


def consumed(office: str) -> inventory_pb2.StockConsumed:
    return inventory_pb2.StockConsumed(office_code=office, serial="1", idempotency_key="k")


def stock_out(office: str) -> inventory_pb2.StockOut:
    return inventory_pb2.StockOut(office_code=office)


def spoiled(office: str, quantity: int, available: int) -> inventory_pb2.StockSpoiled:
    return inventory_pb2.StockSpoiled(office_code=office, quantity=quantity, available=available,
                                      cause="MISPRINT", serial_ranges=["1-1"])


def delivery(package_id: str, quantity: int, delivered_total: int) -> inventory_pb2.DeliveryReceived:
    return inventory_pb2.DeliveryReceived(package_id=package_id, sequence=1, office_code="ID", quantity=quantity,
                                          delivered_total=delivered_total)
