"""What a transaction of several recordings keeps back until its commit (the register counter
of an office and day, the name tokens: RecordingRepository.flush) is written before the commit:
numbers go on from where the last transaction stopped, and every name is found by search."""
from __future__ import annotations

import sqlalchemy as sa

from enrolment import db
from tests.enrolment import factories as f

from .conftest import build_runtime, stop_runtime


def test_a_batch_takes_consecutive_numbers_and_the_next_transaction_goes_on_from_its_last(database_url, tmp_path):
    runtime = build_runtime(database_url, tmp_path)
    try:
        svc, officer = runtime.service, f.officer()
        names = ["Ahmad Fauzi", "Rina Wulandari", "Yohanes Saputra", "Dewi Lestari"]
        batch = svc.record_residents(officer, [f.request(nik=f.nik(serial=7000 + i), full_name=name)
                                               for i, name in enumerate(names[:3])])
        after = svc.record_resident(officer, f.request(nik=f.nik(serial=7003), full_name=names[3]))
        numbers = [r.register_number for r in [*batch, after]]
        assert [int(n[-6:]) for n in numbers] == [1, 2, 3, 4]
        with runtime.engine.connect() as conn:
            assert conn.scalar(sa.select(db.register_counters.c.last)) == 4
        for name, number in zip(names, numbers, strict=True):
            found = svc.search_recordings(officer, name=name).recordings
            assert [r.register_number for r in found] == [number]
    finally:
        stop_runtime(runtime)
