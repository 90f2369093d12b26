"""GroupCommit: concurrent submissions share batches, each caller gets its own outcome."""
from __future__ import annotations

import threading
import time

import pytest

from servicekit.batching import GroupCommit


def test_a_single_caller_is_a_batch_of_one():
    batches = []
    group = GroupCommit(lambda items: (batches.append(list(items)), [i * 2 for i in items])[1])
    assert group.submit(3) == 6
    assert group.submit(4) == 8
    assert batches == [[3], [4]]


def test_concurrent_callers_share_batches_and_each_gets_its_own_result():
    batches: list[list[int]] = []
    release = threading.Event()

    def process(items):
        batches.append(list(items))
        if len(batches) == 1:
            release.wait(5)   # hold the first batch so that the others queue behind it
        return [i * 10 for i in items]

    group = GroupCommit(process, max_batch=100)
    results: dict[int, int] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, group.submit(i))) for i in range(20)]
    threads[0].start()
    while not batches:
        time.sleep(0.001)
    for t in threads[1:]:
        t.start()
    while len(group._queue) < 19:   # all nineteen queued behind the leader
        time.sleep(0.001)
    release.set()
    for t in threads:
        t.join(5)
    assert results == {i: i * 10 for i in range(20)}
    assert batches[0] == [0] and sorted(batches[1]) == list(range(1, 20)) and len(batches) == 2


def test_max_batch_bounds_the_batch_size():
    sizes = []
    gate = threading.Event()

    def process(items):
        sizes.append(len(items))
        gate.wait(5)
        return list(items)

    group = GroupCommit(process, max_batch=3)
    threads = [threading.Thread(target=group.submit, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(5)
    assert sum(sizes) == 10 and max(sizes) <= 3


def test_an_item_refused_alone_raises_for_its_caller_only():
    group = GroupCommit(lambda items: [ValueError(f"bad {i}") if i < 0 else i for i in items])
    assert group.submit(1) == 1
    with pytest.raises(ValueError, match="bad -1"):
        group.submit(-1)


def test_a_failing_batch_is_retried_item_by_item():
    calls = []

    def process(items):
        calls.append(list(items))
        if any(i == 13 for i in items):
            raise RuntimeError("poisoned")
        return list(items)

    group = GroupCommit(process)
    outcomes = group._run([_slot(1), _slot(13), _slot(2)])
    assert outcomes[0] == 1 and outcomes[2] == 2 and isinstance(outcomes[1], RuntimeError)
    assert calls == [[1, 13, 2], [1], [13], [2]]


def test_a_wrong_number_of_outcomes_fails_the_batch_not_the_group():
    group = GroupCommit(lambda items: [])
    with pytest.raises(RuntimeError, match="0 outcomes for 1"):
        group.submit(1)
    group._process = lambda items: list(items)
    assert group.submit(2) == 2


def _slot(item):
    from servicekit.batching import _Slot
    return _Slot(item)
