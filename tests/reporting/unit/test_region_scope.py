"""Region scope in the use cases: an officer reads the coverage of regions they see, and the
stock and procurement boards as inventory would show them."""
from __future__ import annotations

import pytest

from ektp.inventory.v1 import inventory_pb2
from reporting.errors import RegionNotFound
from reporting.service import home_region
from servicekit.access import Principal, Role
from servicekit.errors import PermissionDenied
from tests.reporting import builders as b

DESA = "62.03.01.1006"   # Murung Keramat, kecamatan Selat, Kapuas

LURAH = Principal("lurah.murung.keramat", Role.LURAH, DESA)
KECAMATAN = Principal("operator.selat", Role.OPERATOR_KECAMATAN, "62.03.01")
DINAS = Principal("dinas.kapuas", Role.OPERATOR_DINAS, "62.03")
AUDITOR = Principal("auditor.kapuas", Role.AUDITOR, "62.03")
PROVINCE = Principal("admin.kalteng", Role.ADMIN_PROVINSI, "62")
TANAH_BUMBU = Principal("dinas.tanah.bumbu", Role.OPERATOR_DINAS, "63.10")


@pytest.fixture
def kapuas(feeds):
    feeds.send("enrolment", b.target("62", 5000), b.target("62.03", 1000), b.target("62.03.01", 300),
               b.target("62.03.02", 200), b.target("62.11", 400), b.target("63.10", 700),
               b.captured(DESA), b.captured("62.03.02.2001"), b.captured("63.10.01.1007"))
    return feeds


@pytest.mark.parametrize(("actor", "visible", "refused"), [
    (LURAH, ["62", "62.03", "62.03.01"], ["62.03.02", "62.11", "63.10"]),
    (KECAMATAN, ["62", "62.03", "62.03.01"], ["62.03.02", "62.11", "63"]),
    (DINAS, ["62", "62.03", "62.03.01", "62.03.02"], ["62.11", "63", "63.10"]),
    (PROVINCE, ["62", "62.03", "62.11"], ["63", "63.10"]),
    (TANAH_BUMBU, ["63.10"], ["62", "62.03", "62.03.01"]),
], ids=["lurah", "kecamatan", "dinas", "province", "other-kabupaten"])
def test_coverage_is_served_for_regions_the_officer_sees_and_refused_elsewhere(service, kapuas, actor, visible,
                                                                               refused):
    for region in visible:
        assert service.get_coverage(actor, region).total.region_code == region
    for region in refused:
        with pytest.raises(PermissionDenied):
            service.get_coverage(actor, region)


def test_a_region_out_of_scope_is_refused_before_anything_tells_whether_it_has_data(service, kapuas):
    with pytest.raises(PermissionDenied):
        service.get_coverage(DINAS, "62.71")   # no data at all: still 403, never 404


@pytest.mark.parametrize(("actor", "home"), [
    (LURAH, "62.03"), (KECAMATAN, "62.03"), (DINAS, "62.03"), (AUDITOR, "62.03"), (PROVINCE, "62"),
    (TANAH_BUMBU, "63.10"),
])
def test_the_report_opens_on_the_officers_kabupaten_or_province(service, kapuas, actor, home):
    assert home_region(actor) == home
    assert service.coverage(actor).total.region_code == home


def test_a_service_identity_has_no_home_region():
    with pytest.raises(PermissionDenied):
        home_region(Principal.service("documents"))


def test_the_home_region_before_its_first_event_is_empty_but_asked_by_name_is_not_found(service):
    coverage = service.coverage(DINAS)
    assert (coverage.total.region_code, coverage.rows) == ("62.03", [])
    with pytest.raises(RegionNotFound):
        service.coverage(DINAS, "62.03")


def test_a_region_asked_for_on_the_page_is_scope_checked(service, kapuas):
    assert service.coverage(DINAS, "62.03.02").total.region_code == "62.03.02"
    with pytest.raises(PermissionDenied):
        service.coverage(DINAS, "63.10")


@pytest.fixture
def stock(feeds):
    feeds.send("inventory", b.stock_received("62.03", 500, 500), b.stock_received("62.11", 300, 300),
               b.stock_received("63.10", 200, 200),
               b.procurement("TENDER-2016", inventory_pb2.PROCUREMENT_STATUS_ANNOUNCED))
    return feeds


@pytest.mark.parametrize(("actor", "offices"), [
    (KECAMATAN, ["62.03"]), (DINAS, ["62.03"]), (AUDITOR, ["62.03"]), (PROVINCE, ["62.03", "62.11"]),
    (TANAH_BUMBU, ["63.10"]),
])
def test_the_stock_board_lists_only_the_offices_the_officer_sees(service, stock, actor, offices):
    assert [board.office_code for board in service.stock_board(actor).offices] == offices


def test_procurement_is_provincial_and_shown_to_every_staff_role(service, stock):
    for actor in (KECAMATAN, DINAS, AUDITOR, PROVINCE, TANAH_BUMBU):
        assert [p.package_id for p in service.stock_board(actor).procurements] == ["TENDER-2016"]


def test_a_lurah_sees_coverage_but_neither_stock_nor_procurement(service, stock, kapuas):
    assert service.coverage(LURAH).total.region_code == "62.03"
    assert not service.may_see_boards(LURAH)
    with pytest.raises(PermissionDenied):
        service.stock_board(LURAH)
