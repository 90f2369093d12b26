"""clients.py against fake servers: identity, mapping, deadlines and error translation."""
import datetime as dt

import pytest

from documents.clients import EnrolmentClient, InventoryClient
from documents.domain import MaritalStatus, RegionNames, Religion
from documents.errors import OutOfStock, UpstreamError
from servicekit.clients import make_channel
from tests.documents import factories
from tests.documents.integration.conftest import make_identity


@pytest.fixture
def identity(tmp_path):
    return make_identity(tmp_path)


@pytest.fixture
def clients(fakes, identity):
    """Clients whose channel carries the documents service identity, as bootstrap builds them."""
    channel = make_channel(fakes.target, token=lambda: identity.service("documents"))
    yield EnrolmentClient(channel, deadline=2), InventoryClient(channel, deadline=2)
    channel.close()


def test_recording_is_mapped_to_the_domain_with_region_names(fakes, clients):
    number = factories.register_number(8)
    pb = factories.recording_pb(number)
    fakes.enrolment.recordings[number] = pb
    recording = clients[0].get_recording(number)
    assert recording.print_ready and recording.office_code == "62.03"
    assert recording.resident.nik == pb.resident.nik
    assert recording.resident.birth_date == dt.date.fromisoformat(pb.resident.birth_date)
    assert (recording.resident.religion, recording.resident.marital_status) == (Religion.ISLAM,
                                                                               MaritalStatus.MARRIED)
    assert recording.regions == RegionNames("Kalimantan Tengah", "Kabupaten Kapuas", "Selat", "Terusan Tengah")
    assert set(fakes.enrolment.callers) == {"service:documents"}


def test_unknown_recording_is_an_upstream_error_naming_the_code(clients):
    with pytest.raises(UpstreamError) as caught:
        clients[0].get_recording(factories.register_number(404))
    assert caught.value.code == "NOT_FOUND"


def test_out_of_stock_is_recognised_from_the_error_reason(clients):
    with pytest.raises(OutOfStock):
        clients[1].reserve_blank("62.03", "card:x")


def test_reserve_then_consume_uses_the_idempotency_key(fakes, clients):
    fakes.inventory.stock = ["0000000001", "0000000002"]
    serial = clients[1].reserve_blank("62.03", "card:a")
    assert clients[1].reserve_blank("62.03", "card:a") == serial == "0000000001"
    clients[1].consume_blank("card:a", serial)
    assert fakes.inventory.consumed == [serial]
    assert set(fakes.inventory.callers) == {"service:documents"}


@pytest.mark.parametrize(("token", "code"), [(None, "UNAUTHENTICATED"), ("reporting", "PERMISSION_DENIED"),
                                             ("forged", "UNAUTHENTICATED")])
def test_the_fakes_refuse_a_call_without_the_documents_identity(fakes, identity, token, code):
    """Otherwise the tests that pass through them would prove nothing about the identity."""
    source = {None: None, "reporting": lambda: identity.service("reporting"), "forged": identity.forged}[token]
    channel = make_channel(fakes.target, token=source)
    try:
        with pytest.raises(UpstreamError) as caught:
            InventoryClient(channel, deadline=2).reserve_blank("62.03", "card:x")
    finally:
        channel.close()
    assert caught.value.code == code and fakes.inventory.callers == []


def test_unreachable_inventory_is_an_upstream_error_never_out_of_stock():
    channel = make_channel("127.0.0.1:1", token=None)
    try:
        with pytest.raises(UpstreamError) as caught:
            InventoryClient(channel, deadline=1).reserve_blank("62.03", "card:x")
    finally:
        channel.close()
    assert not isinstance(caught.value, OutOfStock)
    assert caught.value.code in ("UNAVAILABLE", "DEADLINE_EXCEEDED")
