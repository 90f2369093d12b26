"""Use cases of the documents context: print a card or issue a Suket, and read documents."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from documents import domain
from documents.domain import (
    CardJob,
    Document,
    DocumentKind,
    DocumentStatus,
    FeedEvent,
    IssuerPolicy,
    PrintReady,
    Recording,
    SuketLetter,
    VerifiedClaim,
)
from documents.errors import DocumentNotFound, OutOfStock
from documents.metrics import DocumentsMetrics
from documents.repository import DocumentCounts
from documents.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

LATEST_LIMIT = 50


class EnrolmentPort(Protocol):
    def get_recording(self, register_number: str) -> Recording: ...


class InventoryPort(Protocol):
    def reserve_blank(self, office_code: str, key: str) -> str: ...
    def consume_blank(self, key: str, serial: str) -> None: ...


class Renderer(Protocol):
    def card(self, job: CardJob) -> bytes: ...
    def suket(self, letter: SuketLetter) -> bytes: ...


class Signer(Protocol):
    def sign(self, data: bytes) -> bytes: ...
    def verify(self, data: bytes, signature: bytes) -> bool: ...


@dataclass(frozen=True)
class Overview:
    counts: DocumentCounts
    latest: list[Document]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def blank_key(register_number: str) -> str:
    """Idempotency key of the blank reserved for a register number's card."""
    return f"card:{register_number}"


class DocumentsService:
    def __init__(self, *, uow: UnitOfWorkFactory, enrolment: EnrolmentPort, inventory: InventoryPort,
                 renderer: Renderer, signer: Signer, issuers: IssuerPolicy, metrics: DocumentsMetrics,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._uow = uow
        self._enrolment = enrolment
        self._inventory = inventory
        self._renderer = renderer
        self._signer = signer
        self._issuers = issuers
        self._metrics = metrics
        self._clock = clock

    # ---- following the enrolment feed ----------------------------------------------------

    def apply(self, event: FeedEvent) -> None:
        """Apply one feed event exactly once (inbox); RecordingPrintReady prints or issues."""
        if event.payload is None:
            self._mark_applied(event)
            return
        with self._uow(readonly=True) as uow:  # one read: applied yet? and what is already issued
            if uow.inbox.already_applied(event.event_id):
                return
            documents = [d for d in uow.documents.for_register_number(event.payload.register_number) if d.is_active]
        self._print_or_issue(event, event.payload, documents)

    def _mark_applied(self, event: FeedEvent) -> None:
        with self._uow() as uow:
            if not uow.inbox.already_applied(event.event_id):
                uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
                uow.commit()

    def _print_or_issue(self, event: FeedEvent, ready: PrintReady, documents: list[Document]) -> None:
        if any(d.kind is DocumentKind.CARD for d in documents):
            log.info("card already printed for this register number; event %s skipped", event.event_id)
            self._mark_applied(event)
            return
        recording = self._enrolment.get_recording(ready.register_number)
        if not recording.print_ready:
            log.warning("recording of event %s is no longer print-ready; nothing issued", event.event_id)
            self._mark_applied(event)
            return
        try:
            serial = self._inventory.reserve_blank(recording.office_code, blank_key(recording.register_number))
        except OutOfStock:
            if any(d.kind is DocumentKind.SUKET for d in documents):
                log.info("still out of stock and a Suket is valid; event %s skipped", event.event_id)
                self._mark_applied(event)
            else:
                self._issue_suket(event, recording)
            return
        self._print_card(event, recording, serial)

    def _print_card(self, event: FeedEvent, recording: Recording, serial: str) -> None:
        now = self._clock()
        with self._metrics.render_seconds.labels(DocumentKind.CARD.value).time():
            pdf = self._renderer.card(CardJob(recording, serial, domain.local_date(now)))
        self._inventory.consume_blank(blank_key(recording.register_number), serial)
        card, printed = domain.card_print_job(domain.new_document_id(), recording, serial, pdf, now)
        with self._uow() as uow:
            if uow.inbox.already_applied(event.event_id):
                return  # another replica got there first
            uow.documents.add(card)
            for suket in uow.documents.for_register_number(recording.register_number):
                if suket.kind is DocumentKind.SUKET and suket.status is DocumentStatus.ISSUED:
                    uow.add_event(suket.supersede(card))
                    uow.documents.save_status(suket)
            uow.add_event(printed)
            uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
            uow.commit()
        self._metrics.issued.labels(DocumentKind.CARD.value, recording.office_code).inc()
        log.info("card printed (document %s, serial %s)", card.document_id, serial)

    def _issue_suket(self, event: FeedEvent, recording: Recording) -> None:
        now = self._clock()
        document_id = domain.new_document_id()
        issued_on = domain.local_date(now)
        valid_until = domain.suket_valid_until(issued_on)
        claim = domain.SuketClaim(document_id, recording.register_number, valid_until, recording.office_code)
        signed = claim.canonical_json()
        payload = domain.qr_payload(signed, self._signer.sign(signed))
        issuer = self._issuers.for_office(recording.office_code, recording.office_name)
        letter = SuketLetter(document_id, recording, issued_on, valid_until, payload, issuer)
        with self._metrics.render_seconds.labels(DocumentKind.SUKET.value).time():
            pdf = self._renderer.suket(letter)
        suket, issued = domain.suket(document_id, recording, valid_until, payload, pdf, now)
        with self._uow() as uow:
            if uow.inbox.already_applied(event.event_id):
                return
            uow.documents.add(suket)
            uow.add_event(issued)
            uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
            uow.commit()
        self._metrics.issued.labels(DocumentKind.SUKET.value, recording.office_code).inc()
        log.info("Suket issued (document %s, valid until %s)", document_id, valid_until.isoformat())

    # ---- reading -----------------------------------------------------------------------

    def list_documents(self, register_number: str) -> list[Document]:
        register_number = domain.check_register_number(register_number)
        with self._uow(readonly=True) as uow:
            return uow.documents.for_register_number(register_number)

    def get_document(self, document_id: str, *, include_pdf: bool = False) -> Document:
        document_id = domain.check_document_id(document_id)
        with self._uow(readonly=True) as uow:
            document = uow.documents.get(document_id, include_pdf=include_pdf)
        if document is None:
            raise DocumentNotFound("no document with this id")
        return document

    def document_pdf(self, document_id: str) -> bytes:
        document = self.get_document(document_id, include_pdf=True)
        assert document.pdf is not None
        return document.pdf

    def overview(self, limit: int = LATEST_LIMIT) -> Overview:
        with self._uow(readonly=True) as uow:
            return Overview(uow.documents.counts(), uow.documents.latest(limit))

    def verify_qr(self, payload: str) -> VerifiedClaim:
        """The claim of a genuine Suket QR; InvalidQrPayload / ForgedQrPayload otherwise."""
        return domain.verify_qr(payload, self._signer.verify)
