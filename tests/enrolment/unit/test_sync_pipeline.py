"""SyncRecordings processes the next batch while the results of the one before are sent
(grpc_server.processed_ahead): results stay in order and each list is handed over as soon as
its batch is done; a failure comes after the results before it; a closed stream stops the worker."""
from __future__ import annotations

import threading
import time

import pytest

from enrolment.grpc_server import StreamBatches, processed_ahead


def _batches(messages, size=2):
    return StreamBatches(iter(messages), size=size, linger=0.05)


def test_results_come_in_order_one_list_per_batch():
    out = list(processed_ahead(lambda batch: [m * 10 for m in batch], _batches(range(7))))
    assert [x for results in out for x in results] == [m * 10 for m in range(7)]
    assert all(1 <= len(results) <= 2 for results in out)


def test_a_batch_is_handed_over_while_the_stream_still_waits_for_the_client():
    """A device that waits for a result before sending more must get it (no deadlock)."""
    sent = threading.Event()

    def device():
        yield 1
        sent.wait(5)   # the next message only after the first result arrived
        yield 2

    results = processed_ahead(lambda batch: list(batch), StreamBatches(device(), size=100, linger=0.01))
    assert next(results) == [1]
    sent.set()
    assert next(results) == [2]
    assert list(results) == []


def test_a_failing_batch_is_raised_after_the_results_before_it():
    def process(batch):
        if 4 in batch:
            raise RuntimeError("boom")
        return list(batch)

    got = []
    with pytest.raises(RuntimeError, match="boom"):
        for results in processed_ahead(process, _batches(range(10))):
            got += results
    assert got == [0, 1, 2, 3]


def test_closing_the_results_stops_the_worker_and_the_stream():
    processed = []

    def endless():
        i = 0
        while True:
            yield i
            i += 1

    before = set(threading.enumerate())
    batches = _batches(endless(), size=5)
    results = processed_ahead(lambda batch: processed.append(batch) or batch, batches)
    assert next(results) == [0, 1, 2, 3, 4]
    results.close()
    time.sleep(0.5)
    count = len(processed)
    time.sleep(0.5)
    assert len(processed) == count <= 3     # the batch in hand at most, then nothing more
    assert not [t for t in set(threading.enumerate()) - before
                if t.name in ("enrolment-sync-worker", "enrolment-sync-reader")]
