"""The Suket-after-issue part of the access matrix (test_access_matrix.py): verification (public),
renewal, voiding, expiry, the JWKS, the /verifikasi page and the Dinas' renew and void actions;
the records each is tried on.

The public rows admit anyone: every role and service identity, and no token at all (a call
with an expired or forged token is still UNAUTHENTICATED: the gate reads every token it gets).
Each state-changing call is retry-safe, so every admitted officer gets OK on the same record:
renewal replays one request_id, voiding a void document returns it, the expiry job finds
nothing more to expire.
"""
from __future__ import annotations

from dataclasses import dataclass

from ektp.documents.v1 import documents_pb2
from servicekit.access import Principal, Role
from tests.conftest import wait_for
from tests.documents import factories
from tests.identity import KAPUAS

PUBLIC = "public"          # anyone, no login
RENEWAL_REQUEST_ID = "7d1c2b3a-0000-4000-8000-0000000000a1"
TO_RENEW = factories.register_number(63)
TO_VOID = factories.register_number(64)
DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, KAPUAS)
_DINAS = {"operator_dinas", "kepala_dinas"}

EXPECTED_RPC = {
    "VerifyDocument": {"roles": set(), "services": set(), "region": PUBLIC},
    "RenewSuket": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "VoidDocument": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "ExpireSukets": {"roles": {*_DINAS, "admin_provinsi"}, "services": set(), "region": "not scoped"},
}
EXPECTED_HTTP = {
    "verification": {"roles": set(), "services": set(), "region": PUBLIC},
    "jwks": {"roles": set(), "services": set(), "region": PUBLIC},
    "renew_suket": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "void_document": {"roles": _DINAS, "services": set(), "region": "scoped"},
}


def is_public(expected: dict) -> bool:
    return expected["region"] == PUBLIC


@dataclass
class VerificationRecords:
    qr_payload: str       # of the matrix's own Suket (it stays valid)
    to_renew: str
    to_void: str

    @classmethod
    def make(cls, runtime, fakes, qr_payload: str) -> VerificationRecords:
        """Two more Sukets of the matrix's desa, issued from the feed (nothing is in stock)."""
        ids = []
        for seed, number in ((9, TO_RENEW), (10, TO_VOID)):
            fakes.enrolment.add_print_ready(factories.recording_pb(number, seed=seed, village=factories.MURUNG_KERAMAT))
            [document] = wait_for(lambda number=number: runtime.service.list_documents(DINAS, number),
                                  message=f"the Suket of {number}")
            ids.append(document.document_id)
        return cls(qr_payload, *ids)

    def rpc_requests(self) -> dict:
        return {
            "VerifyDocument": documents_pb2.VerifyDocumentRequest(qr_payload=self.qr_payload),
            "RenewSuket": documents_pb2.RenewSuketRequest(document_id=self.to_renew, request_id=RENEWAL_REQUEST_ID),
            "VoidDocument": documents_pb2.VoidDocumentRequest(document_id=self.to_void, reason="uji hak akses"),
            "ExpireSukets": documents_pb2.ExpireSuketsRequest(),
        }

    def http(self, client, csrf: str, endpoint: str, headers: dict | None):
        if endpoint == "renew_suket":
            return client.post(f"/dokumen/{self.to_renew}/perpanjang", headers=headers,
                               data={"csrf_token": csrf, "request_id": RENEWAL_REQUEST_ID})
        if endpoint == "void_document":
            return client.post(f"/dokumen/{self.to_void}/batalkan", headers=headers,
                               data={"csrf_token": csrf, "alasan": "uji hak akses"})
        return client.get({"verification": "/verifikasi", "jwks": "/.well-known/jwks.json"}[endpoint],
                          headers=headers)
