"""RecordingCaptured carries what reporting's voter readiness and drive report need."""
import datetime as dt

import pytest

from ektp.enrolment.v1 import enrolment_pb2
from enrolment import db, domain, events
from enrolment.metrics import EnrolmentMetrics
from enrolment.service import EnrolmentService
from enrolment.unit_of_work import unit_of_work_factory
from servicekit.db import create_engine
from servicekit.outbox import read_events
from tests.enrolment.factories import CLI, NOW, TEST_REGIONS, personal_data, request, resident

Marital = domain.MaritalStatus


@pytest.fixture
def engine(sqlite_url):
    engine = create_engine(sqlite_url)
    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def service(engine, tmp_path):
    uow = unit_of_work_factory(engine, personal_data=personal_data(tmp_path / "keys"))
    service = EnrolmentService(uow, metrics=EnrolmentMetrics(), clock=lambda: NOW)
    service.import_regions(TEST_REGIONS)
    return service


def captured_payloads(engine) -> list[enrolment_pb2.RecordingCaptured]:
    payloads = []
    for event in read_events(engine, 0, 1000):
        if event.type == enrolment_pb2.RecordingCaptured.DESCRIPTOR.full_name:
            message = enrolment_pb2.RecordingCaptured()
            message.ParseFromString(event.payload)
            payloads.append(message)
    return payloads


def test_a_single_resident_may_vote_from_the_17th_birthday():
    assert domain.voter_eligible_on(resident(birth=dt.date(1990, 5, 17))) == dt.date(2007, 5, 17)


def test_an_ever_married_resident_may_vote_from_birth():
    for status in (Marital.MARRIED, Marital.DIVORCED, Marital.WIDOWED):
        assert domain.voter_eligible_on(resident(birth=dt.date(2010, 1, 2), marital_status=status)) == dt.date(2010, 1, 2)


def test_born_on_29_february_may_vote_from_1_march_in_a_common_year():
    assert domain.voter_eligible_on(resident(birth=dt.date(2008, 2, 29))) == dt.date(2025, 3, 1)


def test_recording_captured_event_carries_the_voter_eligible_date_and_no_drive_at_the_office(service, engine):
    service.record_resident(CLI, request(birth=dt.date(1990, 5, 17)))
    (payload,) = captured_payloads(engine)
    assert (payload.voter_eligible_on, payload.drive_id) == ("2007-05-17", 0)


def test_recording_captured_payload_carries_the_drive():
    event = domain.RecordingCaptured("6203-20261128-000001", "62.03", "62.03.01.2001", NOW,
                                     dt.date(2007, 5, 17), drive_id=7)
    message = enrolment_pb2.RecordingCaptured()
    message.ParseFromString(events.encode(event).payload)
    assert (message.drive_id, message.voter_eligible_on) == (7, "2007-05-17")
