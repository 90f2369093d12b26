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
    # Suspected duplicates: the Dinas decides them (kepala_dinas too: the head answers for the
    # register); the auditor reads the queue. No personal data in the queue itself.
    "ListAdjudications": allow(*DINAS, R.AUDITOR),
    "ResolveDuplicate": allow(*DINAS),
    # Pick-up drives: the desks that record plan, open and close them (each only for desa in
    # its region); staff read them. Reporting follows DriveClosed instead of asking.
    "PlanDrive": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "OpenDrive": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "CloseDrive": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "GetDrive": allow(*STAFF),
    "ListDrives": allow(*STAFF),
    # Field devices: the officers who record in the villages, each in their own region.
    "SyncRecordings": allow(R.OPERATOR_KECAMATAN, R.OPERATOR_DINAS),
    # A field device's login: no token yet (the account lockout and failure limit apply).
    "Login": PUBLIC,
})

HTTP_POLICY = AccessPolicy({
    "login": PUBLIC,
    "logout": PUBLIC,
    "index": allow(*STAFF, R.LURAH),
    "find_recording": allow(*STAFF, R.LURAH),
    "recording": allow(*STAFF, R.LURAH),
    "adjudications": allow(*DINAS, R.AUDITOR),                      # the queue, as over gRPC
    "adjudication": allow(*DINAS),                                  # one entry: compare and decide
    "record_form": allow(R.OPERATOR_KECAMATAN, *DINAS),           # the desks that record
    "search": allow(*STAFF),                                       # a hit is personal data: no lurah
    # Wajib-KTP targets: staff read them; the province sets them province-wide, the Dinas for
    # its own kabupaten (the scope, checked in service.py, decides which rows).
    "targets": allow(*STAFF),
    "edit_targets": allow(R.ADMIN_PROVINSI, *DINAS),
    # Pick-up drives, as over gRPC.
    "drives": allow(*STAFF),
    "drive": allow(*STAFF),
    "plan_drive": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "open_drive": allow(R.OPERATOR_KECAMATAN, *DINAS),
    "close_drive": allow(R.OPERATOR_KECAMATAN, *DINAS),
})
