"""ReportingService over gRPC: protobuf <-> service translation only.

The gate (servicekit.grpcserver, with reporting.access.GRPC_POLICY) has admitted the caller;
the servicer hands that principal to the use case, which applies the region scope. Dates
travel as ISO strings; an empty one takes the use case's default, and an empty region code
the caller's home region (GetStockBoard: every office the caller sees)."""
from __future__ import annotations

import datetime as dt

import grpc

from ektp.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from reporting import domain
from reporting.domain import CoverageRow, parse_day
from reporting.service import ReportingService
from servicekit.grpcserver import current_principal

SERVICE_NAME = reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"].full_name


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _row(row: CoverageRow) -> reporting_pb2.CoverageRow:
    return reporting_pb2.CoverageRow(
        region_code=row.region_code, region_name=row.region_name, target=row.target,
        recorded=row.counts.recorded, coverage_ratio=row.coverage_ratio,
        print_ready=row.counts.print_ready, cards_printed=row.counts.cards_printed,
        suket_outstanding=row.counts.suket_outstanding)


def _funnel_row(row: domain.FunnelRow) -> reporting_pb2.FunnelRow:
    return reporting_pb2.FunnelRow(**vars(row))


def _voter_row(row: domain.VoterReadinessRow) -> reporting_pb2.VoterReadinessRow:
    return reporting_pb2.VoterReadinessRow(**vars(row))


def _stock_row(row: domain.StockRow) -> reporting_pb2.StockRow:
    return reporting_pb2.StockRow(**vars(row))


def _procurement_row(row: domain.ProcurementRow) -> reporting_pb2.ProcurementRow:
    return reporting_pb2.ProcurementRow(
        package_id=row.package_id, fiscal_year=row.fiscal_year, quantity=row.quantity, status=row.status.value,
        reason=row.reason, delivered=row.delivered, expected_arrival=_iso(row.expected_arrival))


def _drive_row(row: domain.DriveRow) -> reporting_pb2.DriveRow:
    return reporting_pb2.DriveRow(
        drive_id=row.drive_id, office_code=row.office_code, planned_for=_iso(row.planned_for),
        village_codes=list(row.village_codes), recorded=row.recorded, failed=row.failed,
        duplicates=row.duplicates, coverage_gained=row.coverage_gained, closed=row.closed)


class ReportingServicer(reporting_pb2_grpc.ReportingServiceServicer):
    def __init__(self, service: ReportingService) -> None:
        self._service = service

    def GetCoverage(self, request: reporting_pb2.GetCoverageRequest,
                    context: grpc.ServicerContext) -> reporting_pb2.GetCoverageResponse:
        coverage = self._service.get_coverage(current_principal(), request.region_code)
        return reporting_pb2.GetCoverageResponse(total=_row(coverage.total),
                                                 rows=[_row(row) for row in coverage.rows])

    def GetCoverageSeries(self, request: reporting_pb2.GetCoverageSeriesRequest,
                          context: grpc.ServicerContext) -> reporting_pb2.GetCoverageSeriesResponse:
        series = self._service.coverage_series(
            current_principal(), request.region_code, parse_day(request.from_day, "from_day"),
            parse_day(request.to_day, "to_day"), field="region_code")
        return reporting_pb2.GetCoverageSeriesResponse(
            region_code=series.region_code, target=series.target,
            points=[reporting_pb2.CoverageSeriesPoint(day=p.day.isoformat(), recorded=p.recorded,
                                                      cumulative=p.cumulative, coverage_ratio=p.coverage_ratio)
                    for p in series.points])

    def GetFunnel(self, request: reporting_pb2.GetFunnelRequest,
                  context: grpc.ServicerContext) -> reporting_pb2.GetFunnelResponse:
        funnel = self._service.funnel(current_principal(), request.region_code, field="region_code")
        return reporting_pb2.GetFunnelResponse(
            total=_funnel_row(funnel.total), rows=[_funnel_row(row) for row in funnel.rows],
            backlog_clear_days=funnel.backlog_clear_days, print_rate_per_day=funnel.print_rate_per_day)

    def GetStockBoard(self, request: reporting_pb2.GetStockBoardRequest,
                      context: grpc.ServicerContext) -> reporting_pb2.GetStockBoardResponse:
        board = self._service.stock_board(current_principal(), request.region_code or None, field="region_code")
        return reporting_pb2.GetStockBoardResponse(offices=[_stock_row(row) for row in board.offices],
                                                   procurements=[_procurement_row(row) for row in board.procurements])

    def GetDriveReport(self, request: reporting_pb2.GetDriveReportRequest,
                       context: grpc.ServicerContext) -> reporting_pb2.GetDriveReportResponse:
        report = self._service.drive_report(current_principal(), request.region_code, field="region_code")
        return reporting_pb2.GetDriveReportResponse(
            drives=[_drive_row(row) for row in report.drives],
            days=[reporting_pb2.DriveDay(day=d.day.isoformat(), recorded=d.recorded) for d in report.days])

    def GetVoterReadiness(self, request: reporting_pb2.GetVoterReadinessRequest,
                          context: grpc.ServicerContext) -> reporting_pb2.GetVoterReadinessResponse:
        election = parse_day(request.election_date, "election_date") or domain.PILKADA_2024
        readiness = self._service.voter_readiness(current_principal(), request.region_code, election,
                                                  field="region_code")
        return reporting_pb2.GetVoterReadinessResponse(
            election_date=readiness.election_date.isoformat(), total=_voter_row(readiness.total),
            rows=[_voter_row(row) for row in readiness.rows])


def register(service: ReportingService):
    """The `register` callback for servicekit.grpcserver.create_server."""
    def add(server: grpc.Server) -> None:
        reporting_pb2_grpc.add_ReportingServiceServicer_to_server(ReportingServicer(service), server)
    return add
