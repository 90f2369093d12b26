"""The Suket expiry job in the service process: every issued Suket past its last valid day
becomes EXPIRED (DocumentsService.expire_sukets, as the service itself), now and then every
`interval` seconds. Every replica may run it: a Suket is expired only while still ISSUED."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class SuketExpiryWorker:
    def __init__(self, expire: Callable[[], int], interval: float) -> None:
        self._expire = expire
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="suket-expiry", daemon=True)

    def run_once(self) -> int:
        try:
            return self._expire()
        except Exception:  # noqa: BLE001 - the database may be down; the next run catches up
            log.warning("Suket expiry run failed; retrying at the next interval", exc_info=True)
            return 0

    def _run(self) -> None:
        self.run_once()
        while not self._stop.wait(self._interval):
            self.run_once()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
