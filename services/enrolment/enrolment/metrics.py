"""Enrolment's business metrics (labels carry office codes and field paths, never personal data)."""
from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, Counter

_INDEX = re.compile(r"\[\d+\]")


class EnrolmentMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry or CollectorRegistry()
        self.recordings = Counter(
            "ektp_enrolment_recordings_total", "Recordings stored, by office and resulting state.",
            ["office_code", "state"], registry=registry)
        self.validation_failures = Counter(
            "ektp_enrolment_validation_failures_total", "Rejected request fields, by field path.",
            ["field"], registry=registry)
        self.searches = Counter(
            "ektp_enrolment_searches_total", "Searches for recordings, by what was searched (nik or name).",
            ["by"], registry=registry)
        self.adjudications = Counter(
            "ektp_enrolment_adjudications_total", "Suspected duplicates decided, by office and decision.",
            ["office_code", "decision"], registry=registry)
        self.pre_recordings_released = Counter(
            "ektp_enrolment_pre_recordings_released_total",
            "Pre-recordings released to print-ready on their 17th birthday.", registry=registry)

    def recorded(self, office_code: str, state: str) -> None:
        self.recordings.labels(office_code, state).inc()

    def adjudicated(self, office_code: str, decision: str) -> None:
        self.adjudications.labels(office_code, decision).inc()

    def released(self, count: int) -> None:
        self.pre_recordings_released.inc(count)

    def searched(self, by: str) -> None:
        self.searches.labels(by).inc()

    def rejected(self, fields: list[str]) -> None:
        for name in fields:
            # "biometrics.qualities[3].quality" -> "biometrics.qualities[].quality": bounded labels.
            self.validation_failures.labels(_INDEX.sub("[]", name)).inc()
