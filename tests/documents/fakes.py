"""Fakes: in-process ports for unit tests, and small gRPC servicers of enrolment and inventory.

The fake servers check every call as the real ones do: it must carry a token of the
`documents` service identity, verified against the same trusted keys directory, so a test
that passes through them proves the identity is sent.
"""
from __future__ import annotations

import pathlib
import threading
from concurrent import futures

import grpc
from google.protobuf import any_pb2

from documents.distribution import Region, StockState
from documents.domain import BatchSheetJob, CardJob, Recording, SuketLetter
from documents.errors import OutOfStock, UpstreamError
from ektp.enrolment.v1 import enrolment_pb2, enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicekit.errors import FailedPrecondition, NotFound, Unauthenticated
from servicekit.grpcserver import rich_status
from servicekit.tokens import TokenVerifier, TrustedKeys
from tests.documents import factories

# Kabupaten Kapuas as the fakes know it (shortage letters): two kecamatan, a kelurahan and desa.
REGION_TREE = {
    "62.03": [("62.03.01", "Selat", False), ("62.03.02", "Kapuas Hilir", False)],
    "62.03.01": [("62.03.01.1006", "Murung Keramat", True), ("62.03.01.2001", "Terusan Tengah", False)],
    "62.03.02": [("62.03.02.2003", "Sei Asam", False)],
    "63.10": [("63.10.01", "Batulicin", False)],
    "63.10.01": [("63.10.01.1007", "Batulicin", True)],
}
REGION_NAMES = {code: name for children in REGION_TREE.values() for code, name, _ in children}

# ---- unit-test ports ------------------------------------------------------------------


class FakeEnrolment:
    def __init__(self, *recordings: Recording) -> None:
        self.recordings = {r.register_number: r for r in recordings}
        self.unreachable = False
        self.regions = {parent: [Region(c, n, k) for c, n, k in children] for parent, children in REGION_TREE.items()}

    def list_regions(self, parent_code: str) -> list[Region]:
        return list(self.regions.get(parent_code, ()))

    def region_name(self, code: str) -> str:
        return factories.REGIONS.get(code) or REGION_NAMES.get(code, code)

    def get_recording(self, register_number: str) -> Recording:
        if self.unreachable:
            raise UpstreamError("enrolment down", code="UNAVAILABLE")
        if register_number not in self.recordings:  # what EnrolmentClient raises for NOT_FOUND
            raise UpstreamError("enrolment.GetRecording failed with NOT_FOUND", code="NOT_FOUND")
        return self.recordings[register_number]


class FakeInventory:
    """Hands out serials from `stock`; idempotent by key like the real ledger."""

    def __init__(self, stock: list[str] | None = None) -> None:
        self.stock = list(stock or [])
        self.reserved: dict[str, str] = {}
        self.consumed: list[tuple[str, str]] = []
        self.spoiled: list[tuple[str, str, str]] = []
        self.unreachable = False
        self.failures = 0   # the next calls that answer UNAVAILABLE, then it works again
        self.calls = 0

    def _answer(self) -> None:
        self.calls += 1
        if self.unreachable or self.failures:
            self.failures = max(self.failures - 1, 0)
            raise UpstreamError("inventory down", code="UNAVAILABLE")

    def reserve_blank(self, office_code: str, key: str) -> str:
        self._answer()
        if key not in self.reserved:
            if not self.stock:
                raise OutOfStock("no blank")
            self.reserved[key] = self.stock.pop(0)
        return self.reserved[key]

    def consume_blank(self, key: str, serial: str) -> None:
        self._answer()
        assert self.reserved[key] == serial
        if (key, serial) not in self.consumed:
            self.consumed.append((key, serial))

    def spoil_printed_blank(self, key: str, serial: str, cause: str) -> None:
        self._answer()
        assert (key, serial) in self.consumed
        if (key, serial, cause) not in self.spoiled:
            self.spoiled.append((key, serial, cause))

    def get_forecast(self, office_code: str) -> StockState:
        if self.unreachable:
            raise UpstreamError("inventory down", code="UNAVAILABLE")
        available = len(self.stock)
        return StockState(office_code, available + len(self.reserved) - len(self.consumed), available, None,
                          "ok" if available else "out", None, "Tender 2016 berstatus ditunda.")


class FakeRenderer:
    def __init__(self) -> None:
        self.cards: list[CardJob] = []
        self.sukets: list[SuketLetter] = []

    def card(self, job: CardJob) -> bytes:
        self.cards.append(job)
        return f"%PDF card {job.card_serial}".encode()

    def suket(self, letter: SuketLetter) -> bytes:
        self.sukets.append(letter)
        return f"%PDF suket {letter.document_id}".encode()

    def batch_sheet(self, jobs: list[BatchSheetJob]) -> bytes:
        return ("%PDF batch " + " ".join(j.card.card_serial for j in jobs)).encode()


# ---- fake gRPC servicers ------------------------------------------------------------------


class DocumentsIdentityRequired:
    """Refuses a call without a valid token of the `documents` service identity:
    UNAUTHENTICATED without or with a bad token, PERMISSION_DENIED for anyone else."""

    CALLER = "documents"

    def __init__(self, trusted_keys: pathlib.Path) -> None:
        self._trusted_keys = trusted_keys
        self._verifier: TokenVerifier | None = None
        self.callers: list[str] = []   # subjects of the admitted calls

    def admit(self, context: grpc.ServicerContext) -> None:
        header = dict(context.invocation_metadata()).get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "no bearer token")
        if self._verifier is None:  # made at the first call, once documents has published its key
            self._verifier = TokenVerifier(TrustedKeys(self._trusted_keys))
        try:
            principal = self._verifier.verify(token)
        except Unauthenticated as exc:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, exc.reason)
        if principal.service_name != self.CALLER:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, f"only the {self.CALLER} service may call")
        self.callers.append(principal.subject)


class FakeFeed(DocumentsIdentityRequired):
    """A followable StreamEvents over an in-memory event list."""

    EVENT_ID_PREFIX = "00000000-0000-4000-8000-"   # event ids are unique across feeds, as UUIDs are

    def __init__(self, trusted_keys: pathlib.Path) -> None:
        super().__init__(trusted_keys)
        self.events: list[events_pb2.Event] = []
        self._changed = threading.Condition()

    def publish(self, message, region_code: str, event_id: str | None = None) -> events_pb2.Event:
        payload = any_pb2.Any()
        payload.Pack(message)
        with self._changed:
            sequence = len(self.events) + 1
            event = events_pb2.Event(
                sequence=sequence, event_id=event_id or f"{self.EVENT_ID_PREFIX}{sequence:012d}",
                type=message.DESCRIPTOR.full_name, region_code=region_code, payload=payload)
            self.events.append(event)
            self._changed.notify_all()
        return event

    def StreamEvents(self, request, context):
        self.admit(context)
        cursor = request.after_sequence
        while context.is_active():
            with self._changed:
                pending = [e for e in self.events if e.sequence > cursor]
                if not pending and request.follow:
                    self._changed.wait(0.2)
                    continue
            for event in pending:
                yield events_pb2.StreamEventsResponse(event=event)
                cursor = event.sequence
            if not request.follow:
                return


class FakeEnrolmentServicer(FakeFeed, enrolment_pb2_grpc.EnrolmentServiceServicer):
    """GetRecording, GetRegion and a followable StreamEvents over an in-memory event list."""

    def __init__(self, trusted_keys: pathlib.Path) -> None:
        super().__init__(trusted_keys)
        self.recordings: dict[str, enrolment_pb2.Recording] = {}
        self.down = False   # GetRecording answers UNAVAILABLE

    def add_print_ready(self, recording: enrolment_pb2.Recording, event_id: str | None = None) -> events_pb2.Event:
        self.recordings[recording.register_number] = recording
        return self.publish(enrolment_pb2.RecordingPrintReady(
            register_number=recording.register_number, office_code=recording.office_code,
            region_code=recording.resident.region_code), recording.resident.region_code, event_id)

    def GetRecording(self, request, context):
        self.admit(context)
        if self.down:
            context.abort(grpc.StatusCode.UNAVAILABLE, "enrolment is down")
        if request.register_number not in self.recordings:
            context.abort_with_status(rich_status(NotFound("no recording"), grpc.StatusCode.NOT_FOUND, "fake"))
        return enrolment_pb2.GetRecordingResponse(recording=self.recordings[request.register_number])

    def ListRegions(self, request, context):
        self.admit(context)
        return enrolment_pb2.ListRegionsResponse(regions=[
            enrolment_pb2.Region(code=c, name=n, is_kelurahan=k, parent_code=request.parent_code)
            for c, n, k in REGION_TREE.get(request.parent_code, ())])

    def GetRegion(self, request, context):
        self.admit(context)
        name = factories.REGIONS.get(request.code) or REGION_NAMES.get(request.code)
        if name is None:
            context.abort_with_status(rich_status(NotFound("no region"), grpc.StatusCode.NOT_FOUND, "fake"))
        return enrolment_pb2.GetRegionResponse(region=enrolment_pb2.Region(code=request.code, name=name))


class FakeInventoryServicer(FakeFeed, inventory_pb2_grpc.InventoryServiceServicer):
    """ReserveBlank / ConsumeBlank / SpoilPrintedBlank over a list of serials; OUT_OF_STOCK when
    it is empty, UNAVAILABLE while `down`; `receive_stock` adds serials and tells the feed."""

    EVENT_ID_PREFIX = "00000000-0000-4000-9000-"

    def __init__(self, trusted_keys: pathlib.Path, stock: list[str] | None = None) -> None:
        super().__init__(trusted_keys)
        self.stock = list(stock or [])
        self.reservations: dict[str, inventory_pb2.Reservation] = {}
        self.consumed: list[str] = []
        self.spoiled: list[str] = []
        self.down = False
        self.expected_arrival_on = ""   # GetForecast: YYYY-MM-DD, empty when unknown
        self._lock = threading.Lock()

    def receive_stock(self, office_code: str, serials: list[str]) -> events_pb2.Event:
        with self._lock:
            self.stock.extend(serials)
        return self.publish(inventory_pb2.StockReceived(
            office_code=office_code, first_serial=serials[0], last_serial=serials[-1], quantity=len(serials),
            available=len(self.stock)), office_code)

    def ReserveBlank(self, request, context):
        self.admit(context)
        if self.down:
            context.abort(grpc.StatusCode.UNAVAILABLE, "inventory is down")
        with self._lock:
            if request.idempotency_key not in self.reservations:
                if not self.stock:
                    context.abort_with_status(rich_status(
                        FailedPrecondition("no blank in stock", reason="OUT_OF_STOCK"),
                        grpc.StatusCode.FAILED_PRECONDITION, "inventory.ektp"))
                self.reservations[request.idempotency_key] = inventory_pb2.Reservation(
                    idempotency_key=request.idempotency_key, office_code=request.office_code,
                    serial=self.stock.pop(0), state=inventory_pb2.RESERVATION_STATE_RESERVED)
            return inventory_pb2.ReserveBlankResponse(reservation=self.reservations[request.idempotency_key])

    def GetForecast(self, request, context):
        self.admit(context)
        with self._lock:
            available = len(self.stock)
        return inventory_pb2.GetForecastResponse(forecast=inventory_pb2.Forecast(
            office_code=request.office_code, on_hand=available, available=available,
            level="ok" if available else "out", expected_arrival_on=self.expected_arrival_on,
            arrival_explanation="Tender 2016 berstatus ditunda." if not self.expected_arrival_on else ""))

    def ConsumeBlank(self, request, context):
        self.admit(context)
        with self._lock:
            reservation = self.reservations[request.idempotency_key]
            if reservation.serial != request.serial:
                context.abort(grpc.StatusCode.FAILED_PRECONDITION, "serial does not match the reservation")
            reservation.state = inventory_pb2.RESERVATION_STATE_CONSUMED
            if request.serial not in self.consumed:
                self.consumed.append(request.serial)
            return inventory_pb2.ConsumeBlankResponse(reservation=reservation)

    def SpoilPrintedBlank(self, request, context):
        self.admit(context)
        with self._lock:
            reservation = self.reservations[request.idempotency_key]
            if reservation.serial != request.serial or request.serial not in self.consumed:
                context.abort(grpc.StatusCode.FAILED_PRECONDITION, "not the printed blank of this key")
            if request.serial not in self.spoiled:
                self.spoiled.append(request.serial)
            return inventory_pb2.SpoilPrintedBlankResponse(stock=inventory_pb2.Stock(office_code=reservation.office_code))


def start_fake_server(*servicers_and_adders) -> tuple[grpc.Server, int]:
    """A plain gRPC server on a free loopback port with the given (servicer, add_fn) pairs."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    for servicer, add in servicers_and_adders:
        add(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port
