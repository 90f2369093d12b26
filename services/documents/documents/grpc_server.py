"""DocumentsService over gRPC: protobuf <-> service translation only."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import grpc
from google.protobuf import timestamp_pb2

from documents.domain import Document, DocumentKind, DocumentStatus
from documents.events import date_timestamp
from documents.service import DocumentsService
from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from servicekit.feeds import OutboxFeed
from servicekit.grpcserver import current_principal

SERVICE_NAME = documents_pb2.DESCRIPTOR.services_by_name["DocumentsService"].full_name

_KIND = {DocumentKind.CARD: documents_pb2.DOCUMENT_KIND_CARD_PRINT_JOB,
         DocumentKind.SUKET: documents_pb2.DOCUMENT_KIND_SUKET}
_STATUS = {status: getattr(documents_pb2, f"DOCUMENT_STATUS_{status.name}") for status in DocumentStatus}


def to_pb(document: Document) -> documents_pb2.Document:
    issued_at = timestamp_pb2.Timestamp()
    issued_at.FromDatetime(document.issued_at.astimezone(dt.timezone.utc))
    message = documents_pb2.Document(
        document_id=document.document_id, kind=_KIND[document.kind], status=_STATUS[document.status],
        register_number=document.register_number, office_code=document.office_code,
        region_code=document.region_code, card_serial=document.card_serial or "",
        issued_at=issued_at, qr_payload=document.qr_payload or "")
    if document.valid_until is not None:
        message.valid_until.CopyFrom(date_timestamp(document.valid_until))
    return message


class DocumentsServicer(documents_pb2_grpc.DocumentsServiceServicer):
    def __init__(self, service: DocumentsService, feed: OutboxFeed) -> None:
        self._service = service
        self._feed = feed

    def ListDocuments(self, request: documents_pb2.ListDocumentsRequest,
                      context: grpc.ServicerContext) -> documents_pb2.ListDocumentsResponse:
        documents = self._service.list_documents(current_principal(), request.register_number)
        return documents_pb2.ListDocumentsResponse(documents=[to_pb(d) for d in documents])

    def GetDocument(self, request: documents_pb2.GetDocumentRequest,
                    context: grpc.ServicerContext) -> documents_pb2.GetDocumentResponse:
        document = self._service.get_document(current_principal(), request.document_id,
                                              include_pdf=request.include_pdf)
        return documents_pb2.GetDocumentResponse(document=to_pb(document), pdf=document.pdf or b"")

    def IssueSuket(self, request: documents_pb2.IssueSuketRequest,
                   context: grpc.ServicerContext) -> documents_pb2.IssueSuketResponse:
        document = self._service.issue_suket(current_principal(), request.register_number, request.request_id)
        return documents_pb2.IssueSuketResponse(document=to_pb(document))

    def StreamEvents(self, request, context):
        return self._feed.stream_events(request, context)


def register(servicer: DocumentsServicer) -> Callable[[grpc.Server], None]:
    """The `register` callback for servicekit.grpcserver.create_server."""
    def _register(server: grpc.Server) -> None:
        documents_pb2_grpc.add_DocumentsServiceServicer_to_server(servicer, server)
    return _register
