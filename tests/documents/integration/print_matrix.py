"""The card printing part of the access matrix (test_access_matrix.py): records for every print
RPC and page to act on, and the request each one is tried with.

Every state-changing call is retry-safe, so every admitted officer gets OK on the same record:
reprinting a card already reprinted returns its reprint job, printing the backlog without
blanks stops at once (out of stock), setting the policy to what it is changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from ektp.documents.v1 import documents_pb2
from ektp.enrolment.v1 import enrolment_pb2
from tests.conftest import wait_for
from tests.documents import factories
from tests.identity import KAPUAS

_DINAS = {"operator_dinas", "kepala_dinas"}
_STAFF = {"operator_kecamatan", *_DINAS, "admin_provinsi", "auditor"}
_HEAD = {"kepala_dinas", "admin_provinsi"}

EXPECTED_RPC = {
    # a list: only jobs of residents the officer covers (checked in test_print_queue / unit tests)
    "ListPrintJobs": {"roles": _STAFF, "services": set(), "region": "not scoped"},
    "PrintBacklog": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "ReprintCard": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "GetBatchSheet": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "GetOfficePolicy": {"roles": _STAFF, "services": set(), "region": "scoped"},
    "SetOfficePolicy": {"roles": _HEAD, "services": set(), "region": "scoped"},
}
EXPECTED_HTTP = {
    "print_queue": {"roles": {*_DINAS, "admin_provinsi", "auditor"}, "services": set(), "region": "filtered"},
    "print_backlog": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "reprint_card": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "office_policy": {"roles": _HEAD, "services": set(), "region": "scoped"},
    "batch_sheet": {"roles": _DINAS, "services": set(), "region": "scoped"},
}


@dataclass
class PrintRecords:
    reprinted: str       # a printed card of Murung Keramat: reprinted by the matrix
    sheet_job: str       # a printed job of Murung Keramat: its batch sheet

    @classmethod
    def make(cls, runtime, fakes, serials=(81, 82)) -> PrintRecords:
        """Two cards of Murung Keramat printed through the feed on the only two blanks."""
        numbers = [factories.register_number(serial) for serial in serials]
        fakes.inventory.stock = [f"{serial:010d}" for serial in serials]
        for serial, number in zip(serials, numbers, strict=True):
            recording = factories.recording_pb(number, seed=serial, village=factories.MURUNG_KERAMAT)
            recording.recording_type = enrolment_pb2.RECORDING_TYPE_NEW
            fakes.enrolment.add_print_ready(recording)

        def printed():
            with runtime.service._uow(readonly=True) as uow:
                jobs = [j for n in numbers for j in uow.print_jobs.for_register_number(n) if j.document_id]
            return len(jobs) == len(numbers) and jobs
        card, sheet = wait_for(printed, message="the matrix's printed cards")
        return cls(card.document_id, sheet.job_id)

    def rpc_requests(self) -> dict:
        return {
            "ListPrintJobs": documents_pb2.ListPrintJobsRequest(),
            "PrintBacklog": documents_pb2.PrintBacklogRequest(office_code=KAPUAS),
            "ReprintCard": documents_pb2.ReprintCardRequest(document_id=self.reprinted, reason="foto buram"),
            "GetBatchSheet": documents_pb2.GetBatchSheetRequest(job_ids=[self.sheet_job]),
            "GetOfficePolicy": documents_pb2.GetOfficePolicyRequest(office_code=KAPUAS),
            "SetOfficePolicy": documents_pb2.SetOfficePolicyRequest(policy=documents_pb2.OfficePolicy(
                office_code=KAPUAS, suket_when_out_of_stock=True)),
        }

    def http(self, client, csrf: str, endpoint: str, headers: dict | None):
        if endpoint == "print_queue":
            return client.get("/cetak", headers=headers)
        path, form = {"print_backlog": ("/cetak/antrean", {"kantor": KAPUAS}),
                      "reprint_card": ("/cetak/ulang", {"kantor": KAPUAS, "document_id": self.reprinted,
                                                        "alasan": "foto buram"}),
                      "office_policy": ("/cetak/kebijakan", {"kantor": KAPUAS, "suket_otomatis": "1"}),
                      "batch_sheet": ("/cetak/lembar", {"kantor": KAPUAS, "job_id": self.sheet_job})}[endpoint]
        return client.post(path, data={"csrf_token": csrf, **form}, headers=headers)
