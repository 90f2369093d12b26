"""Use cases of the documents context: print a card or issue a Suket (following the enrolment
feed, or at the Dinas counter), and read documents.

Every use case a gRPC method or a page calls takes the acting `Principal` first; the feed
consumer acts as the documents service itself. The access table (documents.access) decides
which roles may call; here the record decides the rest: a document belongs to the region of
its resident (`region_code`), lists keep only what the actor covers and a single document
outside it is refused. Issuing, reading one document and serving its PDF are written to the
audit log in the same transaction as the change or the read.
"""
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
from documents.errors import (
    CardAlreadyPrinted,
    DocumentNotFound,
    InvalidDocumentRequest,
    NotPrintReady,
    OutOfStock,
    RecordingNotFound,
    UpstreamError,
)
from documents.metrics import DocumentsMetrics
from documents.repository import DocumentCounts
from documents.unit_of_work import DocumentsUnitOfWork, UnitOfWorkFactory
from servicekit.access import Principal, Role
from servicekit.errors import FieldViolation

log = logging.getLogger(__name__)

LATEST_LIMIT = 50

# A Suket is issued by the Dinas, never by a kelurahan (DESIGN.md); the feed issues as the service.
ISSUE_ROLES = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS)
# The PDF carries the resident's personal data: only those who print (and the auditor) get it.
PDF_ROLES = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS, Role.AUDITOR)
# The lurah follows whether a resident's document is out, not the document itself.
STATUS_ONLY_ROLES = frozenset({Role.LURAH})

RECORD_TYPE = "document"


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

    def apply(self, actor: Principal, event: FeedEvent) -> None:
        """Apply one feed event exactly once (inbox); RecordingPrintReady prints or issues."""
        if event.payload is None:
            self._mark_applied(event)
            return
        with self._uow(readonly=True) as uow:  # one read: applied yet? and what is already issued
            if uow.inbox.already_applied(event.event_id):
                return
            documents = [d for d in uow.documents.for_register_number(event.payload.register_number) if d.is_active]
        self._print_or_issue(actor, event, event.payload, documents)

    def _mark_applied(self, event: FeedEvent) -> None:
        with self._uow() as uow:
            if not uow.inbox.already_applied(event.event_id):
                uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
                uow.commit()

    def _print_or_issue(self, actor: Principal, event: FeedEvent, ready: PrintReady,
                        documents: list[Document]) -> None:
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
                self._issue_suket(actor, recording, event=event)
            return
        self._print_card(actor, event, recording, serial)

    def _print_card(self, actor: Principal, event: FeedEvent, recording: Recording, serial: str) -> None:
        now = self._clock()
        with self._metrics.render_seconds.labels(DocumentKind.CARD.value).time():
            pdf = self._renderer.card(CardJob(recording, serial, domain.local_date(now)))
        self._inventory.consume_blank(blank_key(recording.register_number), serial)
        card, printed = domain.card_print_job(domain.new_document_id(), recording, serial, pdf, now)
        with self._uow() as uow:
            uow.documents.lock_register_number(recording.register_number)
            if uow.inbox.already_applied(event.event_id):
                return  # another replica got there first
            uow.documents.add(card)
            for suket in uow.documents.for_register_number(recording.register_number):
                if suket.kind is DocumentKind.SUKET and suket.status is DocumentStatus.ISSUED:
                    uow.add_event(suket.supersede(card))
                    uow.documents.save_status(suket)
            uow.add_event(printed)
            uow.audit(actor, "document.issue", RECORD_TYPE, card.document_id)
            uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
            uow.commit()
        self._metrics.issued.labels(DocumentKind.CARD.value, recording.office_code).inc()
        log.info("card printed (document %s, serial %s)", card.document_id, serial)

    # ---- issuing a Suket ---------------------------------------------------------------

    def issue_suket(self, actor: Principal, register_number: str, request_id: str = "") -> Document:
        """The Dinas issues a Suket at the counter for a print-ready recording with no card yet.

        Idempotent: the register number's active Suket is returned when there is one, and a
        retry with the same `request_id` (which becomes the new Suket's id) returns that Suket.
        """
        actor.require_role(*ISSUE_ROLES)
        register_number = domain.check_register_number(register_number)
        document_id = domain.check_document_id(request_id, "request_id") if request_id.strip() else None
        if document_id is not None:
            replayed = self._replay(actor, document_id, register_number)
            if replayed is not None:
                return replayed
        recording = self._recording(register_number)
        actor.require_region(recording.resident.region_code)
        if not recording.print_ready:
            raise NotPrintReady("Perekaman untuk nomor registrasi ini belum berstatus siap cetak (PRR); "
                                "Suket belum dapat diterbitkan.")
        with self._uow() as uow:  # most retries end here, before anything is rendered
            existing = self._claim_at_counter(uow, actor, register_number)
            if existing is not None:
                uow.commit()
                return existing
        issued = self._issue_suket(actor, recording, document_id=document_id)
        assert issued is not None
        return issued

    def _recording(self, register_number: str) -> Recording:
        try:
            return self._enrolment.get_recording(register_number)
        except UpstreamError as err:
            if err.code == "NOT_FOUND":
                raise RecordingNotFound("Nomor registrasi ini tidak ditemukan di data perekaman.") from None
            raise

    def _replay(self, actor: Principal, document_id: str, register_number: str) -> Document | None:
        """The Suket an earlier request with this request_id issued, or None."""
        with self._uow() as uow:
            document = uow.documents.get(document_id)
            if document is None:
                return None
            if document.kind is not DocumentKind.SUKET or document.register_number != register_number:
                raise InvalidDocumentRequest("request_id already used", violations=[FieldViolation(
                    "request_id", "request_id ini sudah dipakai untuk dokumen lain; kirim permintaan dengan "
                                  "request_id baru.")])
            actor.require_region(document.region_code)
            uow.audit(actor, "document.read", RECORD_TYPE, document.document_id)
            uow.commit()
        return document

    def _claim_at_counter(self, uow: DocumentsUnitOfWork, actor: Principal, register_number: str) -> Document | None:
        """Inside a writing unit of work: refuse when a card is printed, else the active Suket
        (its reading audited), else None: the caller may issue."""
        uow.documents.lock_register_number(register_number)
        active = [d for d in uow.documents.for_register_number(register_number) if d.is_active]
        if any(d.kind is DocumentKind.CARD for d in active):
            raise CardAlreadyPrinted("KTP-el untuk nomor registrasi ini sudah dicetak; Suket tidak diterbitkan lagi.")
        existing = next((d for d in active if d.kind is DocumentKind.SUKET), None)
        if existing is not None:
            uow.audit(actor, "document.read", RECORD_TYPE, existing.document_id)
        return existing

    def _issue_suket(self, actor: Principal, recording: Recording, *, document_id: str | None = None,
                     event: FeedEvent | None = None) -> Document | None:
        """Render, sign and store a Suket: the one path of the automatic fallback (`event`:
        exactly once per feed event) and of the counter (no event: at most one active Suket
        per register number; the active one is returned). None when the feed event turned out
        to be done already."""
        now = self._clock()
        document_id = document_id or domain.new_document_id()
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
            if event is None:
                existing = self._claim_at_counter(uow, actor, recording.register_number)
                if existing is not None:  # another officer issued it meanwhile
                    uow.commit()
                    return existing
            else:
                uow.documents.lock_register_number(recording.register_number)
                if uow.inbox.already_applied(event.event_id):
                    return None  # another replica got there first
                uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
                if any(d.is_active for d in uow.documents.for_register_number(recording.register_number)):
                    log.info("a document was issued meanwhile; event %s needs no Suket", event.event_id)
                    uow.commit()
                    return None
            uow.documents.add(suket)
            uow.add_event(issued)
            uow.audit(actor, "document.issue", RECORD_TYPE, document_id)
            uow.commit()
        self._metrics.issued.labels(DocumentKind.SUKET.value, recording.office_code).inc()
        log.info("Suket issued (document %s, valid until %s, by the %s)", document_id, valid_until.isoformat(),
                 "feed" if event is not None else "counter")
        return suket

    # ---- reading -----------------------------------------------------------------------

    def list_documents(self, actor: Principal, register_number: str) -> list[Document]:
        """The register number's documents in the actor's region (not audited: a list view)."""
        register_number = domain.check_register_number(register_number)
        with self._uow(readonly=True) as uow:
            documents = uow.documents.for_register_number(register_number)
        return [self._as_seen_by(actor, d) for d in documents if actor.covers(d.region_code)]

    def get_document(self, actor: Principal, document_id: str, *, include_pdf: bool = False) -> Document:
        """One document of the actor's region (status only for the lurah); the PDF only for
        PDF_ROLES. Audited as read, and as printed when the PDF goes out."""
        actions = ("document.read", "document.print") if include_pdf else ("document.read",)
        return self._as_seen_by(actor, self._read_one(actor, document_id, include_pdf, actions))

    def document_pdf(self, actor: Principal, document_id: str) -> bytes:
        """The PDF to print; only the Dinas and the auditor, in their region; audited."""
        document = self._read_one(actor, document_id, True, ("document.print",))
        assert document.pdf is not None
        return document.pdf

    def _read_one(self, actor: Principal, document_id: str, include_pdf: bool, actions: tuple[str, ...]) -> Document:
        document_id = domain.check_document_id(document_id)
        if include_pdf:
            actor.require_role(*PDF_ROLES)
        with self._uow() as uow:  # writing: the read is audited in the same transaction
            document = uow.documents.get(document_id, include_pdf=include_pdf)
            if document is None:
                raise DocumentNotFound("no document with this id")
            actor.require_region(document.region_code)
            for action in actions:
                uow.audit(actor, action, RECORD_TYPE, document_id)
            uow.commit()
        return document

    def overview(self, actor: Principal, limit: int = LATEST_LIMIT) -> Overview:
        """Counts and the latest documents of the actor's region."""
        with self._uow(readonly=True) as uow:
            counts, latest = uow.documents.counts(actor.scope), uow.documents.latest(limit, actor.scope)
        return Overview(counts, [self._as_seen_by(actor, d) for d in latest])

    @staticmethod
    def _as_seen_by(actor: Principal, document: Document) -> Document:
        return document.status_only() if actor.role in STATUS_ONLY_ROLES else document

    def verify_qr(self, payload: str) -> VerifiedClaim:
        """The claim of a genuine Suket QR; InvalidQrPayload / ForgedQrPayload otherwise."""
        return domain.verify_qr(payload, self._signer.verify)
