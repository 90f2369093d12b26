"""The card print queue with fake neighbours on a real database: jobs by priority, the office
policy, backlog printing when blanks arrive, retry while inventory is unreachable, reprint."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from documents import db, domain
from documents.domain import (
    DocumentKind,
    DocumentStatus,
    FeedEvent,
    OfficePolicy,
    PrintJobStatus,
    Priority,
    RecordingType,
    StockArrived,
)
from documents.errors import InvalidDocumentRequest, UpstreamError, WrongDocumentState
from documents.service import Backoff
from servicekit import outbox
from servicekit.access import Principal, Role
from servicekit.errors import NotFound, PermissionDenied
from tests.documents import factories
from tests.documents.unit import test_service
from tests.documents.unit.test_service import CONSUMER, DINAS, LURAH, REG

world = test_service.world   # the same World of fake neighbours on a real database

KEPALA = Principal("kepala.kapuas", Role.KEPALA_DINAS, "62.03", origin="10.0.0.8")
OFFICE = factories.OFFICE


def add_recording(w, n: int, recording_type: RecordingType = RecordingType.NEW) -> str:
    number = factories.register_number(n)
    w.enrolment.recordings[number] = dataclasses.replace(factories.recording(number, seed=n),
                                                         recording_type=recording_type)
    return number


def stock_arrives(w, office: str = OFFICE) -> FeedEvent:
    w.sequence += 1
    event = FeedEvent("inventory", f"stock-{w.sequence}", w.sequence, StockArrived(office))
    w.service.apply(CONSUMER, event)
    return event


def jobs(w, number: str = REG) -> list[domain.PrintJob]:
    with w.service._uow(readonly=True) as uow:
        return uow.print_jobs.for_register_number(number)


def printed_order(w) -> list[str]:
    """Register numbers of the printed jobs in the order they got their blanks (serials are
    handed out in order; cards are rendered and stored on several threads)."""
    with w.engine.connect() as conn:
        return list(conn.execute(sa.select(db.print_jobs.c.register_number)
                                 .where(db.print_jobs.c.status == "printed")
                                 .order_by(db.print_jobs.c.card_serial)).scalars())


# ---- rules of the domain ----------------------------------------------------------------

@pytest.mark.parametrize("recording_type, priority", [
    (RecordingType.NEW, Priority.FIRST_CARD), (RecordingType.UNKNOWN, Priority.FIRST_CARD),
    (RecordingType.REPLACEMENT, Priority.REPLACEMENT), (RecordingType.MOVED_IN, Priority.REPLACEMENT),
    (RecordingType.DATA_CHANGE, Priority.REPLACEMENT)])
def test_first_cards_print_before_replacements(recording_type, priority):
    assert domain.card_priority(recording_type) is priority


def test_a_job_is_reprinted_only_once_printed_and_the_reprint_gets_its_own_blank_key():
    recording = factories.recording(REG)
    job = domain.new_print_job(recording, dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc), holds_suket=True)
    assert (job.priority, job.blank_key) == (Priority.SUKET_HOLDER, f"card:{REG}")
    with pytest.raises(WrongDocumentState):
        job.spoil("rusak", "id-2", 1, job.queued_at)
    job.status = PrintJobStatus.PRINTED
    reprint = job.spoil("foto buram", "id-2", 1, job.queued_at)
    assert (job.status, reprint.status, reprint.blank_key, reprint.reprint_of, reprint.priority) == (
        PrintJobStatus.SPOILED, PrintJobStatus.QUEUED, f"card:{REG}:1", job.job_id, Priority.SUKET_HOLDER)


def test_backoff_doubles_from_the_first_delay_up_to_the_cap_jittered():
    exact = Backoff(attempts=8, first=0.2, cap=5.0, jitter=lambda: 0.5)
    assert [round(d, 3) for d in exact.delays()] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]
    assert all(0.1 <= d <= 7.5 for d in Backoff(attempts=20).delays())


# ---- the queue and the office policy ------------------------------------------------------

def test_out_of_stock_queues_a_job_and_the_suket_puts_it_first(world):
    w = world()
    w.print_ready()
    [job] = jobs(w)
    assert (job.status, job.priority, job.blank_key) == (PrintJobStatus.QUEUED, Priority.SUKET_HOLDER, f"card:{REG}")
    assert [d.kind for d in w.documents()] == [DocumentKind.SUKET]


def test_with_the_policy_off_the_job_is_queued_without_a_suket(world):
    w = world()
    w.service.set_office_policy(KEPALA, OfficePolicy(OFFICE, False))
    w.print_ready()
    [job] = jobs(w)
    assert (job.status, job.priority) == (PrintJobStatus.QUEUED, Priority.FIRST_CARD)
    assert w.documents() == [] and w.renderer.sukets == []
    assert w.outbox_types() == ["ektp.documents.v1.PrintJobQueued"]
    assert outbox.read_cursor(w.engine, "enrolment") == 1
    assert w.service.get_office_policy(DINAS, OFFICE) == OfficePolicy(OFFICE, False)


def test_a_suket_issued_at_the_counter_moves_the_queued_job_to_the_front(world):
    w = world()
    w.service.set_office_policy(KEPALA, OfficePolicy(OFFICE, False))
    w.print_ready()
    w.service.issue_suket(DINAS, REG)
    assert jobs(w)[0].priority == Priority.SUKET_HOLDER


def test_the_policy_default_comes_from_the_settings_and_only_the_head_or_province_sets_it(world):
    w = world()
    assert w.service.get_office_policy(DINAS, OFFICE).suket_when_out_of_stock is True
    for actor in (DINAS, LURAH):
        with pytest.raises(PermissionDenied):
            w.service.set_office_policy(actor, OfficePolicy(OFFICE, False))
    with pytest.raises(PermissionDenied):   # another kabupaten's head
        w.service.set_office_policy(Principal("kepala.tanbu", Role.KEPALA_DINAS, "63.10"), OfficePolicy(OFFICE, False))
    with pytest.raises(InvalidDocumentRequest):
        w.service.set_office_policy(KEPALA, OfficePolicy("Kapuas", False))


def test_a_second_print_ready_while_queued_adds_no_second_job(world):
    w = world()
    w.print_ready()
    w.print_ready()
    assert len(jobs(w)) == 1 and len(w.documents()) == 1


def test_stock_arriving_prints_the_queue_by_priority_then_oldest_and_stops_when_out_again(world):
    w = world()
    w.service.set_office_policy(KEPALA, OfficePolicy(OFFICE, False))
    replacement = add_recording(w, 2, RecordingType.REPLACEMENT)
    first_old, first_new = add_recording(w, 3), add_recording(w, 4)
    holder = add_recording(w, 5, RecordingType.REPLACEMENT)
    for number in (replacement, first_old, first_new, holder):
        w.print_ready(number)
    w.service.issue_suket(DINAS, holder)
    w.inventory.stock.extend(["000001", "000002", "000003"])
    stock_arrives(w)
    assert printed_order(w) == [holder, first_old, first_new]
    assert [j.status for j in jobs(w, replacement)] == [PrintJobStatus.QUEUED]
    suket, card = w.documents(holder)
    assert (suket.status, suket.superseded_by, card.card_serial) == (DocumentStatus.SUPERSEDED, card.document_id,
                                                                      "000001")
    assert outbox.read_cursor(w.engine, "inventory") == w.sequence
    w.inventory.stock.append("000004")
    run = w.service.print_backlog(DINAS, OFFICE)
    assert (run.printed, run.remaining, run.out_of_stock) == (1, 0, False)


def test_print_backlog_reports_what_it_did_and_honours_the_limit(world):
    w = world()
    numbers = [add_recording(w, n) for n in (2, 3, 4)]
    for number in numbers:
        w.print_ready(number)   # three Sukets (policy on)
    w.inventory.stock.extend(["000001", "000002"])
    run = w.service.print_backlog(DINAS, OFFICE, limit=1)
    assert (run.printed, run.superseded, run.remaining, run.out_of_stock) == (1, 1, 2, False)
    run = w.service.print_backlog(DINAS, OFFICE)
    assert (run.printed, run.superseded, run.remaining, run.out_of_stock) == (1, 1, 1, True)


def test_stock_arriving_at_an_office_with_no_queue_only_marks_the_event(world):
    w = world(["000001"])
    stock_arrives(w)
    assert w.inventory.calls == 0 and outbox.read_cursor(w.engine, "inventory") == 1


def test_a_replayed_stock_event_prints_nothing_more(world):
    w = world()
    w.print_ready()
    w.inventory.stock.extend(["000001", "000002"])
    event = stock_arrives(w)
    w.service.apply(CONSUMER, event)
    assert w.inventory.stock == ["000002"] and len(w.renderer.cards) == 1


def test_a_recording_no_longer_print_ready_fails_its_job_and_the_queue_goes_on(world):
    w = world()
    other = add_recording(w, 2)
    w.print_ready()
    w.print_ready(other)
    w.enrolment.recordings[REG] = factories.recording(REG, print_ready=False)
    w.inventory.stock.extend(["000001", "000002"])
    run = w.service.print_backlog(DINAS, OFFICE)
    assert (run.printed, run.failed) == (1, 1)
    [job] = jobs(w)
    assert job.status is PrintJobStatus.ERROR and job.reason
    assert w.inventory.stock == ["000002"]


# ---- inventory unreachable is not out of stock ------------------------------------------------

def test_inventory_failing_a_few_times_is_retried_with_backoff_and_the_card_prints(world):
    w = world(["000001"])
    w.inventory.failures = 2
    w.print_ready()
    [card] = w.documents()
    assert card.kind is DocumentKind.CARD and len(w.sleeps) == 2
    assert 0.1 <= w.sleeps[0] <= 0.3 and 0.2 <= w.sleeps[1] <= 0.6


def test_inventory_down_issues_no_suket_and_leaves_the_event_for_the_consumer(world):
    w = world()
    w.inventory.unreachable = True
    with pytest.raises(UpstreamError):
        w.print_ready()
    assert w.documents() == [] and jobs(w) == [] and w.outbox_types() == []
    assert len(w.sleeps) == Backoff().attempts - 1 and max(w.sleeps) <= 5.0 * 1.5
    assert outbox.read_cursor(w.engine, "enrolment") == 0
    w.inventory.unreachable = False
    w.service.apply(CONSUMER, FeedEvent("enrolment", "event-1", 1, domain.PrintReady(REG, OFFICE, factories.VILLAGE)))
    assert [d.kind for d in w.documents()] == [DocumentKind.SUKET]


def test_inventory_down_while_printing_the_backlog_stops_and_keeps_the_event(world):
    w = world()
    w.print_ready()
    w.inventory.stock.append("000001")
    w.inventory.unreachable = True
    with pytest.raises(UpstreamError):
        stock_arrives(w)
    assert outbox.read_cursor(w.engine, "inventory") == 0
    assert [j.status for j in jobs(w)] == [PrintJobStatus.QUEUED]
    w.inventory.unreachable = False
    w.service.apply(CONSUMER, FeedEvent("inventory", f"stock-{w.sequence}", w.sequence, StockArrived(OFFICE)))
    assert [j.status for j in jobs(w)] == [PrintJobStatus.PRINTED]


def test_a_stopping_process_finishes_the_cards_in_hand_and_leaves_the_rest_queued(world):
    """Stopping (SIGTERM) mid backlog: the run ends before the clients are closed under it, no
    job becomes ERROR, the event stays unapplied and the next start prints the rest."""
    w = world()
    numbers = [add_recording(w, n) for n in (2, 3, 4)]
    for number in numbers:
        w.print_ready(number)
    w.inventory.stock.extend(["000001", "000002", "000003"])
    w.service.stop_printing()
    with pytest.raises(UpstreamError) as raised:
        stock_arrives(w)
    assert raised.value.code == "UNAVAILABLE"
    assert outbox.read_cursor(w.engine, "inventory") == 0
    assert [j.status for n in numbers for j in jobs(w, n)] == [PrintJobStatus.QUEUED] * 3


# ---- reprint ------------------------------------------------------------------------------

def test_a_reprint_voids_the_card_spoils_its_blank_and_prints_on_a_new_one(world):
    w = world(["000001", "000002"])
    w.print_ready()
    [card] = w.documents()
    reprint = w.service.reprint_card(DINAS, card.document_id, "foto buram")
    first, second = jobs(w)
    assert (first.status, first.reason) == (PrintJobStatus.SPOILED, "foto buram")
    assert (second.job_id, second.status, second.card_serial, second.blank_key, second.reprint_of) == (
        reprint.job_id, PrintJobStatus.PRINTED, "000002", f"card:{REG}:1", first.job_id)
    assert w.inventory.spoiled == [(f"card:{REG}", "000001", "foto buram")]
    old, new = w.documents()
    assert (old.status, new.status, new.card_serial) == (DocumentStatus.VOID, DocumentStatus.PRINTED, "000002")
    assert "ektp.documents.v1.CardSpoiled" in w.outbox_types()
    assert w.service.reprint_card(DINAS, card.document_id, "foto buram").job_id == reprint.job_id


def test_a_reprint_without_stock_stays_queued(world):
    w = world(["000001"])
    w.print_ready()
    [card] = w.documents()
    reprint = w.service.reprint_card(DINAS, card.document_id, "kartu retak")
    assert reprint.status is PrintJobStatus.QUEUED
    assert [d.kind for d in w.documents() if d.is_active] == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reprint_needs_a_reason(world, reason):
    w = world(["000001"])
    w.print_ready()
    [card] = w.documents()
    with pytest.raises(InvalidDocumentRequest) as caught:
        w.service.reprint_card(DINAS, card.document_id, reason)
    assert caught.value.violations[0].field == "reason" and w.inventory.spoiled == []


def test_only_a_printed_card_is_reprinted_and_unknown_ids_are_not_found(world):
    w = world()
    w.print_ready()
    [suket] = w.documents()
    with pytest.raises(WrongDocumentState):
        w.service.reprint_card(DINAS, suket.document_id, "rusak")
    with pytest.raises(NotFound):
        w.service.reprint_card(DINAS, "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "rusak")


# ---- authority: only the Dinas prints; a lurah never can ------------------------------------

@pytest.mark.parametrize("actor", [LURAH, Principal("operator.selat", Role.OPERATOR_KECAMATAN, "62.03.01"),
                                   Principal("auditor.kalteng", Role.AUDITOR, "62"),
                                   Principal("admin.kalteng", Role.ADMIN_PROVINSI, "62")])
def test_only_the_dinas_prints_the_backlog_or_reprints_never_a_lurah(world, actor):
    w = world(["000001"])
    w.print_ready()
    [card] = w.documents()
    with pytest.raises(PermissionDenied):
        w.service.print_backlog(actor, OFFICE)
    with pytest.raises(PermissionDenied):
        w.service.reprint_card(actor, card.document_id, "rusak")
    assert w.inventory.spoiled == [] and len(w.renderer.cards) == 1


def test_the_dinas_of_another_kabupaten_cannot_print_this_offices_queue(world):
    w = world()
    with pytest.raises(PermissionDenied):
        w.service.print_backlog(Principal("operator.tanbu", Role.OPERATOR_DINAS, "63.10"), OFFICE)


def test_list_print_jobs_keeps_the_queue_first_and_only_what_the_officer_covers(world):
    w = world(["000001"])
    other = add_recording(w, 2)
    w.print_ready()
    w.print_ready(other)
    queue = w.service.list_print_jobs(DINAS, OFFICE)
    assert [j.status for j in queue.jobs] == [PrintJobStatus.QUEUED, PrintJobStatus.PRINTED]
    assert queue.queued == 1
    assert w.service.list_print_jobs(Principal("operator.tanbu", Role.OPERATOR_DINAS, "63.10")).jobs == []


def test_the_batch_sheet_is_drawn_for_printed_jobs_only(world):
    w = world(["000001"])
    other = add_recording(w, 2)
    w.print_ready()
    w.print_ready(other)
    printed, queued = jobs(w)[0], jobs(w, other)[0]
    assert w.service.batch_sheet(DINAS, [printed.job_id]) == b"%PDF batch 000001"
    with pytest.raises(WrongDocumentState):
        w.service.batch_sheet(DINAS, [queued.job_id])
    with pytest.raises(PermissionDenied):
        w.service.batch_sheet(LURAH, [printed.job_id])
