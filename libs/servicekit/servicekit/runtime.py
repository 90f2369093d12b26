"""Running one service process: start everything, watch the database, stop gracefully.

SIGTERM / SIGINT: health goes NOT_SERVING, feed consumers stop, HTTP closes, then the gRPC
server drains with `stop(grace)`.
"""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Protocol

from servicekit.grpcserver import GrpcServer
from servicekit.metrics import ServiceMetrics
from servicekit.web import HttpServer

log = logging.getLogger(__name__)


class Stoppable(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


class ReadinessWatcher:
    """Keeps gRPC health in step with the database: SERVING only while it answers."""

    def __init__(self, grpc_server: GrpcServer, check: Callable[[], bool], metrics: ServiceMetrics,
                 interval: float = 5.0) -> None:
        self._grpc = grpc_server
        self._check = check
        self._metrics = metrics
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="readiness", daemon=True)

    def check_now(self) -> bool:
        ready = self._check()
        self._metrics.db_up.set(1 if ready else 0)
        if not self._stop.is_set():
            self._grpc.set_serving(ready)
        return ready

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.check_now()

    def start(self) -> None:
        self.check_now()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()


class ServiceProcess:
    """Everything one service process runs; used by `__main__` and by the tests."""

    def __init__(self, *, name: str, grpc_server: GrpcServer, http_server: HttpServer,
                 readiness: ReadinessWatcher, workers: list[Stoppable] | None = None,
                 on_stop: list[Callable[[], None]] | None = None, grace: float = 5.0) -> None:
        self.name = name
        self.grpc = grpc_server
        self.http = http_server
        self.readiness = readiness
        self.workers = workers or []
        self.on_stop = on_stop or []
        self.grace = grace

    def start(self) -> None:
        self.grpc.start()
        self.http.start()
        for worker in self.workers:
            worker.start()
        self.readiness.start()
        log.info("service started", extra={"grpc_port": self.grpc.port, "http_port": self.http.port})

    def stop(self) -> None:
        log.info("service stopping")
        self.readiness.stop()
        self.grpc.set_serving(False)
        for worker in self.workers:
            worker.stop()
        for callback in self.on_stop:
            callback()
        self.http.stop()
        self.grpc.stop(self.grace)
        log.info("service stopped")

    def run_until_signalled(self) -> None:
        stop = threading.Event()

        def _handle(signum: int, _frame: object) -> None:
            log.info("signal received", extra={"signal": signal.Signals(signum).name})
            stop.set()

        signal.signal(signal.SIGTERM, _handle)
        signal.signal(signal.SIGINT, _handle)
        self.start()
        stop.wait()
        self.stop()
