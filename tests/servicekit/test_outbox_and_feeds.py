"""Outbox, inbox and feeds on both databases: ordered, complete, replay-safe, resumable."""
from __future__ import annotations

import threading

import grpc
import pytest
import sqlalchemy as sa

from ektp.events.v1 import events_pb2
from servicekit import outbox
from servicekit.db import SqlUnitOfWork, create_engine
from servicekit.feeds import FeedConsumer, OutboxFeed
from servicekit.grpcserver import create_server
from servicekit.metrics import ServiceMetrics
from tests.conftest import wait_for

STREAM = "/test.Feed/StreamEvents"


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url)
    metadata = sa.MetaData()
    outbox.define_outbox(metadata)
    outbox.define_inbox(metadata)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def _event(n: int) -> outbox.EncodedEvent:
    return outbox.EncodedEvent(type="test.Thing", region_code="62.03", payload=str(n).encode())


def _commit(engine, *numbers: int, feed: OutboxFeed | None = None) -> None:
    with SqlUnitOfWork(engine, encode_event=_event, after_commit=feed.notify if feed else None) as uow:
        for n in numbers:
            uow.add_event(n)
        uow.commit()


def test_events_are_read_in_commit_order_and_a_rollback_writes_none(engine):
    _commit(engine, 1, 2)
    with SqlUnitOfWork(engine, encode_event=_event) as uow:
        uow.add_event(99)  # never committed
    _commit(engine, 3)
    events = outbox.read_events(engine, 0, 10)
    assert [e.payload for e in events] == [b"1", b"2", b"3"]
    assert [e.sequence for e in events] == sorted(e.sequence for e in events)
    assert outbox.read_events(engine, events[1].sequence, 10)[0].payload == b"3"
    assert outbox.last_sequence(engine) == events[-1].sequence


def test_concurrent_writers_never_leave_a_gap_behind_the_cursor(engine):
    def writer(base: int) -> None:
        for i in range(20):
            _commit(engine, base + i)

    threads = [threading.Thread(target=writer, args=(k * 100,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = outbox.read_events(engine, 0, 1000)
    assert len(events) == 80 and len({e.event_id for e in events}) == 80


def test_inbox_marks_and_cursor_moves_forward_only(engine):
    with engine.begin() as conn:
        assert not outbox.already_applied(conn, "e1")
        outbox.mark_applied(conn, "enrolment", "e1", 5)
        outbox.mark_applied(conn, "enrolment", "e0", 3)  # late arrival does not move it back
        assert outbox.already_applied(conn, "e1")
    assert outbox.read_cursor(engine, "enrolment") == 5
    assert outbox.read_cursor(engine, "other") == 0


@pytest.fixture
def feed_server(engine):
    feed = OutboxFeed(engine, poll_seconds=0.2)
    handler = grpc.method_handlers_generic_handler("test.Feed", {"StreamEvents": grpc.unary_stream_rpc_method_handler(
        feed.stream_events, request_deserializer=events_pb2.StreamEventsRequest.FromString,
        response_serializer=events_pb2.StreamEventsResponse.SerializeToString)})
    srv = create_server(address="127.0.0.1:0", context_name="feedtest",
                        register=lambda s: s.add_generic_rpc_handlers((handler,)),
                        service_names=["test.Feed"], metrics=ServiceMetrics("feedtest"), reflection_on=False, gate=None)
    srv.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{srv.port}")
    stream = channel.unary_stream(STREAM, request_serializer=events_pb2.StreamEventsRequest.SerializeToString,
                                  response_deserializer=events_pb2.StreamEventsResponse.FromString)
    yield feed, stream
    feed.close()
    channel.close()
    srv.stop(0)


def test_stream_respects_limit_and_after_sequence(engine, feed_server):
    _, stream = feed_server
    _commit(engine, 1, 2, 3, 4)
    got = [r.event for r in stream(events_pb2.StreamEventsRequest(after_sequence=0, limit=2), timeout=5)]
    assert [e.payload.value for e in got] == [b"1", b"2"]
    rest = [r.event.payload.value for r in stream(events_pb2.StreamEventsRequest(after_sequence=got[-1].sequence), timeout=5)]
    assert rest == [b"3", b"4"]
    assert got[0].type == "test.Thing" and got[0].payload.type_url.endswith("/test.Thing")


def test_follow_delivers_events_committed_after_the_stream_opened(engine, feed_server):
    feed, stream = feed_server
    call = stream(events_pb2.StreamEventsRequest(follow=True), timeout=10)
    received: list[bytes] = []

    def read() -> None:
        try:
            for response in call:
                received.append(response.event.payload.value)
        except grpc.RpcError as err:  # our own cancel at the end
            assert err.code() == grpc.StatusCode.CANCELLED

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    _commit(engine, 7, feed=feed)
    wait_for(lambda: received == [b"7"], message="the followed event")
    call.cancel()


def test_consumer_applies_each_event_once_and_resumes_from_its_cursor(engine, feed_server):
    feed, stream = feed_server
    applied: list[bytes] = []

    def apply(event) -> None:
        with engine.begin() as conn:
            if outbox.already_applied(conn, event.event_id):
                return
            applied.append(event.payload.value)
            outbox.mark_applied(conn, "test", event.event_id, event.sequence)

    def start() -> FeedConsumer:
        consumer = FeedConsumer(feed="test", open_stream=lambda req, t: stream(req, timeout=t), apply=apply,
                                read_cursor=lambda: outbox.read_cursor(engine, "test"),
                                metrics=ServiceMetrics("consumer"), stream_seconds=2)
        consumer.start()
        return consumer

    _commit(engine, 1, 2, feed=feed)
    consumer = start()
    wait_for(lambda: applied == [b"1", b"2"], message="first two events")
    consumer.stop()
    _commit(engine, 3, feed=feed)  # written while the consumer is down
    consumer = start()
    _commit(engine, 4, feed=feed)
    wait_for(lambda: applied == [b"1", b"2", b"3", b"4"], message="catch-up")
    consumer.stop()
