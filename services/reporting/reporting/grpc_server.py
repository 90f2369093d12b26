"""ReportingService over gRPC: protobuf <-> service translation only.

The gate (servicekit.grpcserver, with reporting.access.GRPC_POLICY) has admitted the caller;
the servicer hands that principal to the use case, which applies the region scope."""
from __future__ import annotations

import grpc

from ektp.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from reporting.domain import CoverageRow
from reporting.service import ReportingService
from servicekit.grpcserver import current_principal

SERVICE_NAME = reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"].full_name


def _row(row: CoverageRow) -> reporting_pb2.CoverageRow:
    return reporting_pb2.CoverageRow(
        region_code=row.region_code, region_name=row.region_name, target=row.target,
        recorded=row.counts.recorded, coverage_ratio=row.coverage_ratio,
        print_ready=row.counts.print_ready, cards_printed=row.counts.cards_printed,
        suket_outstanding=row.counts.suket_outstanding)


class ReportingServicer(reporting_pb2_grpc.ReportingServiceServicer):
    def __init__(self, service: ReportingService) -> None:
        self._service = service

    def GetCoverage(self, request: reporting_pb2.GetCoverageRequest,
                    context: grpc.ServicerContext) -> reporting_pb2.GetCoverageResponse:
        coverage = self._service.get_coverage(current_principal(), request.region_code)
        return reporting_pb2.GetCoverageResponse(total=_row(coverage.total),
                                                 rows=[_row(row) for row in coverage.rows])


def register(service: ReportingService):
    """The `register` callback for servicekit.grpcserver.create_server."""
    def add(server: grpc.Server) -> None:
        reporting_pb2_grpc.add_ReportingServiceServicer_to_server(ReportingServicer(service), server)
    return add
