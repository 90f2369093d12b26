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

from documents.domain import CardJob, Recording, SuketLetter
from documents.errors import OutOfStock, UpstreamError
from ektp.enrolment.v1 import enrolment_pb2, enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicekit.errors import FailedPrecondition, NotFound, Unauthenticated
from servicekit.grpcserver import rich_status
from servicekit.tokens import TokenVerifier, TrustedKeys
from tests.documents import factories

# ---- unit-test ports ------------------------------------------------------------------


class FakeEnrolment:
    def __init__(self, *recordings: Recording) -> None:
        self.recordings = {r.register_number: r for r in recordings}
        self.unreachable = False

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
        self.unreachable = False

    def reserve_blank(self, office_code: str, key: str) -> str:
        if self.unreachable:
            raise UpstreamError("inventory down", code="UNAVAILABLE")
        if key not in self.reserved:
            if not self.stock:
                raise OutOfStock("no blank")
            self.reserved[key] = self.stock.pop(0)
        return self.reserved[key]

    def consume_blank(self, key: str, serial: str) -> None:
        assert self.reserved[key] == serial
        if (key, serial) not in self.consumed:
            self.consumed.append((key, serial))


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


class FakeEnrolmentServicer(DocumentsIdentityRequired, enrolment_pb2_grpc.EnrolmentServiceServicer):
    """GetRecording, GetRegion and a followable StreamEvents over an in-memory event list."""

    def __init__(self, trusted_keys: pathlib.Path) -> None:
        super().__init__(trusted_keys)
        self.recordings: dict[str, enrolment_pb2.Recording] = {}
        self.down = False   # GetRecording answers UNAVAILABLE
        self.events: list[events_pb2.Event] = []
        self._changed = threading.Condition()

    def add_print_ready(self, recording: enrolment_pb2.Recording, event_id: str | None = None) -> events_pb2.Event:
        self.recordings[recording.register_number] = recording
        payload = any_pb2.Any()
        payload.Pack(enrolment_pb2.RecordingPrintReady(
            register_number=recording.register_number, office_code=recording.office_code,
            region_code=recording.resident.region_code))
        with self._changed:
            sequence = len(self.events) + 1
            event = events_pb2.Event(
                sequence=sequence, event_id=event_id or f"00000000-0000-4000-8000-{sequence:012d}",
                type="ektp.enrolment.v1.RecordingPrintReady", region_code=recording.resident.region_code,
                payload=payload)
            self.events.append(event)
            self._changed.notify_all()
        return event

    def GetRecording(self, request, context):
        self.admit(context)
        if self.down:
            context.abort(grpc.StatusCode.UNAVAILABLE, "enrolment is down")
        if request.register_number not in self.recordings:
            context.abort_with_status(rich_status(NotFound("no recording"), grpc.StatusCode.NOT_FOUND, "fake"))
        return enrolment_pb2.GetRecordingResponse(recording=self.recordings[request.register_number])

    def GetRegion(self, request, context):
        self.admit(context)
        name = factories.REGIONS.get(request.code)
        if name is None:
            context.abort_with_status(rich_status(NotFound("no region"), grpc.StatusCode.NOT_FOUND, "fake"))
        return enrolment_pb2.GetRegionResponse(region=enrolment_pb2.Region(code=request.code, name=name))

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


class FakeInventoryServicer(DocumentsIdentityRequired, inventory_pb2_grpc.InventoryServiceServicer):
    """ReserveBlank / ConsumeBlank over a list of serials; OUT_OF_STOCK when it is empty."""

    def __init__(self, trusted_keys: pathlib.Path, stock: list[str] | None = None) -> None:
        super().__init__(trusted_keys)
        self.stock = list(stock or [])
        self.reservations: dict[str, inventory_pb2.Reservation] = {}
        self.consumed: list[str] = []
        self._lock = threading.Lock()

    def ReserveBlank(self, request, context):
        self.admit(context)
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


def start_fake_server(*servicers_and_adders) -> tuple[grpc.Server, int]:
    """A plain gRPC server on a free loopback port with the given (servicer, add_fn) pairs."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    for servicer, add in servicers_and_adders:
        add(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port
