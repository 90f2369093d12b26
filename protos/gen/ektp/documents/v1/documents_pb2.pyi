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

class DocumentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_KIND_UNSPECIFIED: _ClassVar[DocumentKind]
    DOCUMENT_KIND_CARD_PRINT_JOB: _ClassVar[DocumentKind]
    DOCUMENT_KIND_SUKET: _ClassVar[DocumentKind]

class DocumentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_STATUS_UNSPECIFIED: _ClassVar[DocumentStatus]
    DOCUMENT_STATUS_ISSUED: _ClassVar[DocumentStatus]
    DOCUMENT_STATUS_PRINTED: _ClassVar[DocumentStatus]
    DOCUMENT_STATUS_SUPERSEDED: _ClassVar[DocumentStatus]
    DOCUMENT_STATUS_EXPIRED: _ClassVar[DocumentStatus]
    DOCUMENT_STATUS_VOID: _ClassVar[DocumentStatus]
DOCUMENT_KIND_UNSPECIFIED: DocumentKind
DOCUMENT_KIND_CARD_PRINT_JOB: DocumentKind
DOCUMENT_KIND_SUKET: DocumentKind
DOCUMENT_STATUS_UNSPECIFIED: DocumentStatus
DOCUMENT_STATUS_ISSUED: DocumentStatus
DOCUMENT_STATUS_PRINTED: DocumentStatus
DOCUMENT_STATUS_SUPERSEDED: DocumentStatus
DOCUMENT_STATUS_EXPIRED: DocumentStatus
DOCUMENT_STATUS_VOID: DocumentStatus

class Document(_message.Message):
    __slots__ = ("document_id", "kind", "status", "register_number", "office_code", "region_code", "card_serial", "issued_at", "valid_until", "qr_payload")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CARD_SERIAL_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    QR_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    kind: DocumentKind
    status: DocumentStatus
    register_number: str
    office_code: str
    region_code: str
    card_serial: str
    issued_at: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    qr_payload: str
    def __init__(self, document_id: _Optional[str] = ..., kind: _Optional[_Union[DocumentKind, str]] = ..., status: _Optional[_Union[DocumentStatus, str]] = ..., register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., card_serial: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., qr_payload: _Optional[str] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("register_number",)
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    def __init__(self, register_number: _Optional[str] = ...) -> None: ...

class ListDocumentsResponse(_message.Message):
    __slots__ = ("documents",)
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ...) -> None: ...

class GetDocumentRequest(_message.Message):
    __slots__ = ("document_id", "include_pdf")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_PDF_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    include_pdf: bool
    def __init__(self, document_id: _Optional[str] = ..., include_pdf: _Optional[bool] = ...) -> None: ...

class GetDocumentResponse(_message.Message):
    __slots__ = ("document", "pdf")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    PDF_FIELD_NUMBER: _ClassVar[int]
    document: Document
    pdf: bytes
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ..., pdf: _Optional[bytes] = ...) -> None: ...

class IssueSuketRequest(_message.Message):
    __slots__ = ("register_number", "request_id")
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    register_number: str
    request_id: str
    def __init__(self, register_number: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class IssueSuketResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class CardPrinted(_message.Message):
    __slots__ = ("document_id", "register_number", "office_code", "region_code", "card_serial")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CARD_SERIAL_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    office_code: str
    region_code: str
    card_serial: str
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., card_serial: _Optional[str] = ...) -> None: ...

class SuketIssued(_message.Message):
    __slots__ = ("document_id", "register_number", "office_code", "region_code", "valid_until")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    office_code: str
    region_code: str
    valid_until: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SuketSuperseded(_message.Message):
    __slots__ = ("document_id", "register_number", "region_code", "superseded_by")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    region_code: str
    superseded_by: str
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., region_code: _Optional[str] = ..., superseded_by: _Optional[str] = ...) -> None: ...
