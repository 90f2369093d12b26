"""Who may call what on documents: one rule per RPC and per page (no rule, no call).

Staff and the lurah follow documents (the lurah sees status only); only the Dinas issues a
Suket at the counter, and only the Dinas and the auditor get a PDF, the document itself.
Which documents is the region scope of the resident, checked in service.py; the feed of
issued documents is for reporting.
"""
from __future__ import annotations

from servicekit.access import PUBLIC, AccessPolicy, Role, allow

R = Role
DINAS = (R.OPERATOR_DINAS, R.KEPALA_DINAS)
STAFF = (R.OPERATOR_KECAMATAN, *DINAS, R.ADMIN_PROVINSI, R.AUDITOR)

GRPC_POLICY = AccessPolicy({
    "ListDocuments": allow(*STAFF, R.LURAH),            # only documents of residents the actor covers
    "GetDocument": allow(*STAFF, R.LURAH),              # scoped; the PDF only for DINAS and the auditor
    "IssueSuket": allow(*DINAS),                        # scoped: the recording's resident region
    "StreamEvents": allow(services=["reporting"]),
    # The Suket after issue (D1): anyone verifies a QR, without a token (it shows no more than
    # the QR itself carries); only the Dinas renews or voids; the expiry job also runs by itself.
    "VerifyDocument": PUBLIC,
    "RenewSuket": allow(*DINAS),                        # scoped: the Suket's resident region
    "VoidDocument": allow(*DINAS),                      # scoped: the document's resident region
    "ExpireSukets": allow(*DINAS, R.ADMIN_PROVINSI),    # only Sukets the actor covers
    # Card printing (D2a): the queue is read by staff of the region; only the Dinas prints,
    # reprints or takes the batch sheet (never a kelurahan); the policy is the head's decision.
    "ListPrintJobs": allow(*STAFF),                     # scoped: jobs of residents the actor covers
    "PrintBacklog": allow(*DINAS),                      # scoped: the office
    "ReprintCard": allow(*DINAS),                       # scoped: the card's resident region
    "GetBatchSheet": allow(*DINAS),                     # scoped: every job's resident region
    "GetOfficePolicy": allow(*STAFF),                   # require_view(office)
    "SetOfficePolicy": allow(R.KEPALA_DINAS, R.ADMIN_PROVINSI),  # scoped: the office
    # Shortage letters and distribution (D3): only the Dinas writes letters, packs and sends;
    # the kecamatan (or the Dinas) receives and hands cards over; never a lurah.
    "CreateShortageLetters": allow(*DINAS),             # scoped: the office
    "ListShortageLetters": allow(*DINAS, R.ADMIN_PROVINSI, R.AUDITOR),  # require_view(office)
    "CreateDistributionBatches": allow(*DINAS),         # scoped: the office
    "ListDistributionBatches": allow(*STAFF),           # require_view(office); batches of kecamatan covered
    "GetDistributionBatch": allow(*STAFF),              # scoped: the kecamatan; the manifest not for admin_provinsi
    "DispatchBatch": allow(*DINAS),                     # scoped: the kecamatan
    "ReceiveBatch": allow(R.OPERATOR_KECAMATAN, *DINAS),  # scoped: the kecamatan
    "HandOverCard": allow(R.OPERATOR_KECAMATAN, *DINAS),  # scoped: the card's resident region
})

HTTP_POLICY = AccessPolicy({
    "index": allow(*STAFF, R.LURAH),                    # lists only documents the officer covers
    "document_pdf": allow(*DINAS, R.AUDITOR),           # printing; scoped
    "issue_suket": allow(*DINAS),                       # the counter form; scoped
    "verification": PUBLIC,                             # /verifikasi: scan or paste a QR, no login
    "jwks": PUBLIC,                                     # /.well-known/jwks.json: the QR signing key
    "renew_suket": allow(*DINAS),                       # "Perpanjang" on the list; scoped
    "void_document": allow(*DINAS),                     # "Batalkan" with a reason; scoped
    "print_queue": allow(*DINAS, R.ADMIN_PROVINSI, R.AUDITOR),  # /cetak: the queue and recent jobs; scoped
    "print_backlog": allow(*DINAS),                     # "Cetak antrean"; scoped
    "reprint_card": allow(*DINAS),                      # "Cetak ulang" with a reason; scoped
    "office_policy": allow(R.KEPALA_DINAS, R.ADMIN_PROVINSI),  # the Suket-when-out-of-stock switch
    "batch_sheet": allow(*DINAS),                       # the printer's batch sheet of chosen printed jobs; scoped
    # /surat-kekosongan (D3): the Dinas' shortage letters; scoped to its office
    "shortage_letters": allow(*DINAS),
    "create_shortage_letters": allow(*DINAS),
    "shortage_letter_pdf": allow(*DINAS),
    "shortage_dispatch_pdf": allow(*DINAS),
    # /distribusi (D3): packed by the Dinas, received and handed over at the kecamatan; scoped
    "distribution": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "create_batches": allow(*DINAS),
    "dispatch_batch": allow(*DINAS),
    "batch_detail": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "receive_batch": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "hand_over_card": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "batch_manifest_pdf": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "batch_receipt_pdf": allow(R.OPERATOR_KECAMATAN, *DINAS),
})
