import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from ektp.events.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReservationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESERVATION_STATE_UNSPECIFIED: _ClassVar[ReservationState]
    RESERVATION_STATE_RESERVED: _ClassVar[ReservationState]
    RESERVATION_STATE_CONSUMED: _ClassVar[ReservationState]
    RESERVATION_STATE_RELEASED: _ClassVar[ReservationState]

class ProcurementChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCUREMENT_CHANNEL_UNSPECIFIED: _ClassVar[ProcurementChannel]
    PROCUREMENT_CHANNEL_TENDER: _ClassVar[ProcurementChannel]
    PROCUREMENT_CHANNEL_E_CATALOGUE: _ClassVar[ProcurementChannel]

class ProcurementStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCUREMENT_STATUS_UNSPECIFIED: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_PLANNED: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_ANNOUNCED: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_FAILED: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_WINNER: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_OBJECTION_PERIOD: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_REVIEW: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_POSTPONED: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_CANCELLED: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_CONTRACT: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_DELIVERY: _ClassVar[ProcurementStatus]
    PROCUREMENT_STATUS_ALLOCATED: _ClassVar[ProcurementStatus]
RESERVATION_STATE_UNSPECIFIED: ReservationState
RESERVATION_STATE_RESERVED: ReservationState
RESERVATION_STATE_CONSUMED: ReservationState
RESERVATION_STATE_RELEASED: ReservationState
PROCUREMENT_CHANNEL_UNSPECIFIED: ProcurementChannel
PROCUREMENT_CHANNEL_TENDER: ProcurementChannel
PROCUREMENT_CHANNEL_E_CATALOGUE: ProcurementChannel
PROCUREMENT_STATUS_UNSPECIFIED: ProcurementStatus
PROCUREMENT_STATUS_PLANNED: ProcurementStatus
PROCUREMENT_STATUS_ANNOUNCED: ProcurementStatus
PROCUREMENT_STATUS_FAILED: ProcurementStatus
PROCUREMENT_STATUS_WINNER: ProcurementStatus
PROCUREMENT_STATUS_OBJECTION_PERIOD: ProcurementStatus
PROCUREMENT_STATUS_REVIEW: ProcurementStatus
PROCUREMENT_STATUS_POSTPONED: ProcurementStatus
PROCUREMENT_STATUS_CANCELLED: ProcurementStatus
PROCUREMENT_STATUS_CONTRACT: ProcurementStatus
PROCUREMENT_STATUS_DELIVERY: ProcurementStatus
PROCUREMENT_STATUS_ALLOCATED: ProcurementStatus

class Stock(_message.Message):
    __slots__ = ("office_code", "available", "reserved", "consumed", "received")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    available: int
    reserved: int
    consumed: int
    received: int
    def __init__(self, office_code: _Optional[str] = ..., available: _Optional[int] = ..., reserved: _Optional[int] = ..., consumed: _Optional[int] = ..., received: _Optional[int] = ...) -> None: ...

class Reservation(_message.Message):
    __slots__ = ("idempotency_key", "office_code", "serial", "state", "reserved_at")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESERVED_AT_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    office_code: str
    serial: str
    state: ReservationState
    reserved_at: _timestamp_pb2.Timestamp
    def __init__(self, idempotency_key: _Optional[str] = ..., office_code: _Optional[str] = ..., serial: _Optional[str] = ..., state: _Optional[_Union[ReservationState, str]] = ..., reserved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReceiveStockRequest(_message.Message):
    __slots__ = ("office_code", "first_serial", "last_serial", "delivery_reference")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    first_serial: str
    last_serial: str
    delivery_reference: str
    def __init__(self, office_code: _Optional[str] = ..., first_serial: _Optional[str] = ..., last_serial: _Optional[str] = ..., delivery_reference: _Optional[str] = ...) -> None: ...

class ReceiveStockResponse(_message.Message):
    __slots__ = ("received", "stock")
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    STOCK_FIELD_NUMBER: _ClassVar[int]
    received: int
    stock: Stock
    def __init__(self, received: _Optional[int] = ..., stock: _Optional[_Union[Stock, _Mapping]] = ...) -> None: ...

class ReserveBlankRequest(_message.Message):
    __slots__ = ("office_code", "idempotency_key")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    idempotency_key: str
    def __init__(self, office_code: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReserveBlankResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ...) -> None: ...

class ConsumeBlankRequest(_message.Message):
    __slots__ = ("idempotency_key", "serial")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    serial: str
    def __init__(self, idempotency_key: _Optional[str] = ..., serial: _Optional[str] = ...) -> None: ...

class ConsumeBlankResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ...) -> None: ...

class ReleaseBlankRequest(_message.Message):
    __slots__ = ("idempotency_key", "reason")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    reason: str
    def __init__(self, idempotency_key: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReleaseBlankResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ...) -> None: ...

class GetStockRequest(_message.Message):
    __slots__ = ("office_code",)
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    def __init__(self, office_code: _Optional[str] = ...) -> None: ...

class GetStockResponse(_message.Message):
    __slots__ = ("stock",)
    STOCK_FIELD_NUMBER: _ClassVar[int]
    stock: Stock
    def __init__(self, stock: _Optional[_Union[Stock, _Mapping]] = ...) -> None: ...

class ProcurementPackage(_message.Message):
    __slots__ = ("package_id", "fiscal_year", "name", "quantity", "estimated_value_idr", "channel", "status", "status_reason", "status_changed_at")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_VALUE_IDR_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    status: ProcurementStatus
    status_reason: str
    status_changed_at: _timestamp_pb2.Timestamp
    def __init__(self, package_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., name: _Optional[str] = ..., quantity: _Optional[int] = ..., estimated_value_idr: _Optional[int] = ..., channel: _Optional[_Union[ProcurementChannel, str]] = ..., status: _Optional[_Union[ProcurementStatus, str]] = ..., status_reason: _Optional[str] = ..., status_changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListProcurementsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProcurementsResponse(_message.Message):
    __slots__ = ("packages",)
    PACKAGES_FIELD_NUMBER: _ClassVar[int]
    packages: _containers.RepeatedCompositeFieldContainer[ProcurementPackage]
    def __init__(self, packages: _Optional[_Iterable[_Union[ProcurementPackage, _Mapping]]] = ...) -> None: ...

class StockReceived(_message.Message):
    __slots__ = ("office_code", "first_serial", "last_serial", "quantity", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    first_serial: str
    last_serial: str
    quantity: int
    available: int
    def __init__(self, office_code: _Optional[str] = ..., first_serial: _Optional[str] = ..., last_serial: _Optional[str] = ..., quantity: _Optional[int] = ..., available: _Optional[int] = ...) -> None: ...

class StockReserved(_message.Message):
    __slots__ = ("office_code", "serial", "idempotency_key", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    serial: str
    idempotency_key: str
    available: int
    def __init__(self, office_code: _Optional[str] = ..., serial: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., available: _Optional[int] = ...) -> None: ...

class StockConsumed(_message.Message):
    __slots__ = ("office_code", "serial", "idempotency_key")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    serial: str
    idempotency_key: str
    def __init__(self, office_code: _Optional[str] = ..., serial: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class StockReleased(_message.Message):
    __slots__ = ("office_code", "serial", "idempotency_key", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    serial: str
    idempotency_key: str
    available: int
    def __init__(self, office_code: _Optional[str] = ..., serial: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., available: _Optional[int] = ...) -> None: ...

class StockOut(_message.Message):
    __slots__ = ("office_code",)
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    def __init__(self, office_code: _Optional[str] = ...) -> None: ...

class ProcurementStatusChanged(_message.Message):
    __slots__ = ("package_id", "fiscal_year", "quantity", "status", "reason")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    fiscal_year: int
    quantity: int
    status: ProcurementStatus
    reason: str
    def __init__(self, package_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., quantity: _Optional[int] = ..., status: _Optional[_Union[ProcurementStatus, str]] = ..., reason: _Optional[str] = ...) -> None: ...
