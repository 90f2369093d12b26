"""The enrolment and documents consumers fold the same recording at the same time (on
PostgreSQL they are concurrent READ COMMITTED transactions): neither fold is lost."""
from __future__ import annotations

import functools
import threading
import time

import pytest

from reporting.bootstrap import MIGRATIONS
from reporting.errors import FoldCollision
from reporting.events import decode
from reporting.service import ReportingService
from reporting.unit_of_work import ReportingUnitOfWork
from servicekit.db import create_engine, run_migrations
from tests.reporting import builders as b
from tests.reporting.unit.conftest import PROVINCE_ADMIN

DESA = "62.03.01.2001"


@pytest.fixture
def engine(database_url):
    run_migrations(database_url, MIGRATIONS)
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def test_a_card_folded_while_the_print_ready_fold_is_open_keeps_both(engine):
    service = ReportingService(functools.partial(ReportingUnitOfWork, engine))
    number = b.register_number()
    service.apply(decode("enrolment", b.envelope(b.captured(DESA, number), 1)))
    ready = decode("enrolment", b.envelope(b.print_ready(number, DESA), 2))
    card = decode("documents", b.envelope(b.card_printed(number, DESA), 1))

    with ReportingUnitOfWork(engine) as first:
        service._apply(first, ready)          # the enrolment consumer's fold, not yet committed
        second = threading.Thread(target=service.apply, args=(card,))
        second.start()                        # the documents consumer folds the same recording
        time.sleep(0.3)                       # room for it to read the row before the commit
        first.commit()
    second.join(timeout=30)
    assert not second.is_alive()

    with ReportingUnitOfWork(engine, readonly=True) as uow:
        fact = uow.recordings.get(number)
    assert (fact.print_ready, fact.card_printed) == (True, True)
    counts = service.coverage(PROVINCE_ADMIN, "62.03.01").total.counts
    assert (counts.recorded, counts.print_ready, counts.cards_printed, counts.print_ready_backlog) == (1, 1, 1, 0)


def test_a_recording_created_by_another_fold_after_this_one_found_none_is_not_overwritten(engine):
    """The documents fold reads no recording yet; the enrolment fold then creates it and commits;
    the documents fold must not overwrite it with its placeholder: its insert collides
    (FoldCollision, which `apply` retries at once) and the retry starts from the enrolment
    fold's row."""
    service = ReportingService(functools.partial(ReportingUnitOfWork, engine))
    number = b.register_number()
    captured = decode("enrolment", b.envelope(b.captured(DESA, number), 1))
    suket = decode("documents", b.envelope(b.suket_issued(number, DESA), 1))
    enrolment = threading.Thread(target=service.apply, args=(captured,))

    with ReportingUnitOfWork(engine) as documents:
        read = documents.recordings.get

        def read_then_let_enrolment_commit(key, **kwargs):
            found = read(key, **kwargs)
            enrolment.start()
            enrolment.join(timeout=2)     # PostgreSQL: it commits now; SQLite: it waits for us
            return found

        documents.recordings.get = read_then_let_enrolment_commit
        try:
            service._apply(documents, suket)
            documents.commit()
            retry = False
        except FoldCollision:
            retry = True
    if retry:
        assert service.apply(suket)
    enrolment.join(timeout=30)
    assert not enrolment.is_alive()

    with ReportingUnitOfWork(engine, readonly=True) as uow:
        fact = uow.recordings.get(number)
    assert (fact.known, fact.suket_valid_until is not None) == (True, True)
    counts = service.coverage(PROVINCE_ADMIN, "62.03.01").total.counts
    assert (counts.facts, counts.recorded, counts.suket_outstanding) == (1, 1, 1)
