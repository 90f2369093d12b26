"""ektp_reporting_suket_expiring: Suket still valid, not replaced by a card, lapsing within 30 days."""
from __future__ import annotations

import datetime as dt

import pytest
from google.protobuf import timestamp_pb2
from prometheus_client import CollectorRegistry, generate_latest

from ektp.documents.v1 import documents_pb2
from reporting import db
from reporting.domain import suket_expiry_window
from reporting.metrics import register_business_metrics
from servicekit.db import create_engine
from tests.reporting import builders as b

NOW = dt.datetime(2016, 11, 7, 9, 30, tzinfo=dt.timezone.utc)
TODAY = NOW.date()
KAPUAS, TANAH_BUMBU, KOTIM = "62.03.01.2001", "63.10.01.1007", "62.02.01.2001"


@pytest.fixture
def engine(database_url):
    """The window is compared in SQL, so it runs on SQLite and on PostgreSQL."""
    engine = create_engine(database_url)
    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _suket(region_code: str, valid_until: dt.date, number: str | None = None) -> documents_pb2.SuketIssued:
    """A Suket valid through `valid_until`, stamped 00:00 UTC of that day the way documents sends it."""
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(dt.datetime.combine(valid_until, dt.time(), dt.timezone.utc))
    return documents_pb2.SuketIssued(document_id=b.document_id(), register_number=number or b.register_number(),
                                     office_code=region_code[:5], region_code=region_code, valid_until=stamp)


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_the_window_runs_from_today_to_thirty_days_ahead_in_utc():
    late_evening_wib = dt.datetime(2016, 11, 7, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    first, last = suket_expiry_window(late_evening_wib)
    assert (first, last) == (dt.datetime(2016, 11, 7, tzinfo=dt.timezone.utc),
                             dt.datetime(2016, 12, 7, tzinfo=dt.timezone.utc))


def test_suket_lapsing_within_thirty_days_are_counted_per_kabupaten(service, feeds):
    feeds.send("documents",
               _suket(KAPUAS, _days(0)),      # its last valid day is today
               _suket(KAPUAS, _days(12)),
               _suket(KAPUAS, _days(30)),     # the last day of the notice period
               _suket(KAPUAS, _days(31)),     # not yet
               _suket(KAPUAS, _days(-1)),     # lapsed yesterday: expired, no longer expiring
               _suket(TANAH_BUMBU, _days(5)))
    assert service.kabupaten_suket_expiring(NOW) == {"62.03": 3, "63.10": 1}


def test_a_suket_replaced_by_a_card_no_longer_counts(service, feeds):
    number = b.register_number()
    replaced = _suket(KAPUAS, _days(3), number)
    feeds.send("documents", replaced, _suket(KAPUAS, _days(4)))
    assert service.kabupaten_suket_expiring(NOW) == {"62.03": 2}
    feeds.send("documents", b.suket_superseded(replaced.document_id, number, KAPUAS), b.card_printed(number, KAPUAS))
    assert service.kabupaten_suket_expiring(NOW) == {"62.03": 1}


def test_the_gauge_reports_zero_for_kabupaten_without_an_expiring_suket(service, feeds):
    feeds.send("enrolment", b.target("62.02", 100), b.captured(KOTIM))
    feeds.send("documents", _suket(KAPUAS, _days(10)), _suket(TANAH_BUMBU, _days(90)))
    registry = CollectorRegistry()
    register_business_metrics(registry, service.kabupaten_coverage,
                              lambda: service.kabupaten_suket_expiring(NOW))
    text = generate_latest(registry).decode()
    assert 'ektp_reporting_suket_expiring{region_code="62.03"} 1.0' in text
    assert 'ektp_reporting_suket_expiring{region_code="63.10"} 0.0' in text
    assert 'ektp_reporting_suket_expiring{region_code="62.02"} 0.0' in text


def test_a_failing_read_leaves_the_gauge_empty_and_the_scrape_working(service):
    def unavailable():
        raise RuntimeError("database down")

    registry = CollectorRegistry()
    register_business_metrics(registry, service.kabupaten_coverage, unavailable)
    text = generate_latest(registry).decode()
    assert "# TYPE ektp_reporting_suket_expiring gauge" in text
    assert "ektp_reporting_suket_expiring{" not in text
