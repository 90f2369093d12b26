"""Pick-up drives (jemput bola), village coverage and target parsing: the domain rules."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrolment import domain
from enrolment.domain import (
    Drive,
    DrivePlan,
    DriveState,
    DriveVillage,
    RecordingCounts,
    RecordingState,
    Region,
    RegionLevel,
    VillageCoverage,
)

TODAY = dt.date(2026, 11, 28)
AT = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.timezone.utc)
REGIONS = {
    "62.03": Region("62.03", "Kabupaten Kapuas", RegionLevel.REGENCY, "62", False),
    "62.03.01.2001": Region("62.03.01.2001", "Desa Satu", RegionLevel.VILLAGE, "62.03.01", False),
    "62.03.01.1002": Region("62.03.01.1002", "Kelurahan Dua", RegionLevel.VILLAGE, "62.03.01", True),
    "62.03.01": Region("62.03.01", "Selat", RegionLevel.DISTRICT, "62.03", False),
    "63.10.01.1007": Region("63.10.01.1007", "Batulicin", RegionLevel.VILLAGE, "63.10.01", True),
}


def village(code: str, target: int | None, recorded: int) -> VillageCoverage:
    return VillageCoverage(Region(code, code, RegionLevel.VILLAGE, code[:8], False), target, recorded)


def plan(**changes) -> DrivePlan:
    values = dict(office_code="62.03", village_codes=("62.03.01.2001",), planned_for="2026-11-30",
                  team=("kapuas.operator",), devices=("tablet-01",))
    values.update(changes)
    return DrivePlan(**values)


def fields(violations) -> list[str]:
    return [v.field for v in violations]


def check(p: DrivePlan, *, historic=(), team_problems=None):
    return domain.validate_drive_plan(p, today=TODAY, regions=REGIONS, historic=historic,
                                      team_problems=team_problems or {})


def drive(state: DriveState = DriveState.OPEN) -> Drive:
    return Drive(id=7, office_code="62.03", state=state, planned_for=TODAY,
                 villages=(DriveVillage("62.03.01.1002", "Kelurahan Dua", 30),
                           DriveVillage("62.03.01.2001", "Desa Satu", 12)),
                 team=("kapuas.operator",), devices=(), planned_by="kapuas.kepala", planned_at=AT)


class TestVillageCoverage:
    def test_lowest_coverage_comes_first_and_villages_without_target_last(self):
        rows = [village("62.03.01.2003", None, 5), village("62.03.01.2002", 100, 90),
                village("62.03.01.2001", 100, 10), village("62.03.01.2004", 0, 3), village("62.03.01.2005", 50, 5)]
        ordered = [v.region.code for v in domain.lowest_coverage_first(rows)]
        assert ordered == ["62.03.01.2001", "62.03.01.2005", "62.03.01.2002", "62.03.01.2003", "62.03.01.2004"]

    def test_coverage_may_exceed_one_and_nothing_is_left_to_record_then(self):
        over = village("62.03.01.2001", 10, 12)
        assert over.coverage == pytest.approx(1.2) and over.not_yet_recorded == 0
        assert village("62.03.01.2001", None, 4).coverage is None

    def test_persons_recorded_leave_out_duplicates_and_failed_recordings(self):
        counts = RecordingCounts({RecordingState.PRINT_READY: 7, RecordingState.DUPLICATE: 2,
                                  RecordingState.FAILED: 1, RecordingState.CAPTURED: 1})
        assert domain.persons_recorded(counts) == 8


class TestTargets:
    @pytest.mark.parametrize(("typed", "value"), [("12345", 12345), ("12.345", 12345), (" 12 345 ", 12345),
                                                  ("0", 0)])
    def test_numbers_are_read_as_officers_type_them(self, typed, value):
        assert domain.parse_wajib_ktp(typed) == (value, None)

    @pytest.mark.parametrize("typed", ["-5", "1,5", "abc", "", "١٢", "100000001"])
    def test_anything_but_a_whole_number_in_range_says_what_to_type(self, typed):
        value, problem = domain.parse_wajib_ktp(typed)
        assert value is None and problem


class TestDrivePlan:
    def test_a_good_plan_has_no_violations(self):
        assert check(plan()) == []

    def test_every_problem_is_reported_at_once(self):
        bad = plan(village_codes=("62.03.01.2001", "63.10.01.1007", "62.03.01.2001", "62.03.01"),
                   planned_for="2026-11-27", team=("Bad Name", "kapuas.operator", "kapuas.operator"),
                   devices=("tab 1",))
        assert fields(check(bad)) == ["village_codes[1]", "village_codes[2]", "village_codes[3]",
                                      "planned_for", "team[0]", "team[2]", "devices[0]"]

    def test_an_unknown_office_is_refused_without_blaming_each_desa_for_it(self):
        assert fields(check(plan(office_code="62.99"))) == ["office_code"]

    def test_historic_desa_and_office_are_refused(self):
        assert fields(check(plan(), historic={"62.03", "62.03.01.2001"})) == ["office_code", "village_codes[0]"]

    @pytest.mark.parametrize("day", ["2026-02-30", "30-11-2026", "", "2027-12-30"])
    def test_the_date_must_exist_and_lie_within_a_year(self, day):
        assert fields(check(plan(planned_for=day))) == ["planned_for"]

    def test_an_empty_team_or_desa_list_is_refused(self):
        assert fields(check(plan(team=(), village_codes=()))) == ["village_codes", "team"]

    def test_team_problems_found_by_the_use_case_are_named_per_officer(self):
        problems = check(plan(team=("kapuas.operator", "tb.operator")), team_problems={"tb.operator": "bukan"})
        assert [(v.field, v.description) for v in problems] == [("team[1]", "bukan")]

    def test_lists_typed_into_one_field_are_split_at_commas_and_spaces(self):
        assert domain.split_list(" a.b, c\nd;;e ") == ("a.b", "c", "d", "e")


class TestDriveLifecycle:
    def test_planned_opens_then_closes_with_its_reconciliation_per_desa(self):
        d = drive(DriveState.PLANNED)
        assert d.open(AT) and d.state is DriveState.OPEN and not d.open(AT)
        counts = {"62.03.01.1002": RecordingCounts({RecordingState.PRINT_READY: 20, RecordingState.DUPLICATE: 2,
                                                    RecordingState.FAILED: 3}),
                  "62.03.01.2001": RecordingCounts({RecordingState.PRINT_READY: 4})}
        assert d.close(AT, "kapuas.kepala", counts)
        assert d.state is DriveState.CLOSED and d.closed_by == "kapuas.kepala"
        assert d.reconciliation == domain.Reconciliation(planned=42, recorded=24, failed=3, duplicates=2)
        assert d.reconciliation.remaining == 18
        assert [(v.recorded, v.failed, v.duplicates) for v in d.villages] == [(20, 3, 2), (4, 0, 0)]

    def test_closing_twice_keeps_the_first_reconciliation(self):
        d = drive()
        d.close(AT, "a", {})
        first = d.reconciliation
        assert not d.close(AT, "b", {"62.03.01.2001": RecordingCounts({RecordingState.PRINT_READY: 9})})
        assert d.reconciliation == first and d.closed_by == "a"

    def test_a_closed_drive_cannot_be_opened_again(self):
        d = drive()
        d.close(AT, "a", {})
        with pytest.raises(ValueError):
            d.open(AT)

    def test_a_recording_must_be_of_the_same_office_and_of_a_visited_desa(self):
        d = drive()
        assert d.recording_violations("62.03", "62.03.01.2001") == []
        assert fields(d.recording_violations("63.10", "62.03.01.2001")) == ["drive_id"]
        assert fields(d.recording_violations("62.03", "62.03.01.1006")) == ["resident.region_code"]


def test_historic_domicile_and_office_are_refused_but_a_historic_nik_prefix_is_not_looked_at():
    from tests.enrolment.factories import request

    req = request(region_code="62.03.01.2001")
    assert domain.current_region_violations(req, {"62.03.01"}) == []   # the NIK's kecamatan: fine
    assert fields(domain.current_region_violations(req, {"62.03.01.2001", "62.03"})) == [
        "resident.region_code", "office_code"]


# ---- fuzzed input never breaks the rules' code ----------------------------------------------------

_text = st.text(max_size=30)


@settings(max_examples=200, deadline=None)
@given(office=_text, villages=st.lists(_text, max_size=25), day=_text, team=st.lists(_text, max_size=25),
       devices=st.lists(_text, max_size=25))
def test_any_plan_gets_violations_or_none_never_an_exception(office, villages, day, team, devices):
    problems = check(DrivePlan(office, tuple(villages), day, tuple(team), tuple(devices)))
    assert all(v.field and v.description for v in problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_any_typed_target_is_a_number_in_range_or_a_reason(typed):
    value, problem = domain.parse_wajib_ktp(typed)
    assert (value is None) != (problem is None)
    assert value is None or 0 <= value <= domain.MAX_WAJIB_KTP
