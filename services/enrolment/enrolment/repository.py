"""Repositories: rows <-> domain objects, inside the unit of work's connection.

Recordings hold personal data sealed column by column (enrolment.personal_data): the
repository encrypts on the way in and decrypts on the way out, and finds a NIK through its
blind index, so nothing above it ever handles a sealed value.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row

from enrolment import db
from enrolment.accounts import Account
from enrolment.domain import (
    Biometrics,
    Citizenship,
    DuplicateCandidate,
    MaritalStatus,
    Modality,
    ModalityQuality,
    Recording,
    RecordingState,
    Region,
    RegionLevel,
    Religion,
    Resident,
    Sex,
    Target,
)
from enrolment.personal_data import BINARY_COLUMNS, TEXT_COLUMNS, PersonalData
from servicekit.access import Role

_IN_CHUNK = 500


def _insert(conn: Connection, table: sa.Table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


class RegionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, code: str) -> Region | None:
        row = self.conn.execute(sa.select(db.regions).where(db.regions.c.code == code)).first()
        return _region(row) if row else None

    def levels(self, codes: Iterable[str]) -> dict[str, RegionLevel]:
        t = db.regions
        rows = self.conn.execute(sa.select(t.c.code, t.c.level).where(t.c.code.in_(sorted(set(codes)))))
        return {code: RegionLevel(level) for code, level in rows}

    def names(self, codes: Iterable[str]) -> dict[str, str]:
        t, wanted, names = db.regions, sorted(set(codes)), {}
        for i in range(0, len(wanted), _IN_CHUNK):
            rows = self.conn.execute(sa.select(t.c.code, t.c.name).where(t.c.code.in_(wanted[i:i + _IN_CHUNK])))
            names.update({code: name for code, name in rows})
        return names

    def children(self, parent_code: str) -> list[Region]:
        t = db.regions
        query = sa.select(t).where(t.c.parent_code == parent_code).order_by(t.c.code)
        return [_region(row) for row in self.conn.execute(query)]

    def names_by_code(self) -> dict[str, str]:
        return {code: name for code, name in self.conn.execute(sa.select(db.regions.c.code, db.regions.c.name))}

    def add_all(self, regions: Sequence[Region]) -> None:
        if regions:
            self.conn.execute(db.regions.insert(), [_region_row(r) for r in regions])

    def rename_all(self, regions: Sequence[Region]) -> None:
        if regions:
            t = db.regions
            self.conn.execute(t.update().where(t.c.code == sa.bindparam("b_code"))
                              .values(name=sa.bindparam("b_name")),
                              [{"b_code": r.code, "b_name": r.name} for r in regions])


def _region(row: Row) -> Region:
    return Region(row.code, row.name, RegionLevel(row.level), row.parent_code, bool(row.is_kelurahan))


def _region_row(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": int(region.level),
            "parent_code": region.parent_code, "is_kelurahan": region.is_kelurahan}


class TargetRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def current(self, codes: Iterable[str]) -> dict[str, int]:
        t = db.targets
        rows = self.conn.execute(sa.select(t.c.region_code, t.c.wajib_ktp).where(t.c.region_code.in_(sorted(set(codes)))))
        return {code: value for code, value in rows}

    def save_all(self, values: Sequence[tuple[str, int]], existing: Iterable[str]) -> None:
        t, existing = db.targets, set(existing)
        updates = [{"b_code": c, "b_value": v} for c, v in values if c in existing]
        inserts = [{"region_code": c, "wajib_ktp": v} for c, v in values if c not in existing]
        if updates:
            self.conn.execute(t.update().where(t.c.region_code == sa.bindparam("b_code"))
                              .values(wajib_ktp=sa.bindparam("b_value")), updates)
        if inserts:
            self.conn.execute(t.insert(), inserts)

    def of_children(self, parent_code: str) -> list[Target]:
        t, r = db.targets, db.regions
        query = (sa.select(r.c.code, r.c.name, t.c.wajib_ktp).join(t, t.c.region_code == r.c.code)
                 .where(r.c.parent_code == parent_code).order_by(r.c.code))
        return [Target(code, name, wajib) for code, name, wajib in self.conn.execute(query)]


# Statements used once per recording, built once (bulk demo loads spend their time here otherwise).
_counters, _rec = db.register_counters, db.recordings
_NEXT_SEQUENCE = (_counters.update()
                  .where(_counters.c.office_code == sa.bindparam("b_office"), _counters.c.day == sa.bindparam("b_day"))
                  .values(last=_counters.c.last + 1).returning(_counters.c.last))
_SAVE_STATE = (_rec.update().where(_rec.c.register_number == sa.bindparam("b_number"))
               .values(state=sa.bindparam("b_state"), duplicate_of=sa.bindparam("b_duplicate_of")))
_CANDIDATE_COLUMNS = sa.select(_rec.c.register_number, _rec.c.nik, _rec.c.template_digest, _rec.c.state)
_CANDIDATES_BY_NIK = _CANDIDATE_COLUMNS.where(_rec.c.nik_index == sa.bindparam("b_nik_index")).order_by(_rec.c.id)
_CANDIDATES_BY_NIK_OR_DIGEST = _CANDIDATE_COLUMNS.where(sa.or_(
    _rec.c.nik_index == sa.bindparam("b_nik_index"), _rec.c.template_digest == sa.bindparam("b_digest"),
)).order_by(_rec.c.id)


class RecordingRepository:
    def __init__(self, conn: Connection, personal_data: PersonalData | None) -> None:
        self.conn = conn
        self._personal_data = personal_data

    @property
    def personal_data(self) -> PersonalData:
        if self._personal_data is None:  # never store or hand out a recording unsealed
            raise RuntimeError("this unit of work has no personal-data keys; recordings are out of reach")
        return self._personal_data

    def lock(self, keys: Iterable[str]) -> None:
        """Serialise concurrent recordings that share a key (NIK, digest, request id).

        PostgreSQL: transaction-scoped advisory locks, in a fixed order (no deadlocks).
        SQLite: BEGIN IMMEDIATE already serialises writers.
        """
        if self.conn.dialect.name != "postgresql":
            return
        for key in sorted(set(keys)):
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            self.conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})

    def next_sequence(self, office_code: str, day: dt.date) -> int:
        """The next per-office-per-day register sequence; the counter row stays locked until commit."""
        self.conn.execute(_insert(self.conn, db.register_counters).on_conflict_do_nothing(),
                          {"office_code": office_code, "day": day, "last": 0})
        return self.conn.execute(_NEXT_SEQUENCE, {"b_office": office_code, "b_day": day}).scalar_one()

    def get(self, register_number: str) -> Recording | None:
        return self._one(db.recordings.c.register_number == register_number)

    def by_request_id(self, request_id: str) -> Recording | None:
        return self._one(db.recordings.c.request_id == request_id)

    def _one(self, condition: sa.ColumnElement[bool]) -> Recording | None:
        row = self.conn.execute(sa.select(db.recordings).where(condition)).first()
        return _recording(row, self.personal_data) if row else None

    def add(self, recording: Recording) -> None:
        self.conn.execute(db.recordings.insert(), _recording_row(recording, self.personal_data))

    def save_state(self, recording: Recording) -> None:
        self.conn.execute(_SAVE_STATE, {"b_number": recording.register_number, "b_state": recording.state.value,
                                        "b_duplicate_of": recording.duplicate_of})

    def duplicate_candidates(self, nik: str, template_digest: str) -> list[DuplicateCandidate]:
        """Recordings sharing the NIK (found through its blind index) or the (non-empty) template
        digest, oldest first."""
        index = self.personal_data.nik_index(nik)
        if template_digest:
            rows = self.conn.execute(_CANDIDATES_BY_NIK_OR_DIGEST, {"b_nik_index": index, "b_digest": template_digest})
        else:
            rows = self.conn.execute(_CANDIDATES_BY_NIK, {"b_nik_index": index})
        return [DuplicateCandidate(number, self.personal_data.open_text(number, "nik", sealed), digest,
                                   RecordingState(state)) for number, sealed, digest, state in rows]

    def counts(self, office_code: str) -> list[tuple[str, RecordingState, int]]:
        """(region_code, state, count) of one office's recordings."""
        t = db.recordings
        query = (sa.select(t.c.region_code, t.c.state, sa.func.count())
                 .where(t.c.office_code == office_code).group_by(t.c.region_code, t.c.state))
        return [(code, RecordingState(state), n) for code, state, n in self.conn.execute(query)]


def _recording_row(rec: Recording, personal_data: PersonalData) -> dict:
    r, b = rec.resident, rec.biometrics
    sealed = personal_data.seal(rec.register_number, {name: getattr(r, name) for name in TEXT_COLUMNS},
                                {name: getattr(b, name) for name in BINARY_COLUMNS})
    return {
        "register_number": rec.register_number, "request_id": rec.request_id or None,
        "office_code": rec.office_code, "region_code": r.region_code, "state": rec.state.value,
        **sealed,
        "birth_date": dt.date.fromisoformat(r.birth_date), "sex": r.sex.value, "blood_type": r.blood_type,
        "rt": r.rt, "rw": r.rw, "religion": r.religion.value,
        "marital_status": r.marital_status.value, "occupation": r.occupation,
        "citizenship": r.citizenship.value, "review_flags": ",".join(rec.review_flags),
        "duplicate_of": rec.duplicate_of, "template_digest": b.template_digest,
        "biometric_qualities": json.dumps({q.modality.value: q.quality for q in b.qualities}),
        "captured_at": rec.captured_at,
    }


def _recording(row: Row, personal_data: PersonalData) -> Recording:
    number = row.register_number
    text = {name: personal_data.open_text(number, name, getattr(row, name)) for name in TEXT_COLUMNS}
    images = {name: personal_data.open_bytes(number, name, getattr(row, name)) for name in BINARY_COLUMNS}
    resident = Resident(
        **text, birth_date=row.birth_date.isoformat(), sex=Sex(row.sex), blood_type=row.blood_type,
        rt=row.rt, rw=row.rw, region_code=row.region_code,
        religion=Religion(row.religion), marital_status=MaritalStatus(row.marital_status),
        occupation=row.occupation, citizenship=Citizenship(row.citizenship))
    qualities = tuple(ModalityQuality(Modality(m), q) for m, q in json.loads(row.biometric_qualities).items())
    return Recording(
        register_number=number, state=RecordingState(row.state), resident=resident,
        office_code=row.office_code, captured_at=_utc(row.captured_at),
        biometrics=Biometrics(qualities, row.template_digest, **images),
        review_flags=tuple(f for f in row.review_flags.split(",") if f),
        duplicate_of=row.duplicate_of, request_id=row.request_id or "")


class DemoStateRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def is_loaded(self, name: str) -> bool:
        t = db.demo_state
        return self.conn.execute(sa.select(t.c.name).where(t.c.name == name)).first() is not None

    def mark_loaded(self, name: str, at: dt.datetime) -> None:
        self.conn.execute(db.demo_state.insert().values(name=name, loaded_at=at))


class AccountRepository:
    """Officers' accounts (enrolment is the identity provider)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, username: str, *, for_update: bool = False) -> Account | None:
        query = sa.select(db.accounts).where(db.accounts.c.username == username)
        row = self.conn.execute(query.with_for_update() if for_update else query).first()
        return _account(row) if row else None

    def all(self) -> list[Account]:
        return [_account(row) for row in self.conn.execute(sa.select(db.accounts).order_by(db.accounts.c.username))]

    def add(self, account: Account) -> None:
        self.conn.execute(db.accounts.insert(), _account_row(account))

    def save(self, account: Account) -> None:
        t = db.accounts
        self.conn.execute(t.update().where(t.c.username == account.username).values(_account_row(account)))


def _account_row(a: Account) -> dict:
    return {"username": a.username, "role": a.role.value, "scope": a.scope, "password_hash": a.password_hash,
            "failed_attempts": a.failed_attempts, "locked_until": a.locked_until, "disabled": a.disabled,
            "created_at": a.created_at, "password_changed_at": a.password_changed_at}


def _account(row: Row) -> Account:
    return Account(username=row.username, role=Role(row.role), scope=row.scope, password_hash=row.password_hash,
                   failed_attempts=row.failed_attempts,
                   locked_until=_utc(row.locked_until) if row.locked_until else None,
                   disabled=bool(row.disabled), created_at=_utc(row.created_at),
                   password_changed_at=_utc(row.password_changed_at))
