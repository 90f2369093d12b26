"""A sliding-window count of failures per key (a client address), in memory, for the login form.

It slows down guessing from one place; the per-account lockout (in the database, so shared
by replicas) stops guessing one account from many places. Only failures count, so a busy
office behind one address is never locked out by its own successful logins.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class FailureLimit:
    def __init__(self, limit: int, window_seconds: float, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        """True once `key` failed `limit` times within the window."""
        now = self._clock()
        with self._lock:
            failures = self._failures.get(key)
            if not failures:
                return False
            while failures and now - failures[0] >= self.window:
                failures.popleft()
            return len(failures) >= self.limit

    def failed(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > self._max_keys:  # forget idle keys so memory stays bounded
                self._failures = {k: v for k, v in self._failures.items() if v and now - v[-1] < self.window}
