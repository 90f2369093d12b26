"""Who may call what in reporting: its one access table, for gRPC and for the pages.

Coverage is an aggregate, so staff and the lurah may read it (no service identity is named
for it); *which* regions they may read is `Principal.require_view`, applied in service.py.
Reporting holds no personal data — only counts per region and register numbers folded from
the other services' events — so it keeps no audit log and encrypts no fields.
"""
from __future__ import annotations

from servicekit.access import AccessPolicy, Role, allow

STAFF = (Role.OPERATOR_KECAMATAN, Role.OPERATOR_DINAS, Role.KEPALA_DINAS, Role.ADMIN_PROVINSI, Role.AUDITOR)

GRPC_POLICY = AccessPolicy({
    "GetCoverage": allow(*STAFF, Role.LURAH),
    "GetCoverageSeries": allow(*STAFF, Role.LURAH),
    "GetFunnel": allow(*STAFF, Role.LURAH),
    "GetVoterReadiness": allow(*STAFF, Role.LURAH),
    # The boards copy inventory's data (shown to staff, never the lurah); drives are the offices' work.
    "GetStockBoard": allow(*STAFF),
    "GetDriveReport": allow(*STAFF),
})

HTTP_POLICY = AccessPolicy({
    "coverage_page": allow(*STAFF, Role.LURAH),
    "funnel_page": allow(*STAFF, Role.LURAH),
    "voters_page": allow(*STAFF, Role.LURAH),
    # The boards copy inventory's data (shown to staff, never the lurah); drives are the offices' work.
    "stock_page": allow(*STAFF),
    "drives_page": allow(*STAFF),
})
