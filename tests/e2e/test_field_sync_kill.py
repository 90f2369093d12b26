"""A field device syncs 5,000 recordings while the enrolment process is killed (-9) in the
middle of the stream and started again: the device resumes, and exactly 5,000 recordings
and 5,000 receipts are stored (SQLite and PostgreSQL)."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from enrolment import db
from enrolment.field import client
from enrolment.field.store import PENDING, FieldStore
from servicekit.db import create_engine
from tests.enrolment.field_support import recordings
from tools.processes import ServiceSet

pytestmark = pytest.mark.e2e

KILL_AFTER = 1500   # results received before the server is killed


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                         for t in (db.recordings, db.sync_receipts))
    finally:
        engine.dispose()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sync_of_5000_survives_the_server_killed_mid_stream_and_stores_each_exactly_once(tmp_path, request, backend):
    var_dir = tmp_path / "var"
    url = (request.getfixturevalue("postgres_server").create_database() if backend == "postgresql"
           else f"sqlite:///{var_dir / 'enrolment.db'}")
    services = ServiceSet(var_dir=var_dir, names=("enrolment",), extra_env={"ENROLMENT_DATABASE_URL": url})
    services.load_demo("--residents", "10")
    services.start("enrolment")
    store = FieldStore(tmp_path / "tablet")
    try:
        services.wait_serving("enrolment")
        before, _ = counts(url)
        store.init(services.target("enrolment"), "62.03", device_id="tablet-kill")
        store.add([m.SerializeToString() for m in recordings(5000, seed=7)])
        anonymous = client.open_channel(services.target("enrolment"), token=None)
        token = client.login(anonymous, "kapuas.operator", services.accounts["kapuas.operator"]).token
        anonymous.close()
        channel = client.open_channel(services.target("enrolment"), token=token)
        killed, received = [], []

        def on_result(result) -> None:
            received.append(result)
            if len(received) == KILL_AFTER:
                process = services.processes.pop("enrolment")
                process.kill()                       # SIGKILL: no drain, no goodbye
                killed.append(process.wait())

        def on_retry(attempt, wait, problem) -> None:
            if "enrolment" not in services.processes:   # the operator (or Kubernetes) starts it again
                services.start("enrolment")
                services.wait_serving("enrolment")

        report = client.sync(store, lambda items: client.stream_items(channel, "tablet-kill", items, deadline=300),
                             chunk=5000, on_result=on_result, on_retry=on_retry,
                             sleep=lambda seconds: time.sleep(min(seconds, 0.2)))
        channel.close()
        after, receipts = counts(url)
        on_device = store.counts()
    finally:
        store.close()
        if services.processes:
            services.stop()
    assert killed == [-9] and report.retries >= 1
    assert on_device["ACCEPTED"] == 5000 and on_device[PENDING] == 0
    assert after - before == 5000 and receipts == 5000
    assert len({r.register_number for r in report.results}) == 5000
