"""DocumentsService contract: validation, not found, health and reflection."""
import grpc
import pytest
import sqlalchemy as sa
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from documents import db
from ektp.documents.v1 import documents_pb2
from tests.conftest import wait_for

DEADLINE = 5


def _violations(err: grpc.RpcError) -> list[str]:
    status = rpc_status.from_call(err)
    fields = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations if v.description]
    return fields


def _nothing_stored(runtime) -> bool:
    with runtime.engine.connect() as conn:
        return all(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() == 0
                   for t in (db.documents, db.outbox, db.inbox))


@pytest.mark.parametrize("value", ["", "6203-1", "6203-20261399-000001", "NIK 6203012345678901"])
def test_list_documents_with_a_malformed_register_number_is_invalid_argument(runtime, stub, value):
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListDocuments(documents_pb2.ListDocumentsRequest(register_number=value), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _violations(caught.value) == ["register_number"]
    assert _nothing_stored(runtime)


def test_list_documents_of_an_unknown_register_number_is_empty(stub):
    response = stub.ListDocuments(documents_pb2.ListDocumentsRequest(register_number="6203-20261128-000009"),
                                  timeout=DEADLINE)
    assert list(response.documents) == []


def test_get_document_with_a_malformed_id_is_invalid_argument(runtime, stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetDocument(documents_pb2.GetDocumentRequest(document_id="12345"), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _violations(caught.value) == ["document_id"]
    assert _nothing_stored(runtime)


def test_get_document_of_an_unknown_id_is_not_found(stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetDocument(documents_pb2.GetDocumentRequest(document_id="0b6c1d1e-4a0e-4b8e-9b0e-1f2a3b4c5d6e"),
                         timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_health_reports_serving_for_the_documents_service(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", "ektp.documents.v1.DocumentsService"):
        wait_for(lambda name=name: health.Check(health_pb2.HealthCheckRequest(service=name), timeout=DEADLINE)
                 .status == health_pb2.HealthCheckResponse.SERVING, message=f"{name!r} serving")


def test_reflection_lists_the_documents_service(channel):
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    [response] = list(stub.ServerReflectionInfo(iter([request]), timeout=DEADLINE))
    names = {s.name for s in response.list_services_response.service}
    assert "ektp.documents.v1.DocumentsService" in names
