"""Repositories: rows <-> domain objects, inside the unit of work's connection.

Recordings hold personal data sealed column by column (enrolment.personal_data): the
repository encrypts on the way in and decrypts on the way out, and finds a NIK through its
blind index, so nothing above it ever handles a sealed value.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row

from enrolment import db
from enrolment.accounts import Account
from enrolment.domain import (
    Adjudication,
    AdjudicationDecision,
    Biometrics,
    Citizenship,
    Drive,
    DriveState,
    DriveVillage,
    DuplicateCandidate,
    FieldComparison,
    MaritalStatus,
    Modality,
    ModalityQuality,
    Reconciliation,
    Recording,
    RecordingCounts,
    RecordingState,
    RecordingType,
    Region,
    RegionLevel,
    Religion,
    Resident,
    Sex,
    Target,
    name_tokens,
)
from enrolment.personal_data import BINARY_COLUMNS, TEXT_COLUMNS, PersonalData
from servicekit.access import EVERYWHERE, Role

_IN_CHUNK = 500
_BULK_CHUNK = 5000


def _under(column: sa.ColumnElement[str], parent_code: str) -> sa.ColumnElement[bool]:
    """Codes strictly below `parent_code` ("62.03" -> "62.03.*"), as a range an index can serve
    ("/" sorts right after ".")."""
    return sa.and_(column > parent_code + ".", column < parent_code + "/")


def _insert(conn: Connection, table: sa.Table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


_REGION_FACTS = sa.select(db.regions.c.code, db.regions.c.level, db.regions.c.historic).where(
    db.regions.c.code.in_(sa.bindparam("b_codes", expanding=True)))


class RegionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, code: str) -> Region | None:
        row = self.conn.execute(sa.select(db.regions).where(db.regions.c.code == code)).first()
        return _region(row) if row else None

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

    def stored(self) -> dict[str, tuple[str, bool]]:
        """Every stored code -> (name, historic): what an import compares against."""
        t = db.regions
        return {code: (name, bool(historic)) for code, name, historic in
                self.conn.execute(sa.select(t.c.code, t.c.name, t.c.historic))}

    def facts(self, codes: Iterable[str]) -> dict[str, tuple[RegionLevel, bool]]:
        """Level and historic flag of each stored code among `codes`, in one query."""
        rows = self.conn.execute(_REGION_FACTS, {"b_codes": sorted(set(codes))})
        return {code: (RegionLevel(level), bool(historic)) for code, level, historic in rows}

    def by_codes(self, codes: Iterable[str]) -> dict[str, Region]:
        t, wanted, found = db.regions, sorted(set(codes)), {}
        for i in range(0, len(wanted), _IN_CHUNK):
            for row in self.conn.execute(sa.select(t).where(t.c.code.in_(wanted[i:i + _IN_CHUNK]))):
                found[row.code] = _region(row)
        return found

    def villages_under(self, parent_code: str) -> list[Region]:
        """Current desa/kelurahan inside a kecamatan or kabupaten, by code."""
        t = db.regions
        query = (sa.select(t).where(_under(t.c.code, parent_code), t.c.level == int(RegionLevel.VILLAGE),
                                    t.c.historic.is_(False)).order_by(t.c.code))
        return [_region(row) for row in self.conn.execute(query)]

    def add_all(self, regions: Sequence[Region], progress: Callable[[int], None] | None = None) -> None:
        """Bulk insert in chunks, reporting each chunk's size to `progress`: COPY on PostgreSQL
        (in this transaction), Core executemany elsewhere."""
        for i in range(0, len(regions), _BULK_CHUNK):
            chunk = [_region_row(r) for r in regions[i:i + _BULK_CHUNK]]
            if self.conn.dialect.name == "postgresql":
                self._copy(db.regions, chunk)
            else:
                self.conn.execute(db.regions.insert(), chunk)
            if progress:
                progress(len(chunk))

    def _copy(self, table: sa.Table, rows: Sequence[dict]) -> None:
        columns = [c.name for c in table.columns]
        cursor = self.conn.connection.dbapi_connection.cursor()   # the same connection: the same transaction
        try:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        finally:
            cursor.close()

    def set_historic(self, codes: Sequence[str], historic: bool) -> None:
        t = db.regions
        for i in range(0, len(codes), _BULK_CHUNK):
            self.conn.execute(t.update().where(t.c.code == sa.bindparam("b_code")).values(historic=historic),
                              [{"b_code": c} for c in codes[i:i + _BULK_CHUNK]])

    def rename_all(self, regions: Sequence[Region]) -> None:
        if regions:
            t = db.regions
            self.conn.execute(t.update().where(t.c.code == sa.bindparam("b_code"))
                              .values(name=sa.bindparam("b_name")),
                              [{"b_code": r.code, "b_name": r.name} for r in regions])


def _region(row: Row) -> Region:
    return Region(row.code, row.name, RegionLevel(row.level), row.parent_code, bool(row.is_kelurahan),
                  bool(row.historic))


def _region_row(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": int(region.level),
            "parent_code": region.parent_code, "is_kelurahan": region.is_kelurahan, "historic": region.historic}


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
_SET_SEQUENCE = (_counters.update()
                 .where(_counters.c.office_code == sa.bindparam("b_office"), _counters.c.day == sa.bindparam("b_day"))
                 .values(last=sa.bindparam("b_last")))
# Inserts of every recording, built once: a statement built per call pays SQLAlchemy's cache key each time.
_INSERT_RECORDING = _rec.insert()
_INSERT_TEMPLATES = db.recording_templates.insert()
_INSERT_NAME_TOKENS = db.recording_name_tokens.insert()
_SAVE_STATE = (_rec.update().where(_rec.c.register_number == sa.bindparam("b_number"))
               .values(state=sa.bindparam("b_state"), duplicate_of=sa.bindparam("b_duplicate_of"),
                       failure_reason=sa.bindparam("b_failure_reason"), review_flags=sa.bindparam("b_review_flags"),
                       hold_until=sa.bindparam("b_hold_until")))
# Search results: a recording without its photo and signature (NULL: none), in the actor's
# region (or everywhere), newest first, a page at a time. Built once: a search is a hot path.
_LISTED = sa.select(*(sa.null().label(c.name) if c.name in BINARY_COLUMNS else c for c in _rec.c))
_IN_SCOPE = sa.or_(_rec.c.region_code == sa.bindparam("b_within"),
                   sa.and_(_rec.c.region_code > sa.bindparam("b_from"), _rec.c.region_code < sa.bindparam("b_to")))


def _search(condition: sa.ColumnElement[bool]) -> dict[bool, sa.Select]:
    """{scoped: statement} for a search condition."""
    def page(query: sa.Select) -> sa.Select:
        return (query.order_by(_rec.c.captured_at.desc(), _rec.c.id.desc())
                .limit(sa.bindparam("b_limit")).offset(sa.bindparam("b_offset")))
    return {False: page(_LISTED.where(condition)), True: page(_LISTED.where(condition, _IN_SCOPE))}


_names = db.recording_name_tokens
_BY_NIK = _search(_rec.c.nik_index == sa.bindparam("b_nik_index"))
_BY_NAME_TOKENS = _search(_rec.c.register_number.in_(
    sa.select(_names.c.register_number).where(_names.c.token_index.in_(sa.bindparam("b_tokens", expanding=True)))
    .group_by(_names.c.register_number).having(sa.func.count() == sa.bindparam("b_count"))))
_CANDIDATE_COLUMNS = sa.select(_rec.c.id, _rec.c.register_number, _rec.c.nik, _rec.c.template_digest, _rec.c.state,
                               _rec.c.region_code)
_tpl = db.recording_templates
_CANDIDATES_BY_TEMPLATE = (
    sa.select(_rec.c.id, _rec.c.register_number, _rec.c.nik, _rec.c.template_digest, _rec.c.state, _rec.c.region_code,
              _tpl.c.modality, _tpl.c.template_digest.label("modality_digest"))
    .join(_rec, _rec.c.register_number == _tpl.c.register_number)
    .where(_tpl.c.template_digest.in_(sa.bindparam("b_digests", expanding=True))))
# Demographic blocking: born the same day, living in the same province, another NIK, not FAILED.
MAX_DEMOGRAPHIC_CANDIDATES = 200
_CANDIDATES_BY_BIRTH_DATE = (
    sa.select(_rec.c.id, _rec.c.register_number, _rec.c.nik, _rec.c.template_digest, _rec.c.state, _rec.c.region_code,
              _rec.c.full_name, _rec.c.birth_place, _rec.c.mother_name, _rec.c.father_name, _rec.c.birth_date)
    .where(_rec.c.birth_date == sa.bindparam("b_birth_date"),
           _rec.c.region_code > sa.bindparam("b_province_from"), _rec.c.region_code < sa.bindparam("b_province_to"),
           _rec.c.nik_index != sa.bindparam("b_nik_index"), _rec.c.state != RecordingState.FAILED.value)
    .order_by(_rec.c.id).limit(MAX_DEMOGRAPHIC_CANDIDATES))
_RELEASE = (_rec.update().where(_rec.c.register_number == sa.bindparam("b_number"),
                                _rec.c.state == RecordingState.SENT.value)
            .values(state=RecordingState.PRINT_READY.value))
_CANDIDATES_BY_NIK = _CANDIDATE_COLUMNS.where(_rec.c.nik_index == sa.bindparam("b_nik_index")).order_by(_rec.c.id)
_CANDIDATES_BY_NIK_OR_DIGEST = _CANDIDATE_COLUMNS.where(sa.or_(
    _rec.c.nik_index == sa.bindparam("b_nik_index"), _rec.c.template_digest == sa.bindparam("b_digest"),
)).order_by(_rec.c.id)


class RecordingRepository:
    def __init__(self, conn: Connection, personal_data: PersonalData | None) -> None:
        self.conn = conn
        self._personal_data = personal_data
        # Per transaction (a repository lives as long as its unit of work), written by flush():
        self._sequences: dict[tuple[str, dt.date], int] = {}    # counters this transaction holds
        self._moved: set[tuple[str, dt.date]] = set()            # ... and has moved past the row
        self._name_rows: list[dict[str, str]] = []              # name tokens not yet inserted

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
        numbers = sorted({int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
                          for key in keys})
        if len(numbers) == 1:
            self.conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": numbers[0]})
        elif numbers:   # one round trip, taken in ascending order
            self.conn.execute(sa.text("SELECT count(pg_advisory_xact_lock(k)) FROM "
                                      "(SELECT unnest(CAST(:ks AS bigint[])) AS k ORDER BY 1) AS keys"), {"ks": numbers})

    def next_sequence(self, office_code: str, day: dt.date) -> int:
        """The next per-office-per-day register sequence; the counter row stays locked until commit.

        The first number of a transaction comes from the row (UPDATE ... RETURNING, which locks
        it: on SQLite the transaction already holds the write lock); the next ones of the same
        office and day are counted here, since no other transaction can move the row before this
        one commits, and `flush()` writes the last one back before the commit. A batch of
        recordings so pays one statement per office and day instead of one per recording."""
        key = (office_code, day)
        held = self._sequences.get(key)
        if held is not None:
            self._sequences[key] = held + 1
            self._moved.add(key)
            return held + 1
        params = {"b_office": office_code, "b_day": day}
        sequence = self.conn.execute(_NEXT_SEQUENCE, params).scalar()
        if sequence is None:   # the office's first recording of the day (once a day: no upsert each time)
            self.conn.execute(_insert(self.conn, db.register_counters).on_conflict_do_nothing(),
                              {"office_code": office_code, "day": day, "last": 0})
            sequence = self.conn.execute(_NEXT_SEQUENCE, params).scalar_one()
        self._sequences[key] = sequence
        return sequence

    def flush(self) -> None:
        """Write what this transaction kept back: the counters it moved in memory and the name
        tokens of its recordings (one statement for all; nothing reads them before the commit).
        The unit of work calls it before committing."""
        if self._moved:
            self.conn.execute(_SET_SEQUENCE, [{"b_office": office, "b_day": day, "b_last": self._sequences[office, day]}
                                              for office, day in sorted(self._moved)])
            self._moved.clear()
        if self._name_rows:
            self.conn.execute(_INSERT_NAME_TOKENS, self._name_rows)
            self._name_rows = []

    def get(self, register_number: str) -> Recording | None:
        return self._one(db.recordings.c.register_number == register_number)

    def by_request_id(self, request_id: str) -> Recording | None:
        return self._one(db.recordings.c.request_id == request_id)

    def _one(self, condition: sa.ColumnElement[bool]) -> Recording | None:
        row = self.conn.execute(sa.select(db.recordings).where(condition)).first()
        return _recording(row, self.personal_data) if row else None

    def add(self, recording: Recording) -> None:
        """Insert a recording and its template digests at once (the duplicate search of the next
        recording in the same transaction must find them); its name tokens wait for `flush()`."""
        self.conn.execute(_INSERT_RECORDING, _recording_row(recording, self.personal_data))
        digests = recording.biometrics.modality_digests()
        if digests:
            self.conn.execute(_INSERT_TEMPLATES, [
                {"register_number": recording.register_number, "modality": m.value, "template_digest": d}
                for m, d in sorted(digests.items())])
        self._index_name(recording.register_number, recording.resident.full_name)

    def _index_name(self, register_number: str, full_name: str) -> None:
        """The blind-indexed words of the full name, for the search by name (inserted by `flush()`)."""
        tokens = {self.personal_data.name_token_index(t) for t in name_tokens(full_name)}
        self._name_rows += [{"token_index": t, "register_number": register_number} for t in sorted(tokens)]

    def by_nik(self, nik: str, *, within: str, limit: int, offset: int = 0) -> list[Recording]:
        """Recordings of one NIK (through its blind index) whose desa lies in `within` (a region
        code; "*" for everywhere), newest first; photo and signature are left out."""
        return self._listed(_BY_NIK, {"b_nik_index": self.personal_data.nik_index(nik)}, within, limit, offset)

    def by_name_tokens(self, tokens: Sequence[str], *, within: str, limit: int, offset: int = 0) -> list[Recording]:
        """Recordings whose full name has every one of `tokens` (domain.name_tokens), in
        `within`, newest first; photo and signature are left out."""
        indexes = sorted({self.personal_data.name_token_index(t) for t in tokens})
        return self._listed(_BY_NAME_TOKENS, {"b_tokens": indexes, "b_count": len(indexes)}, within, limit, offset)

    def _listed(self, statements: dict[bool, sa.Select], params: dict, within: str, limit: int,
                offset: int) -> list[Recording]:
        scoped = within != EVERYWHERE
        if scoped:   # the desa codes under `within` as an index range ("/" sorts right after ".")
            params = {**params, "b_within": within, "b_from": within + ".", "b_to": within + "/"}
        rows = self.conn.execute(statements[scoped], {**params, "b_limit": limit, "b_offset": offset})
        return [_recording(row, self.personal_data) for row in rows]

    def reindex_names(self, batch_size: int = 500) -> int:
        """Name tokens for recordings that have none (stored before search by name existed)."""
        t, n, done = db.recordings, db.recording_name_tokens, 0
        missing = (sa.select(t.c.register_number, t.c.full_name)
                   .where(~sa.exists().where(n.c.register_number == t.c.register_number))
                   .order_by(t.c.id))
        for number, sealed in self.conn.execute(missing).all():
            self._index_name(number, self.personal_data.open_text(number, "full_name", sealed))
            done += 1
        return done

    def save_state(self, recording: Recording) -> None:
        self.conn.execute(_SAVE_STATE, {"b_number": recording.register_number, "b_state": recording.state.value,
                                        "b_duplicate_of": recording.duplicate_of,
                                        "b_failure_reason": recording.failure_reason,
                                        "b_review_flags": ",".join(recording.review_flags),
                                        "b_hold_until": recording.hold_until})

    def held_due(self, today: dt.date, limit: int = 1000) -> list[tuple[str, str, str, dt.date]]:
        """(register number, office, desa, hold date) of held pre-recordings (SENT) whose hold
        date is today or earlier, oldest first."""
        t = db.recordings
        query = (sa.select(t.c.register_number, t.c.office_code, t.c.region_code, t.c.hold_until)
                 .where(t.c.state == RecordingState.SENT.value, t.c.hold_until <= today)
                 .order_by(t.c.hold_until, t.c.id).limit(limit))
        return [tuple(row) for row in self.conn.execute(query)]

    def mark_released(self, register_number: str) -> bool:
        """SENT -> PRINT_READY unless someone else did it first (another replica): True when this did."""
        return self.conn.execute(_RELEASE, {"b_number": register_number}).rowcount == 1

    def duplicate_candidates(self, nik: str, template_digest: str, modality_digests: Iterable[str] = (),
                             demographics_of: Resident | None = None) -> list[DuplicateCandidate]:
        """Earlier recordings this one may duplicate, oldest first: those sharing the NIK (found
        through its blind index) or the (non-empty) single template digest; those sharing any
        finger/iris template digest (only asked when there are some); and, when
        `demographics_of` is given, those born the same day in the same province under another
        NIK, with their names and birth place decrypted for the domain to compare."""
        index, found = self.personal_data.nik_index(nik), {}
        if template_digest:
            rows = self.conn.execute(_CANDIDATES_BY_NIK_OR_DIGEST, {"b_nik_index": index, "b_digest": template_digest})
        else:
            rows = self.conn.execute(_CANDIDATES_BY_NIK, {"b_nik_index": index})
        for row in rows:
            found[row.id] = self._candidate(row)
        digests = sorted(set(modality_digests))
        if digests:
            matched: dict[int, list[tuple[Modality, str]]] = {}
            for row in self.conn.execute(_CANDIDATES_BY_TEMPLATE, {"b_digests": digests}):
                matched.setdefault(row.id, []).append((Modality(row.modality), row.modality_digest))
                found.setdefault(row.id, self._candidate(row))
            for row_id, pairs in matched.items():
                found[row_id] = replace(found[row_id], modality_digests=tuple(sorted(pairs)))
        if demographics_of is not None:
            province = demographics_of.region_code[:2]
            for row in self.conn.execute(_CANDIDATES_BY_BIRTH_DATE, {
                    "b_birth_date": dt.date.fromisoformat(demographics_of.birth_date), "b_nik_index": index,
                    "b_province_from": province + ".", "b_province_to": province + "/"}):
                names = {name: self.personal_data.open_text(row.register_number, name, getattr(row, name))
                         for name in ("full_name", "birth_place", "mother_name", "father_name")}
                resident = _blank_resident(row.region_code, row.birth_date.isoformat(), **names)
                found[row.id] = replace(found.get(row.id) or self._candidate(row), resident=resident)
        return [found[row_id] for row_id in sorted(found)]

    def _candidate(self, row: Row) -> DuplicateCandidate:
        return DuplicateCandidate(row.register_number, self.personal_data.open_text(row.register_number, "nik", row.nik),
                                  row.template_digest, RecordingState(row.state), row.region_code)

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
        # {modality: quality}, or {modality: [quality, template digest]} for a finger/iris with one
        "biometric_qualities": json.dumps({q.modality.value: [q.quality, q.template_digest] if q.template_digest
                                           else q.quality for q in b.qualities}),
        "recording_type": rec.recording_type.value, "previous_register_number": rec.previous_register_number,
        "failure_reason": rec.failure_reason, "hold_until": rec.hold_until,
        "captured_at": rec.captured_at, "drive_id": rec.drive_id,
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
    qualities = tuple(ModalityQuality(Modality(m), *(q if isinstance(q, list) else [q]))
                      for m, q in json.loads(row.biometric_qualities).items())
    return Recording(
        register_number=number, state=RecordingState(row.state), resident=resident,
        office_code=row.office_code, captured_at=_utc(row.captured_at),
        biometrics=Biometrics(qualities, row.template_digest, **images),
        review_flags=tuple(f for f in row.review_flags.split(",") if f),
        duplicate_of=row.duplicate_of, request_id=row.request_id or "", drive_id=row.drive_id,
        recording_type=RecordingType(row.recording_type), previous_register_number=row.previous_register_number,
        failure_reason=row.failure_reason, hold_until=row.hold_until)


def _blank_resident(region_code: str, birth_date: str, **names: str) -> Resident:
    """A resident holding only what demographic de-duplication compares (names, birth place
    and date, desa); every other field blank."""
    values = dict(nik="", kk_number="", full_name="", birth_place="", sex=Sex.UNSPECIFIED, blood_type="",
                  address="", rt="", rw="", religion=Religion.UNSPECIFIED, marital_status=MaritalStatus.UNSPECIFIED,
                  occupation="", citizenship=Citizenship.UNSPECIFIED, mother_name="", father_name="")
    return Resident(**{**values, **names}, birth_date=birth_date, region_code=region_code)


class SyncReceiptRepository:
    """What each field device's (device id, local id) became: the register number it stored."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, device_id: str, local_ids: Sequence[str]) -> dict[str, tuple[str, str, RecordingState, str, str]]:
        """local id -> (register number, desa, current state, duplicate of, failure reason) of
        those with a receipt."""
        r, t, found = db.sync_receipts, db.recordings, {}
        wanted = sorted(set(local_ids))
        for i in range(0, len(wanted), _IN_CHUNK):
            query = (sa.select(r.c.local_id, t.c.register_number, t.c.region_code, t.c.state, t.c.duplicate_of,
                               t.c.failure_reason)
                     .join(t, t.c.register_number == r.c.register_number)
                     .where(r.c.device_id == device_id, r.c.local_id.in_(wanted[i:i + _IN_CHUNK])))
            for local_id, number, region, state, duplicate_of, failure in self.conn.execute(query):
                found[local_id] = (number, region, RecordingState(state), duplicate_of, failure)
        return found

    def add_all(self, device_id: str, receipts: Sequence[tuple[str, str]], at: dt.datetime) -> None:
        """Receipts for (local id, register number) pairs, in one statement."""
        if receipts:
            self.conn.execute(db.sync_receipts.insert(), [
                {"device_id": device_id, "local_id": local_id, "register_number": number, "synced_at": at}
                for local_id, number in receipts])


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


class DriveRepository:
    """Pick-up drives with their desa, and the recording counts their reconciliation and the
    village coverage are made of (aggregates only: no personal data is read)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, drive: Drive) -> int:
        """Store a new drive with its desa; returns its id."""
        t = db.drives
        drive_id = self.conn.execute(t.insert().values(_drive_row(drive)).returning(t.c.id)).scalar_one()
        self.conn.execute(db.drive_villages.insert(), [
            {"drive_id": drive_id, "region_code": v.region_code, "planned": v.planned,
             "recorded": v.recorded, "failed": v.failed, "duplicates": v.duplicates} for v in drive.villages])
        return drive_id

    def get(self, drive_id: int, *, for_update: bool = False, for_share: bool = False) -> Drive | None:
        """A drive; on PostgreSQL optionally row-locked (FOR UPDATE / FOR SHARE) until commit."""
        query = sa.select(db.drives).where(db.drives.c.id == drive_id)
        if for_update or for_share:
            query = query.with_for_update(read=not for_update)
        row = self.conn.execute(query).first()
        return self._with_villages([row])[0] if row else None

    def of_office(self, office_code: str, state: DriveState | None = None, limit: int = 100) -> list[Drive]:
        """An office's drives, the latest date first."""
        t = db.drives
        query = sa.select(t).where(t.c.office_code == office_code)
        if state is not None:
            query = query.where(t.c.state == state.value)
        rows = self.conn.execute(query.order_by(t.c.planned_for.desc(), t.c.id.desc()).limit(limit)).all()
        return self._with_villages(rows)

    def save(self, drive: Drive) -> None:
        """State, times and reconciliation of a stored drive (its plan never changes)."""
        t, v = db.drives, db.drive_villages
        self.conn.execute(t.update().where(t.c.id == drive.id).values(_drive_row(drive)))
        self.conn.execute(
            v.update().where(v.c.drive_id == drive.id, v.c.region_code == sa.bindparam("b_code"))
            .values(recorded=sa.bindparam("b_recorded"), failed=sa.bindparam("b_failed"),
                    duplicates=sa.bindparam("b_duplicates")),
            [{"b_code": x.region_code, "b_recorded": x.recorded, "b_failed": x.failed,
              "b_duplicates": x.duplicates} for x in drive.villages])

    def recording_counts(self, drive_id: int) -> dict[str, RecordingCounts]:
        """Per desa: the recordings made under a drive, by state."""
        t = db.recordings
        query = (sa.select(t.c.region_code, t.c.state, sa.func.count()).where(t.c.drive_id == drive_id)
                 .group_by(t.c.region_code, t.c.state))
        return _counts_by_region(self.conn.execute(query))

    def counts_under(self, parent_code: str) -> dict[str, RecordingCounts]:
        """Per region code: every recording of residents living below `parent_code`, by state."""
        t = db.recordings
        query = (sa.select(t.c.region_code, t.c.state, sa.func.count()).where(_under(t.c.region_code, parent_code))
                 .group_by(t.c.region_code, t.c.state))
        return _counts_by_region(self.conn.execute(query))

    def _with_villages(self, rows: Sequence[Row]) -> list[Drive]:
        if not rows:
            return []
        v, r = db.drive_villages, db.regions
        query = (sa.select(v, r.c.name).join(r, r.c.code == v.c.region_code)
                 .where(v.c.drive_id.in_([row.id for row in rows])).order_by(v.c.drive_id, v.c.region_code))
        villages: dict[int, list[DriveVillage]] = {}
        for x in self.conn.execute(query):
            villages.setdefault(x.drive_id, []).append(
                DriveVillage(x.region_code, x.name, x.planned, x.recorded, x.failed, x.duplicates))
        return [_drive(row, tuple(villages.get(row.id, ()))) for row in rows]


def _counts_by_region(rows: Iterable[Row]) -> dict[str, RecordingCounts]:
    by_region: dict[str, dict[RecordingState, int]] = {}
    for code, state, n in rows:
        by_region.setdefault(code, {})[RecordingState(state)] = n
    return {code: RecordingCounts(states) for code, states in by_region.items()}


def _drive_row(d: Drive) -> dict:
    rec = d.reconciliation
    return {"office_code": d.office_code, "state": d.state.value, "planned_for": d.planned_for,
            "team": ",".join(d.team), "devices": ",".join(d.devices), "planned_by": d.planned_by,
            "planned_at": d.planned_at, "opened_at": d.opened_at, "closed_at": d.closed_at,
            "closed_by": d.closed_by, "planned_persons": d.planned_persons,
            "recorded": rec.recorded if rec else None, "failed": rec.failed if rec else None,
            "duplicates": rec.duplicates if rec else None}


def _drive(row: Row, villages: tuple[DriveVillage, ...]) -> Drive:
    rec = None
    if row.recorded is not None:
        rec = Reconciliation(row.planned_persons, row.recorded, row.failed or 0, row.duplicates or 0)
    return Drive(id=row.id, office_code=row.office_code, state=DriveState(row.state), planned_for=row.planned_for,
                 villages=villages, team=tuple(x for x in row.team.split(",") if x),
                 devices=tuple(x for x in row.devices.split(",") if x), planned_by=row.planned_by,
                 planned_at=_utc(row.planned_at), opened_at=_utc(row.opened_at) if row.opened_at else None,
                 closed_at=_utc(row.closed_at) if row.closed_at else None, closed_by=row.closed_by,
                 reconciliation=rec)


class AdjudicationRepository:
    """The queue of suspected duplicates (no personal data: register numbers, reasons, scores
    and which fields agree)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, adjudication: Adjudication) -> None:
        self.conn.execute(db.adjudications.insert(), _adjudication_row(adjudication))

    def get(self, register_number: str, *, for_update: bool = False) -> Adjudication | None:
        query = sa.select(db.adjudications).where(db.adjudications.c.register_number == register_number)
        row = self.conn.execute(query.with_for_update() if for_update else query).first()
        return _adjudication(row) if row else None

    def save(self, adjudication: Adjudication) -> None:
        t = db.adjudications
        self.conn.execute(t.update().where(t.c.register_number == adjudication.register_number)
                          .values(_adjudication_row(adjudication)))

    def listed(self, within: str, *, include_resolved: bool, limit: int) -> list[Adjudication]:
        """Entries whose desa lies in `within` ("*": everywhere): open ones first, oldest first;
        then (when asked) resolved ones, latest decision first."""
        t = db.adjudications
        query = sa.select(t)
        if within != EVERYWHERE:
            query = query.where(sa.or_(t.c.region_code == within, _under(t.c.region_code, within)))
        if not include_resolved:
            query = query.where(t.c.decision.is_(None))
        query = query.order_by(t.c.decision.is_not(None), t.c.resolved_at.desc(), t.c.opened_at, t.c.id).limit(limit)
        return [_adjudication(row) for row in self.conn.execute(query)]


def _adjudication_row(a: Adjudication) -> dict:
    return {"register_number": a.register_number, "candidate_register_number": a.candidate_register_number,
            "reasons": ",".join(a.reasons), "score": a.score,
            "comparison": json.dumps([[c.field, round(c.similarity, 4), c.compared] for c in a.comparison]),
            "region_code": a.region_code, "office_code": a.office_code, "opened_at": a.opened_at,
            "resolved_at": a.resolved_at, "decision": a.decision.value if a.decision else None,
            "resolver": a.resolver or None, "note": a.note or None}


def _adjudication(row: Row) -> Adjudication:
    return Adjudication(
        register_number=row.register_number, candidate_register_number=row.candidate_register_number,
        reasons=tuple(r for r in row.reasons.split(",") if r), score=float(row.score),
        region_code=row.region_code, office_code=row.office_code, opened_at=_utc(row.opened_at),
        comparison=tuple(FieldComparison(f, s, c) for f, s, c in json.loads(row.comparison)),
        resolved_at=_utc(row.resolved_at) if row.resolved_at else None,
        decision=AdjudicationDecision(row.decision) if row.decision else None,
        resolver=row.resolver or "", note=row.note or "")
