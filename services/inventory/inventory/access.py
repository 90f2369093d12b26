"""Who may call the inventory service: one rule per RPC and per page.

Blanks move only at the Dinas desk (reserve, print, release; the documents service does the
same for card jobs), and a delivery is received by the Dinas or the provincial admin; those
are scoped to the office in service.py. Every staff role may read stock and procurement,
the lurah and ops see nothing here, and the event feed is for the services that follow it.
"""
from __future__ import annotations

from servicekit.access import AccessPolicy, Role, allow

DINAS = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS)
STAFF = (Role.OPERATOR_KECAMATAN, *DINAS, Role.ADMIN_PROVINSI, Role.AUDITOR)

GRPC_POLICY = AccessPolicy({
    "ReceiveStock": allow(*DINAS, Role.ADMIN_PROVINSI),                  # scoped: the receiving office
    "ReserveBlank": allow(*DINAS, services=["documents"]),               # scoped: the reservation's office
    "ConsumeBlank": allow(*DINAS, services=["documents"]),               # scoped: the reservation's office
    "ReleaseBlank": allow(*DINAS, services=["documents"]),               # scoped: the reservation's office
    "GetStock": allow(*STAFF, services=["documents"]),                   # an aggregate: require_view(office)
    "ListProcurements": allow(*STAFF),                                   # national, not scoped
    "StreamEvents": allow(services=["documents", "reporting"]),
})

HTTP_POLICY = AccessPolicy({
    "index": allow(*STAFF),                                              # lists only the offices the officer sees
})
