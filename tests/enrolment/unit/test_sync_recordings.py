"""The sync_recordings use case on a real SQLite file: per-item outcomes, receipts, and fuzzed
items that never break the batch."""
from __future__ import annotations

import dataclasses
import pathlib
import tempfile

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrolment import db, domain
from enrolment.metrics import EnrolmentMetrics
from enrolment.service import EnrolmentService
from enrolment.unit_of_work import unit_of_work_factory
from servicekit.access import Role
from servicekit.db import create_engine
from tests.enrolment.factories import NOW, TEST_REGIONS, VILLAGE, officer, personal_data, request

Outcome = domain.SyncOutcome


@pytest.fixture(scope="module")
def world():
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/test.db")
        db.metadata.create_all(engine)
        uow = unit_of_work_factory(engine, personal_data=personal_data(pathlib.Path(tmp) / "keys"))
        service = EnrolmentService(uow, metrics=EnrolmentMetrics(), clock=lambda: NOW)
        service.import_regions(TEST_REGIONS)
        yield service, engine
        engine.dispose()


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


FIELD_OFFICER = officer(Role.OPERATOR_KECAMATAN, "62.03.01", subject="lapangan.uji")


def test_results_come_in_order_and_only_stored_items_get_a_receipt(world):
    service, engine = world
    recordings, receipts = count(engine, db.recordings), count(engine, db.sync_receipts)
    good = request(region_code=VILLAGE)
    items = [domain.SyncItem("tab-a", "1", good),
             domain.SyncItem("tab-a", "2", request(region_code=VILLAGE, rt="x")),
             domain.SyncItem("tab-a", "3", dataclasses.replace(good, request_id="")),   # same NIK: duplicate
             domain.SyncItem("tab-a", "1", request(region_code=VILLAGE))]                # same key again: replay
    results = service.sync_recordings(FIELD_OFFICER, items)
    assert [(r.local_id, r.outcome, r.replayed) for r in results] == [
        ("1", Outcome.ACCEPTED, False), ("2", Outcome.INVALID, False), ("3", Outcome.DUPLICATE, False),
        ("1", Outcome.ACCEPTED, True)]
    assert results[3].register_number == results[0].register_number
    assert results[2].duplicate_of == results[0].register_number
    assert count(engine, db.recordings) - recordings == 2 and count(engine, db.sync_receipts) - receipts == 2


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(device=_text, local=_text, nik=_text, name=_text, birth=_text, rt=_text, region=_text, office=_text)
def test_fuzzed_items_get_an_outcome_each_and_never_break_the_batch(world, device, local, nik, name, birth, rt,
                                                                   region, office):
    service, engine = world
    fuzzed = request(region_code=region, office_code=office, nik=nik, full_name=name, birth_date=birth, rt=rt)
    good = domain.SyncItem("tab-fuzz", f"ok-{count(engine, db.sync_receipts)}", request(region_code=VILLAGE))
    results = service.sync_recordings(FIELD_OFFICER, [domain.SyncItem(device, local, fuzzed), good])
    assert len(results) == 2 and results[1].outcome is Outcome.ACCEPTED
    refused = {Outcome.INVALID, Outcome.NOT_ELIGIBLE, Outcome.OUT_OF_SCOPE}
    assert results[0].outcome in refused | {Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.FAILED}
    if results[0].outcome is Outcome.INVALID:
        assert results[0].violations and all(v.field and v.description for v in results[0].violations)
