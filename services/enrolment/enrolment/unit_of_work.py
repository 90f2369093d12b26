"""The enrolment unit of work: one transaction, its repositories, and the outbox."""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sqlalchemy.engine import Connection, Engine

from enrolment import events
from enrolment.repository import DemoStateRepository, RecordingRepository, RegionRepository, TargetRepository
from servicekit.db import SqlUnitOfWork


class EnrolmentUnitOfWork(SqlUnitOfWork):
    regions: RegionRepository
    targets: TargetRepository
    recordings: RecordingRepository
    demo: DemoStateRepository

    def _open(self, connection: Connection) -> None:
        self.regions = RegionRepository(connection)
        self.targets = TargetRepository(connection)
        self.recordings = RecordingRepository(connection)
        self.demo = DemoStateRepository(connection)


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> EnrolmentUnitOfWork: ...


def unit_of_work_factory(engine: Engine, after_commit: Callable[[], None] | None = None) -> UnitOfWorkFactory:
    """Units of work that encode domain events into the outbox and call `after_commit`."""
    def make(*, readonly: bool = False) -> EnrolmentUnitOfWork:
        return EnrolmentUnitOfWork(engine, readonly=readonly, encode_event=events.encode,
                                   after_commit=after_commit)
    return make
