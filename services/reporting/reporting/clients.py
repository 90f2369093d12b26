"""The producers' StreamEvents calls, each with a deadline. Reporting calls nothing else.

FeedConsumer owns the retry loop and needs the raw call (a deadline is the normal end of a
stream, CANCELLED means we stopped), so the stream is handed over as it is.
"""
from __future__ import annotations

from collections.abc import Callable

import grpc

from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2_grpc
from servicekit.clients import make_channel

_STUBS = {
    "enrolment": enrolment_pb2_grpc.EnrolmentServiceStub,
    "inventory": inventory_pb2_grpc.InventoryServiceStub,
    "documents": documents_pb2_grpc.DocumentsServiceStub,
}

OpenStream = Callable[[events_pb2.StreamEventsRequest, float], grpc.Future]


class ProducerFeeds:
    """One channel per followed producer: feed name -> target."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._channels = {feed: make_channel(target) for feed, target in targets.items()}
        self._stubs = {feed: _STUBS[feed](channel) for feed, channel in self._channels.items()}

    @property
    def names(self) -> list[str]:
        return list(self._stubs)

    def opener(self, feed: str) -> OpenStream:
        stub = self._stubs[feed]

        def open_stream(request: events_pb2.StreamEventsRequest, timeout: float) -> grpc.Future:
            return stub.StreamEvents(request, timeout=timeout)
        return open_stream

    def close(self) -> None:
        for channel in self._channels.values():
            channel.close()
