"""Releasing held pre-recordings: the `release-pre-recordings` command and the service
process's periodic worker.

A 16-year-old's recording waits (SENT) until the 17th birthday; nothing happens on that day by
itself, so the service process runs `EnrolmentService.release_pre_recordings` on start and then
every `ENROLMENT_RELEASE_INTERVAL_SECONDS` (an hour by default: a card is never more than that
late). Several replicas may run it at once: each recording is released by exactly one of them
(a conditional update). Operators can also run it by hand or from a CronJob:
`python -m enrolment release-pre-recordings [--date YYYY-MM-DD]`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import threading

from enrolment.service import EnrolmentService
from servicekit.access import Principal

log = logging.getLogger(__name__)

RELEASER = Principal.service("enrolment", origin="release")


class PreRecordingReleaser:
    """A worker of the service process (start/stop): releases now, then every `interval` seconds."""

    def __init__(self, service: EnrolmentService, interval: float) -> None:
        self._service = service
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="release-pre-recordings", daemon=True)
        self.runs = 0

    def run_once(self) -> int:
        try:
            return self._service.release_pre_recordings(RELEASER)
        except Exception:   # a database hiccup must not end the worker; the next run catches up
            log.exception("releasing pre-recordings failed; retrying at the next interval")
            return 0
        finally:
            self.runs += 1

    def _run(self) -> None:
        self.run_once()
        while not self._stop.wait(self._interval):
            self.run_once()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()


def release_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None,
                        help="release those whose 17th birthday is on or before this day (default: today, WIB)")


def release_command(args: argparse.Namespace, settings) -> int:
    from enrolment import bootstrap

    core = bootstrap.build_core(settings, migrate=False)
    try:
        released = core.service.release_pre_recordings(Principal.service("enrolment", origin="cli"), args.date)
    finally:
        core.engine.dispose()
    print(f"{released} pra-perekaman dilepas ke siap cetak (PRR).")
    return 0
