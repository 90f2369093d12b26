"""Codec between domain events / enums and their protobuf messages (the outbox adapter)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import typing
from typing import TypeVar

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
from google.protobuf.message import Message

from ektp.inventory.v1 import inventory_pb2
from inventory import domain
from servicekit.outbox import EncodedEvent

E = TypeVar("E", bound=enum.Enum)

_MESSAGES: dict[type[domain.DomainEvent], type[Message]] = {
    domain.StockReceived: inventory_pb2.StockReceived,
    domain.StockReserved: inventory_pb2.StockReserved,
    domain.StockConsumed: inventory_pb2.StockConsumed,
    domain.StockReleased: inventory_pb2.StockReleased,
    domain.StockOut: inventory_pb2.StockOut,
    domain.StockSpoiled: inventory_pb2.StockSpoiled,
    domain.StockLost: inventory_pb2.StockLost,
    domain.StockTransferred: inventory_pb2.StockTransferred,
    domain.TransferReceived: inventory_pb2.TransferReceived,
    domain.StockCounted: inventory_pb2.StockCounted,
    domain.ProcurementStatusChanged: inventory_pb2.ProcurementStatusChanged,
    domain.DeliveryReceived: inventory_pb2.DeliveryReceived,
    domain.StockLow: inventory_pb2.StockLow,
    domain.BlankRequestChanged: inventory_pb2.BlankRequestChanged,
}
_EVENTS = {message.DESCRIPTOR.full_name: event for event, message in _MESSAGES.items()}

# Domain enum -> (protobuf enum, value prefix); members map by name, e.g. POSTPONED <->
# PROCUREMENT_STATUS_POSTPONED.
_ENUMS: dict[type[enum.Enum], tuple[EnumTypeWrapper, str]] = {
    domain.ProcurementStatus: (inventory_pb2.ProcurementStatus, "PROCUREMENT_STATUS_"),
    domain.ProcurementChannel: (inventory_pb2.ProcurementChannel, "PROCUREMENT_CHANNEL_"),
    domain.ReservationState: (inventory_pb2.ReservationState, "RESERVATION_STATE_"),
    domain.TransferKind: (inventory_pb2.TransferKind, "TRANSFER_KIND_"),
    domain.TransferStatus: (inventory_pb2.TransferStatus, "TRANSFER_STATUS_"),
    domain.LedgerKind: (inventory_pb2.LedgerKind, "LEDGER_KIND_"),
    domain.OfficeLevel: (inventory_pb2.OfficeLevel, "OFFICE_LEVEL_"),
    domain.RequestKind: (inventory_pb2.BlankRequestKind, "BLANK_REQUEST_KIND_"),
    domain.RequestState: (inventory_pb2.BlankRequestState, "BLANK_REQUEST_STATE_"),
    domain.BacklogSource: (inventory_pb2.BacklogSource, "BACKLOG_SOURCE_"),
}


def enum_to_pb(member: enum.Enum) -> int:
    pb_enum, prefix = _ENUMS[type(member)]
    return pb_enum.Value(prefix + member.name)


def enum_from_pb(domain_enum: type[E], number: int) -> E:
    pb_enum, prefix = _ENUMS[domain_enum]
    return domain_enum[pb_enum.Name(number).removeprefix(prefix)]


def _payload_fields(event_type: type[domain.DomainEvent]) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(event_type) if f.name != "occurred_at"]


def to_message(event: domain.DomainEvent) -> Message:
    values = {}
    for f in _payload_fields(type(event)):
        value = getattr(event, f.name)
        values[f.name] = enum_to_pb(value) if isinstance(value, enum.Enum) else value
    return _MESSAGES[type(event)](**values)


def encode_event(event: domain.DomainEvent) -> EncodedEvent:
    message = to_message(event)
    return EncodedEvent(type=message.DESCRIPTOR.full_name, region_code=event.region_code,
                        payload=message.SerializeToString(), occurred_at=event.occurred_at)


def decode_event(type_name: str, payload: bytes, occurred_at: dt.datetime) -> domain.DomainEvent:
    """The domain event of an outbox entry (for tests and tools; consumers live elsewhere)."""
    event_type = _EVENTS[type_name]
    message = _MESSAGES[event_type].FromString(payload)
    hints = typing.get_type_hints(event_type)
    values = {}
    for f in _payload_fields(event_type):
        value, hint = getattr(message, f.name), hints[f.name]
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            value = enum_from_pb(hint, value)
        elif typing.get_origin(hint) is tuple:      # repeated fields, e.g. serial_ranges
            value = tuple(value)
        values[f.name] = value
    return event_type(occurred_at=occurred_at, **values)
