"""Rows of `print_jobs` and `office_policies` <-> domain PrintJob / OfficePolicy, on one connection."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from documents.db import office_policies, print_jobs
from documents.domain import OPEN_JOB_STATUSES, OfficePolicy, PrintJob, PrintJobStatus, Priority
from servicekit.access import EVERYWHERE

_OPEN = [s.value for s in OPEN_JOB_STATUSES]
_QUEUE_ORDER = (print_jobs.c.priority, print_jobs.c.queued_at, print_jobs.c.job_id)


class PrintJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    # ---- jobs ----

    def add(self, job: PrintJob) -> None:
        self._conn.execute(print_jobs.insert().values(**_to_row(job)))

    def add_many(self, jobs: Iterable[PrintJob]) -> None:
        """Bulk insert (one executemany), for seeding and benchmarks."""
        rows = [_to_row(job) for job in jobs]
        if rows:
            self._conn.execute(print_jobs.insert(), rows)

    def save(self, job: PrintJob) -> None:
        row = _to_row(job)
        del row["job_id"]
        self._conn.execute(print_jobs.update().where(print_jobs.c.job_id == job.job_id).values(**row))

    def get(self, job_id: str) -> PrintJob | None:
        row = self._conn.execute(sa.select(print_jobs).where(print_jobs.c.job_id == job_id)).first()
        return None if row is None else _from_row(row)

    def by_blank_key(self, key: str) -> PrintJob | None:
        row = self._conn.execute(sa.select(print_jobs).where(print_jobs.c.blank_key == key)).first()
        return None if row is None else _from_row(row)

    def get_many(self, job_ids: Sequence[str]) -> list[PrintJob]:
        rows = self._conn.execute(sa.select(print_jobs).where(print_jobs.c.job_id.in_(list(job_ids))))
        return [_from_row(row) for row in rows]

    def for_register_number(self, register_number: str) -> list[PrintJob]:
        query = (sa.select(print_jobs).where(print_jobs.c.register_number == register_number)
                 .order_by(print_jobs.c.queued_at, print_jobs.c.job_id))
        return [_from_row(row) for row in self._conn.execute(query)]

    def for_document(self, document_id: str) -> PrintJob | None:
        row = self._conn.execute(sa.select(print_jobs).where(print_jobs.c.document_id == document_id)).first()
        return None if row is None else _from_row(row)

    def mark_suket_holder(self, register_number: str) -> None:
        """The register number's open job (if any) moves to the front: its resident holds a Suket."""
        self._conn.execute(print_jobs.update()
                           .where(print_jobs.c.register_number == register_number,
                                  print_jobs.c.status.in_(_OPEN))
                           .values(priority=int(Priority.SUKET_HOLDER)))

    def queue(self, office_code: str, limit: int, after: PrintJob | None = None) -> list[PrintJob]:
        """The office's open jobs in print order (priority, then oldest first), after `after`."""
        query = sa.select(print_jobs).where(print_jobs.c.office_code == office_code,
                                            print_jobs.c.status.in_(_OPEN))
        if after is not None:
            query = query.where(sa.tuple_(*_QUEUE_ORDER) > sa.tuple_(
                sa.literal(int(after.priority)), sa.literal(_utc(after.queued_at), print_jobs.c.queued_at.type),
                sa.literal(after.job_id)))
        return [_from_row(row) for row in self._conn.execute(query.order_by(*_QUEUE_ORDER).limit(limit))]

    def queued_count(self, office_code: str) -> int:
        query = (sa.select(sa.func.count()).select_from(print_jobs)
                 .where(print_jobs.c.office_code == office_code, print_jobs.c.status.in_(_OPEN)))
        return self._conn.execute(query).scalar_one()

    def listed(self, *, office_code: str = "", status: PrintJobStatus | None = None, limit: int = 100,
               within: str = EVERYWHERE) -> list[PrintJob]:
        """Jobs of residents in `within`: the queue in print order first, then the newest others."""
        query = sa.select(print_jobs).where(_in_region(within))
        if office_code:
            query = query.where(print_jobs.c.office_code == office_code)
        if status is not None:
            query = query.where(print_jobs.c.status == status.value)
        open_first = sa.case((print_jobs.c.status.in_(_OPEN), 0), else_=1)
        query = query.order_by(open_first, *_QUEUE_ORDER[:1], sa.func.coalesce(
            print_jobs.c.printed_at, print_jobs.c.queued_at).desc(), print_jobs.c.job_id).limit(limit)
        return [_from_row(row) for row in self._conn.execute(query)]

    def status_counts(self, *, office_code: str = "", within: str = EVERYWHERE) -> dict[PrintJobStatus, int]:
        query = (sa.select(print_jobs.c.status, sa.func.count()).where(_in_region(within))
                 .group_by(print_jobs.c.status))
        if office_code:
            query = query.where(print_jobs.c.office_code == office_code)
        counts = {s: 0 for s in PrintJobStatus}
        counts.update({PrintJobStatus(s): n for s, n in self._conn.execute(query)})
        return counts

    # ---- office policies ----

    def policy(self, office_code: str) -> OfficePolicy | None:
        row = self._conn.execute(sa.select(office_policies.c.suket_when_out_of_stock)
                                 .where(office_policies.c.office_code == office_code)).first()
        return None if row is None else OfficePolicy(office_code, bool(row[0]))

    def save_policy(self, policy: OfficePolicy, at: dt.datetime, by: str) -> None:
        values = {"suket_when_out_of_stock": policy.suket_when_out_of_stock, "updated_at": _utc(at),
                  "updated_by": by}
        updated = self._conn.execute(office_policies.update()
                                     .where(office_policies.c.office_code == policy.office_code).values(**values))
        if updated.rowcount == 0:
            self._conn.execute(office_policies.insert().values(office_code=policy.office_code, **values))


def _in_region(region: str) -> sa.ColumnElement[bool]:
    if region == EVERYWHERE:
        return sa.true()
    return sa.or_(print_jobs.c.region_code == region,
                  print_jobs.c.region_code.startswith(region + ".", autoescape=True))


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(dt.timezone.utc)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


def _to_row(job: PrintJob) -> dict:
    return {
        "job_id": job.job_id, "register_number": job.register_number, "office_code": job.office_code,
        "region_code": job.region_code, "status": job.status.value, "priority": int(job.priority),
        "queued_at": _utc(job.queued_at), "blank_key": job.blank_key, "printed_at": _utc(job.printed_at),
        "card_serial": job.card_serial, "document_id": job.document_id, "reprint_of": job.reprint_of,
        "reason": job.reason,
    }


def _from_row(row: Row) -> PrintJob:
    v = row._mapping
    return PrintJob(
        job_id=v["job_id"], register_number=v["register_number"], office_code=v["office_code"],
        region_code=v["region_code"], status=PrintJobStatus(v["status"]), priority=v["priority"],
        queued_at=_aware(v["queued_at"]), blank_key=v["blank_key"], printed_at=_aware(v["printed_at"]),
        card_serial=v["card_serial"], document_id=v["document_id"], reprint_of=v["reprint_of"],
        reason=v["reason"] or "")
