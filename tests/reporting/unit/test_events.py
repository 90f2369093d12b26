from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2
from reporting import domain
from reporting.events import decode
from tests.reporting import builders as b


def test_known_payloads_decode_to_domain_facts():
    number = b.register_number()
    event = decode("enrolment", b.envelope(b.captured("62.03.01.2001", number), 3, "e-3"))
    assert (event.feed, event.event_id, event.sequence) == ("enrolment", "e-3", 3)
    assert isinstance(event.fact, domain.RecordingCaptured)
    assert (event.fact.register_number, event.fact.region_code) == (number, "62.03.01.2001")
    assert event.fact.captured_at.tzinfo is not None


def test_a_payload_without_region_takes_the_envelope_region():
    envelope = b.envelope(b.card_printed(b.register_number(), ""), 1)
    envelope.region_code = "62.03.02.2003"
    assert decode("documents", envelope).fact.region_code == "62.03.02.2003"


def test_unknown_types_decode_without_a_fact():
    envelope = events_pb2.Event(sequence=9, event_id="e-9", type="ektp.documents.v1.ShortageLettersSent")
    assert decode("documents", envelope).fact is None


def test_procurement_status_names_map_and_unknown_values_read_as_unspecified():
    known = decode("inventory", b.envelope(b.procurement("P1", inventory_pb2.PROCUREMENT_STATUS_REVIEW), 1))
    future = decode("inventory", b.envelope(b.procurement("P1", 99), 2))
    assert known.fact.status is domain.ProcurementStatus.REVIEW
    assert future.fact.status is domain.ProcurementStatus.UNSPECIFIED
