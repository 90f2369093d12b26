"""The periodic return of overdue reservations' blanks to stock, in the service process."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class ReservationSweeper:
    """Calls `sweep()` (InventoryService.expire_reservations as the service itself) every
    `interval` seconds until stopped; a failed sweep is logged and tried again next time.
    Every replica may sweep: each reservation is expired under its office lock and row lock,
    so two sweepers never return the same blank twice."""

    def __init__(self, sweep: Callable[[], int], interval: float) -> None:
        self._sweep = sweep
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reservation-sweeper", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sweep_now()

    def sweep_now(self) -> int:
        try:
            return self._sweep()
        except Exception:  # noqa: BLE001 - the next sweep tries again; the database may be down
            log.warning("reservation sweep failed", exc_info=True)
            return 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
