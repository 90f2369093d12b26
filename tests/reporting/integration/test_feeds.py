"""The real reporting process following fake producers over gRPC, on SQLite and PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa

from ektp.reporting.v1 import reporting_pb2
from reporting import db
from servicekit.access import Principal
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting.integration.fakes import caught_up

KAB, KEC_A, KEC_B = "62.03", "62.03.01", "62.03.02"


def _coverage(stub, region):
    return stub.GetCoverage(reporting_pb2.GetCoverageRequest(region_code=region), timeout=5)


def test_coverage_reflects_targets_recordings_cards_and_suket_per_kecamatan(runtime, producers, stub):
    printed, with_suket, waiting, copy = (b.register_number() for _ in range(4))
    suket = b.suket_issued(with_suket, f"{KEC_B}.2001")
    # Documents first: a card may arrive before the recording it belongs to.
    producers["documents"].feed.append(b.card_printed(printed, f"{KEC_A}.2001"), suket)
    producers["enrolment"].feed.append(
        b.target(KAB, 1000, "Kapuas"), b.target(KEC_A, 4, "Selat"), b.target(KEC_B, 2, "Kapuas Hilir"),
        b.captured(f"{KEC_A}.2001", printed), b.print_ready(printed, f"{KEC_A}.2001"),
        b.captured(f"{KEC_A}.1002", copy), b.duplicate(copy, f"{KEC_A}.1002", duplicate_of=printed),
        b.captured(f"{KEC_B}.2001", with_suket), b.print_ready(with_suket, f"{KEC_B}.2001"),
        b.captured(f"{KEC_B}.2002", waiting))
    wait_for(lambda: caught_up(runtime.engine, producers), message="reporting to catch up")

    response = _coverage(stub, KAB)
    rows = {row.region_code: row for row in response.rows}
    assert list(rows) == [KEC_A, KEC_B]
    a, c = rows[KEC_A], rows[KEC_B]
    assert (a.region_name, a.target, a.recorded, a.print_ready, a.cards_printed, a.suket_outstanding) == (
        "Selat", 4, 1, 1, 1, 0)
    assert a.coverage_ratio == 0.25
    assert (c.target, c.recorded, c.coverage_ratio, c.print_ready, c.suket_outstanding) == (2, 2, 1.0, 1, 1)
    total = response.total
    assert (total.region_name, total.target, total.recorded, total.cards_printed) == ("Kapuas", 1000, 3, 1)

    producers["documents"].feed.append(b.suket_superseded(suket.document_id, with_suket, f"{KEC_B}.2001"),
                                       b.card_printed(with_suket, f"{KEC_B}.2001"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the card replacing the Suket")
    total = _coverage(stub, KAB).total
    assert (total.suket_outstanding, total.cards_printed) == (0, 2)


def test_reporting_catches_up_exactly_after_a_producer_restarts(runtime, producers, stub):
    enrolment = producers["enrolment"]
    enrolment.feed.append(b.target(KEC_A, 10), b.captured(f"{KEC_A}.2001"), b.captured(f"{KEC_A}.2002"))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the first events")
    assert _coverage(stub, KEC_A).total.recorded == 2

    enrolment.stop()
    enrolment.feed.append(b.captured(f"{KEC_A}.2003"), b.captured(f"{KEC_A}.2001"))
    assert _coverage(stub, KEC_A).total.recorded == 2
    enrolment.feed.replay_all = True  # the restarted producer resends everything it ever had
    enrolment.start()

    wait_for(lambda: caught_up(runtime.engine, producers), timeout=30, message="catching up after the restart")
    response = _coverage(stub, KEC_A)
    assert (response.total.recorded, response.total.target) == (4, 10)
    with runtime.engine.connect() as conn:
        applied = conn.execute(sa.select(sa.func.count()).select_from(db.inbox)
                               .where(db.inbox.c.feed == "enrolment")).scalar_one()
    assert applied == len(enrolment.feed.events) == 5


def test_reporting_follows_every_feed_as_its_own_service_identity(runtime, producers):
    for fake in producers.values():
        wait_for(lambda fake=fake: fake.callers, message=f"reporting to open the {fake.name} feed")
    callers = {name: set(fake.callers) for name, fake in producers.items()}
    assert callers == {name: {Principal.service("reporting")} for name in producers}
