"""The issue-7 RPCs over real gRPC, with events from fake producers, on SQLite and PostgreSQL:
each answers from the folded feeds, rejects bad input naming the field, and keeps to the
caller's region."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from ektp.inventory.v1 import inventory_pb2
from ektp.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from servicekit.access import Role
from servicekit.clients import make_channel
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting import events7 as e
from tests.reporting.integration.fakes import caught_up

KAB, KEC, DESA = "62.03", "62.03.01", "62.03.01.2001"
DAY = dt.date(2016, 11, 7)      # builders' capture day


@pytest.fixture
def kapuas(runtime, producers):
    """Kapuas: a target, three recordings (one under drive 5), a card, a Suket, stock, a tender."""
    printed, with_suket, by_drive = b.register_number(), b.register_number(), b.register_number()
    producers["enrolment"].feed.append(
        b.target(KEC, 10, "Selat"), b.target(DESA, 6, "Murung Keramat"),
        e.captured(DESA, printed, DAY, eligible_on=dt.date(1990, 1, 1)), b.print_ready(printed, DESA),
        e.captured(DESA, with_suket, DAY, eligible_on=dt.date(1990, 1, 1)), b.print_ready(with_suket, DESA),
        e.captured(DESA, by_drive, DAY, drive_id=5, eligible_on=dt.date(1990, 1, 1)),
        e.drive_closed(5, KAB, [DESA], "2016-11-07", recorded=1))
    producers["documents"].feed.append(b.card_printed(printed, DESA),
                                       e.suket(with_suket, DESA, "S-1", dt.date(2030, 1, 1)))
    producers["inventory"].feed.append(b.stock_received(KAB, 100, 100),
                                       b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_POSTPONED,
                                                     "reviu BPKP"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the Kapuas events")


def _violations(err) -> list[str]:
    fields = []
    for detail in rpc_status.from_call(err).details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations]
    return fields


def _error(call, request) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call(request, timeout=5)
    return caught.value


def test_coverage_series_counts_per_day_against_the_target(stub, kapuas):
    response = stub.GetCoverageSeries(reporting_pb2.GetCoverageSeriesRequest(
        region_code=KEC, from_day="2016-11-06", to_day="2016-11-08"), timeout=5)
    assert (response.region_code, response.target) == (KEC, 10)
    assert [(p.day, p.recorded, p.cumulative) for p in response.points] == [
        ("2016-11-06", 0, 0), ("2016-11-07", 3, 3), ("2016-11-08", 0, 3)]
    assert response.points[-1].coverage_ratio == pytest.approx(0.3)


def test_funnel_has_every_stage_and_the_card_debt(stub, kapuas):
    response = stub.GetFunnel(reporting_pb2.GetFunnelRequest(region_code=KEC), timeout=5)
    total = response.total
    assert (total.target, total.recorded, total.print_ready, total.printed, total.suket_outstanding,
            total.print_backlog) == (10, 3, 2, 1, 1, 1)
    assert [row.region_code for row in response.rows] == [DESA]
    assert response.backlog_clear_days == -1.0      # nothing printed in the last 30 days (it is 2016 data)


def test_stock_board_lists_offices_and_procurement(stub, kapuas):
    response = stub.GetStockBoard(reporting_pb2.GetStockBoardRequest(), timeout=5)
    [office] = response.offices
    assert (office.office_code, office.on_hand, office.received, office.days_of_cover, office.out_of_stock) == (
        KAB, 100, 100, -1.0, False)
    [package] = response.procurements
    assert (package.package_id, package.status, package.reason, package.expected_arrival) == (
        "TENDER-2016", "POSTPONED", "reviu BPKP", "")


def test_drive_report_names_the_closed_drive_and_its_desa(stub, kapuas):
    response = stub.GetDriveReport(reporting_pb2.GetDriveReportRequest(region_code=KAB), timeout=5)
    [drive] = response.drives
    assert (drive.drive_id, drive.planned_for, list(drive.village_codes), drive.recorded, drive.closed) == (
        5, "2016-11-07", [DESA], 1, True)
    assert drive.coverage_gained == pytest.approx(1 / 6)
    assert [(d.day, d.recorded) for d in response.days] == [("2016-11-07", 1)]


def test_voter_readiness_defaults_to_pilkada_2024(stub, kapuas):
    response = stub.GetVoterReadiness(reporting_pb2.GetVoterReadinessRequest(region_code=KEC), timeout=5)
    assert response.election_date == "2024-11-27"
    [row] = response.rows
    # target 6; 3 recorded and eligible; ready: the card and the Suket valid until 2030.
    assert (row.region_code, row.eligible, row.not_recorded, row.recorded_without_document, row.ready) == (
        DESA, 6, 3, 1, 2)


@pytest.mark.parametrize(("method", "request_", "field"), [
    ("GetCoverageSeries", reporting_pb2.GetCoverageSeriesRequest(region_code="62.3"), "region_code"),
    ("GetCoverageSeries", reporting_pb2.GetCoverageSeriesRequest(region_code=KEC, from_day="7-11-2016"), "from_day"),
    ("GetCoverageSeries", reporting_pb2.GetCoverageSeriesRequest(region_code=KEC, to_day="2016-02-30"), "to_day"),
    ("GetCoverageSeries", reporting_pb2.GetCoverageSeriesRequest(region_code=KEC, from_day="2016-12-01",
                                                                 to_day="2016-11-01"), "from_day"),
    ("GetFunnel", reporting_pb2.GetFunnelRequest(region_code="Kapuas"), "region_code"),
    ("GetStockBoard", reporting_pb2.GetStockBoardRequest(region_code="62.03.01.2001"), "region_code"),
    ("GetDriveReport", reporting_pb2.GetDriveReportRequest(region_code="62-03"), "region_code"),
    ("GetVoterReadiness", reporting_pb2.GetVoterReadinessRequest(region_code=KEC, election_date="27/11/2024"),
     "election_date"),
])
def test_bad_input_is_invalid_argument_naming_the_field(stub, method, request_, field):
    err = _error(getattr(stub, method), request_)
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _violations(err) == [field]


@pytest.mark.parametrize(("method", "request_"), [
    ("GetCoverageSeries", reporting_pb2.GetCoverageSeriesRequest(region_code="63.10")),
    ("GetFunnel", reporting_pb2.GetFunnelRequest(region_code="63.10")),
    ("GetStockBoard", reporting_pb2.GetStockBoardRequest(region_code="63.10")),
    ("GetDriveReport", reporting_pb2.GetDriveReportRequest(region_code="63.10")),
    ("GetVoterReadiness", reporting_pb2.GetVoterReadinessRequest(region_code="63.10")),
])
def test_a_region_outside_the_callers_scope_is_permission_denied(stub, method, request_):
    assert _error(getattr(stub, method), request_).code() == grpc.StatusCode.PERMISSION_DENIED


def test_an_empty_region_is_the_callers_home_and_the_stock_board_keeps_to_it(runtime, identity, kapuas, producers):
    producers["inventory"].feed.append(b.stock_received("63.10", 50, 50))
    wait_for(lambda: caught_up(runtime.engine, producers), message="Tanah Bumbu's stock")
    token = identity.officer(Role.OPERATOR_DINAS, KAB)
    channel = make_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=lambda: token)
    try:
        stub = reporting_pb2_grpc.ReportingServiceStub(channel)
        assert [o.office_code for o in stub.GetStockBoard(reporting_pb2.GetStockBoardRequest(), timeout=5).offices] == [
            KAB]
        assert stub.GetFunnel(reporting_pb2.GetFunnelRequest(), timeout=5).total.region_code == KAB
    finally:
        channel.close()
