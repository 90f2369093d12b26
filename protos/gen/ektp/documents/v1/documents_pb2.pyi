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

class VerificationResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VERIFICATION_RESULT_UNSPECIFIED: _ClassVar[VerificationResult]
    VERIFICATION_RESULT_VALID: _ClassVar[VerificationResult]
    VERIFICATION_RESULT_SUPERSEDED: _ClassVar[VerificationResult]
    VERIFICATION_RESULT_EXPIRED: _ClassVar[VerificationResult]
    VERIFICATION_RESULT_VOID: _ClassVar[VerificationResult]
    VERIFICATION_RESULT_FORGED: _ClassVar[VerificationResult]

class PrintJobStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRINT_JOB_STATUS_UNSPECIFIED: _ClassVar[PrintJobStatus]
    PRINT_JOB_STATUS_QUEUED: _ClassVar[PrintJobStatus]
    PRINT_JOB_STATUS_PRINTED: _ClassVar[PrintJobStatus]
    PRINT_JOB_STATUS_SPOILED: _ClassVar[PrintJobStatus]
    PRINT_JOB_STATUS_ERROR: _ClassVar[PrintJobStatus]

class BatchStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BATCH_STATUS_UNSPECIFIED: _ClassVar[BatchStatus]
    BATCH_STATUS_PACKED: _ClassVar[BatchStatus]
    BATCH_STATUS_DISPATCHED: _ClassVar[BatchStatus]
    BATCH_STATUS_RECEIVED: _ClassVar[BatchStatus]
    BATCH_STATUS_CLOSED: _ClassVar[BatchStatus]
DOCUMENT_KIND_UNSPECIFIED: DocumentKind
DOCUMENT_KIND_CARD_PRINT_JOB: DocumentKind
DOCUMENT_KIND_SUKET: DocumentKind
DOCUMENT_STATUS_UNSPECIFIED: DocumentStatus
DOCUMENT_STATUS_ISSUED: DocumentStatus
DOCUMENT_STATUS_PRINTED: DocumentStatus
DOCUMENT_STATUS_SUPERSEDED: DocumentStatus
DOCUMENT_STATUS_EXPIRED: DocumentStatus
DOCUMENT_STATUS_VOID: DocumentStatus
VERIFICATION_RESULT_UNSPECIFIED: VerificationResult
VERIFICATION_RESULT_VALID: VerificationResult
VERIFICATION_RESULT_SUPERSEDED: VerificationResult
VERIFICATION_RESULT_EXPIRED: VerificationResult
VERIFICATION_RESULT_VOID: VerificationResult
VERIFICATION_RESULT_FORGED: VerificationResult
PRINT_JOB_STATUS_UNSPECIFIED: PrintJobStatus
PRINT_JOB_STATUS_QUEUED: PrintJobStatus
PRINT_JOB_STATUS_PRINTED: PrintJobStatus
PRINT_JOB_STATUS_SPOILED: PrintJobStatus
PRINT_JOB_STATUS_ERROR: PrintJobStatus
BATCH_STATUS_UNSPECIFIED: BatchStatus
BATCH_STATUS_PACKED: BatchStatus
BATCH_STATUS_DISPATCHED: BatchStatus
BATCH_STATUS_RECEIVED: BatchStatus
BATCH_STATUS_CLOSED: BatchStatus

class Document(_message.Message):
    __slots__ = ("document_id", "kind", "status", "register_number", "office_code", "region_code", "card_serial", "issued_at", "valid_until", "qr_payload", "superseded_by", "void_reason", "pdf_sha256")
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
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    VOID_REASON_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
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
    superseded_by: str
    void_reason: str
    pdf_sha256: str
    def __init__(self, document_id: _Optional[str] = ..., kind: _Optional[_Union[DocumentKind, str]] = ..., status: _Optional[_Union[DocumentStatus, str]] = ..., register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., card_serial: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., qr_payload: _Optional[str] = ..., superseded_by: _Optional[str] = ..., void_reason: _Optional[str] = ..., pdf_sha256: _Optional[str] = ...) -> None: ...

class VerifyDocumentRequest(_message.Message):
    __slots__ = ("qr_payload",)
    QR_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    qr_payload: str
    def __init__(self, qr_payload: _Optional[str] = ...) -> None: ...

class VerifyDocumentResponse(_message.Message):
    __slots__ = ("result", "reason", "document_id", "kind", "register_number", "full_name", "birth_date", "sex", "issuer", "issued_at", "valid_until", "superseded_by")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    result: VerificationResult
    reason: str
    document_id: str
    kind: DocumentKind
    register_number: str
    full_name: str
    birth_date: str
    sex: str
    issuer: str
    issued_at: _timestamp_pb2.Timestamp
    valid_until: str
    superseded_by: str
    def __init__(self, result: _Optional[_Union[VerificationResult, str]] = ..., reason: _Optional[str] = ..., document_id: _Optional[str] = ..., kind: _Optional[_Union[DocumentKind, str]] = ..., register_number: _Optional[str] = ..., full_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., sex: _Optional[str] = ..., issuer: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[str] = ..., superseded_by: _Optional[str] = ...) -> None: ...

class RenewSuketRequest(_message.Message):
    __slots__ = ("document_id", "request_id")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    request_id: str
    def __init__(self, document_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RenewSuketResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class VoidDocumentRequest(_message.Message):
    __slots__ = ("document_id", "reason")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    reason: str
    def __init__(self, document_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class VoidDocumentResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class ExpireSuketsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExpireSuketsResponse(_message.Message):
    __slots__ = ("expired",)
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    expired: int
    def __init__(self, expired: _Optional[int] = ...) -> None: ...

class PrintJob(_message.Message):
    __slots__ = ("job_id", "register_number", "office_code", "region_code", "status", "priority", "queued_at", "printed_at", "card_serial", "document_id", "reprint_of", "reason")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    QUEUED_AT_FIELD_NUMBER: _ClassVar[int]
    PRINTED_AT_FIELD_NUMBER: _ClassVar[int]
    CARD_SERIAL_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REPRINT_OF_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    register_number: str
    office_code: str
    region_code: str
    status: PrintJobStatus
    priority: int
    queued_at: _timestamp_pb2.Timestamp
    printed_at: _timestamp_pb2.Timestamp
    card_serial: str
    document_id: str
    reprint_of: str
    reason: str
    def __init__(self, job_id: _Optional[str] = ..., register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., status: _Optional[_Union[PrintJobStatus, str]] = ..., priority: _Optional[int] = ..., queued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., printed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., card_serial: _Optional[str] = ..., document_id: _Optional[str] = ..., reprint_of: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListPrintJobsRequest(_message.Message):
    __slots__ = ("office_code", "status", "limit")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    status: PrintJobStatus
    limit: int
    def __init__(self, office_code: _Optional[str] = ..., status: _Optional[_Union[PrintJobStatus, str]] = ..., limit: _Optional[int] = ...) -> None: ...

class ListPrintJobsResponse(_message.Message):
    __slots__ = ("jobs", "queued")
    JOBS_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[PrintJob]
    queued: int
    def __init__(self, jobs: _Optional[_Iterable[_Union[PrintJob, _Mapping]]] = ..., queued: _Optional[int] = ...) -> None: ...

class ReprintCardRequest(_message.Message):
    __slots__ = ("document_id", "reason")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    reason: str
    def __init__(self, document_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReprintCardResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: PrintJob
    def __init__(self, job: _Optional[_Union[PrintJob, _Mapping]] = ...) -> None: ...

class PrintBacklogRequest(_message.Message):
    __slots__ = ("office_code", "limit")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    limit: int
    def __init__(self, office_code: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class PrintBacklogResponse(_message.Message):
    __slots__ = ("printed", "superseded", "remaining", "out_of_stock")
    PRINTED_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    OUT_OF_STOCK_FIELD_NUMBER: _ClassVar[int]
    printed: int
    superseded: int
    remaining: int
    out_of_stock: bool
    def __init__(self, printed: _Optional[int] = ..., superseded: _Optional[int] = ..., remaining: _Optional[int] = ..., out_of_stock: _Optional[bool] = ...) -> None: ...

class GetBatchSheetRequest(_message.Message):
    __slots__ = ("job_ids",)
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, job_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetBatchSheetResponse(_message.Message):
    __slots__ = ("pdf",)
    PDF_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    def __init__(self, pdf: _Optional[bytes] = ...) -> None: ...

class OfficePolicy(_message.Message):
    __slots__ = ("office_code", "suket_when_out_of_stock")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    SUKET_WHEN_OUT_OF_STOCK_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    suket_when_out_of_stock: bool
    def __init__(self, office_code: _Optional[str] = ..., suket_when_out_of_stock: _Optional[bool] = ...) -> None: ...

class SetOfficePolicyRequest(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: OfficePolicy
    def __init__(self, policy: _Optional[_Union[OfficePolicy, _Mapping]] = ...) -> None: ...

class SetOfficePolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: OfficePolicy
    def __init__(self, policy: _Optional[_Union[OfficePolicy, _Mapping]] = ...) -> None: ...

class GetOfficePolicyRequest(_message.Message):
    __slots__ = ("office_code",)
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    def __init__(self, office_code: _Optional[str] = ...) -> None: ...

class GetOfficePolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: OfficePolicy
    def __init__(self, policy: _Optional[_Union[OfficePolicy, _Mapping]] = ...) -> None: ...

class ShortageLetter(_message.Message):
    __slots__ = ("letter_id", "office_code", "recipient_code", "recipient_name", "letter_number", "created_at", "pdf_sha256")
    LETTER_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_CODE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    LETTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
    letter_id: str
    office_code: str
    recipient_code: str
    recipient_name: str
    letter_number: str
    created_at: _timestamp_pb2.Timestamp
    pdf_sha256: str
    def __init__(self, letter_id: _Optional[str] = ..., office_code: _Optional[str] = ..., recipient_code: _Optional[str] = ..., recipient_name: _Optional[str] = ..., letter_number: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pdf_sha256: _Optional[str] = ...) -> None: ...

class CreateShortageLettersRequest(_message.Message):
    __slots__ = ("office_code", "request_id")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    request_id: str
    def __init__(self, office_code: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateShortageLettersResponse(_message.Message):
    __slots__ = ("set_id", "letters", "dispatch_list_pdf")
    SET_ID_FIELD_NUMBER: _ClassVar[int]
    LETTERS_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_LIST_PDF_FIELD_NUMBER: _ClassVar[int]
    set_id: str
    letters: _containers.RepeatedCompositeFieldContainer[ShortageLetter]
    dispatch_list_pdf: bytes
    def __init__(self, set_id: _Optional[str] = ..., letters: _Optional[_Iterable[_Union[ShortageLetter, _Mapping]]] = ..., dispatch_list_pdf: _Optional[bytes] = ...) -> None: ...

class ListShortageLettersRequest(_message.Message):
    __slots__ = ("office_code",)
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    def __init__(self, office_code: _Optional[str] = ...) -> None: ...

class ListShortageLettersResponse(_message.Message):
    __slots__ = ("letters",)
    LETTERS_FIELD_NUMBER: _ClassVar[int]
    letters: _containers.RepeatedCompositeFieldContainer[ShortageLetter]
    def __init__(self, letters: _Optional[_Iterable[_Union[ShortageLetter, _Mapping]]] = ...) -> None: ...

class BatchCard(_message.Message):
    __slots__ = ("document_id", "register_number", "region_code", "handed_over_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    HANDED_OVER_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    region_code: str
    handed_over_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., region_code: _Optional[str] = ..., handed_over_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DistributionBatch(_message.Message):
    __slots__ = ("batch_id", "office_code", "district_code", "status", "cards", "handed_over", "created_at", "dispatched_at", "received_at", "items")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CARDS_FIELD_NUMBER: _ClassVar[int]
    HANDED_OVER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    office_code: str
    district_code: str
    status: BatchStatus
    cards: int
    handed_over: int
    created_at: _timestamp_pb2.Timestamp
    dispatched_at: _timestamp_pb2.Timestamp
    received_at: _timestamp_pb2.Timestamp
    items: _containers.RepeatedCompositeFieldContainer[BatchCard]
    def __init__(self, batch_id: _Optional[str] = ..., office_code: _Optional[str] = ..., district_code: _Optional[str] = ..., status: _Optional[_Union[BatchStatus, str]] = ..., cards: _Optional[int] = ..., handed_over: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dispatched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., items: _Optional[_Iterable[_Union[BatchCard, _Mapping]]] = ...) -> None: ...

class CreateDistributionBatchesRequest(_message.Message):
    __slots__ = ("office_code",)
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    def __init__(self, office_code: _Optional[str] = ...) -> None: ...

class CreateDistributionBatchesResponse(_message.Message):
    __slots__ = ("batches",)
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    batches: _containers.RepeatedCompositeFieldContainer[DistributionBatch]
    def __init__(self, batches: _Optional[_Iterable[_Union[DistributionBatch, _Mapping]]] = ...) -> None: ...

class ListDistributionBatchesRequest(_message.Message):
    __slots__ = ("office_code", "status")
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    office_code: str
    status: BatchStatus
    def __init__(self, office_code: _Optional[str] = ..., status: _Optional[_Union[BatchStatus, str]] = ...) -> None: ...

class ListDistributionBatchesResponse(_message.Message):
    __slots__ = ("batches",)
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    batches: _containers.RepeatedCompositeFieldContainer[DistributionBatch]
    def __init__(self, batches: _Optional[_Iterable[_Union[DistributionBatch, _Mapping]]] = ...) -> None: ...

class GetDistributionBatchRequest(_message.Message):
    __slots__ = ("batch_id", "include_manifest_pdf")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_MANIFEST_PDF_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    include_manifest_pdf: bool
    def __init__(self, batch_id: _Optional[str] = ..., include_manifest_pdf: _Optional[bool] = ...) -> None: ...

class GetDistributionBatchResponse(_message.Message):
    __slots__ = ("batch", "manifest_pdf")
    BATCH_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_PDF_FIELD_NUMBER: _ClassVar[int]
    batch: DistributionBatch
    manifest_pdf: bytes
    def __init__(self, batch: _Optional[_Union[DistributionBatch, _Mapping]] = ..., manifest_pdf: _Optional[bytes] = ...) -> None: ...

class DispatchBatchRequest(_message.Message):
    __slots__ = ("batch_id",)
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    def __init__(self, batch_id: _Optional[str] = ...) -> None: ...

class DispatchBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: DistributionBatch
    def __init__(self, batch: _Optional[_Union[DistributionBatch, _Mapping]] = ...) -> None: ...

class ReceiveBatchRequest(_message.Message):
    __slots__ = ("batch_id",)
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    def __init__(self, batch_id: _Optional[str] = ...) -> None: ...

class ReceiveBatchResponse(_message.Message):
    __slots__ = ("batch", "receipt_pdf")
    BATCH_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_PDF_FIELD_NUMBER: _ClassVar[int]
    batch: DistributionBatch
    receipt_pdf: bytes
    def __init__(self, batch: _Optional[_Union[DistributionBatch, _Mapping]] = ..., receipt_pdf: _Optional[bytes] = ...) -> None: ...

class HandOverCardRequest(_message.Message):
    __slots__ = ("document_id", "nik")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NIK_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    nik: str
    def __init__(self, document_id: _Optional[str] = ..., nik: _Optional[str] = ...) -> None: ...

class HandOverCardResponse(_message.Message):
    __slots__ = ("card",)
    CARD_FIELD_NUMBER: _ClassVar[int]
    card: BatchCard
    def __init__(self, card: _Optional[_Union[BatchCard, _Mapping]] = ...) -> None: ...

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

class SuketExpired(_message.Message):
    __slots__ = ("document_id", "register_number", "region_code", "valid_until")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    region_code: str
    valid_until: str
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., region_code: _Optional[str] = ..., valid_until: _Optional[str] = ...) -> None: ...

class DocumentVoided(_message.Message):
    __slots__ = ("document_id", "register_number", "region_code", "kind")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    region_code: str
    kind: DocumentKind
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[DocumentKind, str]] = ...) -> None: ...

class PrintJobQueued(_message.Message):
    __slots__ = ("job_id", "register_number", "office_code", "region_code", "priority")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    register_number: str
    office_code: str
    region_code: str
    priority: int
    def __init__(self, job_id: _Optional[str] = ..., register_number: _Optional[str] = ..., office_code: _Optional[str] = ..., region_code: _Optional[str] = ..., priority: _Optional[int] = ...) -> None: ...

class CardSpoiled(_message.Message):
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

class ShortageLettersSent(_message.Message):
    __slots__ = ("set_id", "office_code", "letters")
    SET_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    LETTERS_FIELD_NUMBER: _ClassVar[int]
    set_id: str
    office_code: str
    letters: int
    def __init__(self, set_id: _Optional[str] = ..., office_code: _Optional[str] = ..., letters: _Optional[int] = ...) -> None: ...

class BatchDispatched(_message.Message):
    __slots__ = ("batch_id", "office_code", "district_code", "cards")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    CARDS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    office_code: str
    district_code: str
    cards: _containers.RepeatedCompositeFieldContainer[BatchCard]
    def __init__(self, batch_id: _Optional[str] = ..., office_code: _Optional[str] = ..., district_code: _Optional[str] = ..., cards: _Optional[_Iterable[_Union[BatchCard, _Mapping]]] = ...) -> None: ...

class BatchReceived(_message.Message):
    __slots__ = ("batch_id", "office_code", "district_code", "cards")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    CARDS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    office_code: str
    district_code: str
    cards: int
    def __init__(self, batch_id: _Optional[str] = ..., office_code: _Optional[str] = ..., district_code: _Optional[str] = ..., cards: _Optional[int] = ...) -> None: ...

class CardHandedOver(_message.Message):
    __slots__ = ("document_id", "register_number", "region_code", "batch_id")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    register_number: str
    region_code: str
    batch_id: str
    def __init__(self, document_id: _Optional[str] = ..., register_number: _Optional[str] = ..., region_code: _Optional[str] = ..., batch_id: _Optional[str] = ...) -> None: ...
