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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from enrolment import domain
from enrolment.domain import Recording, RecordingRequest, RecordingState, Region, Target
from enrolment.errors import (
    FieldViolation,
    InvalidRecording,
    InvalidRegionCode,
    InvalidRegions,
    InvalidRegisterNumber,
    InvalidTargets,
    NotEligible,
    RecordingNotFound,
    RegionNotFound,
)
from enrolment.metrics import EnrolmentMetrics
from enrolment.unit_of_work import EnrolmentUnitOfWork, UnitOfWorkFactory
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class KecamatanSummary:
    region: Region
    counts: domain.RecordingCounts
    target: int | None


@dataclass(frozen=True)
class OfficeDashboard:
    office_code: str
    office: Region | None
    totals: domain.RecordingCounts
    kecamatan: list[KecamatanSummary]


def _violations(items: Iterable[domain.Violation]) -> list[FieldViolation]:
    return [FieldViolation(v.field, v.description) for v in items]


class EnrolmentService:
    def __init__(self, uow: UnitOfWorkFactory, *, metrics: EnrolmentMetrics | None = None,
                 clock: Clock = utc_now) -> None:
        self._uow = uow
        self._metrics = metrics or EnrolmentMetrics()
        self._clock = clock

    # ---- recordings ------------------------------------------------------------------

    def record_resident(self, actor: Principal, request: RecordingRequest) -> Recording:
        """Validate, check the actor's scope, store (CAPTURED), check duplicates, settle; a
        repeated request_id returns the first recording and stores nothing."""
        with self._uow() as uow:
            recording, created = self._record(uow, actor, request, self._clock())
            uow.commit()
        if created:
            self._recorded(recording)
        return self._as_seen_by(actor, recording)

    def record_residents(self, actor: Principal, requests: Sequence[RecordingRequest],
                         ) -> list[Recording | InvalidRecording | NotEligible | PermissionDenied]:
        """Bulk entry (demo, sync from field devices): the same rules per request, one transaction.

        A refused request is returned as its error and stores nothing; the others are kept.
        """
        results: list[Recording | InvalidRecording | NotEligible | PermissionDenied] = []
        created: list[Recording] = []
        now = self._clock()
        with self._uow() as uow:
            for request in requests:
                try:
                    recording, is_new = self._record(uow, actor, request, now)
                except (InvalidRecording, NotEligible, PermissionDenied) as refused:
                    results.append(refused)
                    continue
                results.append(self._as_seen_by(actor, recording))
                if is_new:
                    created.append(recording)
            uow.commit()
        for recording in created:
            self._recorded(recording)
        return results

    def _record(self, uow: EnrolmentUnitOfWork, actor: Principal, request: RecordingRequest,
                now: dt.datetime) -> tuple[Recording, bool]:
        if request.request_id:
            uow.recordings.lock([f"request:{request.request_id}"])
            earlier = uow.recordings.by_request_id(request.request_id)
            if earlier is not None:  # a retry stores nothing, but it hands the recording back: a read
                actor.require_region(earlier.resident.region_code)
                uow.audit(actor, "recording.read", "recording", earlier.register_number)
                return earlier, False
        today = now.astimezone(domain.RECORDING_TZ).date()
        levels = uow.regions.levels(domain.region_codes_to_check(request))
        checked = domain.validate_recording(request, today=today, regions=levels)
        if not checked.ok:
            self._metrics.rejected([v.field for v in checked.violations])
            raise InvalidRecording("Data perekaman tidak valid; perbaiki kolom yang disebutkan.",
                                   violations=_violations(checked.violations))
        request, resident = checked.request, checked.request.resident
        actor.require_region(resident.region_code)
        if not domain.is_wajib_ktp(dt.date.fromisoformat(resident.birth_date), resident.marital_status, today):
            raise NotEligible("Penduduk belum wajib KTP.", violations=_violations([domain.ineligible_violation()]))
        digest = request.biometrics.template_digest
        uow.recordings.lock([f"nik:{resident.nik}"] + ([f"digest:{digest}"] if digest else []))
        sequence = uow.recordings.next_sequence(request.office_code, today)
        recording = Recording(
            register_number=domain.format_register_number(request.office_code, today, sequence),
            state=RecordingState.CAPTURED, resident=resident, office_code=request.office_code,
            captured_at=now, biometrics=request.biometrics, review_flags=checked.review_flags,
            request_id=request.request_id)
        uow.recordings.add(recording)
        uow.add_event(domain.RecordingCaptured(recording.register_number, recording.office_code,
                                               resident.region_code, now))
        recording.settle(domain.find_duplicate(recording, uow.recordings.duplicate_candidates(resident.nik, digest)))
        uow.recordings.save_state(recording)
        uow.add_event(domain.settled_event(recording))
        uow.audit(actor, "recording.create", "recording", recording.register_number)
        return recording, True

    def _recorded(self, recording: Recording) -> None:
        self._metrics.recorded(recording.office_code, recording.state.value)
        log.info("recording stored", extra={"register_number": recording.register_number,
                                            "office_code": recording.office_code, "state": recording.state.value})

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

    def set_targets(self, values: Sequence[tuple[str, int]]) -> int:
        """Store wajib-KTP targets; emits TargetChanged for each one that changed. Returns that count."""
        with self._uow() as uow:
            names = uow.regions.names(code for code, _ in values)
            bad = []
            for i, (code, wajib_ktp) in enumerate(values):
                if code not in names:
                    bad.append(FieldViolation(f"targets[{i}].region_code", "Kode wilayah tidak terdaftar."))
                if wajib_ktp < 0:
                    bad.append(FieldViolation(f"targets[{i}].wajib_ktp", "Jumlah wajib KTP tidak boleh negatif."))
            if bad:
                raise InvalidTargets("Target wajib KTP tidak valid.", violations=bad)
            current = uow.targets.current(names)
            changed = domain.changed_targets(values, current)
            uow.targets.save_all(changed, current)
            for code, wajib_ktp in changed:
                uow.add_event(domain.TargetChanged(code, names[code], wajib_ktp))
            uow.commit()
        return len(changed)

    def import_regions(self, rows: Iterable[tuple[str, str]]) -> ImportResult:
        """Bulk upsert-or-skip of (code, name) rows; all-or-nothing when a row is malformed."""
        regions, bad = [], []
        for i, (code, name) in enumerate(rows):
            region = domain.make_region(code, name)
            if region is None:
                bad.append(FieldViolation(f"rows[{i}]", "Baris harus berisi kode Kemendagri yang valid dan nama."))
            else:
                regions.append(region)
        if bad:
            raise InvalidRegions(f"{len(bad)} baris wilayah tidak valid.", violations=bad[:50])
        with self._uow() as uow:
            existing = uow.regions.names_by_code()
            new = [r for r in regions if r.code not in existing]
            renamed = [r for r in regions if r.code in existing and existing[r.code] != r.name]
            uow.regions.add_all(new)
            uow.regions.rename_all(renamed)
            uow.commit()
        result = ImportResult(len(new), len(renamed), len(regions) - len(new) - len(renamed))
        log.info("regions imported", extra={"inserted": result.inserted, "renamed": result.renamed})
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
