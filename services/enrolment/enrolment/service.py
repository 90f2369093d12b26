"""Enrolment use cases: each runs in one unit of work and commits once, or stores nothing.

Every use case a gRPC method or a page calls takes the `actor` first; the gate has already
checked its role. The region scope is checked here, where the record's region is known:
recording or reading a resident needs the resident's desa inside the actor's scope, the office
dashboard only that the actor `sees` the office; regions and targets are public reference data.
Creating and reading a recording append an audit entry in the same transaction (record id: the
register number, never the NIK). A lurah sees a recording's status, never the person.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from enrolment import domain
from enrolment.domain import (
    Recording,
    RecordingRequest,
    RecordingState,
    Region,
    SyncItem,
    SyncOutcome,
    SyncResult,
    Target,
)
from enrolment.errors import (
    AdjudicationNotFound,
    AdjudicationRefused,
    DriveNotFound,
    DriveNotOpen,
    FieldViolation,
    InvalidDrive,
    InvalidRecording,
    InvalidRegionCode,
    InvalidRegions,
    InvalidRegisterNumber,
    InvalidResolution,
    InvalidSearch,
    InvalidTargets,
    NotEligible,
    RecordingNotFound,
    RecordingTypeRefused,
    RegionNotFound,
)
from enrolment.metrics import EnrolmentMetrics
from enrolment.unit_of_work import EnrolmentUnitOfWork, UnitOfWorkFactory
from servicekit.access import Principal, Role
from servicekit.batching import GroupCommit
from servicekit.errors import InvalidArgument, PermissionDenied, ServiceError

log = logging.getLogger(__name__)

IMPORT_CHUNK = 5000   # rows per step of a region import (and of its progress bar)
# Who may be on a drive's team: the roles that record.
DRIVE_TEAM_ROLES = frozenset({Role.OPERATOR_KECAMATAN, Role.OPERATOR_DINAS, Role.KEPALA_DINAS})
_NO_COUNTS = domain.RecordingCounts()

Clock = Callable[[], dt.datetime]

# Who sees a recording's personal data; anyone else (the lurah) gets its status only.
PERSONAL_DATA_ROLES = frozenset({Role.OPERATOR_KECAMATAN, Role.OPERATOR_DINAS, Role.KEPALA_DINAS,
                                 Role.ADMIN_PROVINSI, Role.AUDITOR, Role.SERVICE})


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    renamed: int
    unchanged: int
    retired: int = 0        # marked historic: absent from this import
    reinstated: int = 0     # historic before, present again


@dataclass(frozen=True)
class KecamatanSummary:
    region: Region
    counts: domain.RecordingCounts
    target: int | None


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: at most domain.SEARCH_PAGE_SIZE recordings, newest first."""

    recordings: list[Recording]
    page: int
    has_next: bool


@dataclass(frozen=True)
class TargetRow:
    region: Region
    target: int | None
    recorded: int | None        # persons recorded below the region; None: not counted (provinces)


@dataclass(frozen=True)
class TargetTable:
    parent: Region | None       # None: the provinces
    trail: list[Region]         # the regions above `parent`, from the province down
    rows: list[TargetRow]


def _ancestors(code: str) -> list[str]:
    """"62.03.01" -> ["62", "62.03"]."""
    parts = code.split(".") if code else []
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@dataclass(frozen=True)
class OfficeDashboard:
    office_code: str
    office: Region | None
    totals: domain.RecordingCounts
    kecamatan: list[KecamatanSummary]


def _violations(items: Iterable[domain.Violation]) -> list[FieldViolation]:
    return [FieldViolation(v.field, v.description) for v in items]


def _domain_violations(refused: ServiceError) -> tuple[domain.Violation, ...]:
    return tuple(domain.Violation(v.field, v.description) for v in refused.violations)


def _out_of_scope(local_id: str) -> SyncResult:
    return SyncResult(local_id, SyncOutcome.OUT_OF_SCOPE, message="Data ini di luar wilayah kewenangan Anda.")


class RegionFacts:
    """Level and historic flag of region codes, cached: every recording reads a few, and they
    change only when regions are imported. A code found is kept for `ttl` seconds (an import
    by this process clears the cache; one by another process is seen within `ttl`); a code not
    found is never cached, so a newly imported code is usable at once."""

    def __init__(self, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._clock = ttl, clock
        self._cache: dict[str, tuple[tuple[domain.RegionLevel, bool], float]] = {}

    def get(self, uow: EnrolmentUnitOfWork, codes: Iterable[str]) -> dict[str, tuple[domain.RegionLevel, bool]]:
        now, found, missing = self._clock(), {}, []
        for code in codes:
            hit = self._cache.get(code)
            if hit is not None and hit[1] > now:
                found[code] = hit[0]
            else:
                missing.append(code)
        if missing:
            fresh = uow.regions.facts(missing)
            self._cache.update((code, (value, now + self._ttl)) for code, value in fresh.items())
            found.update(fresh)
        return found

    def clear(self) -> None:
        self._cache.clear()


# Refusals `_record` raises before it writes anything: a batch can drop the item and go on.
RECORDING_REFUSALS = (InvalidRecording, NotEligible, PermissionDenied, DriveNotOpen)
RecordOutcome = tuple[Recording, bool] | InvalidRecording | NotEligible | PermissionDenied | DriveNotOpen


class EnrolmentService:
    def __init__(self, uow: UnitOfWorkFactory, *, metrics: EnrolmentMetrics | None = None,
                 clock: Clock = utc_now, quality_gate: domain.QualityGate | None = None,
                 demographic_threshold: float = domain.DEFAULT_DEMOGRAPHIC_THRESHOLD) -> None:
        self._uow = uow
        self._quality_gate = quality_gate or domain.QualityGate()
        self._demographic_threshold = demographic_threshold
        self._metrics = metrics or EnrolmentMetrics()
        self._clock = clock
        self._region_facts = RegionFacts()
        # Concurrent RecordResident calls share one transaction (see servicekit.batching).
        self._recorder: GroupCommit[tuple[Principal, RecordingRequest], tuple[Recording, bool]] = \
            GroupCommit(self._record_batch, max_batch=64)

    # ---- recordings ------------------------------------------------------------------

    def record_resident(self, actor: Principal, request: RecordingRequest) -> Recording:
        """Validate, check the actor's scope, eligibility and the recording type's earlier
        recording; then store it settled: FAILED (quality gate, with the reason), DUPLICATE (with
        an adjudication entry), SENT (a pre-recording held until 17) or PRINT_READY. A FAILED
        recording gets a register number too, so the officer can find it and record again; a
        refused request (invalid, out of scope, not eligible) stores nothing. A repeated
        request_id returns the first recording and stores nothing."""
        recording, is_new = self._recorder.submit((actor, request))
        if is_new:   # here, in the caller's thread: the batch's other callers need not wait for it
            self._recorded(recording)
        return self._as_seen_by(actor, recording)

    def record_residents(self, actor: Principal, requests: Sequence[RecordingRequest],
                         ) -> list[Recording | InvalidRecording | NotEligible | PermissionDenied | DriveNotOpen]:
        """Bulk entry (demo, sync from field devices): the same rules per request, one transaction.

        A refused request is returned as its error and stores nothing; the others are kept.
        """
        outcomes = self._record_batch([(actor, request) for request in requests])
        for outcome in outcomes:
            if not isinstance(outcome, RECORDING_REFUSALS) and outcome[1]:
                self._recorded(outcome[0])
        return [outcome if isinstance(outcome, RECORDING_REFUSALS) else self._as_seen_by(actor, outcome[0])
                for outcome in outcomes]

    def _record_batch(self, items: Sequence[tuple[Principal, RecordingRequest]]) -> list[RecordOutcome]:
        """Several recordings, each by its own actor, in one transaction: one commit (and one
        fsync) for all. A refused item is its error and stores nothing; the others are kept.
        The caller counts and logs what was stored (`_recorded`), outside the group commit."""
        outcomes: list[RecordOutcome] = []
        now = self._clock()
        with self._uow() as uow:
            for actor, request in items:
                try:
                    outcomes.append(self._record(uow, actor, request, now))
                except RECORDING_REFUSALS as refused:
                    outcomes.append(refused)
            uow.commit()
        return outcomes

    def sync_recordings(self, actor: Principal, items: Sequence[SyncItem]) -> list[SyncResult]:
        """A batch of recordings from field devices, in one transaction; one result per item, in
        order, returned only once the transaction committed.

        Idempotent per (device id, local id): an item that already has a receipt returns what
        it stored then (its current state) and stores nothing. Every other item goes through the
        rules of RecordResident; when it stores a recording (accepted, duplicate or failed) it
        gets a receipt. A refused item (invalid, not eligible, outside the actor's region) stores
        nothing and no receipt, so the officer can fix it and send it again under the same
        local id.
        """
        now = self._clock()
        results: list[SyncResult | None] = [None] * len(items)
        created: list[Recording] = []
        with self._uow() as uow:
            keyed = []
            for i, item in enumerate(items):
                if problems := domain.sync_key_violations(item):
                    results[i] = SyncResult(item.local_id, SyncOutcome.INVALID, violations=problems,
                                            message="ID perangkat atau ID lokal tidak valid.")
                else:
                    keyed.append(i)
            # A resumed sync may race the stream it replaces: serialise on the item's key.
            uow.recordings.lock(f"sync:{items[i].device_id}:{items[i].local_id}" for i in keyed)
            local_ids: dict[str, list[str]] = defaultdict(list)
            for i in keyed:
                local_ids[items[i].device_id].append(items[i].local_id)
            receipts = {device: uow.sync_receipts.find(device, ids) for device, ids in local_ids.items()}
            new_receipts: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for i in keyed:
                item = items[i]
                earlier = receipts[item.device_id].get(item.local_id)
                if earlier is not None:
                    number, region_code, state, duplicate_of, failure = earlier
                    results[i] = (domain.stored_result(item.local_id, number, state, duplicate_of, failure,
                                                       replayed=True)
                                  if actor.covers(region_code) else _out_of_scope(item.local_id))
                    continue
                try:
                    recording, is_new = self._record(uow, actor, item.request, now)
                except InvalidRecording as refused:
                    results[i] = SyncResult(item.local_id, SyncOutcome.INVALID, violations=_domain_violations(refused),
                                            message=refused.message)
                    continue
                except DriveNotOpen as refused:   # closed before the device synced: the officer decides
                    results[i] = SyncResult(item.local_id, SyncOutcome.INVALID, violations=_domain_violations(refused),
                                            message=refused.message)
                    continue
                except NotEligible as refused:
                    results[i] = SyncResult(item.local_id, SyncOutcome.NOT_ELIGIBLE,
                                            violations=_domain_violations(refused), message=refused.message)
                    continue
                except PermissionDenied:
                    results[i] = _out_of_scope(item.local_id)
                    continue
                if is_new:
                    created.append(recording)
                new_receipts[item.device_id].append((item.local_id, recording.register_number))
                receipts[item.device_id][item.local_id] = (recording.register_number, recording.resident.region_code,
                                                           recording.state, recording.duplicate_of,
                                                           recording.failure_reason)
                results[i] = domain.stored_result(item.local_id, recording.register_number, recording.state,
                                                  recording.duplicate_of, recording.failure_reason,
                                                  replayed=not is_new)
            for device, pairs in new_receipts.items():
                uow.sync_receipts.add_all(device, pairs, now)
            uow.commit()
        for recording in created:
            self._recorded(recording)
        return [r for r in results if r is not None]

    def _record(self, uow: EnrolmentUnitOfWork, actor: Principal, request: RecordingRequest,
                now: dt.datetime) -> tuple[Recording, bool]:
        if problem := domain.request_id_problem(request.request_id):   # checked before it is looked up
            raise InvalidRecording("Data perekaman tidak valid; perbaiki kolom yang disebutkan.",
                                   violations=[FieldViolation("request_id", problem)])
        if request.request_id:
            uow.recordings.lock([f"request:{request.request_id}"])
            earlier = uow.recordings.by_request_id(request.request_id)
            if earlier is not None:  # a retry stores nothing, but it hands the recording back: a read
                actor.require_region(earlier.resident.region_code)
                uow.audit(actor, "recording.read", "recording", earlier.register_number)
                return earlier, False
        today = now.astimezone(domain.RECORDING_TZ).date()
        facts = self._region_facts.get(uow, domain.region_codes_to_check(request))
        levels = {code: level for code, (level, _) in facts.items()}
        checked = domain.validate_recording(request, today=today, regions=levels)
        if not checked.ok:
            self._metrics.rejected([v.field for v in checked.violations])
            raise InvalidRecording("Data perekaman tidak valid; perbaiki kolom yang disebutkan.",
                                   violations=_violations(checked.violations))
        request, resident = checked.request, checked.request.resident
        actor.require_region(resident.region_code)
        self._check_placement(uow, request, {code for code, (_, historic) in facts.items() if historic})
        birth_date = dt.date.fromisoformat(resident.birth_date)
        eligibility = domain.eligibility(birth_date, resident.marital_status, today)
        if eligibility is domain.Eligibility.NOT_ELIGIBLE:
            raise NotEligible("Penduduk belum wajib KTP.", violations=_violations([domain.ineligible_violation()]))
        hold_until = domain.wajib_ktp_from(birth_date) if eligibility is domain.Eligibility.PRE_RECORDING else None
        biometrics, kind = request.biometrics, request.recording_type
        digest, modality_digests = biometrics.template_digest, biometrics.modality_digests()
        # Demographic candidates are fetched (and decrypted) only when they could match: the
        # domain needs a parent's name on both sides.
        by_demographics = bool(resident.mother_name or resident.father_name)
        uow.recordings.lock([f"nik:{resident.nik}", *(f"digest:{d}" for d in {digest, *modality_digests.values()} if d),
                             *([f"born:{resident.birth_date}:{resident.region_code[:2]}"] if by_demographics else [])])
        candidates = uow.recordings.duplicate_candidates(resident.nik, digest, modality_digests.values(),
                                                         resident if by_demographics else None)
        previous = domain.previous_recording(kind, [c for c in candidates if c.nik == resident.nik])
        change = None
        if kind is not domain.RecordingType.NEW:
            if previous is None:
                raise RecordingTypeRefused("Tidak ada perekaman sebelumnya untuk jenis perekaman ini.",
                                           violations=_violations([domain.no_previous_violation(kind)]))
            before = uow.recordings.get(previous.register_number)
            if problems := domain.follow_up_violations(kind, before.resident, resident):
                raise RecordingTypeRefused("Jenis perekaman tidak sesuai dengan perekaman sebelumnya.",
                                           violations=_violations(problems))
            if kind in (domain.RecordingType.MOVED_IN, domain.RecordingType.DATA_CHANGE):
                change = (before.resident.region_code, domain.changed_fields(before.resident, resident))
        # Every refusal is above this line: from here on the recording is stored, whatever its state.
        sequence = uow.recordings.next_sequence(request.office_code, today)
        recording = Recording(
            register_number=domain.format_register_number(request.office_code, today, sequence),
            state=RecordingState.CAPTURED, resident=resident, office_code=request.office_code,
            captured_at=now, biometrics=biometrics, review_flags=checked.review_flags,
            request_id=request.request_id, drive_id=request.drive_id, recording_type=kind,
            previous_register_number=previous.register_number if previous else "")
        failure = self._quality_gate.failure(biometrics)
        match = None if failure else domain.find_duplicate_match(recording, candidates,
                                                                 threshold=self._demographic_threshold)
        recording.settle(match, failure=failure, hold_until=hold_until)
        uow.recordings.add(recording)
        uow.add_event(domain.RecordingCaptured(recording.register_number, recording.office_code,
                                               resident.region_code, now, domain.voter_eligible_on(resident),
                                               recording.drive_id or 0))
        if change is not None:
            uow.add_event(domain.ResidentChanged(recording.register_number, recording.office_code, resident.region_code,
                                                 recording.previous_register_number, kind, *change))
        if (settled := domain.settled_event(recording)) is not None:
            uow.add_event(settled)
        if match is not None and recording.state is RecordingState.DUPLICATE:
            uow.adjudications.add(domain.Adjudication.open(recording, match, now))
        uow.audit(actor, "recording.create", "recording", recording.register_number)
        return recording, True

    def _recorded(self, recording: Recording) -> None:
        self._metrics.recorded(recording.office_code, recording.state.value)
        log.info("recording stored", extra={"register_number": recording.register_number,
                                            "office_code": recording.office_code, "state": recording.state.value})

    # ---- pre-recordings and adjudication ------------------------------------------------------

    def release_pre_recordings(self, actor: Principal, today: dt.date | None = None) -> int:
        """Held pre-recordings (SENT) whose 17th birthday is `today` (WIB; default: now) or
        earlier become PRINT_READY with a RecordingPrintReady event, audited. Safe to run from
        several processes at once: each recording is released by exactly one. Returns how many
        this call released."""
        today = today or self._clock().astimezone(domain.RECORDING_TZ).date()
        released, batch = 0, 1000
        while True:
            with self._uow() as uow:
                due = uow.recordings.held_due(today, limit=batch)
                for number, office_code, region_code, hold_until in due:
                    if domain.is_released_on(hold_until, today) and uow.recordings.mark_released(number):
                        uow.add_event(domain.RecordingPrintReady(number, office_code, region_code))
                        uow.audit(actor, "recording.release", "recording", number)
                        released += 1
                uow.commit()
            if len(due) < batch:
                break
        if released:
            self._metrics.released(released)
            log.info("pre-recordings released", extra={"released": released, "day": today.isoformat()})
        return released

    def list_adjudications(self, actor: Principal, region_code: str = "", *, include_resolved: bool = False,
                           limit: int = 0) -> list[domain.Adjudication]:
        """The adjudication queue inside the actor's scope (narrowed to `region_code` when given),
        open entries first. No personal data: register numbers, reasons and field verdicts."""
        self._check_region_code(region_code, "region_code", allow_empty=True)
        if not 0 <= limit <= domain.MAX_ADJUDICATION_LIMIT:
            raise InvalidArgument("Batas daftar tidak valid.", violations=[FieldViolation(
                "limit", f"Isi 0 (bawaan {domain.ADJUDICATION_LIMIT}) sampai {domain.MAX_ADJUDICATION_LIMIT}.")])
        if not region_code or (actor.sees(region_code) and not actor.covers(region_code)):
            within = actor.scope            # a wider region than the scope: the scope's part of it
        else:
            actor.require_region(region_code)
            within = region_code
        with self._uow(readonly=True) as uow:
            return uow.adjudications.listed(within, include_resolved=include_resolved,
                                            limit=limit or domain.ADJUDICATION_LIMIT)

    def get_adjudication(self, actor: Principal, register_number: str) -> domain.Adjudication:
        """One entry of the queue, for a recording in the actor's region."""
        if not domain.is_register_number(register_number):
            raise InvalidRegisterNumber("Nomor registrasi tidak valid.", violations=[FieldViolation(
                "register_number", f"Format yang diharapkan: {domain.REGISTER_NUMBER_FORMAT}.")])
        with self._uow(readonly=True) as uow:
            adjudication = uow.adjudications.get(register_number)
        if adjudication is None:
            raise AdjudicationNotFound("Perekaman ini tidak ada di antrean adjudikasi.")
        actor.require_region(adjudication.region_code)
        return adjudication

    def resolve_duplicate(self, actor: Principal, register_number: str, decision: domain.AdjudicationDecision | None,
                          note: str = "") -> tuple[domain.Adjudication, Recording]:
        """The Dinas decides a suspected duplicate, audited as `adjudication.resolve`:
        DIFFERENT_PERSON -> PRINT_READY (or held, for a pre-recording before its 17th
        birthday); SAME_PERSON -> stays DUPLICATE, closed; FRAUD -> FAILED, flagged
        (RecordingFailed). Every decision emits AdjudicationResolved. Decided once."""
        note = note.strip()
        if problems := domain.resolution_violations(register_number, decision, note):
            raise InvalidResolution("Keputusan adjudikasi tidak valid; perbaiki kolom yang disebutkan.",
                                    violations=_violations(problems))
        now = self._clock()
        with self._uow() as uow:
            uow.recordings.lock([f"adjudication:{register_number}"])
            adjudication = uow.adjudications.get(register_number, for_update=True)
            if adjudication is None:
                raise AdjudicationNotFound("Perekaman ini tidak ada di antrean adjudikasi.")
            actor.require_region(adjudication.region_code)
            if not adjudication.is_open:
                raise AdjudicationRefused("Adjudikasi ini sudah diputuskan.", violations=[FieldViolation(
                    "register_number", "Sudah diputuskan; keputusan tidak dapat diubah.")])
            if refusal := domain.resolution_refusal(adjudication, decision):
                raise AdjudicationRefused("Keputusan ini tidak diperbolehkan.", violations=_violations([refusal]))
            recording = uow.recordings.get(register_number)
            recording.resolve_duplicate(decision, now.astimezone(domain.RECORDING_TZ).date())
            adjudication.resolve(decision, actor.subject, note, now)
            uow.recordings.save_state(recording)
            uow.adjudications.save(adjudication)
            if decision is not domain.AdjudicationDecision.SAME_PERSON \
                    and (settled := domain.settled_event(recording)) is not None:
                uow.add_event(settled)
            uow.add_event(domain.AdjudicationResolved(register_number, recording.office_code,
                                                      recording.resident.region_code, decision))
            uow.audit(actor, "adjudication.resolve", "recording", register_number)
            uow.commit()
        self._metrics.adjudicated(recording.office_code, decision.value)
        return adjudication, self._as_seen_by(actor, recording)

    def get_recording(self, actor: Principal, register_number: str) -> Recording:
        """One recording of a resident in the actor's region; audited (a lurah: status only)."""
        if not domain.is_register_number(register_number):
            raise InvalidRegisterNumber(
                f"Nomor registrasi harus berformat {domain.REGISTER_NUMBER_FORMAT}.",
                violations=[FieldViolation("register_number", f"Format yang diharapkan: {domain.REGISTER_NUMBER_FORMAT}.")])
        with self._uow() as uow:
            recording = uow.recordings.get(register_number)
            if recording is None:
                raise RecordingNotFound("Nomor registrasi perekaman tidak ditemukan.")
            actor.require_region(recording.resident.region_code)
            uow.audit(actor, "recording.read", "recording", register_number)
            uow.commit()
        return self._as_seen_by(actor, recording)

    def search_recordings(self, actor: Principal, *, nik: str = "", name: str = "", page: int = 1) -> SearchPage:
        """Recordings by exact NIK (its blind index) or by every word of a name (their blind
        indexes), only in the actor's region scope, newest first, one page at a time. Every
        recording shown is audited as a read. Only roles that see personal data may search: a
        hit on a name or NIK is itself personal data."""
        nik, name = "".join(nik.split()), " ".join(name.split())
        if actor.role not in PERSONAL_DATA_ROLES:
            raise PermissionDenied("Pencarian penduduk hanya untuk petugas yang boleh melihat data pribadi.")
        problems = domain.search_violations(nik=nik, name=name, page=page)
        if problems:
            raise InvalidSearch("Pencarian tidak valid; perbaiki kolom yang disebutkan.", violations=_violations(problems))
        size, offset = domain.SEARCH_PAGE_SIZE, (page - 1) * domain.SEARCH_PAGE_SIZE
        with self._uow() as uow:
            if nik:
                found = uow.recordings.by_nik(nik, within=actor.scope, limit=size + 1, offset=offset)
            else:
                found = uow.recordings.by_name_tokens(domain.name_tokens(name), within=actor.scope,
                                                      limit=size + 1, offset=offset)
            shown = found[:size]
            for recording in shown:
                uow.audit(actor, "recording.read", "recording", recording.register_number)
            uow.commit()
        self._metrics.searched("nik" if nik else "name")
        return SearchPage(shown, page, has_next=len(found) > size)

    def reindex_names(self) -> int:
        """Name-search tokens for recordings stored before search by name existed (idempotent)."""
        with self._uow() as uow:
            done = uow.recordings.reindex_names()
            uow.commit()
        log.info("recording names indexed", extra={"recordings": done})
        return done

    @staticmethod
    def _as_seen_by(actor: Principal, recording: Recording) -> Recording:
        return recording if actor.role in PERSONAL_DATA_ROLES else recording.status_only()

    # ---- regions and targets (public reference data: any admitted actor, no scope) ----------

    def get_region(self, actor: Principal, code: str) -> Region:
        self._check_region_code(code, "code", allow_empty=False)
        with self._uow(readonly=True) as uow:
            region = uow.regions.get(code)
        if region is None:
            raise RegionNotFound("Kode wilayah tidak terdaftar.")
        return region

    def list_regions(self, actor: Principal, parent_code: str = "") -> list[Region]:
        """Direct children of a region; provinces for an empty parent code."""
        self._check_region_code(parent_code, "parent_code", allow_empty=True)
        with self._uow(readonly=True) as uow:
            return uow.regions.children(parent_code)

    def list_targets(self, actor: Principal, parent_code: str = "") -> list[Target]:
        """Wajib-KTP targets of the direct children of a region (those that have one)."""
        self._check_region_code(parent_code, "parent_code", allow_empty=True)
        with self._uow(readonly=True) as uow:
            return uow.targets.of_children(parent_code)

    @staticmethod
    def _check_region_code(code: str, field_name: str, *, allow_empty: bool) -> None:
        if (allow_empty and code == "") or domain.region_level(code) is not None:
            return
        raise InvalidRegionCode("Kode wilayah tidak valid.", violations=[FieldViolation(
            field_name, "Isi kode wilayah Kemendagri, mis. 62, 62.03, 62.03.01 atau 62.03.01.2001.")])

    def set_targets(self, values: Sequence[tuple[str, int]], actor: Principal | None = None) -> int:
        """Store wajib-KTP targets; emits TargetChanged for each one that changed. Returns that count.
        With an `actor`, each change is audited (`target.update`) and must lie in its region."""
        bad = []
        for i, (_, wajib_ktp) in enumerate(values):
            if not 0 <= wajib_ktp <= domain.MAX_WAJIB_KTP:
                bad.append((i, "wajib_ktp", "Jumlah wajib KTP harus 0 sampai 100.000.000."))
        return self._store_targets(actor, values, bad, lambda i, name: f"targets[{i}].{name}")

    def import_targets(self, actor: Principal, rows: Sequence[tuple[int, str, str]]) -> int:
        """Targets from a CSV `kode,wajib_ktp` read as (line number, code, number as written):
        every bad line is named, and nothing is stored unless all lines are good."""
        values, bad = [], []
        for i, (_, code, text) in enumerate(rows):
            value, problem = domain.parse_wajib_ktp(text)
            if problem:
                bad.append((i, "wajib_ktp", problem))
            values.append((code.strip(), value if value is not None else 0))
        return self._store_targets(actor, values, bad, lambda i, name: f"line {rows[i][0]}: {name}")

    def update_targets(self, actor: Principal, typed: Mapping[str, str]) -> int:
        """Targets as typed on the targets page (region code -> text; blank: leave as it is)."""
        values, bad, fields = [], [], []
        for code, text in typed.items():
            if not text.strip():
                continue
            value, problem = domain.parse_wajib_ktp(text)
            if problem:
                bad.append((len(values), "wajib_ktp", problem))
            values.append((code, value if value is not None else 0))
            fields.append(code)
        return self._store_targets(actor, values, bad, lambda i, name: f"{name}[{fields[i]}]")

    def _store_targets(self, actor: Principal | None, values: Sequence[tuple[str, int]],
                       bad: list[tuple[int, str, str]], field_name: Callable[[int, str], str]) -> int:
        with self._uow() as uow:
            names = uow.regions.names(code for code, _ in values)
            for i, (code, _) in enumerate(values):
                if code not in names:
                    bad.append((i, "region_code", "Kode wilayah tidak terdaftar."))
                elif actor is not None and not actor.covers(code):
                    bad.append((i, "region_code", "Wilayah ini di luar kewenangan Anda."))
            if bad:
                raise InvalidTargets("Target wajib KTP tidak valid.", violations=[
                    FieldViolation(field_name(i, name), text) for i, name, text in sorted(bad)])
            current = uow.targets.current(names)
            changed = domain.changed_targets(values, current)
            uow.targets.save_all(changed, current)
            for code, wajib_ktp in changed:
                uow.add_event(domain.TargetChanged(code, names[code], wajib_ktp))
                if actor is not None:
                    uow.audit(actor, "target.update", "target", code)
            uow.commit()
        return len(changed)

    def import_regions(self, rows: Sequence[tuple[str, str]], *, line_numbers: Sequence[int] | None = None,
                       retire_missing: bool = True, progress: Callable[[int], None] | None = None,
                       actor: Principal | None = None) -> ImportResult:
        """Bulk import of a Kemendagri code table as (code, name) rows; all-or-nothing.

        New codes are inserted, renamed ones updated, codes absent from the table marked
        historic (unless `retire_missing` is off: a partial table) and historic codes present
        again reinstated. A second import of the same table changes nothing and stores nothing.
        Malformed rows are named (by `line_numbers` when given, else rows[i]). `progress` hears
        how many rows each chunk settled. An operator's import (with an `actor`: the
        `regions-import` command) that changes anything is audited (`regions.import`) and
        announced with one RegionsImported event with the counts; the bootstrap imports of the
        demo loader and the test fixtures (no actor) are neither.
        """
        by_code: dict[str, Region] = {}   # a code listed twice: the later row wins
        bad = []
        for i, (code, name) in enumerate(rows):
            region = domain.make_region(code, name)
            if region is None:
                where = f"line {line_numbers[i]}" if line_numbers is not None else f"rows[{i}]"
                bad.append(FieldViolation(where, "Baris harus berisi kode Kemendagri yang valid "
                                                 "(mis. 62.03.01.2001) dan nama (1-200 karakter)."))
            else:
                by_code[region.code] = region
        regions, seen = list(by_code.values()), by_code.keys()
        if bad:
            raise InvalidRegions(f"{len(bad)} baris wilayah tidak valid; tidak ada yang disimpan.",
                                 violations=bad[:100])
        with self._uow() as uow:
            stored = uow.regions.stored()
            new, renamed, reinstated = [], [], []
            for start in range(0, len(regions), IMPORT_CHUNK):
                chunk = regions[start:start + IMPORT_CHUNK]
                fresh = [r for r in chunk if r.code not in stored]
                uow.regions.add_all(fresh)
                new += fresh
                renamed += [r for r in chunk if r.code in stored and stored[r.code][0] != r.name]
                reinstated += [r.code for r in chunk if r.code in stored and stored[r.code][1]]
                if progress:
                    progress(len(chunk))
            retired = sorted(code for code, (_, historic) in stored.items()
                             if not historic and code not in seen) if retire_missing else []
            uow.regions.rename_all(renamed)
            uow.regions.set_historic(reinstated, False)
            uow.regions.set_historic(retired, True)
            event = domain.RegionsImported(len(new), len(renamed), len(regions) - len(new) - len(renamed),
                                           len(retired), len(reinstated), len(regions))
            if new or renamed or retired or reinstated:
                if actor is not None:
                    uow.add_event(event)
                    uow.audit(actor, "regions.import", "regions", "kemendagri")
                uow.commit()
                self._region_facts.clear()
        result = ImportResult(event.inserted, event.renamed, event.unchanged, event.retired, event.reinstated)
        log.info("regions imported", extra={"inserted": result.inserted, "renamed": result.renamed,
                                            "retired": result.retired, "reinstated": result.reinstated})
        return result

    # ---- pages and demo ------------------------------------------------------------------------

    def office_dashboard(self, actor: Principal, office_code: str) -> OfficeDashboard:
        """Recording counts per state and per kecamatan of an office's regency, with targets,
        for an actor who `sees` the office (an aggregate: no personal data)."""
        actor.require_view(office_code)
        with self._uow(readonly=True) as uow:
            office = uow.regions.get(office_code)
            kecamatan = uow.regions.children(office_code)
            targets = uow.targets.current(r.code for r in kecamatan)
            counts = uow.recordings.counts(office_code)
        totals: Counter[RecordingState] = Counter()
        by_kecamatan: dict[str, Counter[RecordingState]] = defaultdict(Counter)
        for region_code, state, n in counts:
            totals[state] += n
            by_kecamatan[domain.kecamatan_of(region_code)][state] += n
        rows = [KecamatanSummary(r, domain.RecordingCounts(dict(by_kecamatan.get(r.code, {}))), targets.get(r.code))
                for r in kecamatan]
        return OfficeDashboard(office_code, office, domain.RecordingCounts(dict(totals)), rows)

    def demo_loaded(self, name: str) -> bool:
        with self._uow(readonly=True) as uow:
            return uow.demo.is_loaded(name)

    def mark_demo_loaded(self, name: str) -> None:
        with self._uow() as uow:
            if not uow.demo.is_loaded(name):
                uow.demo.mark_loaded(name, self._clock())
                uow.commit()

    # ---- village coverage and pick-up drives (jemput bola) -----------------------------------------

    def village_coverage(self, actor: Principal, parent_code: str) -> list[domain.VillageCoverage]:
        """Every current desa/kelurahan under a kecamatan or kabupaten with its wajib-KTP target,
        persons recorded (domain.persons_recorded) and coverage, lowest coverage first and
        those without a target last; for an actor who `sees` the region (an aggregate)."""
        if domain.region_level(parent_code) not in (domain.RegionLevel.REGENCY, domain.RegionLevel.DISTRICT):
            raise InvalidRegionCode("Kode wilayah tidak valid.", violations=[FieldViolation(
                "parent_code", "Isi kode kabupaten/kota (mis. 62.03) atau kecamatan (mis. 62.03.01).")])
        actor.require_view(parent_code)
        with self._uow(readonly=True) as uow:
            return self._village_coverage(uow, parent_code)

    @staticmethod
    def _village_coverage(uow: EnrolmentUnitOfWork, parent_code: str) -> list[domain.VillageCoverage]:
        if uow.regions.get(parent_code) is None:
            raise RegionNotFound("Kode wilayah tidak terdaftar.")
        villages = uow.regions.villages_under(parent_code)
        targets = uow.targets.current(v.code for v in villages)
        counts = uow.drives.counts_under(parent_code)
        return domain.lowest_coverage_first(
            domain.VillageCoverage(v, targets.get(v.code), domain.persons_recorded(counts.get(v.code, _NO_COUNTS)))
            for v in villages)

    def propose_drive_villages(self, actor: Principal, parent_code: str,
                               limit: int = domain.PROPOSED_VILLAGES) -> list[domain.VillageCoverage]:
        """The desa a drive should visit first: the lowest coverage with people still to record."""
        return [v for v in self.village_coverage(actor, parent_code) if v.not_yet_recorded > 0][:limit]

    def plan_drive(self, actor: Principal, plan: domain.DrivePlan) -> domain.Drive:
        """Plan a drive (PLANNED). Without desa, the lowest-coverage desa of the actor's area
        (its kecamatan, or the office's kabupaten) is taken. Each desa's `planned` is its target
        persons not yet recorded now. The actor must cover every desa; audited `drive.plan`."""
        if not plan.village_codes and domain.region_level(plan.office_code) is domain.RegionLevel.REGENCY \
                and actor.sees(plan.office_code):
            in_kecamatan = domain.region_level(actor.scope) is domain.RegionLevel.DISTRICT \
                and domain.regency_of(actor.scope) == plan.office_code
            area = actor.scope if in_kecamatan else plan.office_code
            proposed = self.propose_drive_villages(actor, area, limit=1)
            plan = replace(plan, village_codes=tuple(v.region.code for v in proposed))
        now = self._clock()
        with self._uow() as uow:
            regions = uow.regions.by_codes([plan.office_code, *plan.village_codes])
            problems = domain.validate_drive_plan(
                plan, today=now.astimezone(domain.RECORDING_TZ).date(), regions=regions,
                historic=[c for c, r in regions.items() if r.historic],
                team_problems=self._team_problems(uow, plan, office_known=plan.office_code in regions))
            if problems:
                raise InvalidDrive("Rencana jemput bola tidak valid; perbaiki kolom yang disebutkan.",
                                   violations=_violations(problems))
            actor.require_view(plan.office_code)
            for code in plan.village_codes:
                actor.require_region(code)
            targets = uow.targets.current(plan.village_codes)
            counts = uow.drives.counts_under(plan.office_code)
            villages = tuple(domain.DriveVillage(code, regions[code].name, domain.VillageCoverage(
                regions[code], targets.get(code), domain.persons_recorded(counts.get(code, _NO_COUNTS))).not_yet_recorded)
                for code in sorted(plan.village_codes))
            drive = domain.Drive(
                id=0, office_code=plan.office_code, state=domain.DriveState.PLANNED,
                planned_for=dt.date.fromisoformat(plan.planned_for), villages=villages, team=plan.team,
                devices=plan.devices, planned_by=actor.subject, planned_at=now)
            drive.id = uow.drives.add(drive)
            uow.audit(actor, "drive.plan", "drive", str(drive.id))
            uow.commit()
        log.info("drive planned", extra={"drive_id": drive.id, "office_code": drive.office_code})
        return drive

    @staticmethod
    def _team_problems(uow: EnrolmentUnitOfWork, plan: domain.DrivePlan, *, office_known: bool) -> dict[str, str]:
        """Why each named officer cannot be on the team: unknown, disabled, not a recording
        role, or not of the office's kabupaten (when the office is known: otherwise the office
        is what to fix)."""
        problems = {}
        for username in plan.team:
            account = uow.accounts.get(username)
            if account is None:
                problems[username] = "Petugas dengan nama pengguna ini tidak terdaftar."
            elif account.disabled:
                problems[username] = "Akun petugas ini nonaktif."
            elif account.role not in DRIVE_TEAM_ROLES:
                problems[username] = "Peran petugas ini tidak melakukan perekaman."
            elif office_known and not (account.scope == plan.office_code
                                       or account.scope.startswith(plan.office_code + ".")):
                problems[username] = "Petugas ini bukan petugas kabupaten/kota Dinas penyelenggara."
        return problems

    def get_drive(self, actor: Principal, drive_id: int) -> domain.Drive:
        with self._uow(readonly=True) as uow:
            drive = self._drive(uow, drive_id)
        actor.require_view(drive.office_code)
        return drive

    def drive_progress(self, actor: Principal, drive_id: int) -> domain.Drive:
        """A drive as `get_drive`, with the tally so far when it is not yet CLOSED (what closing
        now would store; nothing is stored)."""
        with self._uow(readonly=True) as uow:
            drive = self._drive(uow, drive_id)
            actor.require_view(drive.office_code)
            if drive.state is not domain.DriveState.CLOSED:
                drive.villages, drive.reconciliation = drive.tally(uow.drives.recording_counts(drive.id))
        return drive

    def target_table(self, actor: Principal, parent_code: str, *, for_editing: bool = False) -> TargetTable:
        """The children of a region (provinces for "") with their wajib-KTP targets and persons
        recorded, and the trail of regions above. Reference data: any staff may read it; for
        editing, the actor must `see` the region (which rows it may change is its scope)."""
        self._check_region_code(parent_code, "wilayah", allow_empty=True)
        if for_editing:
            actor.require_view(parent_code)
        with self._uow(readonly=True) as uow:
            parent = uow.regions.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise RegionNotFound("Kode wilayah tidak terdaftar.")
            trail = [r for r in (uow.regions.get(c) for c in _ancestors(parent_code)) if r is not None]
            children = [r for r in uow.regions.children(parent_code) if not r.historic]
            targets = uow.targets.current(r.code for r in children)
            counts = uow.drives.counts_under(parent_code) if parent_code else {}
        recorded: Counter[str] = Counter()
        for code, c in counts.items():
            recorded[".".join(code.split(".")[:parent_code.count(".") + 2])] += domain.persons_recorded(c)
        rows = [TargetRow(r, targets.get(r.code), recorded[r.code] if parent_code else None) for r in children]
        return TargetTable(parent, trail, rows)

    def list_drives(self, actor: Principal, office_code: str,
                    state: domain.DriveState | None = None) -> list[domain.Drive]:
        """An office's drives, latest date first (at most 100)."""
        if domain.region_level(office_code) is not domain.RegionLevel.REGENCY:
            raise InvalidRegionCode("Kode wilayah tidak valid.", violations=[FieldViolation(
                "office_code", "Isi kode kabupaten/kota Dinas, mis. 62.03.")])
        actor.require_view(office_code)
        with self._uow(readonly=True) as uow:
            return uow.drives.of_office(office_code, state)

    def open_drive(self, actor: Principal, drive_id: int) -> domain.Drive:
        """PLANNED -> OPEN: the team may record under it. Opening an open drive changes nothing."""
        with self._uow() as uow:
            drive = self._drive(uow, drive_id, for_update=True)
            self._require_drive_scope(actor, drive)
            if drive.state is domain.DriveState.CLOSED:
                raise DriveNotOpen("Jemput bola ini sudah ditutup; rencanakan jemput bola baru.")
            if drive.open(self._clock()):
                uow.drives.save(drive)
                uow.audit(actor, "drive.open", "drive", str(drive.id))
                uow.commit()
        return drive

    def close_drive(self, actor: Principal, drive_id: int) -> domain.Drive:
        """PLANNED/OPEN -> CLOSED with its reconciliation (planned vs recorded vs failed vs
        duplicates, per desa and in total), stored on the drive; emits DriveClosed; audited.
        Closing a closed drive returns it unchanged (a retried close is harmless)."""
        with self._uow() as uow:
            drive = self._drive(uow, drive_id, for_update=True)
            self._require_drive_scope(actor, drive)
            if drive.close(self._clock(), actor.subject, uow.drives.recording_counts(drive.id)):
                uow.drives.save(drive)
                assert drive.reconciliation is not None
                uow.add_event(domain.DriveClosed(drive.id, drive.office_code, drive.village_codes,
                                                 drive.planned_for, drive.reconciliation))
                uow.audit(actor, "drive.close", "drive", str(drive.id))
                uow.commit()
                log.info("drive closed", extra={"drive_id": drive.id, "office_code": drive.office_code,
                                                "recorded": drive.reconciliation.recorded})
        return drive

    @staticmethod
    def _drive(uow: EnrolmentUnitOfWork, drive_id: int, *, for_update: bool = False) -> domain.Drive:
        if drive_id <= 0:
            raise InvalidDrive("ID jemput bola tidak valid.", violations=[
                FieldViolation("drive_id", "Isi ID jemput bola (bilangan bulat positif).")])
        drive = uow.drives.get(drive_id, for_update=for_update)
        if drive is None:
            raise DriveNotFound("Jemput bola tidak ditemukan.")
        return drive

    @staticmethod
    def _require_drive_scope(actor: Principal, drive: domain.Drive) -> None:
        """Opening or closing a drive: the actor covers every desa it visits."""
        actor.require_view(drive.office_code)
        for code in drive.village_codes:
            actor.require_region(code)

    def _check_placement(self, uow: EnrolmentUnitOfWork, request: RecordingRequest, historic: set[str]) -> None:
        """A recording's domicile and office are current codes (a NIK/KK prefix may be
        historic), and a recording under a drive fits it: the drive exists, belongs to the
        same office, visits the resident's desa, and is OPEN. The drive row is share-locked so
        that a concurrent close waits for this recording (and then counts it)."""
        problems = domain.current_region_violations(request, historic)
        drive = None
        if request.drive_id is not None:
            drive = uow.drives.get(request.drive_id, for_share=True)
            if drive is None:
                problems.append(domain.Violation("drive_id", "Jemput bola tidak ditemukan."))
            else:
                problems += drive.recording_violations(request.office_code, request.resident.region_code)
        if problems:
            self._metrics.rejected([v.field for v in problems])
            raise InvalidRecording("Data perekaman tidak valid; perbaiki kolom yang disebutkan.",
                                   violations=_violations(problems))
        if drive is not None and drive.state is not domain.DriveState.OPEN:
            raise DriveNotOpen("Jemput bola ini belum dibuka atau sudah ditutup; rekam di kantor atau buka "
                               "jemput bola terlebih dahulu.",
                               violations=[FieldViolation("drive_id", "Jemput bola harus berstatus dibuka.")])
