"""gRPC servicer: translation between protobuf and the service, with the caller the gate admitted."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import grpc
from google.protobuf import timestamp_pb2

from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2 as pb
from ektp.inventory.v1 import inventory_pb2_grpc
from inventory.domain import (
    BacklogSource,
    BlankRequest,
    ContractTerms,
    CountReport,
    Delivery,
    Forecast,
    LedgerEntry,
    LedgerFilter,
    LedgerKind,
    Office,
    ProcurementChannel,
    ProcurementPackage,
    ProcurementStatus,
    RequestKind,
    RequestState,
    Reservation,
    SerialRange,
    Stock,
    Transfer,
    Witness,
)
from inventory.errors import FieldViolation, InvalidRequest
from inventory.events import E, enum_from_pb, enum_to_pb
from inventory.service import InventoryService
from servicekit.feeds import OutboxFeed
from servicekit.grpcserver import current_principal

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["InventoryService"].full_name


def _timestamp(value: dt.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def stock_pb(stock: Stock) -> pb.Stock:
    return pb.Stock(office_code=stock.office_code, available=stock.available, reserved=stock.reserved,
                    consumed=stock.consumed, received=stock.received)


def reservation_pb(r: Reservation) -> pb.Reservation:
    message = pb.Reservation(idempotency_key=r.idempotency_key, office_code=r.office_code, serial=r.serial,
                             state=enum_to_pb(r.state), reserved_at=_timestamp(r.reserved_at))
    if r.expires_at is not None:
        message.expires_at.CopyFrom(_timestamp(r.expires_at))
    return message


def package_pb(p: ProcurementPackage) -> pb.ProcurementPackage:
    return pb.ProcurementPackage(
        package_id=p.package_id, fiscal_year=p.fiscal_year, name=p.name, quantity=p.quantity,
        estimated_value_idr=p.estimated_value_idr, channel=enum_to_pb(p.channel), status=enum_to_pb(p.status),
        status_reason=p.status_reason, status_changed_at=_timestamp(p.status_changed_at), vendor=p.vendor,
        contract_number=p.contract_number, contract_value_idr=p.contract_value_idr,
        expected_delivery_on=_iso(p.expected_delivery_on), delivered=p.delivered)


# ---- procurement, requests, forecasts (H6) ------------------------------------------------

def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _date(value: str, field_name: str) -> dt.date | None:
    """An optional YYYY-MM-DD field."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"invalid request: check {field_name}", violations=[
            FieldViolation(field_name, "tanggal berformat YYYY-MM-DD, mis. 2017-06-30")]) from None


def _when(message, field_name: str) -> dt.datetime | None:
    """An optional Timestamp field (unset: now)."""
    if not message.HasField(field_name):
        return None
    try:
        return getattr(message, field_name).ToDatetime(dt.timezone.utc)
    except ValueError:   # seconds outside 0001..9999 or nanos outside 0..999,999,999
        raise InvalidRequest(f"invalid request: check {field_name}", violations=[
            FieldViolation(field_name, "waktu yang sah, antara tahun 1 dan 9999")]) from None


def _member(domain_enum: type[E], number: int, field_name: str) -> E:
    """A required enum field; UNSPECIFIED or unknown is a field violation."""
    try:
        return enum_from_pb(domain_enum, number)
    except (KeyError, ValueError):
        names = ", ".join(m.name for m in domain_enum)
        raise InvalidRequest(f"invalid request: check {field_name}", violations=[
            FieldViolation(field_name, f"pilih salah satu: {names}")]) from None


def delivery_pb(d: Delivery) -> pb.Delivery:
    return pb.Delivery(package_id=d.package_id, sequence=d.sequence, office_code=d.office_code,
                       first_serial=d.first_serial, last_serial=d.last_serial, quantity=d.quantity,
                       delivered_at=_timestamp(d.delivered_at), reference=d.reference)


def blank_request_pb(r: BlankRequest) -> pb.BlankRequest:
    message = pb.BlankRequest(
        request_id=r.request_id, kind=enum_to_pb(r.kind), office_code=r.office_code,
        supplier_office=r.supplier_office, quantity_requested=r.quantity_requested, backlog=r.backlog,
        backlog_source=enum_to_pb(r.backlog_source), note=r.note, state=enum_to_pb(r.state),
        quantity_approved=r.quantity_approved, decision_reason=r.decision_reason, transfer_id=r.transfer_id,
        requested_at=_timestamp(r.requested_at))
    if r.decided_at:
        message.decided_at.CopyFrom(_timestamp(r.decided_at))
    if r.received_at:
        message.received_at.CopyFrom(_timestamp(r.received_at))
    return message


def forecast_pb(f: Forecast) -> pb.Forecast:
    return pb.Forecast(
        office_code=f.office_code, on_hand=f.on_hand, available=f.available, backlog=f.backlog,
        daily_consumption=f.daily_consumption or 0.0, has_daily_consumption=f.daily_consumption is not None,
        days_averaged=f.days_averaged, days_excluded=f.days_excluded, days_of_cover=f.days_of_cover or 0.0,
        has_days_of_cover=f.days_of_cover is not None, stock_out_on=_iso(f.stock_out_on), shortfall=f.shortfall,
        expected_arrival_on=_iso(f.arrival.on), arrival_explanation=f.arrival.explanation, level=f.level.value)


# ---- the ledger by serial (H5) ----------------------------------------------------------

def range_pb(r: SerialRange) -> pb.SerialRange:
    return pb.SerialRange(first_serial=r.first, last_serial=r.last)


def ranges_from_pb(ranges) -> list[SerialRange]:
    return [SerialRange(r.first_serial, r.last_serial) for r in ranges]


def office_pb(o: Office) -> pb.Office:
    return pb.Office(code=o.code, name=o.name, level=enum_to_pb(o.level), parent_code=o.parent_code or "")


def transfer_pb(t: Transfer) -> pb.Transfer:
    message = pb.Transfer(
        transfer_id=t.transfer_id, kind=enum_to_pb(t.kind), from_office=t.from_office, to_office=t.to_office,
        ranges=[range_pb(r) for r in t.ranges], quantity=t.quantity, reference=t.reference,
        status=enum_to_pb(t.status), dispatched_at=_timestamp(t.dispatched_at), loan_id=t.loan_id,
        outstanding=t.outstanding)
    if t.received_at is not None:
        message.received_at.CopyFrom(_timestamp(t.received_at))
    return message


def ledger_entry_pb(e: LedgerEntry) -> pb.LedgerEntry:
    return pb.LedgerEntry(
        entry_id=e.entry_id, office_code=e.office_code, kind=enum_to_pb(e.kind.reported),
        range=pb.SerialRange(first_serial=e.first_serial, last_serial=e.last_serial), quantity=e.quantity,
        occurred_at=_timestamp(e.occurred_at), counterparty=e.counterparty, transfer_id=e.transfer_id,
        reference=e.reference, cause=e.cause, record_id=e.record_id)


def count_report_pb(r: CountReport) -> pb.CountReport:
    return pb.CountReport(count_id=r.count_id, office_code=r.office_code, counted_at=_timestamp(r.counted_at),
                          expected=r.expected_quantity, counted=r.counted_quantity,
                          missing=[range_pb(m) for m in r.missing], surplus=[range_pb(m) for m in r.surplus])


def ledger_filter_from_pb(request: pb.ListLedgerRequest) -> LedgerFilter:
    try:
        kinds = tuple(enum_from_pb(LedgerKind, k) for k in request.kinds)
        if LedgerKind.SPOILED in kinds:   # the contract's SPOILED covers printed cards spoiled too
            kinds += (LedgerKind.MISPRINTED,)
    except (KeyError, ValueError):
        raise InvalidRequest("invalid request: check kinds", violations=[
            FieldViolation("kinds", "pilih jenis mutasi yang dikenal, mis. LEDGER_KIND_RECEIVED")]) from None
    return LedgerFilter(kinds=kinds, since=_date(request.since, "since"), until=_date(request.until, "until"),
                        serial=request.serial, limit=request.limit or 200)


class InventoryServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, service: InventoryService, feed: OutboxFeed) -> None:
        self._service = service
        self._feed = feed

    def ReceiveStock(self, request: pb.ReceiveStockRequest, context: grpc.ServicerContext) -> pb.ReceiveStockResponse:
        receipt = self._service.receive_stock(current_principal(), request.office_code, request.first_serial, request.last_serial,
                                              request.delivery_reference)
        return pb.ReceiveStockResponse(received=receipt.received, stock=stock_pb(receipt.stock))

    def ReserveBlank(self, request: pb.ReserveBlankRequest, context: grpc.ServicerContext) -> pb.ReserveBlankResponse:
        reservation = self._service.reserve_blank(current_principal(), request.office_code, request.idempotency_key)
        return pb.ReserveBlankResponse(reservation=reservation_pb(reservation))

    def ConsumeBlank(self, request: pb.ConsumeBlankRequest, context: grpc.ServicerContext) -> pb.ConsumeBlankResponse:
        reservation = self._service.consume_blank(current_principal(), request.idempotency_key, request.serial)
        return pb.ConsumeBlankResponse(reservation=reservation_pb(reservation))

    def ReleaseBlank(self, request: pb.ReleaseBlankRequest, context: grpc.ServicerContext) -> pb.ReleaseBlankResponse:
        reservation = self._service.release_blank(current_principal(), request.idempotency_key, request.reason)
        return pb.ReleaseBlankResponse(reservation=reservation_pb(reservation))

    def SpoilPrintedBlank(self, request: pb.SpoilPrintedBlankRequest,
                          context: grpc.ServicerContext) -> pb.SpoilPrintedBlankResponse:
        stock = self._service.spoil_printed_blank(current_principal(), request.idempotency_key, request.serial,
                                                  request.cause)
        return pb.SpoilPrintedBlankResponse(stock=stock_pb(stock))

    def GetStock(self, request: pb.GetStockRequest, context: grpc.ServicerContext) -> pb.GetStockResponse:
        return pb.GetStockResponse(stock=stock_pb(self._service.get_stock(current_principal(), request.office_code)))

    def ListProcurements(self, request: pb.ListProcurementsRequest,
                         context: grpc.ServicerContext) -> pb.ListProcurementsResponse:
        return pb.ListProcurementsResponse(packages=[package_pb(p) for p in self._service.list_packages(current_principal())])

    # ---- procurement, requests, forecasts (H6) ----

    def CreateProcurement(self, request: pb.CreateProcurementRequest,
                          context: grpc.ServicerContext) -> pb.CreateProcurementResponse:
        package = self._service.create_package(
            current_principal(), package_id=request.package_id or None, fiscal_year=request.fiscal_year,
            name=request.name, quantity=request.quantity, estimated_value_idr=request.estimated_value_idr,
            channel=_member(ProcurementChannel, request.channel, "channel"), at=_when(request, "planned_at"))
        return pb.CreateProcurementResponse(package=package_pb(package))

    def ChangeProcurementStatus(self, request: pb.ChangeProcurementStatusRequest,
                                context: grpc.ServicerContext) -> pb.ChangeProcurementStatusResponse:
        terms = ContractTerms(vendor=request.vendor, contract_number=request.contract_number,
                              contract_value_idr=request.contract_value_idr,
                              expected_delivery_on=_date(request.expected_delivery_on, "expected_delivery_on"))
        package = self._service.change_status(
            current_principal(), request.package_id, _member(ProcurementStatus, request.status, "status"),
            request.reason, _when(request, "changed_at"), terms)
        return pb.ChangeProcurementStatusResponse(package=package_pb(package))

    def RecordDelivery(self, request: pb.RecordDeliveryRequest,
                       context: grpc.ServicerContext) -> pb.RecordDeliveryResponse:
        principal = current_principal()
        delivery = self._service.record_delivery(principal, request.package_id, request.first_serial,
                                                 request.last_serial, _when(request, "delivered_at"), request.reference)
        package = self._service.get_package(principal, request.package_id).package
        return pb.RecordDeliveryResponse(delivery=delivery_pb(delivery), package=package_pb(package))

    def GetProcurement(self, request: pb.GetProcurementRequest,
                       context: grpc.ServicerContext) -> pb.GetProcurementResponse:
        detail = self._service.get_package(current_principal(), request.package_id)
        return pb.GetProcurementResponse(
            package=package_pb(detail.package),
            history=[pb.ProcurementStatusStep(status=enum_to_pb(h.status), reason=h.reason,
                                              changed_at=_timestamp(h.changed_at)) for h in detail.history],
            deliveries=[delivery_pb(d) for d in detail.deliveries])

    def CreateBlankRequest(self, request: pb.CreateBlankRequestRequest,
                           context: grpc.ServicerContext) -> pb.CreateBlankRequestResponse:
        source = (BacklogSource.OFFICER if request.backlog_source == pb.BACKLOG_SOURCE_UNSPECIFIED
                  else _member(BacklogSource, request.backlog_source, "backlog_source"))
        created = self._service.create_request(
            current_principal(), kind=_member(RequestKind, request.kind, "kind"), office_code=request.office_code,
            quantity=request.quantity, backlog=request.backlog, backlog_source=source,
            lender_office=request.lender_office, note=request.note)
        return pb.CreateBlankRequestResponse(request=blank_request_pb(created))

    def DecideBlankRequest(self, request: pb.DecideBlankRequestRequest,
                           context: grpc.ServicerContext) -> pb.DecideBlankRequestResponse:
        decided = self._service.decide_request(current_principal(), request.request_id, approve=request.approve,
                                               quantity=request.quantity, reason=request.reason)
        return pb.DecideBlankRequestResponse(request=blank_request_pb(decided))

    def ReceiveBlankRequest(self, request: pb.ReceiveBlankRequestRequest,
                            context: grpc.ServicerContext) -> pb.ReceiveBlankRequestResponse:
        received = self._service.receive_request(current_principal(), request.request_id)
        return pb.ReceiveBlankRequestResponse(request=blank_request_pb(received))

    def GetBlankRequest(self, request: pb.GetBlankRequestRequest,
                        context: grpc.ServicerContext) -> pb.GetBlankRequestResponse:
        return pb.GetBlankRequestResponse(
            request=blank_request_pb(self._service.get_request(current_principal(), request.request_id)))

    def ListBlankRequests(self, request: pb.ListBlankRequestsRequest,
                          context: grpc.ServicerContext) -> pb.ListBlankRequestsResponse:
        state = (None if request.state == pb.BLANK_REQUEST_STATE_UNSPECIFIED
                 else _member(RequestState, request.state, "state"))
        found = self._service.list_requests(current_principal(), state, request.limit or 100)
        return pb.ListBlankRequestsResponse(requests=[blank_request_pb(r) for r in found])

    def GetForecast(self, request: pb.GetForecastRequest, context: grpc.ServicerContext) -> pb.GetForecastResponse:
        return pb.GetForecastResponse(forecast=forecast_pb(
            self._service.forecast(current_principal(), request.office_code, request.backlog)))

    # ---- the ledger by serial (H5) ----------------------------------------------------

    def RegisterOffice(self, request: pb.RegisterOfficeRequest, context: grpc.ServicerContext) -> pb.RegisterOfficeResponse:
        office = self._service.register_office(current_principal(), request.code, request.name)
        return pb.RegisterOfficeResponse(office=office_pb(office))

    def ListOffices(self, request: pb.ListOfficesRequest, context: grpc.ServicerContext) -> pb.ListOfficesResponse:
        return pb.ListOfficesResponse(offices=[office_pb(o) for o in self._service.list_offices(current_principal())])

    def TransferStock(self, request: pb.TransferStockRequest, context: grpc.ServicerContext) -> pb.TransferStockResponse:
        if request.kind == pb.TRANSFER_KIND_LOAN:
            use_case = self._service.loan
        elif request.kind in (pb.TRANSFER_KIND_UNSPECIFIED, pb.TRANSFER_KIND_ALLOCATION):
            use_case = self._service.transfer
        else:
            raise InvalidRequest("invalid request: check kind", violations=[FieldViolation(
                "kind", "TRANSFER_KIND_ALLOCATION or TRANSFER_KIND_LOAN; a repayment goes through RepayLoan")])
        transfer = use_case(current_principal(), request.from_office, request.to_office, request.quantity,
                            request.reference)
        return pb.TransferStockResponse(transfer=transfer_pb(transfer))

    def ReceiveTransfer(self, request: pb.ReceiveTransferRequest,
                        context: grpc.ServicerContext) -> pb.ReceiveTransferResponse:
        transfer = self._service.receive_transfer(current_principal(), request.transfer_id)
        return pb.ReceiveTransferResponse(transfer=transfer_pb(transfer))

    def RepayLoan(self, request: pb.RepayLoanRequest, context: grpc.ServicerContext) -> pb.RepayLoanResponse:
        repayment = self._service.repay(current_principal(), request.loan_id, request.quantity, request.reference)
        return pb.RepayLoanResponse(repayment=transfer_pb(repayment.transfer), loan=transfer_pb(repayment.loan))

    def SpoilBlanks(self, request: pb.SpoilBlanksRequest, context: grpc.ServicerContext) -> pb.SpoilBlanksResponse:
        actor = current_principal()
        record = self._service.spoil(actor, request.office_code, ranges_from_pb(request.ranges), request.cause,
                                     [Witness(w.name, w.staff_id) for w in request.witnesses], request.reference)
        stock = self._service.get_stock(actor, request.office_code)
        return pb.SpoilBlanksResponse(record_id=record.record_id, quantity=sum(r.quantity for r in record.ranges),
                                      stock=stock_pb(stock))

    def ReportLost(self, request: pb.ReportLostRequest, context: grpc.ServicerContext) -> pb.ReportLostResponse:
        ranges = ranges_from_pb(request.ranges)
        stock = self._service.report_lost(current_principal(), request.office_code, ranges, request.cause,
                                          request.reference)
        return pb.ReportLostResponse(quantity=sum(r.quantity for r in ranges), stock=stock_pb(stock))

    def RecordCount(self, request: pb.RecordCountRequest, context: grpc.ServicerContext) -> pb.RecordCountResponse:
        report = self._service.count(current_principal(), request.office_code, ranges_from_pb(request.counted),
                                     request.reference)
        return pb.RecordCountResponse(report=count_report_pb(report))

    def ListLedger(self, request: pb.ListLedgerRequest, context: grpc.ServicerContext) -> pb.ListLedgerResponse:
        entries = self._service.ledger(current_principal(), request.office_code, ledger_filter_from_pb(request))
        return pb.ListLedgerResponse(entries=[ledger_entry_pb(e) for e in entries])

    def ExpireReservations(self, request: pb.ExpireReservationsRequest,
                           context: grpc.ServicerContext) -> pb.ExpireReservationsResponse:
        return pb.ExpireReservationsResponse(expired=self._service.expire_reservations(current_principal()))

    def StreamEvents(self, request: events_pb2.StreamEventsRequest,
                     context: grpc.ServicerContext) -> Iterator[events_pb2.StreamEventsResponse]:
        return self._feed.stream_events(request, context)


def register(server: grpc.Server, service: InventoryService, feed: OutboxFeed) -> None:
    inventory_pb2_grpc.add_InventoryServiceServicer_to_server(InventoryServicer(service, feed), server)
