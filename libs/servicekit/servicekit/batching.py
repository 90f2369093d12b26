"""Group commit: concurrent callers share one transaction instead of one each.

A write path that commits per call pays the commit (an fsync on SQLite, a WAL flush on
PostgreSQL) and the write lock once per call, and its writers queue behind each other anyway.
`GroupCommit.submit(item)` queues the item; the first caller that finds nobody working becomes
the leader and hands everything queued (up to `max_batch`) to `process` in one call, while the
others wait for their own result. So under load a batch is as large as the queue that built up
during the previous one, and with one caller it is a batch of one: no added latency.

`process(items)` returns one outcome per item, in order: a result, or an exception instance
meaning that item (alone) was refused. If `process` itself raises, the batch is retried item by
item so that one poisoned item cannot fail its neighbours.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Process = Callable[[Sequence[T]], Sequence["R | BaseException"]]


class _Slot(Generic[T, R]):
    __slots__ = ("item", "outcome", "done")

    def __init__(self, item: T) -> None:
        self.item = item
        self.outcome: R | BaseException | None = None
        self.done = False


class GroupCommit(Generic[T, R]):
    def __init__(self, process: Process, *, max_batch: int = 64) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._process = process
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._queue: list[_Slot[T, R]] = []
        self._busy = False

    def submit(self, item: T) -> R:
        """Process `item` (with whatever else is queued); its result, or raise its exception."""
        slot: _Slot[T, R] = _Slot(item)
        with self._cond:
            self._queue.append(slot)
            while self._busy and not slot.done:
                self._cond.wait()
            while not slot.done:  # leader: work until our own item is done
                self._busy = True
                batch, self._queue = self._queue[:self._max_batch], self._queue[self._max_batch:]
                self._cond.release()
                outcomes: list[R | BaseException] | None = None
                try:
                    outcomes = self._run(batch)
                finally:
                    self._cond.acquire()
                    if outcomes is None:  # interrupted (KeyboardInterrupt...): the batch goes back
                        self._queue[:0] = batch
                    else:
                        for queued, outcome in zip(batch, outcomes, strict=True):
                            queued.outcome, queued.done = outcome, True
                    self._busy = False
                    self._cond.notify_all()
        if isinstance(slot.outcome, BaseException):
            raise slot.outcome
        return slot.outcome  # type: ignore[return-value]

    def _run(self, batch: list[_Slot[T, R]]) -> list[R | BaseException]:
        try:
            outcomes = list(self._process([s.item for s in batch]))
        except Exception as exc:
            if len(batch) == 1:
                return [exc]
            return [self._run([s])[0] for s in batch]
        if len(outcomes) != len(batch):
            wrong = RuntimeError(f"process returned {len(outcomes)} outcomes for {len(batch)} items")
            return [wrong] * len(batch)
        return outcomes
