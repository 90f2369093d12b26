"""FeedConsumer remembers, per feed, whether it is failing, since when and after how many
attempts (what the pages' "data delayed" banner says), and retries with a backoff that doubles
up to its cap. Fake streams: no server, no waiting (the waits are recorded, not slept)."""
from __future__ import annotations

import datetime as dt
import itertools
import threading

import grpc
import pytest

from ektp.events.v1 import events_pb2
from servicekit import feeds
from servicekit.feeds import FeedConsumer, FeedState
from servicekit.metrics import ServiceMetrics
from tests.conftest import wait_for

T0 = dt.datetime(2016, 11, 28, 11, 5, tzinfo=dt.timezone.utc)


class Unavailable(grpc.RpcError):
    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNAVAILABLE


class FailedCall:
    """A stream whose producer is down: no headers, done at once, raises when read."""

    def initial_metadata(self):
        return None

    def done(self) -> bool:
        return True

    def cancel(self) -> None:
        pass

    def __iter__(self):
        raise Unavailable()


class OpenCall:
    """A stream the producer answered: headers at once, `events`, then open until cancelled."""

    def __init__(self, events=()) -> None:
        self.events = list(events)
        self.cancelled = threading.Event()

    def initial_metadata(self):
        return ()

    def done(self) -> bool:
        return self.cancelled.is_set()

    def cancel(self) -> None:
        self.cancelled.set()

    def __iter__(self):
        yield from (events_pb2.StreamEventsResponse(event=e) for e in self.events)
        self.cancelled.wait(10)


class RecordedWaits(threading.Event):
    """The consumer's stop event, whose waits between attempts are recorded instead of slept."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout=None) -> bool:
        self.waits.append(timeout)
        return self.is_set()


def consumer(open_stream, *, apply=lambda event: None, clock=None, max_backoff=5.0) -> FeedConsumer:
    ticks = itertools.count()
    made = FeedConsumer(feed="enrolment", open_stream=open_stream, apply=apply, read_cursor=lambda: 0,
                        metrics=ServiceMetrics("feedstate"), max_backoff=max_backoff,
                        clock=clock or (lambda: T0 + dt.timedelta(minutes=next(ticks))))
    made._stop = RecordedWaits()
    return made


@pytest.fixture
def no_jitter(monkeypatch):
    """random() = 0.5: each wait is exactly the backoff (x0.5..1.5 jitter at its middle)."""
    monkeypatch.setattr(feeds.random, "random", lambda: 0.5)


def test_a_feed_not_yet_tried_or_followed_is_not_failing():
    state = consumer(lambda request, timeout: OpenCall()).state()

    assert state == FeedState("enrolment") and not state.failing


def test_the_backoff_doubles_from_a_fifth_of_a_second_up_to_its_cap(no_jitter):
    calls = []

    def open_stream(request, timeout):
        calls.append(request)
        if len(calls) == 9:
            made._stop.set()          # the ninth attempt is the last: stop() while it fails
        return FailedCall()

    made = consumer(open_stream, max_backoff=3.0)
    made._run()   # in this thread: returns once stopped

    assert made._stop.waits == [0.2, 0.4, 0.8, 1.6, 3.0, 3.0, 3.0, 3.0]
    assert made.state().attempts == 8   # the ninth failed after stop(): not retried, not counted


def test_the_jitter_keeps_each_wait_within_half_and_one_and_a_half_of_the_backoff(monkeypatch):
    draws = iter([0.0, 0.999, 0.0, 0.999])
    monkeypatch.setattr(feeds.random, "random", lambda: next(draws))
    calls = []

    def open_stream(request, timeout):
        calls.append(request)
        if len(calls) == 5:
            made._stop.set()
        return FailedCall()

    made = consumer(open_stream)
    made._run()

    assert made._stop.waits == pytest.approx([0.1, 0.4 * 1.499, 0.4, 1.6 * 1.499])


def test_a_failing_feed_says_since_when_and_how_many_attempts_in_a_row(no_jitter):
    def open_stream(request, timeout):
        if made.state().attempts == 3:
            made._stop.set()
        return FailedCall()

    made = consumer(open_stream)
    made._run()

    state = made.state()
    assert state.failing and state.unreachable
    assert state.failing_since == T0            # the first failure, not the latest
    assert state.attempts == 3


def test_an_event_that_cannot_be_applied_is_failing_but_not_unreachable(no_jitter):
    event = events_pb2.Event(sequence=1, event_id="e-1", type="test.Thing")
    calls = []

    def open_stream(request, timeout):
        calls.append(request)
        if len(calls) == 2:
            made._stop.set()
        return OpenCall([event])

    def apply(event) -> None:
        raise RuntimeError("the database is locked")

    made = consumer(open_stream, apply=apply)
    made._run()

    state = made.state()
    assert state.failing and not state.unreachable and state.attempts == 1


def test_the_feed_counts_as_followed_again_once_the_producer_answers_before_any_event(monkeypatch):
    """Nothing new may be waiting when the producer returns: its headers are enough."""
    monkeypatch.setattr(feeds.random, "random", lambda: 0.0)
    answered = OpenCall()
    calls, before = [], []

    def open_stream(request, timeout):
        calls.append(request)
        if len(calls) <= 3:
            return FailedCall()
        before.append(made.state())   # as a page saw it while the producer came back
        return answered

    made = FeedConsumer(feed="enrolment", open_stream=open_stream, apply=lambda event: None,
                        read_cursor=lambda: 0, metrics=ServiceMetrics("feedstate"), max_backoff=0.2,
                        clock=lambda: T0)
    made.start()
    try:
        wait_for(lambda: len(calls) == 4 and not made.state().failing, message="followed again")
    finally:
        made.stop()
    assert before == [FeedState("enrolment", T0, 3, unreachable=True)]
    assert made.state() == FeedState("enrolment") and not answered.events


def test_a_real_feed_server_sends_its_headers_before_any_event():
    """OutboxFeed.stream_events starts the response at once (the consumer's recovery signal)."""
    sent = []

    class Context:
        def is_active(self) -> bool:
            return False

        def send_initial_metadata(self, metadata) -> None:
            sent.append(metadata)

    feed = feeds.OutboxFeed.__new__(feeds.OutboxFeed)   # no engine needed: the stream ends at once
    feed._closed = False
    list(feed.stream_events(events_pb2.StreamEventsRequest(follow=True), Context()))

    assert sent == [()]


class Stated:
    def __init__(self, state: FeedState) -> None:
        self._state = state

    def state(self) -> FeedState:
        return self._state


def test_the_banner_names_only_the_failing_feeds_with_the_time_in_wib_and_the_date_when_not_today():
    from servicekit.web import delayed_feeds

    now = dt.datetime(2016, 11, 28, 12, 0, tzinfo=dt.timezone.utc)          # 19:00 WIB
    consumers = [Stated(FeedState("enrolment", T0, 4, unreachable=True)),   # 18:05 WIB today
                 Stated(FeedState("inventory")),
                 Stated(FeedState("documents", T0 - dt.timedelta(days=1), 9, unreachable=False))]

    delayed = delayed_feeds(consumers, now)

    assert [(d.feed, d.label, d.since, d.attempts, d.unreachable) for d in delayed] == [
        ("enrolment", "perekaman", "18:05 WIB", 4, True),
        ("documents", "dokumen", "27-11-2016 18:05 WIB", 9, False)]
