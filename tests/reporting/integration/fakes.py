"""Fake producers: the real generated servicers, serving StreamEvents from an in-memory list.

Like the real producers, they serve their feed only to the reporting service's identity:
the bearer token is verified against the trusted keys of the test's var_dir.
"""
from __future__ import annotations

import pathlib
import threading
from concurrent import futures

import grpc

from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2_grpc
from servicekit import outbox
from servicekit.access import Principal
from servicekit.errors import Unauthenticated
from servicekit.tokens import TokenVerifier, TrustedKeys
from tests.reporting import builders

SERVICERS = {
    "enrolment": (enrolment_pb2_grpc.EnrolmentServiceServicer, enrolment_pb2_grpc.add_EnrolmentServiceServicer_to_server),
    "inventory": (inventory_pb2_grpc.InventoryServiceServicer, inventory_pb2_grpc.add_InventoryServiceServicer_to_server),
    "documents": (documents_pb2_grpc.DocumentsServiceServicer, documents_pb2_grpc.add_DocumentsServiceServicer_to_server),
}


class FakeFeed:
    """An in-memory outbox. `replay_all` ignores the consumer's cursor (at-least-once delivery)."""

    def __init__(self) -> None:
        self.events: list[events_pb2.Event] = []
        self.replay_all = False
        self._changed = threading.Condition()

    def append(self, *payloads) -> int:
        with self._changed:
            for payload in payloads:
                self.events.append(builders.envelope(payload, len(self.events) + 1))
            self._changed.notify_all()
            return len(self.events)

    def stream(self, request: events_pb2.StreamEventsRequest, context: grpc.ServicerContext):
        cursor = 0 if self.replay_all else request.after_sequence
        while context.is_active():
            with self._changed:
                pending = [e for e in self.events if e.sequence > cursor]
                if not pending:
                    if not request.follow:
                        return
                    self._changed.wait(0.1)
                    continue
            for event in pending:
                yield events_pb2.StreamEventsResponse(event=event)
                cursor = event.sequence


def caller(context: grpc.ServicerContext, trusted_keys: pathlib.Path) -> Principal:
    """The verified principal of a call, or the call ends UNAUTHENTICATED. Keys are read per
    call, so a service that published its key after this fake started is trusted."""
    header = dict(context.invocation_metadata()).get("authorization", "")
    scheme, _, token = header.partition(" ")
    principal = None
    if scheme.lower() == "bearer" and token:
        try:
            principal = TokenVerifier(TrustedKeys(trusted_keys)).verify(token)
        except Unauthenticated:
            pass
    if principal is None:
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "token tidak sah")
    return principal


class FakeProducer:
    """One producer's gRPC server on a fixed port once bound, so it can be stopped and restarted.
    `callers` lists who opened its feed."""

    def __init__(self, name: str, trusted_keys: pathlib.Path) -> None:
        self.name = name
        self.feed = FakeFeed()
        self.port = 0
        self.trusted_keys = trusted_keys
        self.callers: list[Principal] = []
        self._server: grpc.Server | None = None

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        base, add = SERVICERS[self.name]
        producer = self

        class Servicer(base):
            def StreamEvents(self, request, context):
                principal = caller(context, producer.trusted_keys)
                producer.callers.append(principal)
                if principal.service_name != "reporting":
                    context.abort(grpc.StatusCode.PERMISSION_DENIED, "feed ini hanya untuk layanan pelaporan")
                return producer.feed.stream(request, context)

        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        add(Servicer(), self._server)
        self.port = self._server.add_insecure_port(f"127.0.0.1:{self.port}")
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop(0).wait()
            self._server = None


def caught_up(engine, producers: dict[str, FakeProducer]) -> bool:
    """True once reporting's cursor of every feed is at its producer's last event."""
    return all(outbox.read_cursor(engine, name) == len(fake.feed.events) for name, fake in producers.items())
