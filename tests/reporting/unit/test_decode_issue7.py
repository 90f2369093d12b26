"""Every payload issue 7 folds decodes to its domain fact; a bad date in a payload does not
stop the feed."""
from __future__ import annotations

import datetime as dt

import pytest

from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from reporting import domain
from reporting.events import decode
from tests.reporting import builders as b
from tests.reporting import events7 as e

DESA = "62.03.01.2001"


def _fact(feed, payload):
    return decode(feed, b.envelope(payload, 1)).fact


@pytest.mark.parametrize(("feed", "payload", "expected"), [
    ("enrolment", e.failed("R1", DESA), domain.RecordingFailed("R1", "62.03", DESA)),
    ("enrolment", e.moved_in("R2", DESA, "R1", "62.03.02.2001"), domain.ResidentChanged("R2", "62.03", DESA, "R1")),
    ("enrolment", e.adjudicated("R1", DESA, enrolment_pb2.ADJUDICATION_DECISION_FRAUD),
     domain.AdjudicationResolved("R1", "62.03", DESA, domain.Adjudication.FRAUD)),
    ("enrolment", e.drive_closed(7, "62.03", [DESA], "2016-11-07", recorded=3),
     domain.DriveClosed(7, "62.03", (DESA,), dt.date(2016, 11, 7), 10, 3, 0, 0)),
    ("documents", e.expired("D1", "R1", DESA), domain.SuketExpired("D1", "R1", DESA)),
    ("documents", e.voided("D1", "R1", DESA), domain.DocumentVoided("D1", "R1", DESA)),
    ("documents", e.card_spoiled("D1", "R1", DESA), domain.CardSpoiled("D1", "R1", "62.03", DESA)),
    ("documents", e.dispatched("B1", [("D1", "R1", DESA)]),
     domain.BatchDispatched("B1", (domain.CardDispatched("D1", "R1", DESA, "B1"),))),
    ("documents", e.handed_over("D1", "R1", DESA, "B1"), domain.CardHandedOver("D1", "R1", DESA, "B1")),
    ("inventory", e.spoiled("62.03", 2, 8), domain.StockSpoiled("62.03", 2, 8)),
    ("inventory", inventory_pb2.StockLost(office_code="62.03", quantity=1, available=7), domain.StockSpoiled("62.03", 1, 7)),
    ("inventory", inventory_pb2.TransferReceived(office_code="62.03", from_office="62.11", quantity=50, available=57),
     domain.StockReceived("62.03", 50, 57)),
    ("inventory", inventory_pb2.StockLow(office_code="62.03", available=5, threshold=10), domain.StockLevel("62.03", 5)),
    ("inventory", inventory_pb2.StockTransferred(office_code="62.03", to_office="62.11", quantity=5, available=2),
     domain.StockLevel("62.03", 2)),
    ("inventory", inventory_pb2.StockCounted(office_code="62.03", counted=3, available=3), domain.StockLevel("62.03", 3)),
    ("inventory", inventory_pb2.StockReleased(office_code="62.03", available=4), domain.StockReleased("62.03", 4)),
    ("inventory", e.delivery("P1", 100, 300), domain.DeliveryReceived("P1", 100, 300)),
])
def test_each_payload_decodes_to_its_fact(feed, payload, expected):
    assert _fact(feed, payload) == expected


def test_recording_captured_carries_the_voter_date_and_the_drive_and_a_bad_date_reads_as_unknown():
    fact = _fact("enrolment", e.captured(DESA, "R1", dt.date(2016, 11, 7), eligible_on=dt.date(2007, 5, 17),
                                         drive_id=9))
    assert (fact.voter_eligible_on, fact.drive_id) == (dt.date(2007, 5, 17), 9)
    bad = e.captured(DESA, "R2", dt.date(2016, 11, 7))
    bad.voter_eligible_on = "17-05-2007"
    assert _fact("enrolment", bad).voter_eligible_on is None


def test_the_envelope_time_dates_what_the_payload_does_not():
    event = decode("documents", e.dated(b.card_printed("R1", DESA), 1, e.at(dt.date(2016, 11, 30), hour=20)))
    assert domain.wib_day(event.occurred_at) == dt.date(2016, 12, 1)     # 20:00 UTC is 03:00 WIB next day


def test_types_reporting_does_not_fold_decode_without_a_fact():
    for feed, payload in (("documents", documents_pb2.PrintJobQueued(job_id="J1", register_number="R1")),
                          ("documents", documents_pb2.BatchReceived(batch_id="B1")),
                          ("enrolment", enrolment_pb2.RegionsImported(total=1))):
        assert _fact(feed, payload) is None
