"""The shortage-letter and distribution part of the access matrix (test_access_matrix.py):
records for every RPC and page to act on, and the request each one is tried with.

Each state-changing call is retry-safe, so every admitted officer gets OK on the same record:
dispatching a dispatched batch, receiving a received one and handing over a card already
handed over return it as it is; the letters RPC replays one request_id.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from documents import domain
from documents.distribution_service import DistributionService
from documents.unit_of_work import unit_of_work_factory
from ektp.documents.v1 import documents_pb2
from servicekit.access import Principal, Role
from tests.documents import factories
from tests.identity import KAPUAS

LETTERS_REQUEST_ID = "7d4c2a8e-1b3f-4e5a-9c6d-0f1e2d3c4b5a"
DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, KAPUAS)

EXPECTED_RPC = {
    "CreateShortageLetters": {"roles": {"operator_dinas", "kepala_dinas"}, "services": set(), "region": "scoped"},
    "ListShortageLetters": {"roles": {"operator_dinas", "kepala_dinas", "admin_provinsi", "auditor"},
                            "services": set(), "region": "scoped"},
    "CreateDistributionBatches": {"roles": {"operator_dinas", "kepala_dinas"}, "services": set(), "region": "scoped"},
    "ListDistributionBatches": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi",
                                          "auditor"}, "services": set(), "region": "scoped"},
    "GetDistributionBatch": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas", "admin_provinsi",
                                       "auditor"}, "services": set(), "region": "scoped"},
    "DispatchBatch": {"roles": {"operator_dinas", "kepala_dinas"}, "services": set(), "region": "scoped"},
    "ReceiveBatch": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas"}, "services": set(),
                     "region": "scoped"},
    "HandOverCard": {"roles": {"operator_kecamatan", "operator_dinas", "kepala_dinas"}, "services": set(),
                     "region": "scoped"},
}
_DINAS = {"operator_dinas", "kepala_dinas"}
_KECAMATAN = {"operator_kecamatan", *_DINAS}
# "not scoped": the page works on the officer's own office (another kabupaten sees its own).
EXPECTED_HTTP = {
    "shortage_letters": {"roles": _DINAS, "services": set(), "region": "not scoped"},
    "create_shortage_letters": {"roles": _DINAS, "services": set(), "region": "not scoped"},
    "shortage_letter_pdf": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "shortage_dispatch_pdf": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "distribution": {"roles": _KECAMATAN, "services": set(), "region": "not scoped"},
    "create_batches": {"roles": _DINAS, "services": set(), "region": "not scoped"},
    "dispatch_batch": {"roles": _DINAS, "services": set(), "region": "scoped"},
    "batch_detail": {"roles": _KECAMATAN, "services": set(), "region": "scoped"},
    "receive_batch": {"roles": _KECAMATAN, "services": set(), "region": "scoped"},
    "hand_over_card": {"roles": _KECAMATAN, "services": set(), "region": "scoped"},
    "batch_manifest_pdf": {"roles": _KECAMATAN, "services": set(), "region": "scoped"},
    "batch_receipt_pdf": {"roles": _KECAMATAN, "services": set(), "region": "scoped"},
}


@dataclass
class DistributionRecords:
    packed: str          # a PACKED batch: dispatched by the matrix
    dispatched: str      # a DISPATCHED batch: received by the matrix
    received: str        # a RECEIVED batch of one card: handed over by the matrix
    card: str            # that card
    nik: str             # its resident's NIK
    letter: str          # a shortage letter and its set
    letter_set: str

    @classmethod
    def make(cls, runtime, fakes, serials=(71, 72, 73)) -> DistributionRecords:
        """Three printed cards of Murung Keramat packed one by one, taken to three states; a
        set of shortage letters (the fake inventory has no blank)."""
        service: DistributionService = runtime.distribution
        batches, niks = [], {}
        for serial in serials:
            number = factories.register_number(serial)
            fakes.enrolment.recordings[number] = pb = factories.recording_pb(number, seed=serial,
                                                                              village=factories.MURUNG_KERAMAT)
            niks[number] = pb.resident.nik
            card, _ = domain.card_print_job(str(uuid.uuid4()), factories.recording(
                number, seed=serial, village=factories.MURUNG_KERAMAT), f"{serial:010d}", b"%PDF card",
                dt.datetime.now(dt.timezone.utc))
            with unit_of_work_factory(runtime.engine, runtime.cipher, runtime.store)() as uow:
                uow.documents.add(card)   # a printed card, stored as the print path stores it
                uow.commit()
            [batch] = service.create_distribution_batches(DINAS, KAPUAS)
            batches.append(batch)
        packed, dispatched, received = batches
        for batch in (dispatched, received):
            service.dispatch_batch(DINAS, batch.batch_id)
        service.receive_batch(DINAS, received.batch_id)
        [card] = received.cards
        letters = service.create_shortage_letters(DINAS, KAPUAS).letter_set
        return cls(packed.batch_id, dispatched.batch_id, received.batch_id, card.document_id,
                   niks[card.register_number], letters.letters[0].letter_id, letters.set_id)

    def rpc_requests(self) -> dict:
        return {
            "CreateShortageLetters": documents_pb2.CreateShortageLettersRequest(office_code=KAPUAS,
                                                                                request_id=LETTERS_REQUEST_ID),
            "ListShortageLetters": documents_pb2.ListShortageLettersRequest(office_code=KAPUAS),
            "CreateDistributionBatches": documents_pb2.CreateDistributionBatchesRequest(office_code=KAPUAS),
            "ListDistributionBatches": documents_pb2.ListDistributionBatchesRequest(office_code=KAPUAS),
            "GetDistributionBatch": documents_pb2.GetDistributionBatchRequest(batch_id=self.received),
            "DispatchBatch": documents_pb2.DispatchBatchRequest(batch_id=self.packed),
            "ReceiveBatch": documents_pb2.ReceiveBatchRequest(batch_id=self.dispatched),
            "HandOverCard": documents_pb2.HandOverCardRequest(document_id=self.card, nik=self.nik),
        }

    def http(self, client, csrf: str, endpoint: str, headers: dict | None):
        """The page request of `endpoint` (a form carries the CSRF token)."""
        gets = {"shortage_letters": "/surat-kekosongan",
                "shortage_letter_pdf": f"/surat-kekosongan/surat/{self.letter}.pdf",
                "shortage_dispatch_pdf": f"/surat-kekosongan/{self.letter_set}/daftar-kirim.pdf",
                "distribution": "/distribusi",
                "batch_detail": f"/distribusi/{self.received}",
                "batch_manifest_pdf": f"/distribusi/{self.received}/manifest.pdf",
                "batch_receipt_pdf": f"/distribusi/{self.received}/berita-acara.pdf"}
        if endpoint in gets:
            return client.get(gets[endpoint], headers=headers)
        posts = {"create_shortage_letters": ("/surat-kekosongan", {"request_id": str(uuid.uuid4())}),
                 "create_batches": ("/distribusi/kemas", {}),
                 "dispatch_batch": (f"/distribusi/{self.packed}/kirim", {}),
                 "receive_batch": (f"/distribusi/{self.dispatched}/terima", {}),
                 "hand_over_card": (f"/distribusi/{self.received}/serah", {"document_id": self.card, "nik": self.nik})}
        path, form = posts[endpoint]
        return client.post(path, data={"csrf_token": csrf, **form}, headers=headers)
