"""Calls to other services: the producers' StreamEvents, each with a deadline, and region
names from enrolment (the owner of region master data), cached.

FeedConsumer owns the retry loop and needs the raw call (a deadline is the normal end of a
stream, CANCELLED means we stopped), so the stream is handed over as it is.

Channels come from `open_channel` (the bootstrap passes `Security.channel`), so every call
carries reporting's service identity, over mutual TLS in production.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

import grpc

from ektp.documents.v1 import documents_pb2_grpc
from ektp.enrolment.v1 import enrolment_pb2, enrolment_pb2_grpc
from ektp.events.v1 import events_pb2
from ektp.inventory.v1 import inventory_pb2_grpc
from servicekit.clients import translate
from servicekit.errors import NotFound

_STUBS = {
    "enrolment": enrolment_pb2_grpc.EnrolmentServiceStub,
    "inventory": inventory_pb2_grpc.InventoryServiceStub,
    "documents": documents_pb2_grpc.DocumentsServiceStub,
}

OpenStream = Callable[[events_pb2.StreamEventsRequest, float], grpc.Future]
OpenChannel = Callable[[str], grpc.Channel]


class ProducerFeeds:
    """One channel per followed producer: feed name -> target."""

    def __init__(self, targets: dict[str, str], *, open_channel: OpenChannel) -> None:
        self._channels = {feed: open_channel(target) for feed, target in targets.items()}
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


class EnrolmentRegions:
    """Names of a region and its children from enrolment's ListRegions/GetRegion.

    Master data rarely changes: answers are kept for `ttl` seconds; a failed lookup is not
    retried for `retry_after` seconds, so pages stay fast while enrolment is down.
    """

    def __init__(self, target: str, *, open_channel: OpenChannel, deadline: float = 2.0, ttl: float = 600.0,
                 retry_after: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._channel = open_channel(target)
        self._stub = enrolment_pb2_grpc.EnrolmentServiceStub(self._channel)
        self._deadline, self._ttl, self._retry_after, self._clock = deadline, ttl, retry_after, clock
        self._cache: dict[str, tuple[float, Mapping[str, str] | Exception]] = {}
        self._lock = threading.Lock()

    def names(self, code: str) -> Mapping[str, str]:
        with self._lock:
            cached = self._cache.get(code)
        if cached is not None and self._clock() < cached[0]:
            if isinstance(cached[1], Exception):
                raise cached[1]
            return cached[1]
        try:
            found = self._fetch(code)
            entry: tuple[float, Mapping[str, str] | Exception] = (self._clock() + self._ttl, found)
        except grpc.RpcError as err:
            error = translate(err)
            with self._lock:
                self._cache[code] = (self._clock() + self._retry_after, error)
            raise error from None
        with self._lock:
            self._cache[code] = entry
        return found

    def _fetch(self, code: str) -> dict[str, str]:
        children = self._stub.ListRegions(enrolment_pb2.ListRegionsRequest(parent_code=code), timeout=self._deadline)
        names = {region.code: region.name for region in children.regions}
        try:
            own = self._stub.GetRegion(enrolment_pb2.GetRegionRequest(code=code), timeout=self._deadline)
            names[code] = own.region.name
        except grpc.RpcError as err:
            if not isinstance(translate(err), NotFound):
                raise
        return names

    def close(self) -> None:
        self._channel.close()

