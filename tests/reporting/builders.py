"""Synthetic event payloads for the reporting tests (Faker id_ID, seeded; no real people)."""
from __future__ import annotations

import datetime as dt
import itertools
import uuid

from faker import Faker
from google.protobuf import any_pb2, timestamp_pb2

from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2

fake = Faker("id_ID")
fake.seed_instance(2016)
_numbers = itertools.count(1)


def register_number() -> str:
    return f"REG-{next(_numbers):08d}"


def document_id() -> str:
    return f"DOC-{next(_numbers):08d}"


def place_name() -> str:
    return fake.city()


def _now() -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(dt.datetime(2016, 11, 7, 9, 30, tzinfo=dt.timezone.utc))
    return stamp


def target(region_code: str, wajib_ktp: int, name: str | None = None) -> enrolment_pb2.TargetChanged:
    return enrolment_pb2.TargetChanged(region_code=region_code, region_name=name or place_name(),
                                       wajib_ktp=wajib_ktp)


def captured(region_code: str, number: str | None = None) -> enrolment_pb2.RecordingCaptured:
    return enrolment_pb2.RecordingCaptured(register_number=number or register_number(),
                                           office_code=region_code[:5], region_code=region_code,
                                           captured_at=_now())


def print_ready(number: str, region_code: str) -> enrolment_pb2.RecordingPrintReady:
    return enrolment_pb2.RecordingPrintReady(register_number=number, office_code=region_code[:5],
                                             region_code=region_code)


def duplicate(number: str, region_code: str, duplicate_of: str = "") -> enrolment_pb2.RecordingDuplicate:
    return enrolment_pb2.RecordingDuplicate(register_number=number, office_code=region_code[:5],
                                            region_code=region_code, duplicate_of=duplicate_of)


def card_printed(number: str, region_code: str, doc_id: str | None = None) -> documents_pb2.CardPrinted:
    return documents_pb2.CardPrinted(document_id=doc_id or document_id(), register_number=number,
                                     office_code=region_code[:5], region_code=region_code,
                                     card_serial=f"{next(_numbers):010d}")


def suket_issued(number: str, region_code: str, doc_id: str | None = None) -> documents_pb2.SuketIssued:
    return documents_pb2.SuketIssued(document_id=doc_id or document_id(), register_number=number,
                                     office_code=region_code[:5], region_code=region_code, valid_until=_now())


def suket_superseded(doc_id: str, number: str, region_code: str) -> documents_pb2.SuketSuperseded:
    return documents_pb2.SuketSuperseded(document_id=doc_id, register_number=number, region_code=region_code,
                                         superseded_by=document_id())


def stock_received(office_code: str, quantity: int, available: int) -> inventory_pb2.StockReceived:
    return inventory_pb2.StockReceived(office_code=office_code, first_serial="0000000001",
                                       last_serial=f"{quantity:010d}", quantity=quantity, available=available)


def procurement(package_id: str, status: int, reason: str = "") -> inventory_pb2.ProcurementStatusChanged:
    return inventory_pb2.ProcurementStatusChanged(package_id=package_id, fiscal_year=2016, quantity=8_000_000,
                                                  status=status, reason=reason)


def envelope(payload, sequence: int, event_id: str | None = None) -> events_pb2.Event:
    """A producer's event envelope around `payload`, as StreamEvents serves it."""
    packed = any_pb2.Any(type_url=f"type.googleapis.com/{payload.DESCRIPTOR.full_name}",
                         value=payload.SerializeToString())
    return events_pb2.Event(sequence=sequence, event_id=event_id or str(uuid.uuid4()),
                            type=payload.DESCRIPTOR.full_name, occurred_at=_now(),
                            region_code=getattr(payload, "region_code", ""), payload=packed)
