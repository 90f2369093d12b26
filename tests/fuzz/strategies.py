"""Hypothesis strategies for any protobuf message, built from its descriptor, and for form values.

`messages(descriptor, pool)` fills a random subset of the fields of any message type: every
scalar type at its full range, enums with unknown numbers too, repeated fields, maps, oneofs
(at most one member set), nested messages to a bounded depth, Timestamps. Pure randomness is
refused at the first check, so strings are mixed with plausible values chosen by the field's
name (`PLAUSIBLE`: region codes, NIK-like digits, register numbers, serials, dates) and with
ids that exist: the `Pool` holds the ids found in each service's database at start and every
id a successful response carried, so later requests name real recordings, documents,
procurements and batches and get past "not found" into the use case.

Nothing here knows an RPC: a new RPC or a new field is fuzzed the day it is added.
"""
from __future__ import annotations

import os
import re
import threading
from collections import defaultdict

import sqlalchemy as sa
from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

from servicekit.db import READONLY

# CI replays the same examples every run (derandomized); EKTP_FUZZ_EXPLORE=1 draws new ones,
# for a longer hunt by hand: what it finds becomes a regression case in the test modules.
EXPLORE = bool(os.environ.get("EKTP_FUZZ_EXPLORE"))
MAX_DEPTH = 3          # nested messages below this are left unset
MAX_ITEMS = 3          # repeated fields and maps
POOL_PER_NAME = 40     # ids kept per field name

F = FieldDescriptor
INT_RANGES = {
    F.TYPE_INT32: (-2**31, 2**31 - 1), F.TYPE_SINT32: (-2**31, 2**31 - 1), F.TYPE_SFIXED32: (-2**31, 2**31 - 1),
    F.TYPE_INT64: (-2**63, 2**63 - 1), F.TYPE_SINT64: (-2**63, 2**63 - 1), F.TYPE_SFIXED64: (-2**63, 2**63 - 1),
    F.TYPE_UINT32: (0, 2**32 - 1), F.TYPE_FIXED32: (0, 2**32 - 1),
    F.TYPE_UINT64: (0, 2**64 - 1), F.TYPE_FIXED64: (0, 2**64 - 1),
}

REGIONS = ["62", "62.03", "62.03.01", "62.03.01.2001", "62.03.01.1006", "62.03.01.1002", "62.03.02", "63.10",
           "63.10.01.1007", "62.06", "11", "62.3", "6203", "62.03.01.20011", "99.99.99.9999", "62.03."]
NIKS = ["6203015705900001", "6203011505100001", "6203014107850002", "0000000000000000", "620301570590000",
        "62030157059000011", "62030157059O0001", "６２０３０１５７０５９０００１"]
REGISTER_NUMBERS = ["6203-20261128-000001", "6203-20261128-000009", "6203-20261399-000001", "6203-1",
                    "6310-20261128-000001"]
SERIALS = ["0000000101", "0000000102", "6310000001", "6310001000", "6310001001", "63100000011", "ABCDEFGHIJ"]
DATES = ["2026-11-28", "1990-05-17", "2027-01-01", "2026-02-30", "1899-12-31", "0001-01-01", "9999-12-31",
         "28-11-2026", "2026-11", "2026"]
UUIDS = ["00000000-0000-4000-8000-000000000001", "ffffffff-ffff-ffff-ffff-ffffffffffff", "not-a-uuid"]
COUNTS = [-1, 0, 1, 2, 5, 100, 1000, 10**6, 10**9, 2**31 - 1]
YEARS = [2016, 2025, 2026, 2027, 1900, 9999, 0, -1]

# Plausible values by field name (the first pattern that matches wins); the first `valid` of
# each list would pass a format check, the rest are near misses.
PLAUSIBLE: tuple[tuple[re.Pattern, list, int], ...] = tuple((re.compile(pattern), values, valid) for pattern, values, valid in (
    (r"nik|kk_number", NIKS, 3),
    (r"register_number|duplicate_of|^nomor", REGISTER_NUMBERS, 2),
    (r"serial|seri", SERIALS, 4),
    (r"(^|_)(region|office|parent|scope|kecamatan|desa|village|kabupaten|province|from|to|kantor|wilayah)(_|$)"
     r"|(^|_)code$", REGIONS, 7),
    (r"date|(^|_)on$|_at$|until|since|day|month|period|tanggal|sampai|dari", DATES, 3),
    (r"(^|_)ids?$", UUIDS, 1),
    (r"year|tahun", YEARS, 4),
    (r"size|limit|quantity|count|number|amount|days|first|last|after|sequence|jumlah|page|halaman", COUNTS, 0),
))

EDGE_STRINGS = ["", " ", "0", "-1", "x" * 256, "9" * 10_000, "\x00", "a\x00b", "\t\r\n", "\u202egnp.exe",
                "Budi Santoso", "Nur'aini", "١٢٣٤٥٦", "😀", "' OR 1=1 --", "%s%n", "../../etc/passwd",
                "<script>alert(1)</script>", "null", "true", "{}", "*"]
EDGE_BYTES = [b"", b"\x00", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"%PDF-1.7", b"\x00" * 70_000]


def plausible(name: str, valid_only: bool = False) -> list:
    for pattern, values, valid in PLAUSIBLE:
        if pattern.search(name):
            return values[:valid] if valid_only else values
    return []


class Pool:
    """Values that exist in the world, by field (or column) name. Grows while the fuzzers run."""

    ID_NAME = re.compile(r"(^|_)(id|ids|number|serial|code|token|key)$")

    def __init__(self) -> None:
        self._values: dict[str, list] = defaultdict(list)
        self._lock = threading.Lock()

    def add(self, name: str, value) -> None:
        if value in ("", 0, None) or not isinstance(value, str):
            return
        with self._lock:
            values = self._values[name]
            if value not in values and len(values) < POOL_PER_NAME:
                values.append(value)

    def get(self, name: str) -> list:
        return self._values.get(name, [])

    def collect(self, engine: sa.Engine) -> None:
        """The id-like text columns of every table of a service's database."""
        with engine.connect() as conn:
            conn.execution_options(**{READONLY: True})   # a plain connection takes SQLite's write lock
            inspector = sa.inspect(conn)
            for table in inspector.get_table_names():
                for column in inspector.get_columns(table):
                    if self.ID_NAME.search(column["name"]) and isinstance(column["type"], sa.String):
                        query = sa.text(f'SELECT DISTINCT "{column["name"]}" FROM "{table}" LIMIT {POOL_PER_NAME}')
                        for (value,) in conn.execute(query):
                            self.add(column["name"], value)

    def harvest(self, message: Message) -> None:
        """The id-like string fields of a response, at any depth."""
        for descriptor, value in message.ListFields():
            if descriptor.type == F.TYPE_MESSAGE:
                if _is_map(descriptor):
                    continue
                for item in (value if descriptor.is_repeated else [value]):
                    self.harvest(item)
            elif descriptor.type == F.TYPE_STRING and self.ID_NAME.search(descriptor.name):
                for item in (value if descriptor.is_repeated else [value]):
                    self.add(descriptor.name, item)


def _is_map(field: FieldDescriptor) -> bool:
    return field.type == F.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


def _from_pool(pool: Pool, name: str, valid_only: bool = False) -> st.SearchStrategy:
    """A value the pool holds for `name` *when drawn* (the pool grows), else a plausible one."""
    @st.composite
    def draw_value(draw):
        index = draw(st.integers(0, 2**16))   # fixed bounds: hypothesis replays draws, the pool grows
        values = pool.get(name) or plausible(name, valid_only) or EDGE_STRINGS
        return values[index % len(values)]
    return draw_value()


def text() -> st.SearchStrategy[str]:
    """Random and edge-case text: control characters, any script, empty, very long."""
    return st.one_of(st.sampled_from(EDGE_STRINGS), st.text(st.characters(codec="utf-8"), max_size=24))


def string_for(name: str, pool: Pool) -> st.SearchStrategy[str]:
    known = [str(v) for v in plausible(name)]
    choices = [text(), _from_pool(pool, name)]
    if known:
        choices.append(st.sampled_from(known))
    return st.one_of(*choices)


def _integers(field: FieldDescriptor) -> st.SearchStrategy[int]:
    low, high = INT_RANGES[field.type]
    usual = [v for v in {0, 1, -1, 2, 7, 100, low, high, *(v for v in plausible(field.name) if isinstance(v, int))}
             if low <= v <= high]
    return st.one_of(st.sampled_from(sorted(usual)), st.integers(low, high))


def _timestamps() -> st.SearchStrategy[dict]:
    """Valid, edge and out-of-range Timestamp fields (the proto allows 0001..9999 only)."""
    seconds = st.sampled_from([0, -1, 1_764_288_000, 1_800_000_000, -62_135_596_800, 253_402_300_799,
                               253_402_300_800, -62_135_596_801, 2**62]) | st.integers(-2**40, 2**40)
    nanos = st.sampled_from([0, 999_999_999, 10**9, -1]) | st.integers(0, 10**9 - 1)
    return st.fixed_dictionaries({}, optional={"seconds": seconds, "nanos": nanos})


def scalar(field: FieldDescriptor, pool: Pool, careful: bool = False) -> st.SearchStrategy:
    kind = field.type
    if careful:
        return _careful_scalar(field, pool)
    if kind in INT_RANGES:
        return _integers(field)
    if kind == F.TYPE_BOOL:
        return st.booleans()
    if kind in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
        return st.floats(width=32 if kind == F.TYPE_FLOAT else 64) | st.sampled_from([0.0, -1.0, 1e308])
    if kind == F.TYPE_STRING:
        return string_for(field.name, pool)
    if kind == F.TYPE_BYTES:
        return st.sampled_from(EDGE_BYTES) | st.binary(max_size=64)
    if kind == F.TYPE_ENUM:
        known = st.sampled_from([v.number for v in field.enum_type.values])
        return known if field.enum_type.is_closed else st.one_of(known, st.integers(-3, 40))
    raise TypeError(f"no strategy for field {field.full_name} of type {kind}")


def _careful_scalar(field: FieldDescriptor, pool: Pool) -> st.SearchStrategy:
    """A value that would pass a first check: plausible by name, ids that exist, small positive
    numbers, a named enum member, printable text. Gets requests into the use case."""
    kind = field.type
    if kind in INT_RANGES:
        numbers = [v for v in plausible(field.name) if isinstance(v, int) and 0 < v <= 10_000]
        return st.sampled_from(numbers or [1, 2, 5, 10, 100])
    if kind == F.TYPE_STRING:
        if pool.get(field.name) or plausible(field.name, valid_only=True):
            return _from_pool(pool, field.name, valid_only=True)
        return st.sampled_from(["Uji fuzz", "Kuala Kapuas", "Berita acara 12/2026", "rusak saat cetak"])
    if kind == F.TYPE_ENUM:
        named = [v.number for v in field.enum_type.values if v.number != 0]
        return st.sampled_from(named or [0])
    return scalar(field, pool)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _unknown_fields(descriptor: Descriptor) -> st.SearchStrategy[bytes]:
    """Well-formed fields this message type does not declare (a newer client's), which a
    server must skip. Keeps messages without fields from being a single example."""
    first = max((f.number for f in descriptor.fields), default=0) + 1
    number = st.integers(first, first + 50) | st.just(2**29 - 1)
    varint = st.tuples(number, st.integers(0, 2**64 - 1)).map(lambda t: _varint(t[0] << 3) + _varint(t[1]))
    length = st.tuples(number, st.binary(max_size=16)).map(
        lambda t: _varint(t[0] << 3 | 2) + _varint(len(t[1])) + t[1])
    return st.lists(varint | length, max_size=3).map(b"".join)


class _Builder:
    """Per-pool cache of field strategies (built once per message type, depth and mode)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self._cache: dict[tuple[str, int, bool], st.SearchStrategy] = {}

    def message(self, descriptor: Descriptor, depth: int = 0, careful: bool | None = None) -> st.SearchStrategy[Message]:
        """`careful=None`: one example in three careful (every field set to a plausible value)."""
        if careful is None:
            return st.integers(0, 2).flatmap(lambda n: self.message(descriptor, depth, careful=n == 0))
        key = (descriptor.full_name, depth, careful)
        if key not in self._cache:
            self._cache[key] = st.deferred(lambda: self._message(descriptor, depth, careful))
        return self._cache[key]

    def _message(self, descriptor: Descriptor, depth: int, careful: bool) -> st.SearchStrategy[Message]:
        cls = message_factory.GetMessageClass(descriptor)
        if descriptor.full_name == "google.protobuf.Timestamp":
            if careful:
                return st.sampled_from([1_764_288_000, 1_767_225_600]).map(lambda s: cls(seconds=s))
            return _timestamps().map(lambda values: cls(**values))
        fields = {f.name: self.field(f, depth, careful) for f in descriptor.fields if self.fillable(f, depth)}
        oneofs = [[f.name for f in oneof.fields if f.name in fields]
                  for oneof in descriptor.oneofs if not _synthetic(oneof)]
        unknown = _unknown_fields(descriptor)

        @st.composite
        def build(draw) -> Message:
            message = cls()
            skipped = set()
            for members in oneofs:   # at most one member of each oneof
                keep = draw(st.sampled_from([None, *members])) if members else None
                skipped.update(m for m in members if m != keep)
            for name, strategy in fields.items():
                required = careful or descriptor.fields_by_name[name].is_required   # proto2: must be set
                if name in skipped or not (required or draw(st.integers(0, 3))):   # others three times in four
                    continue
                _assign(message, descriptor.fields_by_name[name], draw(strategy))
            if not careful and not draw(st.integers(0, 3)):
                message.MergeFromString(draw(unknown))
            return message
        return build()

    @staticmethod
    def fillable(field: FieldDescriptor, depth: int) -> bool:
        return field.type != F.TYPE_MESSAGE or _is_map(field) or field.is_required or depth < MAX_DEPTH

    def field(self, field: FieldDescriptor, depth: int, careful: bool) -> st.SearchStrategy:
        if _is_map(field):
            key_field, value_field = field.message_type.fields_by_name["key"], field.message_type.fields_by_name["value"]
            return st.dictionaries(self.single(key_field, depth + 1, careful),
                                   self.single(value_field, depth + 1, careful), max_size=MAX_ITEMS)
        one = self.single(field, depth, careful)
        if field.is_repeated:
            return st.lists(one, min_size=1 if careful else 0, max_size=MAX_ITEMS)
        return one

    def single(self, field: FieldDescriptor, depth: int, careful: bool) -> st.SearchStrategy:
        if field.type == F.TYPE_MESSAGE:
            return self.message(field.message_type, depth + 1, careful)
        return scalar(field, self.pool, careful)


def _synthetic(oneof) -> bool:
    """proto3 `optional` fields sit in a one-member synthetic oneof: not a real choice."""
    return len(oneof.fields) == 1 and oneof.name == "_" + oneof.fields[0].name


def _assign(message: Message, field: FieldDescriptor, value) -> None:
    target = getattr(message, field.name)
    if _is_map(field):
        for key, item in value.items():
            if isinstance(item, Message):
                target[key].CopyFrom(item)
            else:
                target[key] = item
    elif field.is_repeated:
        if field.type == F.TYPE_MESSAGE:
            for item in value:
                target.add().CopyFrom(item)
        else:
            target.extend(value)
    elif field.type == F.TYPE_MESSAGE:
        target.CopyFrom(value)
    else:
        setattr(message, field.name, value)


_BUILDERS: dict[int, _Builder] = {}


def messages(descriptor: Descriptor, pool: Pool) -> st.SearchStrategy[Message]:
    """Random messages of the type `descriptor` describes: two in three wild, one in three
    careful (every field plausible), so that some get past the first check."""
    builder = _BUILDERS.setdefault(id(pool), _Builder(pool))
    return builder.message(descriptor)


def form_value(name: str, pool: Pool, careful: bool = False) -> st.SearchStrategy[str]:
    """A value for an HTML form field called `name` (forms send text only); `careful`: one
    that would pass a first check (plausible by name, an id that exists, a small number)."""
    if careful:
        if pool.get(name) or plausible(name, valid_only=True):
            return _from_pool(pool, name, valid_only=True)
        if plausible(name):
            return st.sampled_from(["1", "5", "100"])
        return st.sampled_from(["Uji fuzz", "1", "ya", "on", "2026-12-01"])
    numbers = st.sampled_from([str(v) for v in (*COUNTS, *YEARS)])
    return st.one_of(string_for(name, pool), numbers)
