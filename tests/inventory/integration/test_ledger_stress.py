"""16 concurrent reservers on a real database (SQLite and PostgreSQL, migrated schema): no
serial is ever used twice, stock is never negative, and at the end every serial's state, the
ledger, the balance and the events all tell the same story."""
from __future__ import annotations

import collections
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from inventory import bootstrap, db, events
from inventory.config import Settings
from inventory.domain import LedgerKind, StockReleased, StockReserved
from inventory.errors import OutOfStock, ReservationExpired
from servicekit import outbox
from servicekit.access import Principal

THREADS, PER_THREAD, STOCK = 16, 8, 60      # 128 attempts on 60 blanks, some released and re-reserved
OFFICE = "62.03"
DOCUMENTS = Principal.service("documents", origin="stress")
SYSTEM = Principal.service("inventory", origin="stress")


@pytest.fixture
def core(database_url, tmp_path):
    core = bootstrap.build_core(Settings(database_url=database_url, var_dir=tmp_path, offices=(OFFICE,)))
    core.service.receive_stock(SYSTEM, OFFICE, "20000001", f"{20000000 + STOCK}", "SPB-STRESS")
    yield core
    core.close()


def run_together(count: int, work):
    barrier = threading.Barrier(count)

    def start(index: int):
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def blank_states(core) -> dict[str, str]:
    with core.engine.connect() as conn:
        return dict(conn.execute(sa.select(db.blanks.c.serial, db.blanks.c.state)).all())


def ledger_serials(core, kind: LedgerKind) -> collections.Counter:
    """How often each serial appears in entries of `kind` (ranges expanded)."""
    c = db.stock_ledger.c
    counter: collections.Counter = collections.Counter()
    with core.engine.connect() as conn:
        for first, last in conn.execute(sa.select(c.first_serial, c.last_serial).where(c.kind == kind.value)):
            counter.update(str(n).zfill(len(first)) for n in range(int(first), int(last) + 1))
    return counter


def stored_events(core) -> list:
    return [events.decode_event(e.type, e.payload, e.occurred_at) for e in outbox.read_events(core.engine, 0, 10_000)]


def test_sixteen_reservers_never_double_spend_and_every_serial_ends_in_one_state(core):
    service = core.service

    def work(thread: int) -> list[tuple[str, str, str]]:
        outcomes = []
        for n in range(PER_THREAD):
            key = f"card:STRESS-{thread}-{n}"
            try:
                serial = service.reserve_blank(DOCUMENTS, OFFICE, key).serial
            except OutOfStock:
                outcomes.append(("out_of_stock", key, ""))
                continue
            if (thread + n) % 4 == 0:
                service.release_blank(DOCUMENTS, key, "print job cancelled")
                outcomes.append(("released", key, serial))
            else:
                service.consume_blank(DOCUMENTS, key, serial)
                service.consume_blank(DOCUMENTS, key, serial)      # a retried call changes nothing
                outcomes.append(("consumed", key, serial))
        return outcomes

    outcomes = [o for per_thread in run_together(THREADS, work) for o in per_thread]
    consumed = [serial for what, _, serial in outcomes if what == "consumed"]
    released = [serial for what, _, serial in outcomes if what == "released"]

    assert len(consumed) == len(set(consumed))                   # no serial printed twice
    states = blank_states(core)
    assert len(states) == STOCK
    assert sorted(s for s, state in states.items() if state == "consumed") == sorted(consumed)
    assert {state for s, state in states.items() if s not in consumed} <= {"available"}   # none left held
    assert 0 < len(consumed) <= STOCK

    assert ledger_serials(core, LedgerKind.CONSUMED) == collections.Counter(consumed)   # once each
    assert sum(ledger_serials(core, LedgerKind.RESERVED).values()) == len(consumed) + len(released)
    assert sum(ledger_serials(core, LedgerKind.RELEASED).values()) == len(released)

    check = service.check_ledger(SYSTEM, OFFICE)
    assert check.ok, check
    stock = service.get_stock(SYSTEM, OFFICE)
    assert (stock.available, stock.reserved, stock.consumed) == (STOCK - len(consumed), 0, len(consumed))
    availables = [e.available for e in stored_events(core) if isinstance(e, (StockReserved, StockReleased))]
    assert min(availables) >= 0
    assert len(availables) == len(consumed) + 2 * len(released)


def test_reservations_expiring_while_sixteen_threads_reserve_and_consume_stay_consistent(core):
    """A short expiry and a sweeper running all the time: a consume races the expiry of its
    reservation; either it prints (and the sweep leaves it) or it is refused (and the blank is
    back in stock), never both."""
    service = core.service
    service._reservation_ttl = dt.timedelta(milliseconds=40)   # the setting's minimum is a minute
    stop = threading.Event()
    swept = []

    def sweeper() -> None:
        while not stop.is_set():
            swept.append(service.expire_reservations(SYSTEM))

    sweeping = threading.Thread(target=sweeper)
    sweeping.start()

    def work(thread: int) -> list[tuple[str, str]]:
        outcomes = []
        for n in range(PER_THREAD):
            key = f"card:EXP-{thread}-{n}"
            try:
                serial = service.reserve_blank(DOCUMENTS, OFFICE, key).serial
            except OutOfStock:
                continue
            try:
                service.consume_blank(DOCUMENTS, key, serial)
                outcomes.append(("consumed", serial))
            except ReservationExpired:
                outcomes.append(("expired", serial))
        return outcomes

    try:
        outcomes = [o for per_thread in run_together(THREADS, work) for o in per_thread]
    finally:
        stop.set()
        sweeping.join()
    service.expire_reservations(SYSTEM)
    service._clock = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    service.expire_reservations(SYSTEM)                          # everything still held is overdue now

    consumed = [serial for what, serial in outcomes if what == "consumed"]
    assert len(consumed) == len(set(consumed))
    states = blank_states(core)
    assert sorted(s for s, state in states.items() if state == "consumed") == sorted(consumed)
    assert ledger_serials(core, LedgerKind.CONSUMED) == collections.Counter(consumed)
    check = service.check_ledger(SYSTEM, OFFICE)
    assert check.ok, check
    stock = service.get_stock(SYSTEM, OFFICE)
    assert (stock.available, stock.reserved, stock.consumed) == (STOCK - len(consumed), 0, len(consumed))


def test_concurrent_reservers_share_commits_and_out_of_stock_reaches_only_its_own_callers(database_url, tmp_path):
    """Reserve calls that arrive together share one transaction (GroupCommit); when the stock runs
    out inside such a batch, the batch is redone call by call: the first STOCK callers get a
    blank each, the others OUT_OF_STOCK, and nothing of a refused call is stored."""
    core = bootstrap.build_core(Settings(database_url=database_url, var_dir=tmp_path, offices=(OFFICE,)))
    try:
        core.service.receive_stock(SYSTEM, OFFICE, "30000001", "30000010", "SPB-BATCH")
        commits = []
        sa.event.listen(core.engine, "commit", lambda conn: commits.append(1))

        def reserve(i: int):
            try:
                return core.service.reserve_blank(DOCUMENTS, OFFICE, f"card:BATCH-{i}").serial
            except OutOfStock:
                return None

        serials = run_together(16, reserve)
        taken = [s for s in serials if s is not None]
        assert sorted(taken) == [f"{30000000 + n}" for n in range(1, 11)]     # each blank once
        assert serials.count(None) == 6
        assert core.service.get_stock(SYSTEM, OFFICE).available == 0
        assert len(ledger_serials(core, LedgerKind.RESERVED)) == 10
        successful = len(commits)
        consumed = run_together(16, lambda i: core.service.consume_blank(DOCUMENTS, f"card:BATCH-{i}")
                                if serials[i] is not None else None)
        assert sum(1 for r in consumed if r is not None) == len(taken)
        assert len(commits) - successful < len(taken)   # the consumes shared at least one commit
    finally:
        core.close()
