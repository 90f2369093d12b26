"""A fake ReportingService for the page tests: canned read models of Kab. Kapuas (synthetic
figures), answering with the same types, scope checks and errors as the real use cases."""
from __future__ import annotations

import datetime as dt

from reporting.domain import (
    PILKADA_2024,
    Coverage,
    CoverageRow,
    CoverageSeries,
    CoverageSeriesPoint,
    DriveDay,
    DriveReport,
    DriveRow,
    FactCounts,
    Funnel,
    FunnelRow,
    ProcurementRow,
    ProcurementStatus,
    StockBoard,
    StockRow,
    VoterReadiness,
    VoterReadinessRow,
)
from reporting.errors import InvalidRegionCode, RegionNotFound
from reporting.service import BOARD_ROLES, home_region
from servicekit.access import Principal
from servicekit.errors import FieldViolation, InvalidArgument

KAPUAS, SELAT, HILIR, DESA = "62.03", "62.03.01", "62.03.02", "62.03.01.2001"
NAMES = {"62": "Kalimantan Tengah", KAPUAS: "Kapuas", SELAT: "Selat", HILIR: "Kapuas Hilir", DESA: "Pulau Telo",
         "62.03.01.1006": "Murung Keramat"}
# (target, recorded, print_ready, printed, suket outstanding)
FIGURES = {SELAT: (400, 500, 450, 300, 120), HILIR: (1000, 500, 400, 350, 40),
           DESA: (100, 130, 120, 100, 10), "62.03.01.1006": (300, 370, 330, 200, 110)}
CHILDREN = {"62": [KAPUAS], KAPUAS: [SELAT, HILIR], SELAT: ["62.03.01.1006", DESA]}


def _figures(code: str) -> tuple[int, ...]:
    if code in FIGURES:
        return FIGURES[code]
    parts = [_figures(child) for child in CHILDREN.get(code, [])]
    return tuple(sum(values) for values in zip(*parts, strict=True)) if parts else (0, 0, 0, 0, 0)


def coverage_row(code: str) -> CoverageRow:
    target, recorded, ready, printed, suket = _figures(code)
    counts = FactCounts(facts=recorded, recorded=recorded, print_ready=ready, print_ready_backlog=ready - printed,
                        cards_printed=printed, suket_outstanding=suket)
    return CoverageRow(code, NAMES[code], target, counts)


class FakeReportingService:
    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.backlog_clear_days = 12.5

    def _region(self, actor: Principal, region: str | None, field: str) -> str:
        code = region or home_region(actor)
        if code not in NAMES:
            if len(code) not in (2, 5, 8, 13) or not code.replace(".", "").isdigit():
                raise InvalidRegionCode(field)
            raise RegionNotFound()
        actor.require_view(code)
        return code

    def coverage(self, actor, region=None, *, field="wilayah") -> Coverage:
        code = self._region(actor, region, field)
        return Coverage(coverage_row(code), [coverage_row(child) for child in CHILDREN.get(code, [])])

    def coverage_series(self, actor, region=None, from_day=None, to_day=None, *, field="wilayah",
                        day_fields=("from_day", "to_day")) -> CoverageSeries:
        code = self._region(actor, region, field)
        self.calls.append(("coverage_series", code, from_day, to_day))
        to_day = to_day or dt.date(2016, 11, 10)
        from_day = from_day or to_day - dt.timedelta(days=9)
        if from_day > to_day:
            raise InvalidArgument("Rentang tanggal tidak valid.", violations=[
                FieldViolation(day_fields[0], "Tanggal awal harus sebelum atau sama dengan tanggal akhir.")])
        target = coverage_row(code).target
        points, cumulative = [], 800
        for offset in range((to_day - from_day).days + 1):
            recorded = 10 + offset * 3
            cumulative += recorded
            points.append(CoverageSeriesPoint(from_day + dt.timedelta(days=offset), recorded, cumulative,
                                              cumulative / target if target else 0.0))
        return CoverageSeries(code, target, points, NAMES[code])

    def funnel(self, actor, region=None, *, field="wilayah") -> Funnel:
        code = self._region(actor, region, field)

        def row(child: str) -> FunnelRow:
            target, recorded, ready, printed, suket = _figures(child)
            return FunnelRow(child, NAMES[child], target, recorded, ready, printed, printed - 50, printed - 80,
                             suket, suket // 4, ready - printed)
        return Funnel(row(code), [row(child) for child in CHILDREN.get(code, [])],
                      self.backlog_clear_days, 16.0)

    def stock_board(self, actor, region=None, *, field="wilayah") -> StockBoard:
        actor.require_role(*BOARD_ROLES)
        if region:
            self._region(actor, region, field)
        return StockBoard(
            [StockRow(KAPUAS, "Disdukcapil Kapuas", 0, 1500, 1500, 12, 0.0, 21, True),
             StockRow("62.11", "Disdukcapil Gunung Mas", 820, 1000, 180, 3, 41.0, 0, False)],
            [ProcurementRow("TENDER-2016", 2016, 8_000_000, ProcurementStatus.POSTPONED, "reviu BPKP", 0, None),
             ProcurementRow("TENDER-2017", 2017, 7_000_000, ProcurementStatus.DELIVERY, "", 2_500_000,
                            dt.date(2017, 3, 15))])

    def drive_report(self, actor, region=None, *, field="wilayah") -> DriveReport:
        actor.require_role(*BOARD_ROLES)
        self._region(actor, region, field)
        return DriveReport(
            [DriveRow(7, KAPUAS, dt.date(2016, 11, 8), (DESA,), 42, 3, 1, 0.42, True),
             DriveRow(8, KAPUAS, dt.date(2016, 11, 9), ("62.03.01.1006",), 18, 0, 0, 0.06, False)],
            [DriveDay(dt.date(2016, 11, 8), 42), DriveDay(dt.date(2016, 11, 9), 18)])

    def voter_readiness(self, actor, region=None, election_date=PILKADA_2024, *, field="wilayah") -> VoterReadiness:
        code = self._region(actor, region, field)
        self.calls.append(("voter_readiness", code, election_date))

        def row(child: str) -> VoterReadinessRow:
            target, recorded, _, printed, suket = _figures(child)
            return VoterReadinessRow(child, NAMES[child], target + 20, max(0, target + 20 - recorded),
                                     recorded - printed - suket, printed + suket)
        return VoterReadiness(election_date, row(code), [row(child) for child in CHILDREN.get(code, [])])

    def may_see_boards(self, actor) -> bool:
        return actor.role in BOARD_ROLES
