"""Every bad input: INVALID_ARGUMENT with BadRequest violations naming the fields; nothing stored.

Callers are entitled to the method (the Dinas desk of Kab. Kapuas receives, the documents
service does the rest), so what is refused is the input, not the caller."""
from __future__ import annotations

import grpc
import pytest

from ektp.inventory.v1 import inventory_pb2 as pb
from tests.inventory.helpers import error_details, row_counts

CASES = [
    ("ReceiveStock", pb.ReceiveStockRequest(office_code="Kapuas", first_serial="1", last_serial="X"),
     {"office_code", "first_serial", "last_serial"}),
    ("ReceiveStock", pb.ReceiveStockRequest(office_code="62.03", first_serial="00000009", last_serial="00000001"),
     {"last_serial"}),
    ("ReceiveStock", pb.ReceiveStockRequest(office_code="62.03", first_serial="00000001", last_serial="000000001"),
     {"last_serial"}),
    ("ReceiveStock", pb.ReceiveStockRequest(office_code="62.03", first_serial="00000000", last_serial="00100000"),
     {"last_serial"}),
    ("ReceiveStock", pb.ReceiveStockRequest(office_code="62.03", first_serial="00000001", last_serial="00000002",
                                            delivery_reference="x" * 121), {"delivery_reference"}),
    ("ReserveBlank", pb.ReserveBlankRequest(office_code="", idempotency_key=""), {"office_code", "idempotency_key"}),
    ("ReserveBlank", pb.ReserveBlankRequest(office_code="62.03", idempotency_key="k" * 121), {"idempotency_key"}),
    ("ConsumeBlank", pb.ConsumeBlankRequest(idempotency_key=""), {"idempotency_key"}),
    ("ReleaseBlank", pb.ReleaseBlankRequest(idempotency_key="card:1", reason="r" * 501), {"reason"}),
    ("GetStock", pb.GetStockRequest(office_code="62.03.01.1001"), {"office_code"}),
]


@pytest.mark.parametrize("method, request_, fields", CASES, ids=[f"{c[0]}-{sorted(c[2])}" for c in CASES])
def test_bad_input_names_every_wrong_field_and_stores_nothing(runtime, stub, dinas_stub, method, request_, fields):
    before = row_counts(runtime.engine)
    caller = dinas_stub if method == "ReceiveStock" else stub
    with pytest.raises(grpc.RpcError) as caught:
        getattr(caller, method)(request_, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations, reason = error_details(caught.value)
    assert set(violations) == fields
    assert all(description for description in violations.values())
    assert reason == "INVALID_ARGUMENT"
    assert row_counts(runtime.engine) == before


def test_reusing_a_key_for_another_office_names_office_code(runtime, stub, dinas_stub):
    dinas_stub.ReceiveStock(pb.ReceiveStockRequest(office_code="62.03", first_serial="00000001",
                                                   last_serial="00000001"), timeout=10)
    stub.ReserveBlank(pb.ReserveBlankRequest(office_code="62.03", idempotency_key="card:1"), timeout=10)
    before = row_counts(runtime.engine)
    with pytest.raises(grpc.RpcError) as caught:
        stub.ReserveBlank(pb.ReserveBlankRequest(office_code="63.10", idempotency_key="card:1"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(error_details(caught.value)[0]) == {"office_code"}
    assert row_counts(runtime.engine) == before
