from __future__ import annotations

import functools
import itertools

import pytest

from reporting import db
from reporting.events import decode
from reporting.service import ReportingService
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.access import Principal, Role
from servicekit.db import create_engine
from tests.reporting import builders

# Sees every region of Kalimantan Tengah (62), nothing of Kalimantan Selatan (63).
PROVINCE_ADMIN = Principal("admin.kalteng", Role.ADMIN_PROVINSI, "62")


@pytest.fixture
def engine(sqlite_url):
    engine = create_engine(sqlite_url)
    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def service(engine):
    return ReportingService(functools.partial(ReportingUnitOfWork, engine))


class Feeds:
    """Hands payloads to the service the way a FeedConsumer would, one sequence per feed."""

    def __init__(self, service: ReportingService) -> None:
        self.service = service
        self._sequences = {name: itertools.count(1) for name in ("enrolment", "inventory", "documents")}
        self.delivered = []

    def send(self, feed: str, *payloads) -> list[bool]:
        results = []
        for payload in payloads:
            event = builders.envelope(payload, next(self._sequences[feed]))
            self.delivered.append((feed, event))
            results.append(self.service.apply(decode(feed, event)))
        return results

    def replay_all(self) -> list[bool]:
        return [self.service.apply(decode(feed, event)) for feed, event in self.delivered]


@pytest.fixture
def feeds(service):
    return Feeds(service)
