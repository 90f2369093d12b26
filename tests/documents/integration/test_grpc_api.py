"""DocumentsService contract: validation, not found, the Suket counter, health and reflection."""
import grpc
import pytest
import sqlalchemy as sa
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from documents import db
from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2
from servicekit.access import Role
from tests.conftest import wait_for
from tests.documents import factories
from tests.identity import call_code

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


def _reason(err: grpc.RpcError) -> str:
    for detail in rpc_status.from_call(err).details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    return ""


def test_issue_suket_returns_the_new_suket_and_then_the_same_one(runtime, fakes, stub):
    number = factories.register_number(21)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    first = stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE).document
    assert (first.kind, first.status, first.region_code) == (
        documents_pb2.DOCUMENT_KIND_SUKET, documents_pb2.DOCUMENT_STATUS_ISSUED, factories.VILLAGE)
    assert runtime.service.verify_document(first.qr_payload).claim.register_number == number
    again = stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE).document
    assert again.document_id == first.document_id
    listed = stub.ListDocuments(documents_pb2.ListDocumentsRequest(register_number=number), timeout=DEADLINE)
    assert [d.document_id for d in listed.documents] == [first.document_id]


def test_issue_suket_for_a_recording_not_print_ready_is_failed_precondition(runtime, fakes, stub):
    number = factories.register_number(22)
    fakes.enrolment.recordings[number] = factories.recording_pb(
        number, state=enrolment_pb2.RECORDING_STATE_CAPTURED)
    with pytest.raises(grpc.RpcError) as caught:
        stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert _reason(caught.value) == "NOT_PRINT_READY" and "siap cetak" in caught.value.details()
    assert _nothing_stored(runtime)


def test_issue_suket_with_a_malformed_request_id_names_the_field(stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=factories.register_number(23),
                                                        request_id="ulang-1"), timeout=DEADLINE)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _violations(caught.value) == ["request_id"]


@pytest.mark.parametrize(("role", "scope", "code"), [
    (Role.OPERATOR_KECAMATAN, "62.03.01", grpc.StatusCode.PERMISSION_DENIED),
    (Role.LURAH, factories.VILLAGE, grpc.StatusCode.PERMISSION_DENIED),
    (Role.AUDITOR, "62", grpc.StatusCode.OK),
    (Role.KEPALA_DINAS, "62.03", grpc.StatusCode.OK),
])
def test_the_pdf_comes_only_to_the_dinas_and_the_auditor(runtime, fakes, stub, identity, role, scope, code):
    number = factories.register_number(24)
    fakes.enrolment.recordings[number] = factories.recording_pb(number)
    document = stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=number), timeout=DEADLINE).document
    request = documents_pb2.GetDocumentRequest(document_id=document.document_id, include_pdf=True)
    plain = documents_pb2.GetDocumentRequest(document_id=document.document_id)
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as officer_channel:
        officer = documents_pb2_grpc.DocumentsServiceStub(officer_channel)
        assert call_code(officer.GetDocument, request, identity.officer(role, scope)) == code
        assert call_code(officer.GetDocument, plain, identity.officer(role, scope)) == grpc.StatusCode.OK
