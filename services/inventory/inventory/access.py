"""Who may call the inventory service: one rule per RPC and per page.

Blanks move only at the Dinas desk (reserve, print, release; the documents service does the
same for card jobs), and a delivery is received by the Dinas or the provincial admin; those
are scoped to the office in service.py. Every staff role may read stock and procurement,
the lurah and ops see nothing here, and the event feed is for the services that follow it.
"""
from __future__ import annotations

from servicekit.access import PUBLIC, AccessPolicy, Role, allow

DINAS = (Role.OPERATOR_DINAS, Role.KEPALA_DINAS)
STAFF = (Role.OPERATOR_KECAMATAN, *DINAS, Role.ADMIN_PROVINSI, Role.AUDITOR)

GRPC_POLICY = AccessPolicy({
    "ReceiveStock": allow(*DINAS, Role.ADMIN_PROVINSI),                  # scoped: the receiving office
    "ReserveBlank": allow(*DINAS, services=["documents"]),               # scoped: the reservation's office
    "ConsumeBlank": allow(*DINAS, services=["documents"]),               # scoped: the reservation's office
    "ReleaseBlank": allow(*DINAS, services=["documents"]),               # scoped: the reservation's office
    "SpoilPrintedBlank": allow(services=["documents"]),                   # documents' reprint of a misprinted card
    "GetStock": allow(*STAFF, services=["documents"]),                   # an aggregate: require_view(office)
    "ListProcurements": allow(*STAFF),                                   # national, not scoped
    # Procurement is national: the provincial admin records it for Ditjen; every staff role reads it.
    "CreateProcurement": allow(Role.ADMIN_PROVINSI),
    "ChangeProcurementStatus": allow(Role.ADMIN_PROVINSI),
    "RecordDelivery": allow(Role.ADMIN_PROVINSI),                       # into the central store
    "GetProcurement": allow(*STAFF),
    # Requests: the Dinas asks its province (a province asks central); the supplier decides (the province's
    # admin, or the head of the lending Dinas); the asking office confirms receipt.
    "CreateBlankRequest": allow(*DINAS, Role.ADMIN_PROVINSI),           # scoped: the asking office
    "DecideBlankRequest": allow(Role.KEPALA_DINAS, Role.ADMIN_PROVINSI),  # scoped: the supplying office
    "ReceiveBlankRequest": allow(*DINAS, Role.ADMIN_PROVINSI),          # scoped: the asking office
    "GetBlankRequest": allow(*STAFF),                                   # scoped: sees asker or supplier
    "ListBlankRequests": allow(*STAFF),                                 # only those in the caller's view
    "GetForecast": allow(*STAFF, services=["documents"]),               # an aggregate: require_view(office)
    # The ledger by serial (H5), each scoped in ledger_service.py: a movement to the sending /
    # holding office, a receipt to the receiving office, a read to the offices the caller sees.
    "RegisterOffice": allow(Role.ADMIN_PROVINSI),                       # scoped: the office's code
    "ListOffices": allow(*STAFF),                                       # only those in the caller's view
    "TransferStock": allow(*DINAS, Role.ADMIN_PROVINSI),                # scoped: the sending office
    "ReceiveTransfer": allow(Role.OPERATOR_KECAMATAN, *DINAS, Role.ADMIN_PROVINSI),  # scoped: the receiver
    "RepayLoan": allow(*DINAS),                                         # scoped: the borrowing office
    "SpoilBlanks": allow(*DINAS),                                       # scoped: the holding office
    "ReportLost": allow(*DINAS, Role.ADMIN_PROVINSI),                   # scoped: the holding office
    "RecordCount": allow(Role.OPERATOR_KECAMATAN, *DINAS, Role.ADMIN_PROVINSI),  # scoped: the counted office
    "ListLedger": allow(*STAFF),                                        # require_view(office)
    "ExpireReservations": allow(Role.KEPALA_DINAS, Role.ADMIN_PROVINSI),  # the offices in the caller's scope
    "StreamEvents": allow(services=["documents", "reporting"]),
})

HTTP_POLICY = AccessPolicy({
    "index": allow(*STAFF),                                              # lists only the offices the officer sees
    # Procurement board (H6): every staff role reads it; the provincial admin records it for Ditjen.
    "procurement_board": allow(*STAFF),
    "procurement_package": allow(*STAFF),
    "create_procurement": allow(Role.ADMIN_PROVINSI),
    "change_procurement_status": allow(Role.ADMIN_PROVINSI),
    "record_delivery": allow(Role.ADMIN_PROVINSI),
    # Requests for blanks: listed in the officer's view; asked by the Dinas (or province),
    # decided by the supplier, receipt confirmed by the asker (scoped in service.py).
    "blank_requests": allow(*STAFF),
    "blank_request": allow(*STAFF),
    "create_blank_request": allow(*DINAS, Role.ADMIN_PROVINSI),
    "decide_blank_request": allow(Role.KEPALA_DINAS, Role.ADMIN_PROVINSI),
    "receive_blank_request": allow(*DINAS, Role.ADMIN_PROVINSI),
    "withdraw_blank_request": allow(*DINAS, Role.ADMIN_PROVINSI),
    # The daily stock announcement per office: public, counts only, no personal data.
    "stock_announcement": PUBLIC,
    # The ledger by serial (H5): stock and ledger in the officer's view; spoilage at the Dinas
    # desk; a count by whoever keeps that store (scoped to the office in ledger_service.py).
    "stock_offices": allow(*STAFF),
    "ledger_page": allow(*STAFF),
    "spoil_form": allow(*DINAS),
    "spoil_blanks": allow(*DINAS),
    "count_form": allow(Role.OPERATOR_KECAMATAN, *DINAS, Role.ADMIN_PROVINSI),
    "record_count": allow(Role.OPERATOR_KECAMATAN, *DINAS, Role.ADMIN_PROVINSI),
})
