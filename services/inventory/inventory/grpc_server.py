"""gRPC servicer: translation between protobuf and the service, with the caller the gate admitted."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import grpc
from google.protobuf import timestamp_pb2

from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2 as pb
from ektp.inventory.v1 import inventory_pb2_grpc
from inventory.domain import ProcurementPackage, Reservation, Stock
from inventory.events import enum_to_pb
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
    return pb.Reservation(idempotency_key=r.idempotency_key, office_code=r.office_code, serial=r.serial,
                          state=enum_to_pb(r.state), reserved_at=_timestamp(r.reserved_at))


def package_pb(p: ProcurementPackage) -> pb.ProcurementPackage:
    return pb.ProcurementPackage(
        package_id=p.package_id, fiscal_year=p.fiscal_year, name=p.name, quantity=p.quantity,
        estimated_value_idr=p.estimated_value_idr, channel=enum_to_pb(p.channel), status=enum_to_pb(p.status),
        status_reason=p.status_reason, status_changed_at=_timestamp(p.status_changed_at))


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

    def GetStock(self, request: pb.GetStockRequest, context: grpc.ServicerContext) -> pb.GetStockResponse:
        return pb.GetStockResponse(stock=stock_pb(self._service.get_stock(current_principal(), request.office_code)))

    def ListProcurements(self, request: pb.ListProcurementsRequest,
                         context: grpc.ServicerContext) -> pb.ListProcurementsResponse:
        return pb.ListProcurementsResponse(packages=[package_pb(p) for p in self._service.list_packages(current_principal())])

    def StreamEvents(self, request: events_pb2.StreamEventsRequest,
                     context: grpc.ServicerContext) -> Iterator[events_pb2.StreamEventsResponse]:
        return self._feed.stream_events(request, context)


def register(server: grpc.Server, service: InventoryService, feed: OutboxFeed) -> None:
    inventory_pb2_grpc.add_InventoryServiceServicer_to_server(InventoryServicer(service, feed), server)
