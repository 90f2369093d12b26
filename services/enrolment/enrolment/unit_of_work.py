"""The enrolment unit of work: one transaction, its repositories, the outbox and the audit log."""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sqlalchemy.engine import Connection, Engine

from enrolment import db, events
from enrolment.personal_data import PersonalData
from enrolment.repository import (
    AccountRepository,
    AdjudicationRepository,
    DemoStateRepository,
    DriveRepository,
    RecordingRepository,
    RegionRepository,
    SyncReceiptRepository,
    TargetRepository,
)
from servicekit.db import SqlUnitOfWork


class EnrolmentUnitOfWork(SqlUnitOfWork):
    regions: RegionRepository
    targets: TargetRepository
    recordings: RecordingRepository
    adjudications: AdjudicationRepository
    demo: DemoStateRepository
    drives: DriveRepository
    accounts: AccountRepository
    sync_receipts: SyncReceiptRepository

    def __init__(self, engine: Engine, *, personal_data: PersonalData | None, **options) -> None:
        super().__init__(engine, **options)
        self._personal_data = personal_data

    def _open(self, connection: Connection) -> None:
        self.accounts = AccountRepository(connection)
        self.regions = RegionRepository(connection)
        self.targets = TargetRepository(connection)
        self.recordings = RecordingRepository(connection, self._personal_data)
        self.adjudications = AdjudicationRepository(connection)
        self.demo = DemoStateRepository(connection)
        self.drives = DriveRepository(connection)
        self.sync_receipts = SyncReceiptRepository(connection)

    def commit(self) -> None:
        """The recordings' writes kept back for one statement per transaction go in first."""
        self.recordings.flush()
        super().commit()


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> EnrolmentUnitOfWork: ...


def unit_of_work_factory(engine: Engine, after_commit: Callable[[], None] | None = None, *,
                         personal_data: PersonalData | None = None) -> UnitOfWorkFactory:
    """Units of work that seal recordings' personal data with `personal_data`, encode domain
    events into the outbox, chain audit entries onto the audit log and call `after_commit`.
    Without `personal_data` (tools that only touch accounts or regions) a recording can be
    neither stored nor read."""
    def make(*, readonly: bool = False) -> EnrolmentUnitOfWork:
        return EnrolmentUnitOfWork(engine, personal_data=personal_data, readonly=readonly,
                                   encode_event=events.encode, after_commit=after_commit, audit_log=db.audit_log)
    return make
