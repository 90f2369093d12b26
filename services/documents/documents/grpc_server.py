"""DocumentsService over gRPC: protobuf <-> service translation only."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import grpc
from google.protobuf import timestamp_pb2

from documents.distribution_grpc import DistributionServicerMixin
from documents.distribution_service import DistributionService
from documents.domain import (
    SEX_LABELS,
    Document,
    DocumentKind,
    DocumentStatus,
    OfficePolicy,
    PrintJob,
    PrintJobStatus,
    Verification,
    VerificationResult,
)
from documents.events import date_timestamp
from documents.service import DocumentsService
from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from servicekit.feeds import OutboxFeed
from servicekit.grpcserver import current_principal

SERVICE_NAME = documents_pb2.DESCRIPTOR.services_by_name["DocumentsService"].full_name

_KIND = {DocumentKind.CARD: documents_pb2.DOCUMENT_KIND_CARD_PRINT_JOB,
         DocumentKind.SUKET: documents_pb2.DOCUMENT_KIND_SUKET}
_STATUS = {status: getattr(documents_pb2, f"DOCUMENT_STATUS_{status.name}") for status in DocumentStatus}


_JOB_STATUS = {status: getattr(documents_pb2, f"PRINT_JOB_STATUS_{status.name}") for status in PrintJobStatus}
_JOB_STATUS_FROM_PB = {value: status for status, value in _JOB_STATUS.items()}


def _timestamp(moment: dt.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment.astimezone(dt.timezone.utc))
    return stamp


def job_to_pb(job: PrintJob) -> documents_pb2.PrintJob:
    message = documents_pb2.PrintJob(
        job_id=job.job_id, register_number=job.register_number, office_code=job.office_code,
        region_code=job.region_code, status=_JOB_STATUS[job.status], priority=int(job.priority),
        queued_at=_timestamp(job.queued_at), card_serial=job.card_serial or "", document_id=job.document_id or "",
        reprint_of=job.reprint_of or "", reason=job.reason)
    if job.printed_at is not None:
        message.printed_at.CopyFrom(_timestamp(job.printed_at))
    return message


def policy_to_pb(policy: OfficePolicy) -> documents_pb2.OfficePolicy:
    return documents_pb2.OfficePolicy(office_code=policy.office_code,
                                      suket_when_out_of_stock=policy.suket_when_out_of_stock)


_RESULT = {result: getattr(documents_pb2, f"VERIFICATION_RESULT_{result.name}") for result in VerificationResult}


def verification_to_pb(verification: Verification) -> documents_pb2.VerifyDocumentResponse:
    """The result and only what the QR's own claim carries (nothing of a forged one)."""
    message = documents_pb2.VerifyDocumentResponse(result=_RESULT[verification.result], reason=verification.reason)
    claim = verification.claim
    if claim is not None:
        message.MergeFrom(documents_pb2.VerifyDocumentResponse(
            document_id=claim.document_id, kind=_KIND[verification.kind or DocumentKind.SUKET],
            register_number=claim.register_number, full_name=claim.full_name,
            birth_date=claim.birth_date.isoformat(), sex=SEX_LABELS[claim.sex], issuer=claim.issuer,
            issued_at=_timestamp(claim.issued_at), valid_until=claim.valid_until.isoformat(),
            superseded_by=verification.superseded_by or ""))
    return message


def to_pb(document: Document) -> documents_pb2.Document:
    issued_at = timestamp_pb2.Timestamp()
    issued_at.FromDatetime(document.issued_at.astimezone(dt.timezone.utc))
    message = documents_pb2.Document(
        document_id=document.document_id, kind=_KIND[document.kind], status=_STATUS[document.status],
        register_number=document.register_number, office_code=document.office_code,
        region_code=document.region_code, card_serial=document.card_serial or "",
        issued_at=issued_at, qr_payload=document.qr_payload or "", pdf_sha256=document.pdf_sha256 or "",
        superseded_by=document.superseded_by or "", void_reason=document.void_reason or "")
    if document.valid_until is not None:
        message.valid_until.CopyFrom(date_timestamp(document.valid_until))
    return message


class DocumentsServicer(DistributionServicerMixin, documents_pb2_grpc.DocumentsServiceServicer):
    def __init__(self, service: DocumentsService, feed: OutboxFeed, distribution: DistributionService) -> None:
        self._service = service
        self._feed = feed
        self._distribution = distribution   # shortage letters and distribution (documents.distribution_grpc)

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

    def ListPrintJobs(self, request: documents_pb2.ListPrintJobsRequest,
                      context: grpc.ServicerContext) -> documents_pb2.ListPrintJobsResponse:
        queue = self._service.list_print_jobs(current_principal(), request.office_code,
                                              _JOB_STATUS_FROM_PB.get(request.status), request.limit)
        return documents_pb2.ListPrintJobsResponse(jobs=[job_to_pb(j) for j in queue.jobs], queued=queue.queued)

    def ReprintCard(self, request: documents_pb2.ReprintCardRequest,
                    context: grpc.ServicerContext) -> documents_pb2.ReprintCardResponse:
        job = self._service.reprint_card(current_principal(), request.document_id, request.reason)
        return documents_pb2.ReprintCardResponse(job=job_to_pb(job))

    def PrintBacklog(self, request: documents_pb2.PrintBacklogRequest,
                     context: grpc.ServicerContext) -> documents_pb2.PrintBacklogResponse:
        run = self._service.print_backlog(current_principal(), request.office_code, request.limit)
        return documents_pb2.PrintBacklogResponse(printed=run.printed, superseded=run.superseded,
                                                  remaining=run.remaining, out_of_stock=run.out_of_stock)

    def GetBatchSheet(self, request: documents_pb2.GetBatchSheetRequest,
                      context: grpc.ServicerContext) -> documents_pb2.GetBatchSheetResponse:
        pdf = self._service.batch_sheet(current_principal(), list(request.job_ids))
        return documents_pb2.GetBatchSheetResponse(pdf=pdf)

    def SetOfficePolicy(self, request: documents_pb2.SetOfficePolicyRequest,
                        context: grpc.ServicerContext) -> documents_pb2.SetOfficePolicyResponse:
        policy = self._service.set_office_policy(current_principal(), OfficePolicy(
            request.policy.office_code, request.policy.suket_when_out_of_stock))
        return documents_pb2.SetOfficePolicyResponse(policy=policy_to_pb(policy))

    def GetOfficePolicy(self, request: documents_pb2.GetOfficePolicyRequest,
                        context: grpc.ServicerContext) -> documents_pb2.GetOfficePolicyResponse:
        policy = self._service.get_office_policy(current_principal(), request.office_code)
        return documents_pb2.GetOfficePolicyResponse(policy=policy_to_pb(policy))

    def VerifyDocument(self, request: documents_pb2.VerifyDocumentRequest,
                       context: grpc.ServicerContext) -> documents_pb2.VerifyDocumentResponse:
        # Public: no principal (the gate admits a call without a token for this method).
        return verification_to_pb(self._service.verify_document(request.qr_payload))

    def RenewSuket(self, request: documents_pb2.RenewSuketRequest,
                   context: grpc.ServicerContext) -> documents_pb2.RenewSuketResponse:
        document = self._service.renew_suket(current_principal(), request.document_id, request.request_id)
        return documents_pb2.RenewSuketResponse(document=to_pb(document))

    def VoidDocument(self, request: documents_pb2.VoidDocumentRequest,
                     context: grpc.ServicerContext) -> documents_pb2.VoidDocumentResponse:
        document = self._service.void_document(current_principal(), request.document_id, request.reason)
        return documents_pb2.VoidDocumentResponse(document=to_pb(document))

    def ExpireSukets(self, request: documents_pb2.ExpireSuketsRequest,
                     context: grpc.ServicerContext) -> documents_pb2.ExpireSuketsResponse:
        return documents_pb2.ExpireSuketsResponse(expired=self._service.expire_sukets(current_principal()))

    def StreamEvents(self, request, context):
        return self._feed.stream_events(request, context)


def register(servicer: DocumentsServicer) -> Callable[[grpc.Server], None]:
    """The `register` callback for servicekit.grpcserver.create_server."""
    def _register(server: grpc.Server) -> None:
        documents_pb2_grpc.add_DocumentsServiceServicer_to_server(servicer, server)
    return _register
