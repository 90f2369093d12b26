"""Serving an outbox as `StreamEvents`, and following another service's feed.

Producer: `OutboxFeed.stream_events` is the whole StreamEvents RPC; `notify()` (called after
each commit) wakes followers at once, and they also poll, so events committed by other
replicas are seen too.

Consumer: `FeedConsumer` runs one thread per followed feed. It reads its cursor from its own
database, streams from there, and hands each event to `apply(event)`, which must check the
inbox, apply the effect, and call `outbox.mark_applied` in one transaction. Errors are
retried with capped exponential backoff from the stored cursor, so nothing is lost or doubled.
While a feed keeps failing, `FeedConsumer.state()` says since when and after how many attempts,
so the consumer's pages can say that their figures may be behind (servicekit.web).
"""
from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import grpc
from google.protobuf import any_pb2, timestamp_pb2
from sqlalchemy.engine import Engine

from ektp.events.v1 import events_pb2
from servicekit import outbox
from servicekit.metrics import ServiceMetrics

log = logging.getLogger(__name__)

PAGE = 500


def to_envelope(stored: outbox.StoredEvent) -> events_pb2.Event:
    occurred = timestamp_pb2.Timestamp()
    occurred.FromDatetime(stored.occurred_at)
    return events_pb2.Event(
        sequence=stored.sequence, event_id=stored.event_id, type=stored.type,
        occurred_at=occurred, region_code=stored.region_code,
        payload=any_pb2.Any(type_url=f"type.googleapis.com/{stored.type}", value=stored.payload))


class OutboxFeed:
    def __init__(self, engine: Engine, metrics: ServiceMetrics | None = None, poll_seconds: float = 0.5) -> None:
        self.engine = engine
        self.metrics = metrics
        self.poll_seconds = poll_seconds
        self._changed = threading.Condition()
        self._closed = False
        if metrics is not None:
            metrics.outbox_last_sequence.set_function(self._last_sequence)

    def _last_sequence(self) -> float:
        try:
            return outbox.last_sequence(self.engine)
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database is down
            return float("nan")

    def notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def close(self) -> None:
        self._closed = True
        self.notify()

    def stream_events(self, request: events_pb2.StreamEventsRequest,
                      context: grpc.ServicerContext) -> Iterator[events_pb2.StreamEventsResponse]:
        cursor, sent = request.after_sequence, 0
        remaining = request.limit if request.limit > 0 else None
        # Headers now, not with the first event: a follower learns that the feed is reachable
        # again even when there is nothing new to send (FeedConsumer.state()).
        context.send_initial_metadata(())
        while context.is_active() and not self._closed:
            page = min(PAGE, remaining - sent) if remaining is not None else PAGE
            events = outbox.read_events(self.engine, cursor, page)
            for stored in events:
                yield events_pb2.StreamEventsResponse(event=to_envelope(stored))
                cursor = stored.sequence
                sent += 1
            if remaining is not None and sent >= remaining:
                return
            if len(events) == page:
                continue
            if not request.follow:
                return
            with self._changed:
                self._changed.wait(self.poll_seconds)


Apply = Callable[[events_pb2.Event], None]
OpenStream = Callable[[events_pb2.StreamEventsRequest, float], grpc.Future]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class FeedState:
    """One followed feed as a page reports it: failing since when, after how many attempts in a
    row; `unreachable` False when the producer answers but applying its next event fails.
    `failing_since` is None while the feed is followed."""

    feed: str
    failing_since: dt.datetime | None = None
    attempts: int = 0
    unreachable: bool = False

    @property
    def failing(self) -> bool:
        return self.failing_since is not None


class FeedConsumer:
    """Follows one producer's feed in a background thread until `stop()`."""

    def __init__(self, *, feed: str, open_stream: OpenStream, apply: Apply,
                 read_cursor: Callable[[], int], metrics: ServiceMetrics,
                 stream_seconds: float = 30.0, max_backoff: float = 5.0,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.feed = feed
        self._open_stream = open_stream
        self._apply = apply
        self._read_cursor = read_cursor
        self._metrics = metrics
        self._stream_seconds = stream_seconds
        self._max_backoff = max_backoff
        self._stop = threading.Event()
        self._call: grpc.Future | None = None
        self._thread = threading.Thread(target=self._run, name=f"feed-{feed}", daemon=True)
        self.healthy = threading.Event()
        self._clock = clock
        self._state = FeedState(feed)   # replaced whole (one assignment): read without a lock

    def state(self) -> FeedState:
        """Whether the feed is failing now, since when, after how many attempts."""
        return self._state

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        call = self._call
        if call is not None:
            call.cancel()
        self._thread.join(timeout)

    def _run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                self._follow_once()
                backoff = 0.2
            except grpc.RpcError as err:
                code = err.code() if hasattr(err, "code") else None
                if self._stop.is_set():
                    break
                if code == grpc.StatusCode.DEADLINE_EXCEEDED:
                    continue  # the stream's deadline is its normal end: reconnect
                log.warning("feed %s unreachable (%s); retrying in %.1fs", self.feed, code, backoff)
                backoff = self._retry_after(backoff, unreachable=True)
            except Exception:  # noqa: BLE001 - an apply failure is retried from the cursor
                log.error("feed %s: applying an event failed; retrying in %.1fs", self.feed, backoff, exc_info=True)
                backoff = self._retry_after(backoff, unreachable=False)

    def _follow_once(self) -> None:
        cursor = self._read_cursor()
        self._metrics.consumer_sequence.labels(self.feed).set(cursor)
        request = events_pb2.StreamEventsRequest(after_sequence=cursor, follow=True)
        self._call = self._open_stream(request, self._stream_seconds)
        if self._stop.is_set():  # stop() ran before the call existed: it could not cancel it
            self._call.cancel()
            return
        self.healthy.set()
        self._wait_for_headers(self._call)
        for response in self._call:
            if self._stop.is_set():
                return
            self._apply(response.event)
            self._recovered()
            self._metrics.consumer_applied.labels(self.feed).inc()
            self._metrics.consumer_sequence.labels(self.feed).set(response.event.sequence)
        self._recovered()   # the stream ended cleanly (a limit, the producer closing): it was there

    def _wait_for_headers(self, call: grpc.Future) -> None:
        """The producer answered the stream (its headers came) and the call is still open: the
        feed is reachable again, even before a new event arrives. A failed call ends here too,
        and raises from the loop that follows."""
        initial_metadata = getattr(call, "initial_metadata", None)
        if initial_metadata is None:
            return
        initial_metadata()
        if not call.done():
            self._recovered()

    def _recovered(self) -> None:
        if self._state.failing:
            log.info("feed %s reachable again after %d failed attempts", self.feed, self._state.attempts)
            self._state = FeedState(self.feed)

    def _retry_after(self, backoff: float, *, unreachable: bool) -> float:
        """Count the failure, wait about `backoff` seconds (jittered), return the next backoff."""
        self.healthy.clear()
        failing = self._state
        self._state = FeedState(self.feed, failing.failing_since or self._clock(), failing.attempts + 1, unreachable)
        self._metrics.consumer_errors.labels(self.feed).inc()
        self._stop.wait(backoff * (0.5 + random.random()))
        return min(backoff * 2, self._max_backoff)
