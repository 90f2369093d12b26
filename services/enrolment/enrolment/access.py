"""Who may call what on enrolment: one rule per RPC and per page (no rule, no call).

Recording is for the kecamatan and Dinas desks; reading a recording is for staff, the lurah
(status only, in its own desa) and documents (to print); region reference data is open to
every signed-in officer and to the services that name regions. Which *records* an officer
may touch is the region scope, checked in service.py.
"""
from __future__ import annotations

from servicekit.access import PUBLIC, AccessPolicy, Role, allow

R = Role
DINAS = (R.OPERATOR_DINAS, R.KEPALA_DINAS)
STAFF = (R.OPERATOR_KECAMATAN, *DINAS, R.ADMIN_PROVINSI, R.AUDITOR)

GRPC_POLICY = AccessPolicy({
    "RecordResident": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "GetRecording": allow(*STAFF, R.LURAH, services=["documents"]),
    "GetRegion": allow(*STAFF, R.LURAH, services=["documents", "reporting"]),
    "ListRegions": allow(*STAFF, R.LURAH, services=["documents", "reporting"]),
    "ListTargets": allow(*STAFF, R.LURAH, services=["documents", "reporting"]),
    "StreamEvents": allow(services=["documents", "reporting"]),
})

HTTP_POLICY = AccessPolicy({
    "login": PUBLIC,
    "logout": PUBLIC,
    "index": allow(*STAFF, R.LURAH),
    "find_recording": allow(*STAFF, R.LURAH),
    "recording": allow(*STAFF, R.LURAH),
})
