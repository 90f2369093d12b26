"""The production path, as the images run it (deploy/k8s): EKTP_MODE=production, a PostgreSQL
database per service whose URL is a mounted secret file, every key a file (token keys, trusted
public keys, data keys, the blind-index key, the Suket signing key), reflection off, mutual TLS
between the services, probes on the plaintext health port, migrations as a separate step.
Then the main journey runs across the four processes."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from ektp.documents.v1 import documents_pb2 as dpb
from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2 as epb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.inventory.v1 import inventory_pb2 as ipb
from ektp.inventory.v1 import inventory_pb2_grpc
from ektp.reporting.v1 import reporting_pb2 as rpb
from ektp.reporting.v1 import reporting_pb2_grpc
from servicekit.clients import make_channel
from servicekit.fieldcrypto import BlindIndex, Keyring
from servicekit.tokens import load_private_key, publish_public_key
from tests.conftest import SHARED_DATA, wait_for
from tests.e2e.test_journey import CAPTURE, _resident
from tests.tlsutil import TestCA
from tools.processes import GRPC_SERVICE, ServiceSet

pytestmark = pytest.mark.e2e
OFFICE = "62.03"


def _secrets(root, postgres_server) -> tuple[dict[str, str], dict[str, dict[str, str]], TestCA]:
    """Files as Kubernetes would mount them, and each pod's environment naming them."""
    ca = TestCA(root / "pki")
    trusted = root / "trusted"
    per_service: dict[str, dict[str, str]] = {}
    for name in GRPC_SERVICE:
        prefix = name.upper()
        key = load_private_key(root / name / "token.pem", create=True)
        publish_public_key(trusted, name, key)      # the operator distributes the public keys
        uri = root / name / "db-uri"
        uri.write_text(postgres_server.create_database())
        tls = ca.issue(name)
        per_service[name] = {
            f"{prefix}_DATABASE_URL_FILE": str(uri), f"{prefix}_TOKEN_KEY_FILE": str(root / name / "token.pem"),
            "EKTP_TLS_CERT_FILE": str(tls.cert), "EKTP_TLS_KEY_FILE": str(tls.key), "EKTP_TLS_CA_FILE": str(tls.ca)}
    for name in ("enrolment", "documents"):
        Keyring.load(root / name / "data-keys", create=True)
        per_service[name][f"{name.upper()}_DATA_KEYS_DIR"] = str(root / name / "data-keys")
    BlindIndex.load(root / "enrolment" / "index.key", create=True)
    per_service["enrolment"]["ENROLMENT_INDEX_KEY_FILE"] = str(root / "enrolment" / "index.key")
    load_private_key(root / "documents" / "signing.pem", create=True)
    per_service["documents"]["DOCUMENTS_SIGNING_KEY_FILE"] = str(root / "documents" / "signing.pem")
    per_service["documents"]["DOCUMENTS_STORE_URL"] = str(root / "documents" / "store")   # the shared volume
    shared = {"EKTP_MODE": "production", "EKTP_TRUSTED_KEYS_DIR": str(trusted)}
    return shared, per_service, ca


@pytest.fixture(scope="module")
def production(tmp_path_factory, postgres_server):
    root = tmp_path_factory.mktemp("secrets")
    shared, per_service, ca = _secrets(root, postgres_server)
    services = ServiceSet(var_dir=tmp_path_factory.mktemp("var-prod"), extra_env=shared, service_env=per_service)
    services.extra_env.update({f"{name.upper()}_GRPC_TARGET": f"localhost:{services.grpc_ports[name]}"
                               for name in GRPC_SERVICE})    # the name in each certificate
    for name in GRPC_SERVICE:
        services.command(name, "migrate")           # the Job before rollout; `serve` does not migrate here
    regions = SHARED_DATA / "wilayah_kemendagri.csv"
    services.load_demo("--residents", "20", *(["--regions", str(regions)] if regions.exists() else []))
    services.start()
    try:
        services.wait_serving()
        yield services, ca
    finally:
        services.stop()


def _channel(services: ServiceSet, ca: TestCA, name: str, token: str) -> grpc.Channel:
    """An officer's client (a field device) with its own certificate from the platform CA."""
    return make_channel(f"localhost:{services.grpc_ports[name]}", token=lambda: token, tls=ca.issue("field-device"))


def test_the_main_journey_runs_with_production_settings(production):
    services, ca = production
    token = services.login("kapuas.operator")
    enrolment = enrolment_pb2_grpc.EnrolmentServiceStub(_channel(services, ca, "enrolment", token))
    inventory = inventory_pb2_grpc.InventoryServiceStub(_channel(services, ca, "inventory", token))
    documents = documents_pb2_grpc.DocumentsServiceStub(_channel(services, ca, "documents", token))
    reporting = reporting_pb2_grpc.ReportingServiceStub(_channel(services, ca, "reporting", token))

    def documents_of(number: str) -> list[dpb.Document]:
        return list(documents.ListDocuments(dpb.ListDocumentsRequest(register_number=number), timeout=5).documents)

    first = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident("62.03.01", "62.03.01", dt.date(1978, 2, 3), 9911), office_code=OFFICE, biometrics=CAPTURE), timeout=10).recording
    suket = wait_for(lambda: documents_of(first.register_number), message="the Suket over mTLS")[0]
    assert suket.kind == dpb.DOCUMENT_KIND_SUKET

    # Blanks arriving print the queue first (the demo's and this Suket's), then the next recording.
    queued = documents.ListPrintJobs(dpb.ListPrintJobsRequest(office_code=OFFICE), timeout=5).queued
    inventory.ReceiveStock(ipb.ReceiveStockRequest(office_code=OFFICE, first_serial="6203100001",
                                                   last_serial=f"{6203100003 + queued:010d}"), timeout=10)
    wait_for(lambda: documents.ListPrintJobs(dpb.ListPrintJobsRequest(office_code=OFFICE), timeout=5).queued == 0,
             timeout=120, message="the print queue printed over mTLS")
    second = enrolment.RecordResident(epb.RecordResidentRequest(
        resident=_resident("62.03.01", "62.03.01", dt.date(1981, 4, 5), 9912), office_code=OFFICE, biometrics=CAPTURE), timeout=10).recording
    card = wait_for(lambda: documents_of(second.register_number), message="the card over mTLS")[0]
    assert card.kind == dpb.DOCUMENT_KIND_CARD_PRINT_JOB and card.card_serial == f"{6203100001 + queued:010d}"

    def counted():
        rows = reporting.GetCoverage(rpb.GetCoverageRequest(region_code=OFFICE), timeout=5).rows
        row = next((r for r in rows if r.region_code == "62.03.01"), None)
        return row if row is not None and row.cards_printed >= 2 else None

    wait_for(counted, message="reporting folded the three feeds over mTLS")


def test_production_refuses_plaintext_and_reflection_and_probes_still_answer(production):
    services, ca = production
    plaintext = enrolment_pb2_grpc.EnrolmentServiceStub(grpc.insecure_channel(services.target("enrolment")))
    with pytest.raises(grpc.RpcError) as caught:
        plaintext.GetRegion(epb.GetRegionRequest(code=OFFICE), timeout=5)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE

    channel = _channel(services, ca, "enrolment", services.login("kalteng.ops"))
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    with pytest.raises(grpc.RpcError) as caught:
        list(reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]),
                                             timeout=5))
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert all(services.status(name) == "SERVING" for name in GRPC_SERVICE)   # the plaintext health port
