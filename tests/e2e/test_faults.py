"""Faults (issue 9, part 1), with the services as real processes on their own var dir.

- Backlog printing: Kab. Kapuas has no blanks, so its print-ready recordings wait in the print
  queue (each with a Suket); a delivery arrives (StockReceived on the inventory feed prints the
  queue) and documents, or inventory, is killed -9 in the middle of printing and started again.
  Afterwards every job is PRINTED once, each register number has one card, the consumed serials
  are distinct and exactly the cards' serials, every reservation was consumed, every Suket of the
  queue is superseded, and `inventory ledger-check` balances.
- Report catch-up: reporting is down while recordings, Sukets and prints happen; started (with
  inventory stopped, so that its catch-up cannot finish), killed -9 as soon as it has folded
  something, started again with inventory: it catches up exactly, `reporting
  rebuild --check` finds no difference and the coverage of Kab. Kapuas equals what enrolment and
  documents hold.
- Documents and reporting down for the whole run (started only at the end) catch up exactly.
- A feed that is down shows on the pages of its consumers (a banner), and goes when it is back;
  a documents form whose neighbour is down says so.

The kill of enrolment during a 5,000-record field sync is tests/e2e/test_field_sync_kill.py;
documents and reporting stopped (SIGTERM) around a recording is in tests/e2e/test_journey.py.
"""
from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from documents import db as documents_db
from documents.pages import UNAVAILABLE_MESSAGE
from ektp.documents.v1 import documents_pb2 as dpb
from ektp.documents.v1 import documents_pb2_grpc
from ektp.inventory.v1 import inventory_pb2 as ipb
from ektp.inventory.v1 import inventory_pb2_grpc
from ektp.reporting.v1 import reporting_pb2 as rpb
from ektp.reporting.v1 import reporting_pb2_grpc
from enrolment import db as enrolment_db
from inventory import db as inventory_db
from servicekit import outbox
from servicekit.db import create_engine
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.e2e.conftest import FEEDS, caught_up, get, stub
from tools.processes import ROOT, ServiceSet

pytestmark = pytest.mark.e2e

OFFICE = "62.03"                 # Kab. Kapuas: no blanks in the demo
RESIDENTS = 100                  # demo residents of Kab. Kapuas: about 80 recordings, most print-ready
BANNER = "Data dari layanan perekaman tertunda: tidak dapat dihubungi sejak"


# ---- the platform and what its databases hold ----------------------------------------------

def start(tmp_path, *names: str, residents: int = RESIDENTS, extra_env: dict[str, str] | None = None) -> ServiceSet:
    """The demo world (no blanks in Kapuas) and the named services, SERVING."""
    services = ServiceSet(var_dir=tmp_path / "var", extra_env=extra_env or {})
    services.load_demo("--residents", str(residents))
    services.start(*names)
    services.wait_serving(*names)
    return services


def database_url(services: ServiceSet, name: str) -> str:
    return services.env_for(name).get(f"{name.upper()}_DATABASE_URL",
                                      f"sqlite:///{services.var_dir / (name + '.db')}")


def query(services: ServiceSet, name: str, statement) -> list:
    engine = create_engine(database_url(services, name))
    try:
        with engine.connect() as conn:
            return list(conn.execute(statement))
    finally:
        engine.dispose()


def count(services: ServiceSet, name: str, statement) -> int:
    return query(services, name, sa.select(sa.func.count()).select_from(statement.subquery()))[0][0]


def printed_jobs(services: ServiceSet) -> int:
    jobs = documents_db.print_jobs
    return count(services, "documents", sa.select(jobs.c.job_id).where(
        jobs.c.office_code == OFFICE, jobs.c.status == "printed"))


def feed_positions(services: ServiceSet, consumer: str) -> dict[str, tuple[int, int]]:
    """Per followed feed: (the consumer's stored cursor, the producer's last sequence)."""
    positions = {}
    for feed in FEEDS[consumer]:
        last = _read(services, feed, outbox.last_sequence)
        cursor = _read(services, consumer, lambda engine, feed=feed: outbox.read_cursor(engine, feed))
        positions[feed] = (cursor, last)
    return positions


def _read(services: ServiceSet, name: str, read: Callable) -> int:
    engine = create_engine(database_url(services, name))
    try:
        return read(engine)
    except sa.exc.OperationalError:    # not migrated yet (the process is starting)
        return 0
    finally:
        engine.dispose()


def run_cli(services: ServiceSet, name: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m <name> <args>` with the service's environment, as an operator's Job runs it."""
    return subprocess.run([sys.executable, "-m", name, *args], env=services.env_for(name), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def kill(services: ServiceSet, name: str) -> int:
    process = services.processes.pop(name)
    process.kill()                     # SIGKILL: no drain, no goodbye
    return process.wait()


def restart(services: ServiceSet, name: str) -> None:
    services.start(name)
    services.wait_serving(name)


def stubs(services: ServiceSet, token: str):
    return (stub(services, "inventory", inventory_pb2_grpc.InventoryServiceStub, token),
            stub(services, "documents", documents_pb2_grpc.DocumentsServiceStub, token))


def queued_jobs(services: ServiceSet) -> list[str]:
    """Register numbers of the office's open print jobs."""
    jobs = documents_db.print_jobs
    return [r.register_number for r in query(services, "documents", sa.select(jobs.c.register_number).where(
        jobs.c.office_code == OFFICE, jobs.c.status.in_(("queued", "error"))))]


def deliver(inventory, blanks: int, first: int = 6203000001) -> None:
    """A delivery of `blanks` to Kapuas (StockReceived on inventory's feed: the queue prints)."""
    inventory.ReceiveStock(ipb.ReceiveStockRequest(office_code=OFFICE, first_serial=f"{first:010d}",
                                                   last_serial=f"{first + blanks - 1:010d}"), timeout=10)


# ---- the invariants -----------------------------------------------------------------------

def assert_printed_once(services: ServiceSet, queued: list[str], delivered: int) -> None:
    """Every queued job PRINTED once with one card each, distinct serials consumed exactly once,
    no reservation left open, every Suket of the queue superseded, the ledger balanced."""
    jobs, documents = documents_db.print_jobs, documents_db.documents
    rows = query(services, "documents", sa.select(jobs.c.register_number, jobs.c.status, jobs.c.card_serial,
                                                  jobs.c.document_id).where(jobs.c.office_code == OFFICE))
    assert sorted(r.register_number for r in rows) == sorted(queued)           # no job lost or added
    assert {r.status for r in rows} == {"printed"}
    cards = query(services, "documents", sa.select(documents.c.register_number, documents.c.card_serial,
                                                   documents.c.document_id, documents.c.status).where(
        documents.c.office_code == OFFICE, documents.c.kind == "card"))
    assert sorted(c.register_number for c in cards) == sorted(queued)         # one card per register number
    assert {c.status for c in cards} == {"printed"}
    assert {(r.document_id, r.card_serial) for r in rows} == {(c.document_id, c.card_serial) for c in cards}
    serials = [c.card_serial for c in cards]
    assert len(set(serials)) == len(serials) == len(queued)                   # no serial printed twice
    sukets = query(services, "documents", sa.select(documents.c.status).where(
        documents.c.office_code == OFFICE, documents.c.kind == "suket"))
    assert len(sukets) == len(queued) and {s.status for s in sukets} == {"superseded"}

    blanks, reservations = inventory_db.blanks, inventory_db.reservations
    states = dict(query(services, "inventory", sa.select(blanks.c.serial, blanks.c.state).where(
        blanks.c.office_code == OFFICE)))
    assert sorted(s for s, state in states.items() if state == "consumed") == sorted(serials)
    assert sum(state == "available" for state in states.values()) == delivered - len(queued)
    assert "reserved" not in states.values()                                   # no blank left on hold
    held = query(services, "inventory", sa.select(reservations.c.serial, reservations.c.state).where(
        reservations.c.office_code == OFFICE))
    assert sorted(serial for serial, _ in held) == sorted(serials)             # one reservation per card
    assert {state for _, state in held} == {"consumed"}
    check = run_cli(services, "inventory", "ledger-check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{OFFICE}: ok" in check.stdout


def assert_reporting_exact(services: ServiceSet, token: str) -> None:
    """`rebuild --check` finds no difference, and Kapuas's coverage is what the producers hold."""
    check = run_cli(services, "reporting", "rebuild", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    recordings, documents = enrolment_db.recordings, documents_db.documents
    in_kapuas = recordings.c.region_code.like(OFFICE + ".%")
    recorded = count(services, "enrolment", sa.select(recordings.c.id).where(
        in_kapuas, recordings.c.state.not_in(("DUPLICATE", "FAILED"))))
    print_ready = count(services, "enrolment", sa.select(recordings.c.id).where(
        in_kapuas, recordings.c.state == "PRINT_READY"))
    cards = count(services, "documents", sa.select(documents.c.document_id).where(
        documents.c.region_code.like(OFFICE + ".%"), documents.c.kind == "card", documents.c.status == "printed"))
    sukets = count(services, "documents", sa.select(documents.c.document_id).where(
        documents.c.region_code.like(OFFICE + ".%"), documents.c.kind == "suket", documents.c.status == "issued"))
    reporting = stub(services, "reporting", reporting_pb2_grpc.ReportingServiceStub, token)
    total = reporting.GetCoverage(rpb.GetCoverageRequest(region_code=OFFICE), timeout=10).total
    assert recorded > 0 and cards > 0
    assert (total.recorded, total.print_ready, total.cards_printed, total.suket_outstanding) == (
        recorded, print_ready, cards, sukets)


# ---- backlog printing, a process killed -9 in the middle -----------------------------------

@pytest.mark.timeout(300)
@pytest.mark.parametrize(("victim", "backend"), [("documents", "sqlite"), ("inventory", "sqlite"),
                                                 ("documents", "postgresql")])
def test_backlog_printing_survives_a_kill_9_with_each_card_printed_once_and_the_ledger_balanced(
        tmp_path, request, victim, backend):
    urls = {}
    if backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        urls = {f"{name.upper()}_DATABASE_URL": server.create_database() for name in ("enrolment", "inventory", "documents")}
    services = start(tmp_path, "enrolment", "inventory", "documents", extra_env=urls)
    try:
        token = services.login("kapuas.operator")
        inventory, documents = stubs(services, token)
        wait_for(lambda: caught_up(services, "documents"), timeout=120, message="the demo recordings queued")
        queued = queued_jobs(services)
        assert len(queued) >= 60, "the demo should leave Kapuas a real print queue"
        delivered = len(queued) + 20
        deliver(inventory, delivered)

        # Kill when about a third of the queue is printed (a PRINTED job is committed).
        wait_for(lambda: printed_jobs(services) >= len(queued) // 3, timeout=120, interval=0.02,
                 message="a third of the queue printed")
        assert kill(services, victim) == -9
        at_kill = printed_jobs(services)
        assert at_kill < len(queued), "the queue was printed before the kill: use a longer queue"
        if victim == "inventory":   # documents goes on meanwhile: retries its calls with backoff
            wait_for(lambda: "inventory unreachable (UNAVAILABLE); retrying in" in
                     services.log_path("documents").read_text(), timeout=30, message="documents retrying")
        restart(services, victim)

        def done() -> bool:
            return documents.ListPrintJobs(dpb.ListPrintJobsRequest(office_code=OFFICE), timeout=10).queued == 0
        wait_for(done, timeout=120, interval=0.2, message="the rest of the queue printed")
        wait_for(lambda: caught_up(services, "documents"), timeout=60, message="documents caught up")
    finally:
        services.stop()
    assert_printed_once(services, queued, delivered)


# ---- report catch-up, reporting killed -9 in the middle of folding -------------------------

@pytest.mark.timeout(300)
def test_reporting_down_during_the_work_then_killed_mid_fold_catches_up_exactly(tmp_path):
    services = start(tmp_path, "enrolment", "inventory", "documents", residents=80)   # reporting down all along
    try:
        token = services.login("kapuas.operator")
        inventory, _ = stubs(services, token)
        wait_for(lambda: caught_up(services, "documents"), timeout=120, message="Sukets for the demo recordings")
        half = len(queued_jobs(services)) // 2
        deliver(inventory, half)    # half the queue printed; the other half keeps its Suket
        wait_for(lambda: printed_jobs(services) == half and caught_up(services, "documents"), timeout=120,
                 message="half the queue printed")

        # Inventory is stopped first, so that reporting is sure to be killed in the middle of its
        # catch-up: its inventory feed cannot advance. Folding a few hundred events can take
        # reporting a single commit per feed, too quick to catch by polling.
        services.stop("inventory")
        services.start("reporting")   # its stored cursors are polled from its database as it folds
        wait_for(lambda: any(cursor > 0 for cursor, _ in feed_positions(services, "reporting").values()),
                 timeout=60, interval=0.01, message="reporting folding the feeds")
        assert kill(services, "reporting") == -9
        stopped_at = feed_positions(services, "reporting")
        assert stopped_at["inventory"][0] < stopped_at["inventory"][1], stopped_at

        restart(services, "inventory")
        restart(services, "reporting")
        wait_for(lambda: caught_up(services, "reporting"), timeout=120, message="reporting caught up")
        assert_reporting_exact(services, token)
    finally:
        services.stop()


# ---- consumers down for the whole run --------------------------------------------------------

@pytest.mark.timeout(300)
def test_documents_and_reporting_down_for_the_whole_run_catch_up_exactly_when_started(tmp_path):
    services = start(tmp_path, "enrolment", "inventory", residents=60)
    try:
        token = services.login("kapuas.operator")
        inventory = stub(services, "inventory", inventory_pb2_grpc.InventoryServiceStub, token)
        recordings = enrolment_db.recordings
        ready = [r.register_number for r in query(services, "enrolment", sa.select(recordings.c.register_number).where(
            recordings.c.office_code == OFFICE, recordings.c.state == "PRINT_READY"))]
        delivered = len(ready) + 10
        deliver(inventory, delivered)     # enough for every print-ready recording: no Suket, no queue

        services.start("documents", "reporting")
        services.wait_serving("documents", "reporting")
        wait_for(lambda: caught_up(services, "documents", "reporting"), timeout=180, interval=0.2,
                 message="documents and reporting caught up")
        documents = documents_db.documents
        cards = query(services, "documents", sa.select(documents.c.register_number, documents.c.kind,
                                                       documents.c.card_serial).where(documents.c.office_code == OFFICE))
        assert sorted(c.register_number for c in cards) == sorted(ready)     # one document each...
        assert {c.kind for c in cards} == {"card"}                            # ...a card, no Suket
        assert len({c.card_serial for c in cards}) == len(ready)
        stock = inventory.GetStock(ipb.GetStockRequest(office_code=OFFICE), timeout=10).stock
        assert (stock.available, stock.reserved, stock.consumed) == (delivered - len(ready), 0, len(ready))
        check = run_cli(services, "inventory", "ledger-check")
        assert check.returncode == 0, check.stdout
        assert_reporting_exact(services, token)
    finally:
        services.stop()


# ---- a dependency down degrades visibly ------------------------------------------------------

def _page(url: str, token: str) -> str:
    with get(url, token) as response:
        assert response.status == 200, response.status
        return response.read().decode()


def _with_banner(page: str) -> str | None:
    return page if BANNER in page else None


def _suket_form(services: ServiceSet, token: str) -> Callable[[str], tuple[int, str]]:
    """Opens the documents front page (its CSRF token and form cookie); submitting the counter's
    Suket form for a register number then returns (HTTP status, page)."""
    request = urllib.request.Request(services.http("documents") + "/", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
    with urllib.request.urlopen(request, timeout=10) as page:
        form_cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)

    def submit(register_number: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"csrf_token": csrf, "nomor_suket": register_number,
                                       "request_id": str(uuid.uuid4())}).encode()
        post = urllib.request.Request(services.http("documents") + "/suket", data=body, headers={
            "Cookie": f"{SESSION_COOKIE}={token}; {form_cookie}"})
        try:
            answer = urllib.request.urlopen(post, timeout=30)
        except urllib.error.HTTPError as refused:
            answer = refused
        with answer:
            return answer.status, answer.read().decode()
    return submit


@pytest.mark.timeout(180)
def test_enrolment_down_shows_on_the_pages_that_depend_on_it_until_it_is_back(tmp_path):
    """Reporting and documents follow enrolment's feed: while it is down their pages carry a
    banner (and still answer); the counter's Suket form, which reads the recording from
    enrolment, says it cannot reach it (documents.pages.UNAVAILABLE_MESSAGE) and stores nothing."""
    services = start(tmp_path, "enrolment", "inventory", "documents", "reporting", residents=20)
    documents, recordings = documents_db.documents, enrolment_db.recordings
    try:
        token = services.login("kapuas.operator")
        wait_for(lambda: caught_up(services, "documents", "reporting"), timeout=120, message="demo folded")
        pages = (services.http("reporting") + "/", services.http("documents") + "/")
        for url in pages:
            assert 'data-testid="feed-delayed"' not in _page(url, token)
        register_number = query(services, "enrolment", sa.select(recordings.c.register_number).where(
            recordings.c.office_code == OFFICE, recordings.c.state == "PRINT_READY").limit(1))[0][0]
        stored = count(services, "documents", sa.select(documents.c.document_id))
        submit = _suket_form(services, token)

        services.stop("enrolment")
        for url in pages:
            page = wait_for(lambda url=url: _with_banner(_page(url, token)), timeout=30,
                            message=f"the banner on {url}")
            assert re.search(BANNER + r" \d\d:\d\d WIB \(mencoba lagi otomatis\)", page)
            assert 'data-feed="enrolment"' in page and 'data-feed="inventory"' not in page
        english = _page(services.http("reporting") + "/?lang=en", token)
        assert "Data from the recording service is delayed: unreachable since" in english
        status, page = submit(register_number)
        assert status == 503 and UNAVAILABLE_MESSAGE in page
        assert count(services, "documents", sa.select(documents.c.document_id)) == stored

        restart(services, "enrolment")
        for url in pages:
            wait_for(lambda url=url: 'data-testid="feed-delayed"' not in _page(url, token), timeout=30,
                     message=f"the banner gone from {url}")
    finally:
        services.stop()
