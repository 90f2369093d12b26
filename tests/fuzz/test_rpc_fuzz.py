"""Every RPC of the four services, fuzzed over real gRPC with messages built from its descriptor.

Whatever the request holds, the answer is a status a client can act on (OK or a client
error such as INVALID_ARGUMENT / FAILED_PRECONDITION / NOT_FOUND / PERMISSION_DENIED), never
INTERNAL, UNKNOWN, DATA_LOSS or UNIMPLEMENTED, and a refused request stores nothing: the row
count of every table of the service's database (outbox, inbox and audit log included) is the
same before and after it. One example in ten goes without a token and must be refused as
UNAUTHENTICATED (public RPCs excepted). The RPCs are enumerated from the service descriptors,
so a new RPC is fuzzed without a change here.
"""
from __future__ import annotations

from dataclasses import dataclass

import grpc
import pytest
from google.protobuf import descriptor_pb2, message_factory, struct_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from ektp.inventory.v1 import inventory_pb2
from ektp.reporting.v1 import reporting_pb2
from tests.fuzz.strategies import EXPLORE, Pool, messages
from tests.identity import bearer
from tests.inventory.helpers import error_details

EXAMPLES = 200
CODES = grpc.StatusCode
ALLOWED = {CODES.OK, CODES.INVALID_ARGUMENT, CODES.FAILED_PRECONDITION, CODES.NOT_FOUND, CODES.ALREADY_EXISTS,
           CODES.PERMISSION_DENIED, CODES.UNAUTHENTICATED, CODES.OUT_OF_RANGE, CODES.RESOURCE_EXHAUSTED}
# A stream that is still open when the client stops reading (a follower waiting for events).
STILL_OPEN = {CODES.DEADLINE_EXCEEDED, CODES.CANCELLED}
UNARY_SECONDS = 10.0
STREAM_SECONDS = 0.15      # a follow stream waits for events that never come: cut it short
BIDI_SECONDS = 5.0
STREAM_ITEMS = 5
MODULES = {"enrolment": enrolment_pb2, "inventory": inventory_pb2, "documents": documents_pb2,
           "reporting": reporting_pb2}
EXPECTED_RPCS = {"enrolment": 15, "inventory": 28, "documents": 22, "reporting": 6}


@dataclass(frozen=True)
class Rpc:
    service: str
    method: object   # MethodDescriptor

    @property
    def id(self) -> str:
        return f"{self.service}.{self.method.name}"

    @property
    def path(self) -> str:
        return f"/{self.method.containing_service.full_name}/{self.method.name}"


def all_rpcs() -> list[Rpc]:
    return [Rpc(name, method) for name, module in MODULES.items()
            for service in module.DESCRIPTOR.services_by_name.values() for method in service.methods]


RPCS = all_rpcs()


def test_every_rpc_of_every_service_is_fuzzed():
    """A new RPC joins the fuzzing by itself; this count only says the enumeration is whole."""
    counted = {name: sum(1 for rpc in RPCS if rpc.service == name) for name in MODULES}
    assert counted == EXPECTED_RPCS
    assert len({rpc.id for rpc in RPCS}) == sum(EXPECTED_RPCS.values()) == 71


def test_every_rpc_has_an_access_rule(world):
    """Otherwise the fuzzer would only ever see PERMISSION_DENIED (NO_ACCESS_RULE) for it."""
    missing = [rpc.id for rpc in RPCS if world.services[rpc.service].grpc_policy.rule(rpc.method.name) is None]
    assert missing == []


@pytest.mark.parametrize("descriptor", [struct_pb2.Struct.DESCRIPTOR, struct_pb2.Value.DESCRIPTOR,
                                        descriptor_pb2.UninterpretedOption.DESCRIPTOR],
                         ids=lambda d: d.full_name)
def test_the_strategy_builds_maps_oneofs_and_required_fields(descriptor):
    """Today's protos have no map, oneof or proto2 field; these types have, so a proto that
    adds one is still fuzzed with messages that serialise."""
    kinds = set()

    @settings(max_examples=100, deadline=None, derandomize=not EXPLORE, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(message=messages(descriptor, Pool()))
    def check(message):
        data = message.SerializeToString()
        assert type(message).FromString(data) == message
        kinds.update(field.name for field, _ in message.ListFields())
        if descriptor.oneofs:
            for oneof in descriptor.oneofs:
                assert sum(message.HasField(f.name) for f in oneof.fields) <= 1

    check()
    assert kinds, "the strategy never set a field"


def _call(world, rpc: Rpc, request, token: str | None) -> tuple[grpc.StatusCode, bool]:
    """(status code, whether the stream was cut while still open)."""
    service = world.services[rpc.service]
    method = rpc.method
    request_cls = message_factory.GetMessageClass(method.input_type)
    response_cls = message_factory.GetMessageClass(method.output_type)
    kind = ("stream" if method.client_streaming else "unary") + "_" + (
        "stream" if method.server_streaming else "unary")
    call = getattr(service.channel, kind)(rpc.path, request_serializer=request_cls.SerializeToString,
                                          response_deserializer=response_cls.FromString)
    metadata = bearer(token) if token else ()
    try:
        if not method.server_streaming:
            world.pool.harvest(call(request, metadata=metadata, timeout=UNARY_SECONDS))
            return CODES.OK, False
        # Without a token the refusal comes before any stream opens: no need to cut it short.
        seconds = BIDI_SECONDS if method.client_streaming else STREAM_SECONDS if token else UNARY_SECONDS
        stream = call(iter(request) if method.client_streaming else request, metadata=metadata, timeout=seconds)
        for count, response in enumerate(stream, start=1):
            world.pool.harvest(response)
            if count >= STREAM_ITEMS:
                stream.cancel()
                return CODES.OK, True
        return CODES.OK, False
    except grpc.RpcError as err:
        code = err.code()
        return code, bool(method.server_streaming and code in STILL_OPEN)


def request_strategy(world, rpc: Rpc):
    one = messages(rpc.method.input_type, world.pool)
    return st.lists(one, max_size=3) if rpc.method.client_streaming else one


@pytest.mark.parametrize("rpc", RPCS, ids=lambda rpc: rpc.id)
def test_fuzzed_requests_get_a_client_status_and_refused_ones_store_nothing(world, rpc):
    service = world.services[rpc.service]
    rule = service.grpc_policy.rule(rpc.method.name)
    token = service.token(rule)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not EXPLORE, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(request=request_strategy(world, rpc), anonymous=st.integers(0, 9).map(lambda n: n == 0))
    def check(request, anonymous):
        before = service.rows()
        code, still_open = _call(world, rpc, request, None if anonymous else token)
        assert code in ALLOWED or still_open, f"{rpc.id} answered {code.name} to {request}"
        if anonymous and not rule.public:
            assert code == CODES.UNAUTHENTICATED, f"{rpc.id} without a token answered {code.name}"
        if code != CODES.OK and not still_open:
            assert service.rows() == before, f"{rpc.id} refused with {code.name} but stored rows"

    check()


# ---- what the fuzzer found, kept as explicit cases ------------------------------------------

BAD_TIME = {"seconds": 253_402_300_800}   # 10000-01-01: past the range a Timestamp may hold
BAD_NANOS = {"nanos": 1_000_000_000}
REGRESSIONS = [
    # A counted range with empty serials: its total was computed before the range was checked.
    ("inventory.RecordCount", inventory_pb2.RecordCountRequest(
        office_code="62.03", counted=[inventory_pb2.SerialRange()]), "counted"),
    ("inventory.RecordCount", inventory_pb2.RecordCountRequest(
        office_code="62.03", counted=[inventory_pb2.SerialRange(first_serial="12", last_serial="")]), "counted"),
    # Timestamps out of range: ToDatetime raised ValueError (INTERNAL).
    ("inventory.CreateProcurement", inventory_pb2.CreateProcurementRequest(
        fiscal_year=2027, name="Pengadaan blanko uji", quantity=1000, estimated_value_idr=10_000_000,
        channel=inventory_pb2.PROCUREMENT_CHANNEL_TENDER, planned_at=BAD_TIME), "planned_at"),
    ("inventory.CreateProcurement", inventory_pb2.CreateProcurementRequest(
        fiscal_year=2027, name="Pengadaan blanko uji", quantity=1000, estimated_value_idr=10_000_000,
        channel=inventory_pb2.PROCUREMENT_CHANNEL_TENDER, planned_at=BAD_NANOS), "planned_at"),
    ("inventory.ChangeProcurementStatus", inventory_pb2.ChangeProcurementStatusRequest(
        status=inventory_pb2.PROCUREMENT_STATUS_PLANNED, changed_at=BAD_NANOS), "changed_at"),
    ("inventory.RecordDelivery", inventory_pb2.RecordDeliveryRequest(delivered_at=BAD_NANOS), "delivered_at"),
    # The last day there is: the inclusive `until` asked for the day after it (OverflowError).
    ("inventory.ListLedger", inventory_pb2.ListLedgerRequest(office_code="62.03", until="9999-12-31"), "until"),
]


@pytest.mark.parametrize(("rpc_id", "request_message", "field"), REGRESSIONS,
                         ids=[f"{rpc_id}-{field}-{n}" for n, (rpc_id, _, field) in enumerate(REGRESSIONS)])
def test_what_the_fuzzer_found_is_an_invalid_argument_naming_the_field(world, rpc_id, request_message, field):
    [rpc] = [rpc for rpc in RPCS if rpc.id == rpc_id]
    service = world.services[rpc.service]
    stub = service.channel.unary_unary(rpc.path, request_serializer=type(request_message).SerializeToString,
                                       response_deserializer=lambda data: data)
    before = service.rows()
    with pytest.raises(grpc.RpcError) as refused:
        stub(request_message, metadata=bearer(service.token(service.grpc_policy.rule(rpc.method.name))),
             timeout=UNARY_SECONDS)
    assert refused.value.code() == CODES.INVALID_ARGUMENT
    violations, _ = error_details(refused.value)
    assert field in violations
    assert service.rows() == before
