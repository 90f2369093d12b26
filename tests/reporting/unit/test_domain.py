from __future__ import annotations

import pytest

from reporting import domain
from reporting.domain import (
    ChildTargets,
    CoverageRow,
    DocumentKind,
    FactCounts,
    Region,
    RegionTarget,
    build_coverage,
)
from reporting.errors import InvalidRegionCode


@pytest.mark.parametrize("code, child_length, parent", [
    ("62", 5, None), ("62.03", 8, "62"), ("62.03.01", 13, "62.03")])
def test_province_kabupaten_and_kecamatan_codes_are_report_regions(code, child_length, parent):
    region = Region.parse(code)
    assert (region.code, region.child_length, region.parent_code) == (code, child_length, parent)


@pytest.mark.parametrize("code", ["", "6", "620", "62.3", "62.03.1", "62.03.01.2001", "62-03", "ab", "62.03.", "٦٢"])
def test_malformed_region_codes_are_rejected_naming_the_field(code):
    with pytest.raises(InvalidRegionCode) as caught:
        Region.parse(code, field="wilayah")
    assert [v.field for v in caught.value.violations] == ["wilayah"]
    assert "62.03" in caught.value.violations[0].description


def test_print_ready_before_capture_keeps_both_facts():
    fact = domain.fold_recording(None, domain.RecordingPrintReady("R1", "62.03", "62.03.01.2001"))
    fact = domain.fold_recording(fact, domain.RecordingCaptured("R1", "62.03", "62.03.01.2001", None))
    assert fact.print_ready and not fact.duplicate


def test_duplicate_marks_the_recording_whatever_came_before():
    fact = domain.fold_recording(None, domain.RecordingCaptured("R1", "62.03", "62.03.01.2001", None))
    fact = domain.fold_recording(fact, domain.RecordingDuplicate("R1", "62.03", "62.03.01.2001"))
    assert fact.duplicate


def test_a_duplicate_judged_another_person_becomes_print_ready_and_counts_again():
    """Enrolment's adjudication (DIFFERENT_PERSON) sends RecordingPrintReady after the duplicate."""
    fact = domain.fold_recording(None, domain.RecordingCaptured("R1", "62.03", "62.03.01.2001", None))
    fact = domain.fold_recording(fact, domain.RecordingDuplicate("R1", "62.03", "62.03.01.2001"))
    fact = domain.fold_recording(fact, domain.RecordingPrintReady("R1", "62.03", "62.03.01.2001"))
    assert fact.print_ready and not fact.duplicate


def test_suket_superseded_before_its_issue_stays_superseded():
    fact = domain.fold_document(None, domain.SuketSuperseded("D1", "R1", "62.03.01.2001"))
    fact = domain.fold_document(fact, domain.SuketIssued("D1", "R1", "62.03", "62.03.01.2001", None))
    assert fact.kind is DocumentKind.SUKET and fact.superseded and fact.office_code == "62.03"


def test_stock_board_follows_receipts_consumption_and_stock_out():
    board, _ = domain.fold_stock(None, domain.StockReceived("62.03", 100, 100))
    board, _ = domain.fold_stock(board, domain.StockReserved("62.03", 99))
    board, _ = domain.fold_stock(board, domain.StockConsumed("62.03"))
    assert (board.available, board.received, board.consumed) == (99, 100, 1)
    assert domain.fold_stock(board, domain.StockOut("62.03"))[0].available == 0


def test_coverage_ratio_may_exceed_one_and_is_zero_without_target():
    assert CoverageRow("62.03.01", "x", 4, FactCounts(recorded=5)).coverage_ratio == 1.25
    assert CoverageRow("62.03.01", "x", 0, FactCounts(recorded=5)).coverage_ratio == 0.0


def test_region_target_is_its_own_else_the_sum_of_its_children():
    rows = domain.coverage_rows(
        {"62.03.01": ChildTargets("62.03.01", "Selat", own=10, children_sum=99),
         "62.03.02": ChildTargets("62.03.02", None, own=None, children_sum=7)},
        {"62.03.03": FactCounts(facts=1, recorded=1)})
    assert [(r.region_code, r.region_name, r.target) for r in rows] == [
        ("62.03.01", "Selat", 10), ("62.03.02", "62.03.02", 7), ("62.03.03", "62.03.03", 0)]


def test_total_uses_own_target_when_known_else_the_sum_of_children():
    children = {"62.03.01": ChildTargets("62.03.01", "A", own=10), "62.03.02": ChildTargets("62.03.02", "B", own=5)}
    summed = build_coverage(Region("62.03"), None, children, {}, FactCounts())
    own = build_coverage(Region("62.03"), RegionTarget("62.03", "Kapuas", 100), children, {}, FactCounts())
    assert (summed.total.target, summed.total.region_name) == (15, "62.03")
    assert (own.total.target, own.total.region_name) == (100, "Kapuas")


def test_nothing_known_under_a_region_gives_no_coverage():
    assert build_coverage(Region("62.03"), None, {}, {}, FactCounts()) is None
    assert build_coverage(Region("62.03"), None, {}, {}, FactCounts(facts=1)) is not None
