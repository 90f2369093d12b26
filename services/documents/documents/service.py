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
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from documents import claim169, domain
from documents.domain import (
    BacklogRun,
    BatchSheetJob,
    CardJob,
    Document,
    DocumentKind,
    DocumentStatus,
    FeedEvent,
    IssuerPolicy,
    OfficePolicy,
    PrintJob,
    PrintJobStatus,
    PrintReady,
    Recording,
    StockArrived,
    SuketLetter,
    Verification,
)
from documents.errors import (
    CardAlreadyPrinted,
    DocumentNotFound,
    ForgedQrPayload,
    InvalidDocumentRequest,
    NotPrintReady,
    OutOfStock,
    RecordingNotFound,
    UpstreamError,
    WrongDocumentState,
)
from documents.metrics import DocumentsMetrics
from documents.repository import DocumentCounts
from documents.unit_of_work import DocumentsUnitOfWork, UnitOfWorkFactory
from servicekit.access import Principal, Role
from servicekit.errors import FieldViolation

log = logging.getLogger(__name__)

LATEST_LIMIT = 50

# Cards are printed (queue, reprint, batch sheet) only by the Dinas, never a kelurahan.
PRINT_ROLES = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS)
# gRPC codes of a neighbour that could not be reached: retried, and never "out of stock".
TRANSIENT_CODES = frozenset({"UNAVAILABLE", "DEADLINE_EXCEEDED"})
QUEUE_PAGE = 200           # queued jobs read at a time while printing a backlog
DEFAULT_JOB_LIMIT = 100
MAX_JOB_LIMIT = 500
OUT_OF_STOCK = object()    # _print_job's outcome when the blanks ran out

T = TypeVar("T")

# A Suket is issued by the Dinas, never by a kelurahan (DESIGN.md); the feed issues as the service.
ISSUE_ROLES = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS)
# The PDF carries the resident's personal data: only those who print (and the auditor) get it.
PDF_ROLES = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS, Role.AUDITOR)
# The lurah follows whether a resident's document is out, not the document itself.
STATUS_ONLY_ROLES = frozenset({Role.LURAH})
# The expiry job runs as the service itself; the Dinas and the province may also start it.
EXPIRE_ROLES = (*ISSUE_ROLES, Role.ADMIN_PROVINSI, Role.SERVICE)
EXPIRY_BATCH = 500

RECORD_TYPE = "document"


class EnrolmentPort(Protocol):
    def get_recording(self, register_number: str) -> Recording: ...


class InventoryPort(Protocol):
    def reserve_blank(self, office_code: str, key: str) -> str: ...
    def consume_blank(self, key: str, serial: str) -> None: ...
    def spoil_printed_blank(self, key: str, serial: str, cause: str) -> None: ...


class Renderer(Protocol):
    def card(self, job: CardJob) -> bytes: ...
    def suket(self, letter: SuketLetter) -> bytes: ...
    def batch_sheet(self, jobs: list[BatchSheetJob]) -> bytes: ...


class Signer(claim169.SigningKey, Protocol):
    """The Suket signing keys (documents.signing): sign, verify by key id, publish as a JWKS."""

    def jwks(self) -> dict: ...


@dataclass(frozen=True)
class Overview:
    counts: DocumentCounts
    latest: list[Document]


@dataclass(frozen=True)
class PrintQueue:
    jobs: list[PrintJob]
    counts: dict[PrintJobStatus, int]

    @property
    def queued(self) -> int:
        return self.counts.get(PrintJobStatus.QUEUED, 0) + self.counts.get(PrintJobStatus.ERROR, 0)


@dataclass(frozen=True)
class Backoff:
    """How a call to an unreachable neighbour is retried: `attempts` calls in all, waiting
    `first`, twice that, ... at most `cap` seconds, each jittered (x0.5..1.5). `sleep` is
    injectable so tests do not wait."""

    attempts: int = 4   # about 1.4 s in all; the feed consumer then retries the event itself
    first: float = 0.2
    cap: float = 5.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def delays(self) -> Iterator[float]:
        delay = self.first
        for _ in range(self.attempts - 1):
            yield min(delay, self.cap) * (0.5 + self.jitter())
            delay *= 2


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class DocumentsService:
    def __init__(self, *, uow: UnitOfWorkFactory, enrolment: EnrolmentPort, inventory: InventoryPort,
                 renderer: Renderer, signer: Signer, issuers: IssuerPolicy, metrics: DocumentsMetrics,
                 clock: Callable[[], dt.datetime] = utc_now, retry: Backoff = Backoff(),
                 suket_when_out_of_stock: bool = True, print_workers: int = 2) -> None:
        self._uow = uow
        self._enrolment = enrolment
        self._inventory = inventory
        self._renderer = renderer
        self._signer = signer
        self._issuers = issuers
        self._metrics = metrics
        self._clock = clock
        self._retry = retry
        self._suket_when_out_of_stock = suket_when_out_of_stock   # offices without a policy of their own
        self._print_workers = print_workers   # threads rendering and storing claimed cards of a backlog
        self._stopping = threading.Event()

    def stop_printing(self) -> None:
        """The process is stopping: a backlog run finishes the cards in hand and leaves the rest
        QUEUED (its event unapplied, resumed at the next start) before the clients close under it."""
        self._stopping.set()

    # ---- following the enrolment and inventory feeds --------------------------------------

    def apply(self, actor: Principal, event: FeedEvent) -> None:
        """Apply one feed event exactly once (inbox): RecordingPrintReady prints the card or
        queues it (with a Suket when the office's policy says so); blanks arriving at an office
        print its queue. An exception leaves the event unapplied: the consumer retries it."""
        if isinstance(event.payload, PrintReady):
            self._on_print_ready(actor, event, event.payload)
        elif isinstance(event.payload, StockArrived):
            self._on_stock_arrived(actor, event, event.payload)
        else:
            self._mark_applied(event)

    def _mark_applied(self, event: FeedEvent) -> None:
        with self._uow() as uow:
            if not uow.inbox.already_applied(event.event_id):
                uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
                uow.commit()

    def _on_print_ready(self, actor: Principal, event: FeedEvent, ready: PrintReady) -> None:
        with self._uow(readonly=True) as uow:  # one read: applied yet? what is issued, what is queued
            if uow.inbox.already_applied(event.event_id):
                return
            documents = [d for d in uow.documents.for_register_number(ready.register_number) if d.is_active]
            job = next((j for j in uow.print_jobs.for_register_number(ready.register_number) if j.is_open), None)
        if any(d.kind is DocumentKind.CARD for d in documents):
            log.info("card already printed for this register number; event %s skipped", event.event_id)
            self._mark_applied(event)
            return
        recording = self._enrolment.get_recording(ready.register_number)
        if not recording.print_ready:
            log.warning("recording of event %s is no longer print-ready; nothing issued", event.event_id)
            self._mark_applied(event)
            return
        holds_suket = any(d.kind is DocumentKind.SUKET for d in documents)
        self._print_or_issue(actor, event, recording, job or domain.new_print_job(
            recording, self._clock(), holds_suket=holds_suket), holds_suket)

    def _print_or_issue(self, actor: Principal, event: FeedEvent, recording: Recording, job: PrintJob,
                        holds_suket: bool) -> None:
        """Reserve a blank and print; out of stock: queue the job, and a Suket when the office's
        policy says so. Inventory unreachable is not out of stock: retried, then raised."""
        try:
            serial = self._inventory_call(self._inventory.reserve_blank, recording.office_code, job.blank_key)
        except OutOfStock:
            self._queue(actor, event, recording, job, holds_suket)
            return
        self._print_card(actor, recording, job, serial, event=event)

    def _queue(self, actor: Principal, event: FeedEvent, recording: Recording, job: PrintJob,
               holds_suket: bool) -> None:
        wants_suket = not holds_suket and self.office_policy_of(recording.office_code).suket_when_out_of_stock
        if wants_suket:
            job.holds_suket()
        with self._uow() as uow:
            uow.documents.lock_register_number(recording.register_number)
            if uow.inbox.already_applied(event.event_id):
                return  # another replica got there first
            queued = any(j.is_open for j in uow.print_jobs.for_register_number(recording.register_number))
            if not queued:
                uow.print_jobs.add(job)
                uow.add_event(job.queued_event())
            if not wants_suket:
                uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
            uow.commit()
        if not queued:
            log.info("out of stock: card job %s queued (priority %d)", job.job_id, job.priority)
        if wants_suket:  # marks the event applied in its own transaction
            self._issue_suket(actor, recording, event=event)
        elif not holds_suket:
            log.info("out of stock and office %s issues no Suket automatically", recording.office_code)

    def _print_card(self, actor: Principal, recording: Recording, job: PrintJob, serial: str, *,
                    event: FeedEvent | None = None) -> int | None:
        """Render the card on the reserved blank, consume it, then store the card, the job
        PRINTED and every issued Suket superseded in one transaction. The number of Sukets
        superseded, or None when another replica (or an earlier run) printed it already."""
        now = self._clock()
        with self._metrics.render_seconds.labels(DocumentKind.CARD.value).time():
            pdf = self._renderer.card(CardJob(recording, serial, domain.local_date(now)))
        self._inventory_call(self._inventory.consume_blank, job.blank_key, serial)
        card, printed = domain.card_print_job(domain.new_document_id(), recording, serial, pdf, now)
        superseded = 0
        with self._uow() as uow:
            uow.documents.lock_register_number(recording.register_number)
            if event is not None and uow.inbox.already_applied(event.event_id):
                return None  # another replica got there first
            # the job as stored: this one, or the one holding its blank key (one job per blank)
            stored = uow.print_jobs.get(job.job_id) or uow.print_jobs.by_blank_key(job.blank_key)
            done = (not stored.is_open if stored is not None else
                    any(d.kind is DocumentKind.CARD and d.is_active
                        for d in uow.documents.for_register_number(recording.register_number)))
            if not done:
                job = stored or job
                job.printed(card, now)
                uow.documents.add(card)
                if stored is None:
                    uow.print_jobs.add(job)
                else:
                    uow.print_jobs.save(job)
                for suket in uow.documents.for_register_number(recording.register_number):
                    if suket.kind is DocumentKind.SUKET and suket.status is DocumentStatus.ISSUED:
                        uow.add_event(suket.supersede(card))
                        uow.documents.save_status(suket)
                        superseded += 1
                uow.add_event(printed)
                uow.audit(actor, "document.issue", RECORD_TYPE, card.document_id)
            if event is not None:
                uow.inbox.mark_applied(event.feed, event.event_id, event.sequence)
            uow.commit()
        if done:
            log.info("print job %s was printed already; skipped", job.job_id)
            return None
        self._metrics.issued.labels(DocumentKind.CARD.value, recording.office_code).inc()
        log.info("card printed (job %s, document %s, serial %s)", job.job_id, card.document_id, serial)
        return superseded

    def _inventory_call(self, call: Callable[..., T], *args: object) -> T:
        """A call to inventory, retried with backoff while inventory is unreachable; OutOfStock
        and every other answer go straight to the caller."""
        delays = self._retry.delays()
        while True:
            try:
                return call(*args)
            except UpstreamError as err:
                delay = next(delays, None) if err.code in TRANSIENT_CODES else None
                if delay is None:
                    raise
                log.warning("inventory unreachable (%s); retrying in %.2fs", err.code, delay)
                self._retry.sleep(delay)

    # ---- the print queue ---------------------------------------------------------------

    def _on_stock_arrived(self, actor: Principal, event: FeedEvent, arrived: StockArrived) -> None:
        with self._uow(readonly=True) as uow:
            if uow.inbox.already_applied(event.event_id):
                return
            waiting = uow.print_jobs.queued_count(arrived.office_code)
        if waiting:
            run = self._print_queue(actor, arrived.office_code)
            log.info("blanks arrived at office %s: %d cards printed, %d still queued%s", arrived.office_code,
                     run.printed, run.remaining, " (out of stock again)" if run.out_of_stock else "")
        self._mark_applied(event)

    def print_backlog(self, actor: Principal, office_code: str, limit: int = 0) -> BacklogRun:
        """The Dinas prints its office's queue by priority, oldest first, until it is empty,
        `limit` cards are printed, or the blanks run out (the rest stay queued)."""
        actor.require_role(*PRINT_ROLES)
        office_code = domain.check_office_code(office_code)
        if limit < 0:
            raise InvalidDocumentRequest("invalid limit", violations=[FieldViolation(
                "limit", "batas tidak boleh negatif (0: seluruh antrean)")])
        actor.require_region(office_code)
        return self._print_queue(actor, office_code, limit)

    def _print_queue(self, actor: Principal, office_code: str, limit: int = 0) -> BacklogRun:
        """Blanks are claimed one job at a time in queue order (priority, then oldest), so a
        short delivery goes to the first in line; rendering and storing the claimed cards runs
        on `print_workers` threads (one renders while another waits for its disk)."""
        printed = superseded = failed = 0
        out_of_stock, after = False, None
        with ThreadPoolExecutor(self._print_workers, thread_name_prefix="print") as pool:
            while not out_of_stock and (not limit or printed + failed < limit):
                with self._uow(readonly=True) as uow:
                    page = uow.print_jobs.queue(office_code, QUEUE_PAGE, after)
                if not page:
                    break
                pending = []
                for job in page[:limit - printed - failed] if limit else page:
                    if self._stopping.is_set():
                        break
                    after = job
                    claim = self._claim_blank(job)
                    if claim is OUT_OF_STOCK:
                        out_of_stock = True
                        break
                    if claim is None:
                        failed += 1
                    else:
                        pending.append(pool.submit(self._finish_job, actor, job, *claim))
                try:
                    for future in pending:
                        outcome = future.result()
                        if outcome is None:
                            failed += 1
                        elif outcome >= 0:
                            printed += 1
                            superseded += outcome
                except UpstreamError:   # transient: the run stops now; the jobs not yet started stay QUEUED
                    pool.shutdown(cancel_futures=True)
                    raise
                if self._stopping.is_set():
                    raise UpstreamError("the service is stopping; the rest of the queue waits", code="UNAVAILABLE")
        with self._uow(readonly=True) as uow:
            remaining = uow.print_jobs.queued_count(office_code)
        return BacklogRun(printed, superseded, remaining, out_of_stock, failed)

    def _print_job(self, actor: Principal, job: PrintJob) -> int | object | None:
        """One queued job: the number of Sukets its card superseded (-1: printed elsewhere
        meanwhile), OUT_OF_STOCK, or None when it failed (the job is then ERROR, retried in a
        later run). Enrolment or inventory unreachable raises: the run stops, nothing is lost."""
        claim = self._claim_blank(job)
        if claim is None or claim is OUT_OF_STOCK:
            return claim
        return self._finish_job(actor, job, *claim)

    def _claim_blank(self, job: PrintJob) -> tuple[Recording, str] | object | None:
        """(the recording, the reserved serial), OUT_OF_STOCK, or None when the job failed."""
        try:
            recording = self._enrolment.get_recording(job.register_number)
            if not recording.print_ready:
                return self._job_failed(job, "perekaman tidak lagi berstatus siap cetak")
            return recording, self._inventory_call(self._inventory.reserve_blank, job.office_code, job.blank_key)
        except OutOfStock:
            return OUT_OF_STOCK
        except UpstreamError as err:
            if err.code in TRANSIENT_CODES:
                raise
            return self._job_failed(job, f"{type(err).__name__}: {err.code}")

    def _finish_job(self, actor: Principal, job: PrintJob, recording: Recording, serial: str) -> int | None:
        try:
            result = self._print_card(actor, recording, job, serial)
        except UpstreamError as err:
            if err.code in TRANSIENT_CODES:
                raise
            return self._job_failed(job, f"{type(err).__name__}: {err.code}")
        except Exception as err:  # noqa: BLE001 - one bad job must not hold back the whole queue
            log.error("print job %s failed", job.job_id, exc_info=True)
            return self._job_failed(job, type(err).__name__)
        return -1 if result is None else result

    def _job_failed(self, job: PrintJob, reason: str) -> None:
        with self._uow() as uow:
            uow.documents.lock_register_number(job.register_number)
            stored = uow.print_jobs.get(job.job_id)
            if stored is not None and stored.is_open:
                stored.failed(reason)
                uow.print_jobs.save(stored)
                uow.commit()
        log.warning("print job %s failed (%s); retried in a later run", job.job_id, reason)
        return None

    def reprint_card(self, actor: Principal, document_id: str, reason: str) -> PrintJob:
        """A printed card is misprinted or damaged: the card VOID, its job SPOILED and its blank
        spoiled at inventory (CardSpoiled), and a new job printed on a new blank at once (or
        queued without stock). Repeating the request returns the same reprint job."""
        actor.require_role(*PRINT_ROLES)
        document_id = domain.check_document_id(document_id)
        reason = domain.check_reason(reason)
        with self._uow(readonly=True) as uow:
            card = uow.documents.get(document_id)
            job = uow.print_jobs.for_document(document_id)
        if card is None:
            raise DocumentNotFound("no document with this id")
        actor.require_region(card.region_code)
        if card.kind is not DocumentKind.CARD:
            raise WrongDocumentState("Hanya KTP-el yang sudah dicetak yang dapat dicetak ulang.")
        if job is not None and job.status is PrintJobStatus.SPOILED:
            return self._reprint_of(job)
        if card.status is not DocumentStatus.PRINTED:
            raise WrongDocumentState("Hanya KTP-el berstatus dicetak yang dapat dicetak ulang.")
        key = job.blank_key if job is not None else domain.blank_key(card.register_number)
        self._inventory_call(self._inventory.spoil_printed_blank, key, card.card_serial or "", reason)
        now = self._clock()
        with self._uow() as uow:
            uow.documents.lock_register_number(card.register_number)
            jobs = uow.print_jobs.for_register_number(card.register_number)
            job = next((j for j in jobs if j.document_id == document_id), None)
            if job is None:  # a card printed before print jobs existed
                job = domain.printed_job_of(card)
                uow.print_jobs.add(job)
            if job.status is PrintJobStatus.SPOILED:  # another request got there first
                return next(j for j in jobs if j.reprint_of == job.job_id)
            card = uow.documents.get(document_id)
            if card is None or card.status is not DocumentStatus.PRINTED:   # voided meanwhile
                raise WrongDocumentState("Hanya KTP-el berstatus dicetak yang dapat dicetak ulang.")
            reprint = job.spoil(reason, domain.new_document_id(), sum(1 for j in jobs if j.reprint_of) + 1, now)
            for event in domain.void_spoiled_card(card, reason, now):
                uow.add_event(event)
            uow.documents.save_status(card)
            uow.print_jobs.save(job)
            uow.print_jobs.add(reprint)
            uow.add_event(reprint.queued_event())
            uow.audit(actor, "document.spoil", RECORD_TYPE, document_id)
            uow.commit()
        log.info("card %s spoiled; reprint job %s", document_id, reprint.job_id)
        self._print_job(actor, reprint)   # printed now, or it stays queued for the next blank
        with self._uow(readonly=True) as uow:
            return uow.print_jobs.get(reprint.job_id) or reprint

    def _reprint_of(self, job: PrintJob) -> PrintJob:
        with self._uow(readonly=True) as uow:
            jobs = uow.print_jobs.for_register_number(job.register_number)
        return next(j for j in jobs if j.reprint_of == job.job_id)

    def list_print_jobs(self, actor: Principal, office_code: str = "", status: PrintJobStatus | None = None,
                        limit: int = DEFAULT_JOB_LIMIT) -> PrintQueue:
        """The queue (in print order) and then the most recent other jobs of the actor's region."""
        if office_code:
            office_code = domain.check_office_code(office_code)
        if limit < 0:
            raise InvalidDocumentRequest("invalid limit", violations=[FieldViolation(
                "limit", f"batas 0 sampai {MAX_JOB_LIMIT} (0: {DEFAULT_JOB_LIMIT})")])
        limit = min(limit or DEFAULT_JOB_LIMIT, MAX_JOB_LIMIT)
        with self._uow(readonly=True) as uow:
            jobs = uow.print_jobs.listed(office_code=office_code, status=status, limit=limit, within=actor.scope)
            counts = uow.print_jobs.status_counts(office_code=office_code, within=actor.scope)
        return PrintQueue(jobs, counts)

    def batch_sheet(self, actor: Principal, job_ids: list[str]) -> bytes:
        """The printer's batch sheet of printed jobs: a cover list and every card (audited)."""
        actor.require_role(*PRINT_ROLES)
        ids = [domain.check_document_id(j, "job_ids") for j in job_ids]
        if not ids or len(ids) > MAX_JOB_LIMIT:
            raise InvalidDocumentRequest("invalid job ids", violations=[FieldViolation(
                "job_ids", f"pilih 1 sampai {MAX_JOB_LIMIT} pekerjaan cetak")])
        with self._uow() as uow:
            jobs = {j.job_id: j for j in uow.print_jobs.get_many(ids)}
            missing = [j for j in ids if j not in jobs]
            if missing:
                raise DocumentNotFound("no print job with this id")
            for job in jobs.values():
                actor.require_region(job.region_code)
                if job.status is not PrintJobStatus.PRINTED:
                    raise WrongDocumentState("Lembar batch hanya untuk pekerjaan cetak yang sudah dicetak.")
                uow.audit(actor, "document.print", RECORD_TYPE, job.document_id or job.job_id)
            uow.commit()
        sheet = [BatchSheetJob(job.job_id, CardJob(self._enrolment.get_recording(job.register_number),
                                                    job.card_serial or "", domain.local_date(job.printed_at)))
                 for job in (jobs[i] for i in ids)]
        return self._renderer.batch_sheet(sheet)

    # ---- office policy -------------------------------------------------------------------

    def office_policy_of(self, office_code: str) -> OfficePolicy:
        with self._uow(readonly=True) as uow:
            policy = uow.print_jobs.policy(office_code)
        return policy or OfficePolicy(office_code, self._suket_when_out_of_stock)

    def get_office_policy(self, actor: Principal, office_code: str) -> OfficePolicy:
        office_code = domain.check_office_code(office_code)
        actor.require_view(office_code)
        return self.office_policy_of(office_code)

    def set_office_policy(self, actor: Principal, policy: OfficePolicy) -> OfficePolicy:
        actor.require_role(Role.KEPALA_DINAS, Role.ADMIN_PROVINSI)
        policy = OfficePolicy(domain.check_office_code(policy.office_code), policy.suket_when_out_of_stock)
        actor.require_region(policy.office_code)
        with self._uow() as uow:
            uow.print_jobs.save_policy(policy, self._clock(), actor.subject)
            uow.audit(actor, "office_policy.set", "office_policy", policy.office_code)
            uow.commit()
        log.info("office %s: Suket when out of stock %s", policy.office_code,
                 "on" if policy.suket_when_out_of_stock else "off")
        return policy

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
        document_id = document_id or domain.new_document_id()
        suket, issued = self._render_suket(recording, document_id, self._clock())
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
            uow.print_jobs.mark_suket_holder(recording.register_number)   # its card prints first
            uow.add_event(issued)
            uow.audit(actor, "document.issue", RECORD_TYPE, document_id)
            uow.commit()
        self._metrics.issued.labels(DocumentKind.SUKET.value, recording.office_code).inc()
        log.info("Suket issued (document %s, valid until %s, by the %s)", document_id, issued.valid_until.isoformat(),
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

    # ---- the Suket after issue: verification, renewal, voiding, expiry ---------------------

    def _render_suket(self, recording: Recording, document_id: str,
                      now: dt.datetime) -> tuple[Document, domain.SuketIssued]:
        """A new Suket of `recording` valid from today (WIB): its signed Claim 169 QR and its PDF."""
        issued_on = domain.local_date(now)
        valid_until = domain.suket_valid_until(issued_on)
        issuer = self._issuers.for_office(recording.office_code, recording.office_name)
        payload = claim169.encode(domain.suket_claim(document_id, recording, issuer, now, valid_until), self._signer)
        letter = SuketLetter(document_id, recording, issued_on, valid_until, payload, issuer)
        with self._metrics.render_seconds.labels(DocumentKind.SUKET.value).time():
            pdf = self._renderer.suket(letter)
        return domain.suket(document_id, recording, valid_until, payload, pdf, now)

    def published_keys(self) -> dict:
        """The JWK Set of the key that signs Suket QRs (public: what any reader verifies with)."""
        return self._signer.jwks()

    def verify_document(self, payload: str) -> Verification:
        """What a scanned QR proves; public, so no actor and nothing beyond the QR's own claim.
        The signature first (anything not genuinely signed with our key is FORGED, never an
        error), then the archive's status. Only an empty payload is refused (InvalidQrPayload)."""
        payload = domain.check_qr_payload(payload)
        try:
            claim = claim169.decode(payload, self._signer)
        except ForgedQrPayload as forged:
            verification = domain.forged(forged.message)
        else:
            with self._uow(readonly=True) as uow:
                document = uow.documents.get(claim.document_id)
                successor = uow.documents.get(document.superseded_by) if document and document.superseded_by else None
            verification = domain.verify_claim(claim, document, domain.local_date(self._clock()), successor)
        self._metrics.verifications.labels(verification.result.value).inc()
        return verification

    def renew_suket(self, actor: Principal, document_id: str, request_id: str = "") -> Document:
        """A new Suket, valid six months from today, for the register number of Suket
        `document_id` (still valid, or expired), which becomes SUPERSEDED by it. Only the Dinas,
        in its region; refused once the card is printed. Idempotent: a retry with the same
        `request_id` (the new Suket's id) returns the Suket it made."""
        actor.require_role(*ISSUE_ROLES)
        document_id = domain.check_document_id(document_id)
        renewal_id = domain.check_document_id(request_id, "request_id") if request_id.strip() else None
        with self._uow() as uow:
            old = self._renewable(uow, actor, document_id, renewal_id)
            if old.status is DocumentStatus.SUPERSEDED:   # the retry of a renewal that was made
                renewal = self._get(uow, old.superseded_by)
                uow.commit()
                return renewal
        recording = self._recording(old.register_number)
        if not recording.print_ready:
            raise NotPrintReady("Perekaman untuk nomor registrasi ini tidak lagi berstatus siap cetak (PRR); "
                                "Suket tidak dapat diperpanjang.")
        renewal, issued = self._render_suket(recording, renewal_id or domain.new_document_id(), self._clock())
        with self._uow() as uow:
            uow.documents.lock_register_number(old.register_number)
            old = self._renewable(uow, actor, document_id, renewal_id)
            if old.status is DocumentStatus.SUPERSEDED:   # the retry raced its first attempt
                replayed = self._get(uow, old.superseded_by)
                uow.commit()
                return replayed
            superseded = old.renew(renewal)
            uow.documents.add(renewal)
            uow.documents.save_status(old)
            uow.add_event(issued)
            uow.add_event(superseded)
            uow.audit(actor, "document.renew", RECORD_TYPE, old.document_id)
            uow.audit(actor, "document.issue", RECORD_TYPE, renewal.document_id)
            uow.commit()
        self._metrics.issued.labels(DocumentKind.SUKET.value, recording.office_code).inc()
        log.info("Suket %s renewed as %s (valid until %s)", old.document_id, renewal.document_id,
                 issued.valid_until.isoformat())
        return renewal

    def _renewable(self, uow: DocumentsUnitOfWork, actor: Principal, document_id: str,
                   renewal_id: str | None) -> Document:
        """The Suket to renew, checked: in the actor's region, renewable, no card and no other
        active Suket. SUPERSEDED only when `renewal_id` is the Suket that renewed it (a retry,
        audited as a read); a `renewal_id` used for anything else is refused."""
        old = uow.documents.get(document_id)
        if old is None:
            raise DocumentNotFound("Dokumen dengan id ini tidak ditemukan.")
        actor.require_region(old.region_code)
        if renewal_id is not None and uow.documents.get(renewal_id) is not None:
            if old.superseded_by != renewal_id:
                raise InvalidDocumentRequest("request_id already used", violations=[FieldViolation(
                    "request_id", "request_id ini sudah dipakai untuk dokumen lain; kirim permintaan dengan "
                                  "request_id baru.")])
            uow.audit(actor, "document.read", RECORD_TYPE, renewal_id)
            return old
        others = [d for d in uow.documents.for_register_number(old.register_number)
                  if d.is_active and d.document_id != old.document_id]
        if any(d.kind is DocumentKind.CARD for d in others):
            raise CardAlreadyPrinted("KTP-el untuk nomor registrasi ini sudah dicetak; Suket tidak diperpanjang.")
        old.require_renewable()
        if others:
            raise WrongDocumentState("Nomor registrasi ini sudah memiliki Suket lain yang berlaku; "
                                     "perpanjang Suket yang terbaru.")
        return old

    @staticmethod
    def _get(uow: DocumentsUnitOfWork, document_id: str | None) -> Document:
        document = uow.documents.get(document_id) if document_id else None
        if document is None:
            raise DocumentNotFound("Dokumen dengan id ini tidak ditemukan.")
        return document

    def void_document(self, actor: Principal, document_id: str, reason: str) -> Document:
        """Withdraw a document (issued in error, card lost): VOID with the reason; a QR of it
        verifies as VOID from then on. Only the Dinas, in its region; audited. Retry-safe: a
        document already void is returned as it is (with its first reason)."""
        actor.require_role(*ISSUE_ROLES)
        document_id = domain.check_document_id(document_id)
        reason = domain.check_reason(reason)
        with self._uow() as uow:
            document = self._get(uow, document_id)
            actor.require_region(document.region_code)
            if document.status is DocumentStatus.VOID:
                uow.audit(actor, "document.read", RECORD_TYPE, document_id)
                uow.commit()
                return document
            uow.documents.lock_register_number(document.register_number)
            was = document.status
            voided = document.void(reason, self._clock())
            if not uow.documents.save_status(document, was=was):
                raise WrongDocumentState("Dokumen ini baru saja diubah oleh proses lain; muat ulang lalu coba lagi.")
            uow.add_event(voided)
            uow.audit(actor, "document.void", RECORD_TYPE, document_id)
            uow.commit()
        log.info("document %s (%s) voided", document_id, document.kind.value)
        return document

    def expire_sukets(self, actor: Principal) -> int:
        """Every issued Suket of the actor's region whose last valid day (WIB) has passed
        becomes EXPIRED, with one SuketExpired each; in batches. Safe on every replica at once:
        a Suket another run expired first is skipped (its status is no longer ISSUED)."""
        actor.require_role(*EXPIRE_ROLES)
        today = domain.local_date(self._clock())
        expired = 0
        while True:
            with self._uow() as uow:
                batch = uow.documents.expirable(today, EXPIRY_BATCH, actor.scope)
                for suket in batch:
                    event = suket.expire(today)
                    if uow.documents.save_status(suket, was=DocumentStatus.ISSUED):
                        uow.add_event(event)
                        uow.audit(actor, "document.expire", RECORD_TYPE, suket.document_id)
                        expired += 1
                uow.commit()
            if len(batch) < EXPIRY_BATCH:
                break
        if expired:
            log.info("%d Suket expired (last valid day before %s)", expired, today.isoformat())
        return expired
