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
    RESERVATION_STATE_EXPIRED: _ClassVar[ReservationState]

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

class OfficeLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OFFICE_LEVEL_UNSPECIFIED: _ClassVar[OfficeLevel]
    OFFICE_LEVEL_CENTRAL: _ClassVar[OfficeLevel]
    OFFICE_LEVEL_PROVINCE: _ClassVar[OfficeLevel]
    OFFICE_LEVEL_KABUPATEN: _ClassVar[OfficeLevel]
    OFFICE_LEVEL_KECAMATAN: _ClassVar[OfficeLevel]

class TransferKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSFER_KIND_UNSPECIFIED: _ClassVar[TransferKind]
    TRANSFER_KIND_ALLOCATION: _ClassVar[TransferKind]
    TRANSFER_KIND_LOAN: _ClassVar[TransferKind]
    TRANSFER_KIND_REPAYMENT: _ClassVar[TransferKind]

class TransferStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSFER_STATUS_UNSPECIFIED: _ClassVar[TransferStatus]
    TRANSFER_STATUS_IN_TRANSIT: _ClassVar[TransferStatus]
    TRANSFER_STATUS_RECEIVED: _ClassVar[TransferStatus]

class LedgerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEDGER_KIND_UNSPECIFIED: _ClassVar[LedgerKind]
    LEDGER_KIND_RECEIVED: _ClassVar[LedgerKind]
    LEDGER_KIND_TRANSFERRED_OUT: _ClassVar[LedgerKind]
    LEDGER_KIND_TRANSFERRED_IN: _ClassVar[LedgerKind]
    LEDGER_KIND_LOANED: _ClassVar[LedgerKind]
    LEDGER_KIND_REPAID: _ClassVar[LedgerKind]
    LEDGER_KIND_RESERVED: _ClassVar[LedgerKind]
    LEDGER_KIND_RELEASED: _ClassVar[LedgerKind]
    LEDGER_KIND_CONSUMED: _ClassVar[LedgerKind]
    LEDGER_KIND_SPOILED: _ClassVar[LedgerKind]
    LEDGER_KIND_LOST: _ClassVar[LedgerKind]
    LEDGER_KIND_COUNT_ADJUSTED: _ClassVar[LedgerKind]

class BlankRequestKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BLANK_REQUEST_KIND_UNSPECIFIED: _ClassVar[BlankRequestKind]
    BLANK_REQUEST_KIND_ALLOCATION: _ClassVar[BlankRequestKind]
    BLANK_REQUEST_KIND_LOAN: _ClassVar[BlankRequestKind]

class BlankRequestState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BLANK_REQUEST_STATE_UNSPECIFIED: _ClassVar[BlankRequestState]
    BLANK_REQUEST_STATE_SUBMITTED: _ClassVar[BlankRequestState]
    BLANK_REQUEST_STATE_APPROVED: _ClassVar[BlankRequestState]
    BLANK_REQUEST_STATE_REJECTED: _ClassVar[BlankRequestState]
    BLANK_REQUEST_STATE_RECEIVED: _ClassVar[BlankRequestState]
    BLANK_REQUEST_STATE_WITHDRAWN: _ClassVar[BlankRequestState]

class BacklogSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BACKLOG_SOURCE_UNSPECIFIED: _ClassVar[BacklogSource]
    BACKLOG_SOURCE_OFFICER: _ClassVar[BacklogSource]
    BACKLOG_SOURCE_ENROLMENT: _ClassVar[BacklogSource]
    BACKLOG_SOURCE_DOCUMENTS: _ClassVar[BacklogSource]
RESERVATION_STATE_UNSPECIFIED: ReservationState
RESERVATION_STATE_RESERVED: ReservationState
RESERVATION_STATE_CONSUMED: ReservationState
RESERVATION_STATE_RELEASED: ReservationState
RESERVATION_STATE_EXPIRED: ReservationState
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
OFFICE_LEVEL_UNSPECIFIED: OfficeLevel
OFFICE_LEVEL_CENTRAL: OfficeLevel
OFFICE_LEVEL_PROVINCE: OfficeLevel
OFFICE_LEVEL_KABUPATEN: OfficeLevel
OFFICE_LEVEL_KECAMATAN: OfficeLevel
TRANSFER_KIND_UNSPECIFIED: TransferKind
TRANSFER_KIND_ALLOCATION: TransferKind
TRANSFER_KIND_LOAN: TransferKind
TRANSFER_KIND_REPAYMENT: TransferKind
TRANSFER_STATUS_UNSPECIFIED: TransferStatus
TRANSFER_STATUS_IN_TRANSIT: TransferStatus
TRANSFER_STATUS_RECEIVED: TransferStatus
LEDGER_KIND_UNSPECIFIED: LedgerKind
LEDGER_KIND_RECEIVED: LedgerKind
LEDGER_KIND_TRANSFERRED_OUT: LedgerKind
LEDGER_KIND_TRANSFERRED_IN: LedgerKind
LEDGER_KIND_LOANED: LedgerKind
LEDGER_KIND_REPAID: LedgerKind
LEDGER_KIND_RESERVED: LedgerKind
LEDGER_KIND_RELEASED: LedgerKind
LEDGER_KIND_CONSUMED: LedgerKind
LEDGER_KIND_SPOILED: LedgerKind
LEDGER_KIND_LOST: LedgerKind
LEDGER_KIND_COUNT_ADJUSTED: LedgerKind
BLANK_REQUEST_KIND_UNSPECIFIED: BlankRequestKind
BLANK_REQUEST_KIND_ALLOCATION: BlankRequestKind
BLANK_REQUEST_KIND_LOAN: BlankRequestKind
BLANK_REQUEST_STATE_UNSPECIFIED: BlankRequestState
BLANK_REQUEST_STATE_SUBMITTED: BlankRequestState
BLANK_REQUEST_STATE_APPROVED: BlankRequestState
BLANK_REQUEST_STATE_REJECTED: BlankRequestState
BLANK_REQUEST_STATE_RECEIVED: BlankRequestState
BLANK_REQUEST_STATE_WITHDRAWN: BlankRequestState
BACKLOG_SOURCE_UNSPECIFIED: BacklogSource
BACKLOG_SOURCE_OFFICER: BacklogSource
BACKLOG_SOURCE_ENROLMENT: BacklogSource
BACKLOG_SOURCE_DOCUMENTS: BacklogSource

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
    __slots__ = ("idempotency_key", "office_code", "serial", "state", "reserved_at", "expires_at")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESERVED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    office_code: str
    serial: str
    state: ReservationState
    reserved_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, idempotency_key: _Optional[str] = ..., office_code: _Optional[str] = ..., serial: _Optional[str] = ..., state: _Optional[_Union[ReservationState, str]] = ..., reserved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

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

class SpoilPrintedBlankRequest(_message.Message):
    __slots__ = ("idempotency_key", "serial", "cause")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    serial: str
    cause: str
    def __init__(self, idempotency_key: _Optional[str] = ..., serial: _Optional[str] = ..., cause: _Optional[str] = ...) -> None: ...

class SpoilPrintedBlankResponse(_message.Message):
    __slots__ = ("stock",)
    STOCK_FIELD_NUMBER: _ClassVar[int]
    stock: Stock
    def __init__(self, stock: _Optional[_Union[Stock, _Mapping]] = ...) -> None: ...

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
    __slots__ = ("package_id", "fiscal_year", "name", "quantity", "estimated_value_idr", "channel", "status", "status_reason", "status_changed_at", "vendor", "contract_number", "contract_value_idr", "expected_delivery_on", "delivered")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_VALUE_IDR_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VALUE_IDR_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_DELIVERY_ON_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    status: ProcurementStatus
    status_reason: str
    status_changed_at: _timestamp_pb2.Timestamp
    vendor: str
    contract_number: str
    contract_value_idr: int
    expected_delivery_on: str
    delivered: int
    def __init__(self, package_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., name: _Optional[str] = ..., quantity: _Optional[int] = ..., estimated_value_idr: _Optional[int] = ..., channel: _Optional[_Union[ProcurementChannel, str]] = ..., status: _Optional[_Union[ProcurementStatus, str]] = ..., status_reason: _Optional[str] = ..., status_changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., vendor: _Optional[str] = ..., contract_number: _Optional[str] = ..., contract_value_idr: _Optional[int] = ..., expected_delivery_on: _Optional[str] = ..., delivered: _Optional[int] = ...) -> None: ...

class ListProcurementsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProcurementsResponse(_message.Message):
    __slots__ = ("packages",)
    PACKAGES_FIELD_NUMBER: _ClassVar[int]
    packages: _containers.RepeatedCompositeFieldContainer[ProcurementPackage]
    def __init__(self, packages: _Optional[_Iterable[_Union[ProcurementPackage, _Mapping]]] = ...) -> None: ...

class SerialRange(_message.Message):
    __slots__ = ("first_serial", "last_serial")
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    first_serial: str
    last_serial: str
    def __init__(self, first_serial: _Optional[str] = ..., last_serial: _Optional[str] = ...) -> None: ...

class Office(_message.Message):
    __slots__ = ("code", "name", "level", "parent_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    level: OfficeLevel
    parent_code: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[OfficeLevel, str]] = ..., parent_code: _Optional[str] = ...) -> None: ...

class RegisterOfficeRequest(_message.Message):
    __slots__ = ("code", "name")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class RegisterOfficeResponse(_message.Message):
    __slots__ = ("office",)
    OFFICE_FIELD_NUMBER: _ClassVar[int]
    office: Office
    def __init__(self, office: _Optional[_Union[Office, _Mapping]] = ...) -> None: ...

class ListOfficesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListOfficesResponse(_message.Message):
    __slots__ = ("offices",)
    OFFICES_FIELD_NUMBER: _ClassVar[int]
    offices: _containers.RepeatedCompositeFieldContainer[Office]
    def __init__(self, offices: _Optional[_Iterable[_Union[Office, _Mapping]]] = ...) -> None: ...

class Transfer(_message.Message):
    __slots__ = ("transfer_id", "kind", "from_office", "to_office", "ranges", "quantity", "reference", "status", "dispatched_at", "received_at", "loan_id", "outstanding")
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FROM_OFFICE_FIELD_NUMBER: _ClassVar[int]
    TO_OFFICE_FIELD_NUMBER: _ClassVar[int]
    RANGES_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    transfer_id: str
    kind: TransferKind
    from_office: str
    to_office: str
    ranges: _containers.RepeatedCompositeFieldContainer[SerialRange]
    quantity: int
    reference: str
    status: TransferStatus
    dispatched_at: _timestamp_pb2.Timestamp
    received_at: _timestamp_pb2.Timestamp
    loan_id: str
    outstanding: int
    def __init__(self, transfer_id: _Optional[str] = ..., kind: _Optional[_Union[TransferKind, str]] = ..., from_office: _Optional[str] = ..., to_office: _Optional[str] = ..., ranges: _Optional[_Iterable[_Union[SerialRange, _Mapping]]] = ..., quantity: _Optional[int] = ..., reference: _Optional[str] = ..., status: _Optional[_Union[TransferStatus, str]] = ..., dispatched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., loan_id: _Optional[str] = ..., outstanding: _Optional[int] = ...) -> None: ...

class TransferStockRequest(_message.Message):
    __slots__ = ("from_office", "to_office", "quantity", "reference", "kind")
    FROM_OFFICE_FIELD_NUMBER: _ClassVar[int]
    TO_OFFICE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    from_office: str
    to_office: str
    quantity: int
    reference: str
    kind: TransferKind
    def __init__(self, from_office: _Optional[str] = ..., to_office: _Optional[str] = ..., quantity: _Optional[int] = ..., reference: _Optional[str] = ..., kind: _Optional[_Union[TransferKind, str]] = ...) -> None: ...

class TransferStockResponse(_message.Message):
    __slots__ = ("transfer",)
    TRANSFER_FIELD_NUMBER: _ClassVar[int]
    transfer: Transfer
    def __init__(self, transfer: _Optional[_Union[Transfer, _Mapping]] = ...) -> None: ...

class ReceiveTransferRequest(_message.Message):
    __slots__ = ("transfer_id",)
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    transfer_id: str
    def __init__(self, transfer_id: _Optional[str] = ...) -> None: ...

class ReceiveTransferResponse(_message.Message):
    __slots__ = ("transfer",)
    TRANSFER_FIELD_NUMBER: _ClassVar[int]
    transfer: Transfer
    def __init__(self, transfer: _Optional[_Union[Transfer, _Mapping]] = ...) -> None: ...

class RepayLoanRequest(_message.Message):
    __slots__ = ("loan_id", "quantity", "reference")
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    loan_id: str
    quantity: int
    reference: str
    def __init__(self, loan_id: _Optional[str] = ..., quantity: _Optional[int] = ..., reference: _Optional[str] = ...) -> None: ...

class RepayLoanResponse(_message.Message):
    __slots__ = ("repayment", "loan")
    REPAYMENT_FIELD_NUMBER: _ClassVar[int]
    LOAN_FIELD_NUMBER: _ClassVar[int]
    repayment: Transfer
    loan: Transfer
    def __init__(self, repayment: _Optional[_Union[Transfer, _Mapping]] = ..., loan: _Optional[_Union[Transfer, _Mapping]] = ...) -> None: ...

class Witness(_message.Message):
    __slots__ = ("name", "staff_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    staff_id: str
    def __init__(self, name: _Optional[str] = ..., staff_id: _Optional[str] = ...) -> None: ...

class SpoilBlanksRequest(_message.Message):
    __slots__ = ("office_code", "ranges", "cause", "witnesses", "reference")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    RANGES_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    WITNESSES_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    ranges: _containers.RepeatedCompositeFieldContainer[SerialRange]
    cause: str
    witnesses: _containers.RepeatedCompositeFieldContainer[Witness]
    reference: str
    def __init__(self, office_code: _Optional[str] = ..., ranges: _Optional[_Iterable[_Union[SerialRange, _Mapping]]] = ..., cause: _Optional[str] = ..., witnesses: _Optional[_Iterable[_Union[Witness, _Mapping]]] = ..., reference: _Optional[str] = ...) -> None: ...

class SpoilBlanksResponse(_message.Message):
    __slots__ = ("record_id", "quantity", "stock")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    STOCK_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    quantity: int
    stock: Stock
    def __init__(self, record_id: _Optional[str] = ..., quantity: _Optional[int] = ..., stock: _Optional[_Union[Stock, _Mapping]] = ...) -> None: ...

class ReportLostRequest(_message.Message):
    __slots__ = ("office_code", "ranges", "cause", "reference")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    RANGES_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    ranges: _containers.RepeatedCompositeFieldContainer[SerialRange]
    cause: str
    reference: str
    def __init__(self, office_code: _Optional[str] = ..., ranges: _Optional[_Iterable[_Union[SerialRange, _Mapping]]] = ..., cause: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class ReportLostResponse(_message.Message):
    __slots__ = ("quantity", "stock")
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    STOCK_FIELD_NUMBER: _ClassVar[int]
    quantity: int
    stock: Stock
    def __init__(self, quantity: _Optional[int] = ..., stock: _Optional[_Union[Stock, _Mapping]] = ...) -> None: ...

class RecordCountRequest(_message.Message):
    __slots__ = ("office_code", "counted", "reference")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    counted: _containers.RepeatedCompositeFieldContainer[SerialRange]
    reference: str
    def __init__(self, office_code: _Optional[str] = ..., counted: _Optional[_Iterable[_Union[SerialRange, _Mapping]]] = ..., reference: _Optional[str] = ...) -> None: ...

class CountReport(_message.Message):
    __slots__ = ("count_id", "office_code", "counted_at", "expected", "counted", "missing", "surplus")
    COUNT_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    COUNTED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    SURPLUS_FIELD_NUMBER: _ClassVar[int]
    count_id: str
    office_code: str
    counted_at: _timestamp_pb2.Timestamp
    expected: int
    counted: int
    missing: _containers.RepeatedCompositeFieldContainer[SerialRange]
    surplus: _containers.RepeatedCompositeFieldContainer[SerialRange]
    def __init__(self, count_id: _Optional[str] = ..., office_code: _Optional[str] = ..., counted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expected: _Optional[int] = ..., counted: _Optional[int] = ..., missing: _Optional[_Iterable[_Union[SerialRange, _Mapping]]] = ..., surplus: _Optional[_Iterable[_Union[SerialRange, _Mapping]]] = ...) -> None: ...

class RecordCountResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: CountReport
    def __init__(self, report: _Optional[_Union[CountReport, _Mapping]] = ...) -> None: ...

class LedgerEntry(_message.Message):
    __slots__ = ("entry_id", "office_code", "kind", "range", "quantity", "occurred_at", "counterparty", "transfer_id", "reference", "cause", "record_id")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    COUNTERPARTY_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    entry_id: int
    office_code: str
    kind: LedgerKind
    range: SerialRange
    quantity: int
    occurred_at: _timestamp_pb2.Timestamp
    counterparty: str
    transfer_id: str
    reference: str
    cause: str
    record_id: str
    def __init__(self, entry_id: _Optional[int] = ..., office_code: _Optional[str] = ..., kind: _Optional[_Union[LedgerKind, str]] = ..., range: _Optional[_Union[SerialRange, _Mapping]] = ..., quantity: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., counterparty: _Optional[str] = ..., transfer_id: _Optional[str] = ..., reference: _Optional[str] = ..., cause: _Optional[str] = ..., record_id: _Optional[str] = ...) -> None: ...

class ListLedgerRequest(_message.Message):
    __slots__ = ("office_code", "kinds", "since", "until", "serial", "limit")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    kinds: _containers.RepeatedScalarFieldContainer[LedgerKind]
    since: str
    until: str
    serial: str
    limit: int
    def __init__(self, office_code: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[LedgerKind, str]]] = ..., since: _Optional[str] = ..., until: _Optional[str] = ..., serial: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListLedgerResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ...) -> None: ...

class ExpireReservationsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExpireReservationsResponse(_message.Message):
    __slots__ = ("expired",)
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    expired: int
    def __init__(self, expired: _Optional[int] = ...) -> None: ...

class ProcurementStatusStep(_message.Message):
    __slots__ = ("status", "reason", "changed_at")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    status: ProcurementStatus
    reason: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, status: _Optional[_Union[ProcurementStatus, str]] = ..., reason: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("package_id", "sequence", "office_code", "first_serial", "last_serial", "quantity", "delivered_at", "reference")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    sequence: int
    office_code: str
    first_serial: str
    last_serial: str
    quantity: int
    delivered_at: _timestamp_pb2.Timestamp
    reference: str
    def __init__(self, package_id: _Optional[str] = ..., sequence: _Optional[int] = ..., office_code: _Optional[str] = ..., first_serial: _Optional[str] = ..., last_serial: _Optional[str] = ..., quantity: _Optional[int] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reference: _Optional[str] = ...) -> None: ...

class CreateProcurementRequest(_message.Message):
    __slots__ = ("package_id", "fiscal_year", "name", "quantity", "estimated_value_idr", "channel", "planned_at")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_VALUE_IDR_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PLANNED_AT_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    fiscal_year: int
    name: str
    quantity: int
    estimated_value_idr: int
    channel: ProcurementChannel
    planned_at: _timestamp_pb2.Timestamp
    def __init__(self, package_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., name: _Optional[str] = ..., quantity: _Optional[int] = ..., estimated_value_idr: _Optional[int] = ..., channel: _Optional[_Union[ProcurementChannel, str]] = ..., planned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateProcurementResponse(_message.Message):
    __slots__ = ("package",)
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    package: ProcurementPackage
    def __init__(self, package: _Optional[_Union[ProcurementPackage, _Mapping]] = ...) -> None: ...

class ChangeProcurementStatusRequest(_message.Message):
    __slots__ = ("package_id", "status", "reason", "changed_at", "vendor", "contract_number", "contract_value_idr", "expected_delivery_on")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VALUE_IDR_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_DELIVERY_ON_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    status: ProcurementStatus
    reason: str
    changed_at: _timestamp_pb2.Timestamp
    vendor: str
    contract_number: str
    contract_value_idr: int
    expected_delivery_on: str
    def __init__(self, package_id: _Optional[str] = ..., status: _Optional[_Union[ProcurementStatus, str]] = ..., reason: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., vendor: _Optional[str] = ..., contract_number: _Optional[str] = ..., contract_value_idr: _Optional[int] = ..., expected_delivery_on: _Optional[str] = ...) -> None: ...

class ChangeProcurementStatusResponse(_message.Message):
    __slots__ = ("package",)
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    package: ProcurementPackage
    def __init__(self, package: _Optional[_Union[ProcurementPackage, _Mapping]] = ...) -> None: ...

class RecordDeliveryRequest(_message.Message):
    __slots__ = ("package_id", "first_serial", "last_serial", "delivered_at", "reference")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    first_serial: str
    last_serial: str
    delivered_at: _timestamp_pb2.Timestamp
    reference: str
    def __init__(self, package_id: _Optional[str] = ..., first_serial: _Optional[str] = ..., last_serial: _Optional[str] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reference: _Optional[str] = ...) -> None: ...

class RecordDeliveryResponse(_message.Message):
    __slots__ = ("delivery", "package")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    delivery: Delivery
    package: ProcurementPackage
    def __init__(self, delivery: _Optional[_Union[Delivery, _Mapping]] = ..., package: _Optional[_Union[ProcurementPackage, _Mapping]] = ...) -> None: ...

class GetProcurementRequest(_message.Message):
    __slots__ = ("package_id",)
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    def __init__(self, package_id: _Optional[str] = ...) -> None: ...

class GetProcurementResponse(_message.Message):
    __slots__ = ("package", "history", "deliveries")
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    package: ProcurementPackage
    history: _containers.RepeatedCompositeFieldContainer[ProcurementStatusStep]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, package: _Optional[_Union[ProcurementPackage, _Mapping]] = ..., history: _Optional[_Iterable[_Union[ProcurementStatusStep, _Mapping]]] = ..., deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...

class BlankRequest(_message.Message):
    __slots__ = ("request_id", "kind", "office_code", "supplier_office", "quantity_requested", "backlog", "backlog_source", "note", "state", "quantity_approved", "decision_reason", "transfer_id", "requested_at", "decided_at", "received_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_OFFICE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_SOURCE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_APPROVED_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    kind: BlankRequestKind
    office_code: str
    supplier_office: str
    quantity_requested: int
    backlog: int
    backlog_source: BacklogSource
    note: str
    state: BlankRequestState
    quantity_approved: int
    decision_reason: str
    transfer_id: str
    requested_at: _timestamp_pb2.Timestamp
    decided_at: _timestamp_pb2.Timestamp
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., kind: _Optional[_Union[BlankRequestKind, str]] = ..., office_code: _Optional[str] = ..., supplier_office: _Optional[str] = ..., quantity_requested: _Optional[int] = ..., backlog: _Optional[int] = ..., backlog_source: _Optional[_Union[BacklogSource, str]] = ..., note: _Optional[str] = ..., state: _Optional[_Union[BlankRequestState, str]] = ..., quantity_approved: _Optional[int] = ..., decision_reason: _Optional[str] = ..., transfer_id: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateBlankRequestRequest(_message.Message):
    __slots__ = ("kind", "office_code", "lender_office", "quantity", "backlog", "backlog_source", "note")
    KIND_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    LENDER_OFFICE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_SOURCE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    kind: BlankRequestKind
    office_code: str
    lender_office: str
    quantity: int
    backlog: int
    backlog_source: BacklogSource
    note: str
    def __init__(self, kind: _Optional[_Union[BlankRequestKind, str]] = ..., office_code: _Optional[str] = ..., lender_office: _Optional[str] = ..., quantity: _Optional[int] = ..., backlog: _Optional[int] = ..., backlog_source: _Optional[_Union[BacklogSource, str]] = ..., note: _Optional[str] = ...) -> None: ...

class CreateBlankRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: BlankRequest
    def __init__(self, request: _Optional[_Union[BlankRequest, _Mapping]] = ...) -> None: ...

class DecideBlankRequestRequest(_message.Message):
    __slots__ = ("request_id", "approve", "quantity", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    approve: bool
    quantity: int
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., approve: _Optional[bool] = ..., quantity: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class DecideBlankRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: BlankRequest
    def __init__(self, request: _Optional[_Union[BlankRequest, _Mapping]] = ...) -> None: ...

class ReceiveBlankRequestRequest(_message.Message):
    __slots__ = ("request_id",)
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class ReceiveBlankRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: BlankRequest
    def __init__(self, request: _Optional[_Union[BlankRequest, _Mapping]] = ...) -> None: ...

class GetBlankRequestRequest(_message.Message):
    __slots__ = ("request_id",)
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class GetBlankRequestResponse(_message.Message):
    __slots__ = ("request",)
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: BlankRequest
    def __init__(self, request: _Optional[_Union[BlankRequest, _Mapping]] = ...) -> None: ...

class ListBlankRequestsRequest(_message.Message):
    __slots__ = ("state", "limit")
    STATE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    state: BlankRequestState
    limit: int
    def __init__(self, state: _Optional[_Union[BlankRequestState, str]] = ..., limit: _Optional[int] = ...) -> None: ...

class ListBlankRequestsResponse(_message.Message):
    __slots__ = ("requests",)
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    requests: _containers.RepeatedCompositeFieldContainer[BlankRequest]
    def __init__(self, requests: _Optional[_Iterable[_Union[BlankRequest, _Mapping]]] = ...) -> None: ...

class GetForecastRequest(_message.Message):
    __slots__ = ("office_code", "backlog")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    backlog: int
    def __init__(self, office_code: _Optional[str] = ..., backlog: _Optional[int] = ...) -> None: ...

class Forecast(_message.Message):
    __slots__ = ("office_code", "on_hand", "available", "backlog", "daily_consumption", "has_daily_consumption", "days_averaged", "days_excluded", "days_of_cover", "has_days_of_cover", "stock_out_on", "shortfall", "expected_arrival_on", "arrival_explanation", "level")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    DAILY_CONSUMPTION_FIELD_NUMBER: _ClassVar[int]
    HAS_DAILY_CONSUMPTION_FIELD_NUMBER: _ClassVar[int]
    DAYS_AVERAGED_FIELD_NUMBER: _ClassVar[int]
    DAYS_EXCLUDED_FIELD_NUMBER: _ClassVar[int]
    DAYS_OF_COVER_FIELD_NUMBER: _ClassVar[int]
    HAS_DAYS_OF_COVER_FIELD_NUMBER: _ClassVar[int]
    STOCK_OUT_ON_FIELD_NUMBER: _ClassVar[int]
    SHORTFALL_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_ARRIVAL_ON_FIELD_NUMBER: _ClassVar[int]
    ARRIVAL_EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    on_hand: int
    available: int
    backlog: int
    daily_consumption: float
    has_daily_consumption: bool
    days_averaged: int
    days_excluded: int
    days_of_cover: float
    has_days_of_cover: bool
    stock_out_on: str
    shortfall: int
    expected_arrival_on: str
    arrival_explanation: str
    level: str
    def __init__(self, office_code: _Optional[str] = ..., on_hand: _Optional[int] = ..., available: _Optional[int] = ..., backlog: _Optional[int] = ..., daily_consumption: _Optional[float] = ..., has_daily_consumption: _Optional[bool] = ..., days_averaged: _Optional[int] = ..., days_excluded: _Optional[int] = ..., days_of_cover: _Optional[float] = ..., has_days_of_cover: _Optional[bool] = ..., stock_out_on: _Optional[str] = ..., shortfall: _Optional[int] = ..., expected_arrival_on: _Optional[str] = ..., arrival_explanation: _Optional[str] = ..., level: _Optional[str] = ...) -> None: ...

class GetForecastResponse(_message.Message):
    __slots__ = ("forecast",)
    FORECAST_FIELD_NUMBER: _ClassVar[int]
    forecast: Forecast
    def __init__(self, forecast: _Optional[_Union[Forecast, _Mapping]] = ...) -> None: ...

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
    __slots__ = ("office_code", "serial", "idempotency_key", "available", "reason")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    serial: str
    idempotency_key: str
    available: int
    reason: str
    def __init__(self, office_code: _Optional[str] = ..., serial: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., available: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

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

class DeliveryReceived(_message.Message):
    __slots__ = ("package_id", "sequence", "office_code", "first_serial", "last_serial", "quantity", "delivered_total")
    PACKAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    package_id: str
    sequence: int
    office_code: str
    first_serial: str
    last_serial: str
    quantity: int
    delivered_total: int
    def __init__(self, package_id: _Optional[str] = ..., sequence: _Optional[int] = ..., office_code: _Optional[str] = ..., first_serial: _Optional[str] = ..., last_serial: _Optional[str] = ..., quantity: _Optional[int] = ..., delivered_total: _Optional[int] = ...) -> None: ...

class StockLow(_message.Message):
    __slots__ = ("office_code", "available", "threshold")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    available: int
    threshold: int
    def __init__(self, office_code: _Optional[str] = ..., available: _Optional[int] = ..., threshold: _Optional[int] = ...) -> None: ...

class BlankRequestChanged(_message.Message):
    __slots__ = ("office_code", "request_id", "kind", "supplier_office", "state", "quantity_requested", "quantity_approved", "transfer_id", "reason")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_OFFICE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_APPROVED_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    request_id: str
    kind: BlankRequestKind
    supplier_office: str
    state: BlankRequestState
    quantity_requested: int
    quantity_approved: int
    transfer_id: str
    reason: str
    def __init__(self, office_code: _Optional[str] = ..., request_id: _Optional[str] = ..., kind: _Optional[_Union[BlankRequestKind, str]] = ..., supplier_office: _Optional[str] = ..., state: _Optional[_Union[BlankRequestState, str]] = ..., quantity_requested: _Optional[int] = ..., quantity_approved: _Optional[int] = ..., transfer_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StockSpoiled(_message.Message):
    __slots__ = ("office_code", "serial_ranges", "quantity", "cause", "record_id", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_RANGES_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    serial_ranges: _containers.RepeatedScalarFieldContainer[str]
    quantity: int
    cause: str
    record_id: str
    available: int
    def __init__(self, office_code: _Optional[str] = ..., serial_ranges: _Optional[_Iterable[str]] = ..., quantity: _Optional[int] = ..., cause: _Optional[str] = ..., record_id: _Optional[str] = ..., available: _Optional[int] = ...) -> None: ...

class StockLost(_message.Message):
    __slots__ = ("office_code", "serial_ranges", "quantity", "cause", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_RANGES_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    serial_ranges: _containers.RepeatedScalarFieldContainer[str]
    quantity: int
    cause: str
    available: int
    def __init__(self, office_code: _Optional[str] = ..., serial_ranges: _Optional[_Iterable[str]] = ..., quantity: _Optional[int] = ..., cause: _Optional[str] = ..., available: _Optional[int] = ...) -> None: ...

class StockTransferred(_message.Message):
    __slots__ = ("office_code", "to_office", "transfer_id", "kind", "serial_ranges", "quantity", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_OFFICE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SERIAL_RANGES_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    to_office: str
    transfer_id: str
    kind: TransferKind
    serial_ranges: _containers.RepeatedScalarFieldContainer[str]
    quantity: int
    available: int
    def __init__(self, office_code: _Optional[str] = ..., to_office: _Optional[str] = ..., transfer_id: _Optional[str] = ..., kind: _Optional[_Union[TransferKind, str]] = ..., serial_ranges: _Optional[_Iterable[str]] = ..., quantity: _Optional[int] = ..., available: _Optional[int] = ...) -> None: ...

class TransferReceived(_message.Message):
    __slots__ = ("office_code", "from_office", "transfer_id", "kind", "quantity", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    FROM_OFFICE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    from_office: str
    transfer_id: str
    kind: TransferKind
    quantity: int
    available: int
    def __init__(self, office_code: _Optional[str] = ..., from_office: _Optional[str] = ..., transfer_id: _Optional[str] = ..., kind: _Optional[_Union[TransferKind, str]] = ..., quantity: _Optional[int] = ..., available: _Optional[int] = ...) -> None: ...

class StockCounted(_message.Message):
    __slots__ = ("office_code", "count_id", "expected", "counted", "missing", "surplus", "available")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    COUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    SURPLUS_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    count_id: str
    expected: int
    counted: int
    missing: int
    surplus: int
    available: int
    def __init__(self, office_code: _Optional[str] = ..., count_id: _Optional[str] = ..., expected: _Optional[int] = ..., counted: _Optional[int] = ..., missing: _Optional[int] = ..., surplus: _Optional[int] = ..., available: _Optional[int] = ...) -> None: ...
