"""Who may call what on documents: one rule per RPC and per page (no rule, no call).

Staff and the lurah follow documents (the lurah sees status only); only the Dinas issues a
Suket at the counter, and only the Dinas and the auditor get a PDF, the document itself.
Which documents is the region scope of the resident, checked in service.py; the feed of
issued documents is for reporting.
"""
from __future__ import annotations

from servicekit.access import AccessPolicy, Role, allow

R = Role
DINAS = (R.OPERATOR_DINAS, R.KEPALA_DINAS)
STAFF = (R.OPERATOR_KECAMATAN, *DINAS, R.ADMIN_PROVINSI, R.AUDITOR)

GRPC_POLICY = AccessPolicy({
    "ListDocuments": allow(*STAFF, R.LURAH),            # only documents of residents the actor covers
    "GetDocument": allow(*STAFF, R.LURAH),              # scoped; the PDF only for DINAS and the auditor
    "IssueSuket": allow(*DINAS),                        # scoped: the recording's resident region
    "StreamEvents": allow(services=["reporting"]),
})

HTTP_POLICY = AccessPolicy({
    "index": allow(*STAFF, R.LURAH),                    # lists only documents the officer covers
    "document_pdf": allow(*DINAS, R.AUDITOR),           # printing; scoped
    "issue_suket": allow(*DINAS),                       # the counter form; scoped
})
