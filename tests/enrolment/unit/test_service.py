import datetime as dt

import pytest
import sqlalchemy as sa

from enrolment import db, domain
from enrolment.errors import (
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
from enrolment.service import EnrolmentService
from enrolment.unit_of_work import unit_of_work_factory
from servicekit.access import Role
from servicekit.db import create_engine
from servicekit.errors import PermissionDenied
from servicekit.outbox import read_events
from tests.enrolment.factories import CLI, NOW, TEST_REGIONS, VILLAGE, digest, officer, personal_data, request

State = domain.RecordingState


@pytest.fixture
def engine(sqlite_url):
    engine = create_engine(sqlite_url)
    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def metrics():
    return EnrolmentMetrics()


@pytest.fixture
def service(engine, metrics, tmp_path):
    uow = unit_of_work_factory(engine, personal_data=personal_data(tmp_path / "keys"))
    service = EnrolmentService(uow, metrics=metrics, clock=lambda: NOW)
    service.import_regions(TEST_REGIONS)
    return service


def event_types(engine) -> list[str]:
    return [e.type.rsplit(".", 1)[1] for e in read_events(engine, 0, 1000)]


def recording_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one()


def test_clean_recording_is_print_ready_with_captured_then_print_ready_events(service, engine):
    recording = service.record_resident(CLI, request())
    assert recording.register_number == "6203-20261128-000001"
    assert recording.state is State.PRINT_READY
    assert event_types(engine) == ["RecordingCaptured", "RecordingPrintReady"]
    assert service.get_recording(CLI, recording.register_number) == recording


def test_register_sequence_counts_per_office_and_day(service):
    numbers = [service.record_resident(CLI, request(office_code=office, region_code=home)).register_number
               for office, home in (("62.03", VILLAGE), ("62.03", VILLAGE), ("63.10", "63.10.01.1007"))]
    assert numbers == ["6203-20261128-000001", "6203-20261128-000002", "6310-20261128-000001"]


def test_same_template_digest_under_another_nik_is_duplicate(service, engine):
    first = service.record_resident(CLI, request(digest=digest("x")))
    second = service.record_resident(CLI, request(digest=digest("x")))
    assert (second.state, second.duplicate_of) == (State.DUPLICATE, first.register_number)
    assert event_types(engine)[-2:] == ["RecordingCaptured", "RecordingDuplicate"]


def test_invalid_request_reports_every_violation_and_stores_nothing(service, engine, metrics):
    with pytest.raises(InvalidRecording) as caught:
        service.record_resident(CLI, request(office_code="99.99", rt="0", full_name=""))
    assert {v.field for v in caught.value.violations} == {"office_code", "resident.rt", "resident.full_name"}
    assert recording_count(engine) == 0 and event_types(engine) == []
    assert metrics.validation_failures.labels("resident.rt")._value.get() == 1


def test_single_fifteen_year_old_is_not_eligible_and_nothing_is_stored(service, engine):
    with pytest.raises(NotEligible) as caught:
        service.record_resident(CLI, request(birth=dt.date(2011, 1, 1)))
    assert caught.value.reason == "NOT_ELIGIBLE"
    assert [v.field for v in caught.value.violations] == ["resident.birth_date"]
    assert recording_count(engine) == 0


def test_nik_mismatch_is_stored_as_review_flags(service):
    mismatched = request(nik="6203015705900007")  # encodes a woman born 17-05-1990; the record says a man
    recording = service.record_resident(CLI, mismatched)
    assert recording.review_flags == (domain.FLAG_NIK_SEX_MISMATCH,)
    assert service.get_recording(CLI, recording.register_number).review_flags == (domain.FLAG_NIK_SEX_MISMATCH,)


def test_repeated_request_id_returns_the_first_recording(service, engine, metrics):
    first = service.record_resident(CLI, request(request_id="tablet-7/42"))
    again = service.record_resident(CLI, request(request_id="tablet-7/42"))
    assert again.register_number == first.register_number
    assert recording_count(engine) == 1 and len(event_types(engine)) == 2
    assert metrics.recordings.labels("62.03", "PRINT_READY")._value.get() == 1


def test_batch_keeps_valid_requests_and_returns_refusals(service, engine):
    results = service.record_residents(CLI, [request(), request(rt="x"), request(birth=dt.date(2012, 1, 1)), request()])
    assert [type(r).__name__ for r in results] == ["Recording", "InvalidRecording", "NotEligible", "Recording"]
    assert recording_count(engine) == 2


def test_get_recording_checks_the_format_before_looking_up(service):
    with pytest.raises(InvalidRegisterNumber) as caught:
        service.get_recording(CLI, "6203/1")
    assert [v.field for v in caught.value.violations] == ["register_number"]
    with pytest.raises(RecordingNotFound):
        service.get_recording(CLI, "6203-20261128-000001")


def test_regions_are_listed_by_parent(service):
    assert [r.code for r in service.list_regions(CLI, "")] == ["62", "63"]
    villages = service.list_regions(CLI, "62.03.01")
    assert [(r.code, r.is_kelurahan) for r in villages] == [
        ("62.03.01.1002", True), ("62.03.01.1006", True), (VILLAGE, False)]
    assert service.get_region(CLI, "62.03").name == "Kabupaten Kapuas"
    with pytest.raises(RegionNotFound):
        service.get_region(CLI, "62.99")
    with pytest.raises(InvalidRegionCode):
        service.list_regions(CLI, "62-03")


def test_region_import_is_idempotent_and_updates_renamed_regions(service):
    again = service.import_regions([*TEST_REGIONS[:-1], ("62.03.01.1002", "Kelurahan Baru")])
    assert (again.inserted, again.renamed) == (0, 1)
    assert service.get_region(CLI, "62.03.01.1002").name == "Kelurahan Baru"


def test_region_import_with_a_malformed_row_stores_nothing(service):
    with pytest.raises(InvalidRegions) as caught:
        service.import_regions([("64", "Kalimantan Timur"), ("64.1", "Salah")])
    assert [v.field for v in caught.value.violations] == ["rows[1]"]
    with pytest.raises(RegionNotFound):
        service.get_region(CLI, "64")


def test_set_targets_emits_target_changed_only_for_changes(service, engine):
    assert service.set_targets([("62.03.01", 100), ("62.03.02", 50)]) == 2
    assert service.set_targets([("62.03.01", 100), ("62.03.02", 60)]) == 1
    assert event_types(engine) == ["TargetChanged"] * 3
    assert [(t.region_code, t.region_name, t.wajib_ktp) for t in service.list_targets(CLI, "62.03")] == [
        ("62.03.01", "Selat", 100), ("62.03.02", "Kapuas Hilir", 60)]


def test_set_targets_rejects_unknown_regions_and_negative_numbers(service, engine):
    with pytest.raises(InvalidTargets) as caught:
        service.set_targets([("62.03.01", 1), ("62.99.01", 5), ("62.03.02", -1)])
    assert [v.field for v in caught.value.violations] == ["targets[1].region_code", "targets[2].wajib_ktp"]
    assert service.list_targets(CLI, "62.03") == [] and event_types(engine) == []


def test_office_dashboard_counts_per_kecamatan(service):
    service.set_targets([("62.03.01", 4)])
    service.record_resident(CLI, request())
    same = request()
    service.record_resident(CLI, same)
    service.record_resident(CLI, same)
    board = service.office_dashboard(CLI, "62.03")
    selat = board.kecamatan[0]
    assert (selat.region.code, selat.counts.recorded, selat.counts[State.PRINT_READY],
            selat.counts[State.DUPLICATE], selat.target) == ("62.03.01", 3, 2, 1, 4)
    assert board.totals.recorded == 3 and len(board.kecamatan) == 17


# ---- region scope and what a lurah sees ------------------------------------------------------

def test_recording_a_resident_outside_the_officers_region_is_refused_and_stores_nothing(service, engine):
    with pytest.raises(PermissionDenied) as caught:
        service.record_resident(officer(Role.OPERATOR_KECAMATAN, "62.03.02"), request())
    assert caught.value.reason == "OUT_OF_SCOPE"
    with pytest.raises(PermissionDenied):
        service.record_resident(officer(Role.OPERATOR_DINAS, "63.10"), request())
    assert recording_count(engine) == 0 and event_types(engine) == []
    recorded = service.record_resident(officer(Role.OPERATOR_KECAMATAN, "62.03.01"), request())
    assert recorded.state is State.PRINT_READY


def test_a_retried_request_id_is_refused_to_an_officer_outside_the_first_recordings_region(service):
    service.record_resident(officer(Role.OPERATOR_DINAS, "62.03"), request(request_id="tablet-1/9"))
    with pytest.raises(PermissionDenied):
        service.record_resident(officer(Role.OPERATOR_DINAS, "63.10"),
                                request(office_code="63.10", region_code="63.10.01.1007", request_id="tablet-1/9"))


def test_bulk_entry_returns_a_refusal_for_a_resident_outside_the_region_and_keeps_the_others(service, engine):
    results = service.record_residents(officer(Role.OPERATOR_DINAS, "62.03"), [
        request(), request(office_code="63.10", region_code="63.10.01.1007"), request()])
    assert [type(r).__name__ for r in results] == ["Recording", "PermissionDenied", "Recording"]
    assert recording_count(engine) == 2


def test_reading_a_recording_needs_the_residents_region(service):
    recorded = service.record_resident(CLI, request())
    for allowed in (officer(Role.OPERATOR_KECAMATAN, "62.03.01"), officer(Role.AUDITOR, "62"),
                    officer(Role.LURAH, VILLAGE)):
        assert service.get_recording(allowed, recorded.register_number).register_number == recorded.register_number
    for refused in (officer(Role.OPERATOR_KECAMATAN, "62.03.02"), officer(Role.ADMIN_PROVINSI, "63"),
                    officer(Role.LURAH, "62.03.01.1002")):
        with pytest.raises(PermissionDenied):
            service.get_recording(refused, recorded.register_number)


def test_a_lurah_gets_the_status_and_staff_get_the_person(service):
    recorded = service.record_resident(CLI, request(full_name="Rahmat Hidayat", mother_name="Siti Aminah"))
    seen_by_lurah = service.get_recording(officer(Role.LURAH, VILLAGE), recorded.register_number)
    assert seen_by_lurah == recorded.status_only()
    assert seen_by_lurah.resident.nik == "" and seen_by_lurah.resident.full_name == ""
    seen_by_dinas = service.get_recording(officer(Role.OPERATOR_DINAS, "62.03"), recorded.register_number)
    assert seen_by_dinas == recorded and seen_by_dinas.resident.mother_name == "Siti Aminah"


def test_office_dashboard_is_for_officers_who_see_the_office(service):
    assert service.office_dashboard(officer(Role.LURAH, VILLAGE), "62.03").office_code == "62.03"
    assert service.office_dashboard(officer(Role.ADMIN_PROVINSI, "62"), "62.03").office_code == "62.03"
    with pytest.raises(PermissionDenied):
        service.office_dashboard(officer(Role.OPERATOR_DINAS, "63.10"), "62.03")


def test_without_personal_data_keys_a_recording_is_neither_stored_nor_read(engine, service):
    recorded = service.record_resident(CLI, request())
    keyless = EnrolmentService(unit_of_work_factory(engine), clock=lambda: NOW)
    with pytest.raises(RuntimeError, match="no personal-data keys"):
        keyless.record_resident(CLI, request())
    with pytest.raises(RuntimeError, match="no personal-data keys"):
        keyless.get_recording(CLI, recorded.register_number)
    assert recording_count(engine) == 1


def test_region_facts_are_cached_for_their_ttl_but_an_unknown_code_is_asked_again():
    from types import SimpleNamespace

    from enrolment.service import RegionFacts

    asked: list[list[str]] = []
    stored = {"62.03": (domain.RegionLevel.REGENCY, False)}

    def facts(codes):
        asked.append(sorted(codes))
        return {c: stored[c] for c in codes if c in stored}

    now = [0.0]
    cache = RegionFacts(ttl=60, clock=lambda: now[0])
    uow = SimpleNamespace(regions=SimpleNamespace(facts=facts))
    assert cache.get(uow, ["62.03", "62.99"]) == {"62.03": stored["62.03"]}
    assert cache.get(uow, ["62.03", "62.99"]) == {"62.03": stored["62.03"]}
    assert asked == [["62.03", "62.99"], ["62.99"]]          # the known code came from the cache
    now[0] = 61.0
    cache.get(uow, ["62.03"])
    cache.clear()
    cache.get(uow, ["62.03"])
    assert asked[2:] == [["62.03"], ["62.03"]]               # expired, then cleared: asked again
