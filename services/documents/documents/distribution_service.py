"""Use cases of shortage letters and distribution: the Dinas writes to every kecamatan and
kelurahan/desa that blanks are out, packs printed cards per kecamatan, dispatches them; the
kecamatan receives them and hands each card to its resident after checking the NIK.

Who may call is the access table's (documents.access) and checked again here by role; which
office or kecamatan is the region scope. A lurah can do none of this. The NIK typed at the
handover is compared with the recording's and never logged; a mismatch is audited.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from documents import distribution
from documents.distribution import (
    BatchCard,
    BatchStatus,
    DispatchList,
    DistributionBatch,
    HandoverReceipt,
    LetterSet,
    Manifest,
    ManifestLine,
    Region,
    ShortageLetter,
    ShortageLettersSent,
    ShortageNotice,
    StockState,
)
from documents.distribution_repository import dispatch_list_key, letter_key, manifest_key, receipt_key
from documents.domain import (
    DocumentStatus,
    Issuer,
    IssuerPolicy,
    Recording,
    check_document_id,
    check_office_code,
    local_date,
)
from documents.errors import (
    BatchNotFound,
    DocumentNotFound,
    InvalidDocumentRequest,
    LetterNotFound,
    WrongBatchState,
)
from documents.metrics import DocumentsMetrics
from documents.unit_of_work import DocumentsUnitOfWork, UnitOfWorkFactory
from servicekit.access import Principal, Role
from servicekit.errors import Aborted, FieldViolation

log = logging.getLogger(__name__)

DINAS = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS)
# The kecamatan receives the cards and hands them over; the Dinas may do it too.
RECEIVERS = (Role.OPERATOR_KECAMATAN, *DINAS)
# The manifest carries residents' names: who handles the cards, and the auditor.
MANIFEST_ROLES = (*RECEIVERS, Role.AUDITOR)
BATCH_READERS = (*MANIFEST_ROLES, Role.ADMIN_PROVINSI)
LETTER_READERS = (*DINAS, Role.ADMIN_PROVINSI, Role.AUDITOR)
ATTEMPTS = 3          # optimistic retries when another officer changed the same office meanwhile



class EnrolmentPort(Protocol):
    def get_recording(self, register_number: str) -> Recording: ...
    def list_regions(self, parent_code: str) -> list[Region]: ...
    def region_name(self, code: str) -> str: ...


class InventoryPort(Protocol):
    def get_forecast(self, office_code: str) -> StockState: ...


class LetterRendererPort(Protocol):
    def shortage_letter(self, notice: ShortageNotice) -> bytes: ...
    def dispatch_list(self, dispatch: DispatchList) -> bytes: ...
    def manifest(self, manifest: Manifest) -> bytes: ...
    def receipt(self, receipt: HandoverReceipt) -> bytes: ...


@dataclass(frozen=True)
class CreatedLetters:
    letter_set: LetterSet
    dispatch_list_pdf: bytes


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class DistributionService:
    def __init__(self, *, uow: UnitOfWorkFactory, enrolment: EnrolmentPort, inventory: InventoryPort,
                 renderer: LetterRendererPort, issuers: IssuerPolicy, verify_url: str, metrics: DocumentsMetrics,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._uow = uow
        self._enrolment = enrolment
        self._inventory = inventory
        self._renderer = renderer
        self._issuers = issuers
        self._verify_url = verify_url
        self._metrics = metrics
        self._clock = clock

    def _issuer(self, office_code: str) -> Issuer:
        return self._issuers.for_office(office_code, self._enrolment.region_name(office_code))

    def _render(self, kind: str, render: Callable[[object], bytes], subject: object) -> bytes:
        with self._metrics.render_seconds.labels(kind).time():
            return render(subject)

    # ---- shortage letters --------------------------------------------------------------------

    def create_shortage_letters(self, actor: Principal, office_code: str, request_id: str = "") -> CreatedLetters:
        """A letter to every kecamatan and kelurahan/desa of the office's kabupaten, and the
        dispatch list; refused while the office has blanks. A retry with the same request_id
        returns the same set."""
        actor.require_role(*DINAS)
        office_code = check_office_code(office_code)
        actor.require_region(office_code)
        request_id = check_document_id(request_id, "request_id") if request_id.strip() else distribution.new_id()
        with self._uow(readonly=True) as uow:
            existing = uow.letters.set_for_request(request_id)
        if existing is not None:
            return self._replayed(existing, office_code)
        stock = self._inventory.get_forecast(office_code)
        distribution.require_out_of_stock(stock)
        districts = self._enrolment.list_regions(office_code)
        to = distribution.recipients(districts, {d.code: self._enrolment.list_regions(d.code) for d in districts})
        issuer = self._issuer(office_code)
        for _ in range(ATTEMPTS):
            now = self._clock()
            issued_on = local_date(now)
            with self._uow(readonly=True) as uow:
                first = uow.letters.next_sequence(office_code, issued_on.year)
            letter_set = distribution.plan_letter_set(office_code, request_id, to, first, now, issued_on.year)
            pdfs = [self._render("shortage_letter", self._renderer.shortage_letter,
                                 ShortageNotice(letter, issuer, issued_on, stock, self._verify_url))
                    for letter in letter_set.letters]
            dispatch_pdf = self._render("dispatch_list", self._renderer.dispatch_list,
                                        DispatchList(letter_set, issuer, issued_on))
            with self._uow() as uow:
                uow.letters.lock_office(office_code)
                existing = uow.letters.set_for_request(request_id)
                if existing is not None:   # the same request, finished meanwhile
                    return self._replayed(existing, office_code)
                if uow.letters.next_sequence(office_code, issued_on.year) != first:
                    continue               # another set took these numbers: number and render again
                for letter, pdf in zip(letter_set.letters, pdfs, strict=True):
                    letter.pdf_key = letter_key(letter.letter_id)
                    letter.pdf_sha256 = uow.store.put(letter.pdf_key, pdf)
                letter_set.dispatch_key = dispatch_list_key(letter_set.set_id)
                letter_set.dispatch_sha256 = uow.store.put(letter_set.dispatch_key, dispatch_pdf)
                uow.letters.add_set(letter_set)
                uow.add_event(ShortageLettersSent(letter_set.set_id, office_code, len(letter_set.letters)))
                uow.audit(actor, "letters.create", "letter_set", letter_set.set_id)
                uow.commit()
            log.info("shortage letters created (set %s, office %s, %d letters)", letter_set.set_id, office_code,
                     len(letter_set.letters))
            return CreatedLetters(letter_set, dispatch_pdf)
        raise Aborted("Nomor surat sedang dipakai oleh permintaan lain; kirim lagi.")

    def _replayed(self, existing: LetterSet, office_code: str) -> CreatedLetters:
        if existing.office_code != office_code:
            raise InvalidDocumentRequest("request_id already used", violations=[FieldViolation(
                "request_id", "request_id ini sudah dipakai untuk kantor lain; kirim dengan request_id baru.")])
        with self._uow(readonly=True) as uow:
            pdf = uow.store.get(existing.dispatch_key, existing.dispatch_sha256)
        return CreatedLetters(existing, pdf)

    def list_shortage_letters(self, actor: Principal, office_code: str) -> list[ShortageLetter]:
        return [letter for s in self.letter_sets(actor, office_code) for letter in s.letters]

    def letter_sets(self, actor: Principal, office_code: str) -> list[LetterSet]:
        """The office's sets, newest first."""
        actor.require_role(*LETTER_READERS)
        office_code = check_office_code(office_code)
        actor.require_view(office_code)
        with self._uow(readonly=True) as uow:
            return uow.letters.sets_of_office(office_code)

    def letter_pdf(self, actor: Principal, letter_id: str) -> tuple[ShortageLetter, bytes]:
        actor.require_role(*LETTER_READERS)
        letter_id = check_document_id(letter_id, "letter_id")
        with self._uow(readonly=True) as uow:
            letter = uow.letters.get_letter(letter_id)
            if letter is None:
                raise LetterNotFound("Surat ini tidak ditemukan.")
            actor.require_view(letter.office_code)
            return letter, uow.store.get(letter.pdf_key, letter.pdf_sha256)

    def dispatch_list_pdf(self, actor: Principal, set_id: str) -> bytes:
        actor.require_role(*LETTER_READERS)
        set_id = check_document_id(set_id, "set_id")
        with self._uow(readonly=True) as uow:
            letter_set = uow.letters.get_set(set_id)
            if letter_set is None:
                raise LetterNotFound("Kumpulan surat ini tidak ditemukan.")
            actor.require_view(letter_set.office_code)
            return uow.store.get(letter_set.dispatch_key, letter_set.dispatch_sha256)

    # ---- distribution batches ------------------------------------------------------------------

    def create_distribution_batches(self, actor: Principal, office_code: str) -> list[DistributionBatch]:
        """Printed cards not yet in a batch, packed per kecamatan with their manifest (PACKED)."""
        actor.require_role(*DINAS)
        office_code = check_office_code(office_code)
        actor.require_region(office_code)
        issuer = self._issuer(office_code)
        for _ in range(ATTEMPTS):
            with self._uow(readonly=True) as uow:
                cards = uow.batches.unbatched_cards(office_code, distribution.MAX_CARDS_PER_PACKING)
            if not cards:
                return []
            now = self._clock()
            batches = distribution.pack(cards, office_code, now)
            manifests = [self._render("manifest", self._renderer.manifest, self._manifest(b, issuer, now))
                         for b in batches]
            with self._uow() as uow:
                uow.batches.lock_office(office_code)
                still = {c.document_id for c in uow.batches.unbatched_cards(office_code, len(cards) + 1)}
                if not {c.document_id for c in cards} <= still:
                    continue               # another officer packed some of them meanwhile
                for batch, pdf in zip(batches, manifests, strict=True):
                    batch.manifest_key = manifest_key(batch.batch_id)
                    batch.manifest_sha256 = uow.store.put(batch.manifest_key, pdf)
                    uow.batches.add(batch)
                    uow.audit(actor, "batch.create", "batch", batch.batch_id)
                uow.commit()
            log.info("%d cards of office %s packed into %d batches", len(cards), office_code, len(batches))
            return batches
        raise Aborted("Kartu sedang dikemas oleh petugas lain; muat ulang lalu coba lagi.")

    def _manifest(self, batch: DistributionBatch, issuer: Issuer, now: dt.datetime) -> Manifest:
        lines = []
        for card in batch.cards:
            recording = self._enrolment.get_recording(card.register_number)
            lines.append(ManifestLine(card.register_number, recording.resident.full_name, recording.regions.village))
        return Manifest(batch, self._enrolment.region_name(batch.district_code), issuer, local_date(now), tuple(lines))

    def list_batches(self, actor: Principal, office_code: str, status: BatchStatus | None = None
                     ) -> list[DistributionBatch]:
        """The office's batches to the kecamatan the actor covers, newest first."""
        actor.require_role(*BATCH_READERS)
        office_code = check_office_code(office_code)
        actor.require_view(office_code)
        with self._uow(readonly=True) as uow:
            return uow.batches.of_office(office_code, status, within=actor.scope)

    def get_batch(self, actor: Principal, batch_id: str, *, include_manifest: bool = False
                  ) -> tuple[DistributionBatch, bytes | None]:
        """The batch with its cards; the manifest PDF (names) only for MANIFEST_ROLES, audited."""
        actor.require_role(*BATCH_READERS)
        if include_manifest:
            actor.require_role(*MANIFEST_ROLES)
        batch_id = check_document_id(batch_id, "batch_id")
        with self._uow(readonly=not include_manifest) as uow:
            batch = self._batch(uow, actor, batch_id)
            if not include_manifest:
                return batch, None
            pdf = uow.store.get(batch.manifest_key, batch.manifest_sha256)
            uow.audit(actor, "batch.manifest_read", "batch", batch_id)
            uow.commit()
        return batch, pdf

    def receipt_pdf(self, actor: Principal, batch_id: str) -> bytes:
        actor.require_role(*MANIFEST_ROLES)
        batch_id = check_document_id(batch_id, "batch_id")
        with self._uow(readonly=True) as uow:
            batch = self._batch(uow, actor, batch_id)
            if not batch.receipt_key:
                raise WrongBatchState("Paket ini belum diterima di kecamatan; berita acara belum ada.")
            return uow.store.get(batch.receipt_key, batch.receipt_sha256)

    @staticmethod
    def _batch(uow: DocumentsUnitOfWork, actor: Principal, batch_id: str) -> DistributionBatch:
        batch = uow.batches.get(batch_id)
        if batch is None:
            raise BatchNotFound("Paket distribusi ini tidak ditemukan.")
        actor.require_region(batch.district_code)
        return batch

    def dispatch_batch(self, actor: Principal, batch_id: str) -> DistributionBatch:
        """The Dinas sends the batch to its kecamatan (BatchDispatched); a retry returns it."""
        actor.require_role(*DINAS)
        batch_id = check_document_id(batch_id, "batch_id")
        with self._uow() as uow:
            batch = self._batch(uow, actor, batch_id)
            dispatched = batch.dispatch(self._clock())
            if dispatched is not None:
                uow.batches.save(batch)
                uow.add_event(dispatched)
                uow.audit(actor, "batch.dispatch", "batch", batch_id)
                uow.commit()
        return batch

    def receive_batch(self, actor: Principal, batch_id: str) -> tuple[DistributionBatch, bytes]:
        """The kecamatan receives the batch; the handover receipt (berita acara) is made and
        kept. A retry returns the same receipt."""
        actor.require_role(*RECEIVERS)
        batch_id = check_document_id(batch_id, "batch_id")
        with self._uow(readonly=True) as uow:
            batch = self._batch(uow, actor, batch_id)
            if batch.receipt_key:
                return batch, uow.store.get(batch.receipt_key, batch.receipt_sha256)
        if batch.status is BatchStatus.PACKED:
            raise WrongBatchState("Paket ini belum dikirim oleh Dinas; catat pengirimannya dulu.")
        now = self._clock()
        receipt = HandoverReceipt(batch, self._enrolment.region_name(batch.district_code),
                                  self._issuer(batch.office_code), local_date(now), actor.subject)
        pdf = self._render("receipt", self._renderer.receipt, receipt)
        with self._uow() as uow:
            batch = self._batch(uow, actor, batch_id)
            received = batch.receive(now)
            if received is None:           # received by someone else meanwhile: theirs stands
                return batch, uow.store.get(batch.receipt_key, batch.receipt_sha256)
            batch.receipt_key = receipt_key(batch_id)
            batch.receipt_sha256 = uow.store.put(batch.receipt_key, pdf)
            uow.batches.save(batch)
            uow.add_event(received)
            uow.audit(actor, "batch.receive", "batch", batch_id)
            uow.commit()
        return batch, pdf

    def hand_over_card(self, actor: Principal, document_id: str, nik: str) -> BatchCard:
        """The card given to its resident once the NIK typed from the resident's KK matches the
        recording's (CardHandedOver, audited); a mismatch is refused on field `nik` and audited
        as a refused handover. The batch closes with its last card."""
        actor.require_role(*RECEIVERS)
        document_id = check_document_id(document_id)
        nik = distribution.check_nik(nik)
        with self._uow(readonly=True) as uow:
            batch = self._batch_of_card(uow, actor, document_id)
            document = uow.documents.get(document_id)
        if document is None or document.status is not DocumentStatus.PRINTED:
            raise WrongBatchState("KTP-el ini telah dibatalkan (mis. dicetak ulang) dan tidak boleh diserahkan; "
                                  "kembalikan ke Dinas.")
        batch.require_handover_possible()
        card = batch.card(document_id)
        recording = self._enrolment.get_recording(card.register_number)
        try:
            distribution.require_same_person(nik, recording.resident.nik)
        except InvalidDocumentRequest:
            with self._uow() as uow:
                uow.audit(actor, "card.hand_over_refused", "document", document_id)
                uow.commit()
            log.warning("handover of card %s refused: the NIK typed is not the recording's", document_id)
            raise
        with self._uow() as uow:
            batch = self._batch_of_card(uow, actor, document_id)
            handed = batch.hand_over(document_id, self._clock())
            card = batch.card(document_id)
            if handed is not None:
                uow.batches.save(batch, [card])
                uow.add_event(handed)
                uow.audit(actor, "card.hand_over", "document", document_id)
                uow.commit()
                log.info("card %s handed over (batch %s, %s)", document_id, batch.batch_id, batch.status.value)
        return card

    @staticmethod
    def _batch_of_card(uow: DocumentsUnitOfWork, actor: Principal, document_id: str) -> DistributionBatch:
        batch_id = uow.batches.batch_of_card(document_id)
        if batch_id is None:
            raise DocumentNotFound("KTP-el ini tidak ada dalam paket distribusi mana pun.")
        batch = uow.batches.get(batch_id)
        assert batch is not None
        actor.require_region(batch.card(document_id).region_code)
        return batch
