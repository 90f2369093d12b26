"""`ektp reporting rebuild [--check]` against a running reporting service and fake producers,
on SQLite and PostgreSQL: a clean check, a tampered row found, a rebuild that repairs it."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from ektp_cli import main as ektp

from reporting import db
from reporting.clients import ProducerFeeds
from reporting.rebuild import rebuild
from tests.conftest import wait_for
from tests.reporting import builders as b
from tests.reporting.integration.fakes import caught_up

KEC, DESA = "62.03.01", "62.03.01.2001"


def _feed_some(runtime, producers) -> str:
    number, other = b.register_number(), b.register_number()
    producers["enrolment"].feed.append(b.target(KEC, 10, "Selat"), b.captured(DESA, number),
                                       b.print_ready(number, DESA), b.captured(DESA, other))
    producers["documents"].feed.append(b.card_printed(number, DESA), b.suket_issued(other, DESA))
    producers["inventory"].feed.append(b.stock_received("62.03", 100, 100))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the events folded")
    return number


def _check(runtime, settings, tmp_path, *, check: bool = True) -> tuple[int, list[str]]:
    lines: list[str] = []
    feeds = ProducerFeeds(settings.feed_targets, open_channel=runtime.security.channel)
    workdir = tmp_path / ("check" if check else "rebuild")
    workdir.mkdir(exist_ok=True)
    try:
        code = rebuild(runtime.engine, feeds, check=check, workdir=workdir, out=lines.append)
    finally:
        feeds.close()
    (workdir / "reporting-rebuild.db").unlink()
    return code, lines


def _recorded(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(db.coverage_counts.c.recorded).where(db.coverage_counts.c.region_code == DESA)
                            ).scalar_one()


def test_check_of_untouched_read_models_finds_no_difference(runtime, producers, settings, tmp_path):
    _feed_some(runtime, producers)
    code, lines = _check(runtime, settings, tmp_path)
    assert code == 0, lines
    assert "match" in lines[0]


def test_check_finds_a_tampered_counter_and_rebuild_repairs_it(runtime, producers, settings, tmp_path):
    _feed_some(runtime, producers)
    with runtime.engine.begin() as conn:
        conn.execute(db.coverage_counts.update().where(db.coverage_counts.c.region_code == DESA)
                     .values(recorded=db.coverage_counts.c.recorded + 5))
    code, lines = _check(runtime, settings, tmp_path)
    assert code == 1
    assert "coverage_counts: 0 rows only in live, 0 only in rebuilt, 1 differ" in lines
    assert any(DESA in line and "recorded live=7 rebuilt=2" in line for line in lines), lines
    # (rebuild is run with the consumers idle: no producer sends anything meanwhile)
    assert _check(runtime, settings, tmp_path, check=False)[0] == 0
    assert _recorded(runtime) == 2
    assert _check(runtime, settings, tmp_path)[0] == 0


def test_check_finds_a_deleted_fact(runtime, producers, settings, tmp_path):
    number = _feed_some(runtime, producers)
    with runtime.engine.begin() as conn:
        conn.execute(db.recording_facts.delete().where(db.recording_facts.c.register_number == number))
    code, lines = _check(runtime, settings, tmp_path)
    assert code == 1
    assert "recording_facts: 0 rows only in live, 1 only in rebuilt, 0 differ" in lines
    assert f"  only in rebuilt: {number}" in lines


def test_ektp_reporting_rebuild_check_runs_the_reporting_command(runtime, producers, settings, monkeypatch, capsys):
    _feed_some(runtime, producers)
    monkeypatch.setenv("EKTP_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("REPORTING_DATABASE_URL", settings.database_url)
    for name, target in settings.feed_targets.items():
        monkeypatch.setenv(f"{name.upper()}_GRPC_TARGET", target)
    handlers = logging.getLogger().handlers[:]
    try:
        assert ektp(["reporting", "rebuild", "--check"]) == 0
    finally:
        logging.getLogger().handlers[:] = handlers
    assert "read models match a replay of the feeds" in capsys.readouterr().out


def test_check_is_clean_when_live_folded_the_feeds_in_another_order_than_the_replay(runtime, producers, settings,
                                                                                    tmp_path):
    """Live folds the card (named only by its kecamatan) before its recording (in a desa); the
    replay folds enrolment's feed first. Both end with the same rows, no zero counter left."""
    number = b.register_number()
    producers["documents"].feed.append(b.card_printed(number, KEC))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the card")
    producers["enrolment"].feed.append(b.captured(DESA, number), b.print_ready(number, DESA))
    wait_for(lambda: caught_up(runtime.engine, producers), message="the recording")
    with runtime.engine.connect() as conn:
        regions = conn.execute(sa.select(db.coverage_counts.c.region_code)).scalars().all()
    assert regions == [DESA]
    code, lines = _check(runtime, settings, tmp_path)
    assert code == 0, lines
