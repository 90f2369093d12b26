"""Rows without a name from the feed take it from enrolment's region master data."""
from __future__ import annotations

import functools

from reporting.service import ReportingService
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.errors import Unavailable
from tests.reporting import builders as b
from tests.reporting.unit.conftest import PROVINCE_ADMIN, Feeds

KEC = "62.03.01"


class Directory:
    def __init__(self, names=None, error=None):
        self.names_by_code, self.error, self.asked = names or {}, error, []

    def names(self, code):
        self.asked.append(code)
        if self.error:
            raise self.error
        return self.names_by_code


def _service(engine, directory):
    return ReportingService(functools.partial(ReportingUnitOfWork, engine), directory)


def test_unnamed_rows_are_named_from_the_region_master_data(engine):
    directory = Directory({KEC: "Selat", "62.03.01.1001": "Selat Hilir", "62.03.01.1002": "Selat Tengah"})
    service = _service(engine, directory)
    Feeds(service).send("enrolment", b.target("62.03.01.1002", 9, "Nama Dari Target"),
                        b.captured("62.03.01.1001"), b.captured("62.03.01.1002"))
    coverage = service.get_coverage(PROVINCE_ADMIN, KEC)
    assert [(r.region_code, r.region_name) for r in coverage.rows] == [
        ("62.03.01.1001", "Selat Hilir"), ("62.03.01.1002", "Nama Dari Target")]
    assert coverage.total.region_name == "Selat" and directory.asked == [KEC]


def test_rows_keep_their_codes_when_enrolment_is_unreachable(engine):
    service = _service(engine, Directory(error=Unavailable("enrolment unreachable")))
    Feeds(service).send("enrolment", b.captured("62.03.01.1001"))
    coverage = service.get_coverage(PROVINCE_ADMIN, KEC)
    assert [(r.region_code, r.region_name) for r in coverage.rows] == [("62.03.01.1001", "62.03.01.1001")]


def test_no_lookup_when_every_row_is_named(engine):
    directory = Directory()
    service = _service(engine, directory)
    Feeds(service).send("enrolment", b.target(KEC, 5, "Selat"), b.target("62.03.01.1001", 5, "Selat Hilir"),
                        b.captured("62.03.01.1001"))
    service.get_coverage(PROVINCE_ADMIN, KEC)
    assert directory.asked == []
