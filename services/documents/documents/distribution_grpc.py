"""Shortage letters and distribution over gRPC: protobuf <-> DistributionService, nothing else.

A mixin of documents.grpc_server.DocumentsServicer, which sets `self._distribution`.
"""
from __future__ import annotations

import datetime as dt

import grpc
from google.protobuf import timestamp_pb2

from documents.distribution import BatchCard, BatchStatus, DistributionBatch, ShortageLetter
from documents.distribution_service import DistributionService
from ektp.documents.v1 import documents_pb2
from servicekit.grpcserver import current_principal

_BATCH_STATUS = {status: getattr(documents_pb2, f"BATCH_STATUS_{status.name}") for status in BatchStatus}
_BATCH_STATUS_FROM_PB = {value: status for status, value in _BATCH_STATUS.items()}


def _stamp(moment: dt.datetime | None) -> timestamp_pb2.Timestamp | None:
    if moment is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment.astimezone(dt.timezone.utc))
    return stamp


def letter_to_pb(letter: ShortageLetter) -> documents_pb2.ShortageLetter:
    return documents_pb2.ShortageLetter(
        letter_id=letter.letter_id, office_code=letter.office_code, recipient_code=letter.recipient_code,
        recipient_name=letter.recipient_name, letter_number=letter.letter_number,
        created_at=_stamp(letter.created_at), pdf_sha256=letter.pdf_sha256)


def card_to_pb(card: BatchCard) -> documents_pb2.BatchCard:
    return documents_pb2.BatchCard(document_id=card.document_id, register_number=card.register_number,
                                   region_code=card.region_code, handed_over_at=_stamp(card.handed_over_at))


def batch_to_pb(batch: DistributionBatch, *, with_items: bool = False) -> documents_pb2.DistributionBatch:
    return documents_pb2.DistributionBatch(
        batch_id=batch.batch_id, office_code=batch.office_code, district_code=batch.district_code,
        status=_BATCH_STATUS[batch.status], cards=batch.card_count, handed_over=batch.handed_over_count,
        created_at=_stamp(batch.created_at), dispatched_at=_stamp(batch.dispatched_at),
        received_at=_stamp(batch.received_at), items=[card_to_pb(c) for c in batch.cards] if with_items else [])


class DistributionServicerMixin:
    _distribution: DistributionService

    def CreateShortageLetters(self, request: documents_pb2.CreateShortageLettersRequest,
                              context: grpc.ServicerContext) -> documents_pb2.CreateShortageLettersResponse:
        created = self._distribution.create_shortage_letters(current_principal(), request.office_code,
                                                             request.request_id)
        return documents_pb2.CreateShortageLettersResponse(
            set_id=created.letter_set.set_id, letters=[letter_to_pb(x) for x in created.letter_set.letters],
            dispatch_list_pdf=created.dispatch_list_pdf)

    def ListShortageLetters(self, request: documents_pb2.ListShortageLettersRequest,
                            context: grpc.ServicerContext) -> documents_pb2.ListShortageLettersResponse:
        letters = self._distribution.list_shortage_letters(current_principal(), request.office_code)
        return documents_pb2.ListShortageLettersResponse(letters=[letter_to_pb(x) for x in letters])

    def CreateDistributionBatches(self, request: documents_pb2.CreateDistributionBatchesRequest,
                                  context: grpc.ServicerContext) -> documents_pb2.CreateDistributionBatchesResponse:
        batches = self._distribution.create_distribution_batches(current_principal(), request.office_code)
        return documents_pb2.CreateDistributionBatchesResponse(batches=[batch_to_pb(b) for b in batches])

    def ListDistributionBatches(self, request: documents_pb2.ListDistributionBatchesRequest,
                                context: grpc.ServicerContext) -> documents_pb2.ListDistributionBatchesResponse:
        batches = self._distribution.list_batches(current_principal(), request.office_code,
                                                  _BATCH_STATUS_FROM_PB.get(request.status))
        return documents_pb2.ListDistributionBatchesResponse(batches=[batch_to_pb(b) for b in batches])

    def GetDistributionBatch(self, request: documents_pb2.GetDistributionBatchRequest,
                             context: grpc.ServicerContext) -> documents_pb2.GetDistributionBatchResponse:
        batch, manifest = self._distribution.get_batch(current_principal(), request.batch_id,
                                                       include_manifest=request.include_manifest_pdf)
        return documents_pb2.GetDistributionBatchResponse(batch=batch_to_pb(batch, with_items=True),
                                                          manifest_pdf=manifest or b"")

    def DispatchBatch(self, request: documents_pb2.DispatchBatchRequest,
                      context: grpc.ServicerContext) -> documents_pb2.DispatchBatchResponse:
        batch = self._distribution.dispatch_batch(current_principal(), request.batch_id)
        return documents_pb2.DispatchBatchResponse(batch=batch_to_pb(batch))

    def ReceiveBatch(self, request: documents_pb2.ReceiveBatchRequest,
                     context: grpc.ServicerContext) -> documents_pb2.ReceiveBatchResponse:
        batch, receipt = self._distribution.receive_batch(current_principal(), request.batch_id)
        return documents_pb2.ReceiveBatchResponse(batch=batch_to_pb(batch), receipt_pdf=receipt)

    def HandOverCard(self, request: documents_pb2.HandOverCardRequest,
                     context: grpc.ServicerContext) -> documents_pb2.HandOverCardResponse:
        card = self._distribution.hand_over_card(current_principal(), request.document_id, request.nik)
        return documents_pb2.HandOverCardResponse(card=card_to_pb(card))
