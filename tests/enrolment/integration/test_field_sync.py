"""SyncRecordings and the field device against a real enrolment server (SQLite and PostgreSQL):
nothing lost and nothing doubled across a cut in the middle of a stream; per-item results."""
from __future__ import annotations

import dataclasses
import io
import json

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf import json_format

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import db, domain
from enrolment.field import client
from enrolment.field.cli import main as field_main
from enrolment.field.store import PENDING, FieldStore, Item
from servicekit.access import Role
from tests.enrolment.factories import CLI, VILLAGE, pb_request
from tests.enrolment.field_support import CuttableProxy, recordings
from tests.identity import KAPUAS

Outcome = domain.SyncOutcome


def count(runtime, table: sa.Table) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


@pytest.fixture
def device(runtime, identity, tmp_path):
    """A field device of the Kapuas Dinas whose region cache came from the server."""
    store = FieldStore(tmp_path / "device")
    store.init(f"127.0.0.1:{runtime.process.grpc.port}", KAPUAS, device_id="tablet-01")
    token = identity.officer(Role.OPERATOR_DINAS, KAPUAS)
    channel = client.open_channel(store.device().server, token=token)
    store.cache_regions(client.fetch_regions(channel, KAPUAS))
    yield store, channel, token
    channel.close()
    store.close()


def test_5000_recordings_sync_exactly_once_across_a_cut_in_the_middle_of_the_stream(runtime, identity, device):
    store, _, token = device
    store.add([m.SerializeToString() for m in recordings(5000)])
    proxy = CuttableProxy(runtime.process.grpc.port)
    channel = client.open_channel(proxy.address, token=token)
    seen = []

    def on_result(result):
        seen.append(result)
        if len(seen) == 1700:        # the network drops while results are still streaming
            proxy.cut()

    try:
        report = client.sync(store, lambda items: client.stream_items(channel, "tablet-01", items, deadline=120),
                             chunk=5000, on_result=on_result, sleep=lambda s: None, first_backoff=0.05)
    finally:
        channel.close()
        proxy.stop()
    assert proxy.cuts >= 1 and report.retries >= 1 and report.streams >= 2
    assert store.counts()[Outcome.ACCEPTED.value] == 5000 and store.counts()[PENDING] == 0
    assert count(runtime, db.recordings) == 5000
    assert count(runtime, db.sync_receipts) == 5000
    numbers = [item.register_number for item in store.items()]
    assert len(set(numbers)) == 5000 and all(numbers)
    # every item has exactly its one recording, whichever stream its result came back on
    accepted = [r for r in report.results if r.outcome is Outcome.ACCEPTED]
    assert {r.local_id for r in accepted} == {item.local_id for item in store.items()}


def test_each_item_gets_its_own_outcome_and_a_fixed_item_is_accepted_under_the_same_local_id(runtime, device):
    store, channel, _ = device
    first = pb_request(region_code=VILLAGE)
    same_nik = pb_request(region_code=VILLAGE)
    same_nik.resident.nik = first.resident.nik
    invalid = pb_request(region_code=VILLAGE, rt="0")
    invalid.resident.nik = "12345"
    too_young = pb_request(region_code=VILLAGE, birth=domain.dt.date(2015, 3, 1))
    elsewhere = pb_request(region_code="63.10.01.1007", office_code="63.10")
    elsewhere.resident.nik = domain.encode_nik("63.10.01", domain.dt.date(1990, 5, 17), domain.Sex.MALE, 77)
    elsewhere.resident.kk_number = "6310010101000001"
    ids = store.add([m.SerializeToString() for m in (first, same_nik, invalid, too_young, elsewhere)])

    report = client.sync(store, lambda items: client.stream_items(channel, "tablet-01", items, deadline=30))

    outcomes = {r.local_id: r for r in report.results}
    assert [outcomes[i].outcome for i in ids] == [Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.INVALID,
                                                  Outcome.NOT_ELIGIBLE, Outcome.OUT_OF_SCOPE]
    assert outcomes[ids[1]].duplicate_of == outcomes[ids[0]].register_number
    assert {v.field for v in outcomes[ids[2]].violations} >= {"resident.nik", "resident.rt"}
    assert all(v.description for v in outcomes[ids[2]].violations)
    assert store.get(ids[2]).status == Outcome.INVALID.value and store.get(ids[2]).violations
    assert count(runtime, db.recordings) == 2 and count(runtime, db.sync_receipts) == 2

    fixed = pb_request(region_code=VILLAGE)
    store.fix(ids[2], fixed.SerializeToString())
    again = client.sync(store, lambda items: client.stream_items(channel, "tablet-01", items, deadline=30))
    assert [(r.local_id, r.outcome) for r in again.results] == [(ids[2], Outcome.ACCEPTED)]
    assert count(runtime, db.recordings) == 3


def test_a_replayed_item_returns_its_first_result_and_stores_nothing(runtime, device):
    store, channel, _ = device
    ids = store.add([pb_request(region_code=VILLAGE).SerializeToString()])
    first = list(client.stream_items(channel, "tablet-01", store.pending(10), deadline=30))
    before = (count(runtime, db.recordings), count(runtime, db.outbox), count(runtime, db.audit_log))
    changed = pb_request(region_code=VILLAGE)     # whatever is re-sent, the receipt answers
    item = dataclasses.replace(store.get(ids[0]), payload=changed.SerializeToString())
    replay = list(client.stream_items(channel, "tablet-01", [item, item], deadline=30))
    assert [r.replayed for r in replay] == [True, True]
    assert {r.register_number for r in replay} == {first[0].register_number}
    assert (count(runtime, db.recordings), count(runtime, db.outbox), count(runtime, db.audit_log)) == before
    # the same local id on another device is another recording
    other = list(client.stream_items(channel, "tablet-02", [item], deadline=30))
    assert not other[0].replayed and other[0].register_number != first[0].register_number


def test_a_replay_outside_the_officers_region_reveals_nothing(runtime, identity, device):
    store, channel, _ = device
    store.add([pb_request(region_code=VILLAGE).SerializeToString()])
    client.sync(store, lambda items: client.stream_items(channel, "tablet-01", items, deadline=30))
    stranger = client.open_channel(store.device().server, token=identity.officer(Role.OPERATOR_DINAS, "63.10"))
    try:
        replay = list(client.stream_items(stranger, "tablet-01", store.items(), deadline=30))
    finally:
        stranger.close()
    assert [(r.outcome, r.register_number) for r in replay] == [(Outcome.OUT_OF_SCOPE, "")]


def test_bad_device_or_local_id_is_an_invalid_item_not_a_broken_stream(runtime, device):
    _, channel, _ = device
    message = pb_request(region_code=VILLAGE)
    items = [Item(1, "bad id!", message.SerializeToString(), PENDING), Item(2, "ok-1", message.SerializeToString(), PENDING)]
    results = list(client.stream_items(channel, "tablet-01", items, deadline=30))
    assert [r.outcome for r in results] == [Outcome.INVALID, Outcome.ACCEPTED]
    assert [v.field for v in results[0].violations] == ["local_id"]


def test_a_role_that_does_not_record_in_the_field_cannot_sync(runtime, identity):
    channel = client.open_channel(f"127.0.0.1:{runtime.process.grpc.port}",
                                  token=identity.officer(Role.LURAH, "62.03.01.1006"))
    items = [Item(1, "x1", pb_request(region_code=VILLAGE).SerializeToString(), PENDING)]
    with pytest.raises(grpc.RpcError) as refused:
        list(client.stream_items(channel, "tablet-01", items, deadline=30))
    channel.close()
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED
    assert count(runtime, db.recordings) == 0


def test_the_field_commands_record_offline_then_sync_and_show_each_result(runtime, tmp_path, monkeypatch):
    runtime.accounts.create(CLI, "lapangan.selat", "operator_kecamatan", "62.03.01", "kata-sandi-uji-123")
    data = ["--data-dir", str(tmp_path / "tablet")]
    out = io.StringIO()

    def run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return field_main([*data, *argv], out=out)

    assert run("init", "--server", f"127.0.0.1:{runtime.process.grpc.port}", "--office", "62.03") == 0
    assert run("login", "--username", "lapangan.selat", "--password-stdin", stdin="kata-sandi-uji-123\n") == 0
    token_file = tmp_path / "tablet" / "token.json"
    assert token_file.stat().st_mode & 0o777 == 0o600
    good = tmp_path / "good.json"
    good.write_text(pb_json([pb_request(region_code=VILLAGE), pb_request(region_code=VILLAGE)]))
    bad = tmp_path / "bad.json"
    bad.write_text(pb_json([pb_request(region_code=VILLAGE, rt="abc")]))
    assert run("record", "--json", str(bad)) == 2            # refused on the device: nothing kept
    assert "resident.rt" in out.getvalue()
    assert run("record", "--json", str(good)) == 0
    assert run("status") == 0 and "MENUNGGU         2" in out.getvalue()
    out.seek(0)
    out.truncate(0)
    assert run("sync") == 0
    text = out.getvalue()
    assert text.count("DITERIMA") == 2 and "selesai: 2 hasil" in text
    assert count(runtime, db.recordings) == 2
    out.seek(0)
    out.truncate(0)
    assert run("list") == 0 and out.getvalue().count("6203-") == 2


def test_a_wrong_password_on_the_device_is_refused_like_the_login_page(runtime, tmp_path, monkeypatch):
    runtime.accounts.create(CLI, "lapangan.dua", "operator_dinas", "62.03", "kata-sandi-uji-456")
    channel = client.open_channel(f"127.0.0.1:{runtime.process.grpc.port}", token=None)
    try:
        with pytest.raises(Exception) as refused:
            client.login(channel, "lapangan.dua", "salah-sekali-123")
        answer = client.login(channel, "lapangan.dua", "kata-sandi-uji-456")
    finally:
        channel.close()
    assert refused.value.reason == "LOGIN_REFUSED"
    assert (answer.username, answer.role, answer.scope) == ("lapangan.dua", "operator_dinas", "62.03")


def pb_json(messages: list[pb.RecordResidentRequest]) -> str:
    return json.dumps([json_format.MessageToDict(m, preserving_proto_field_name=True) for m in messages])


def test_behind_the_ingress_failed_device_logins_count_per_device_address_not_per_ingress(database_url, tmp_path):
    """Field devices share the ingress's address; with it as the trusted proxy, ten failures from
    one device's address lock that address only, and the audit log names the device's address."""
    from servicekit.config import SecuritySettings

    from .conftest import build_runtime, stop_runtime

    security = dataclasses.replace(SecuritySettings.demo(tmp_path, "enrolment"), trusted_proxy_count=1)
    runtime = build_runtime(database_url, tmp_path, security=security)
    runtime.accounts.create(CLI, "lapangan.tiga", "operator_dinas", "62.03", "kata-sandi-uji-789")
    channel = grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}")
    login = channel.unary_unary("/ektp.enrolment.v1.EnrolmentService/Login",
                                request_serializer=pb.LoginRequest.SerializeToString,
                                response_deserializer=pb.LoginResponse.FromString)

    def attempt(device: str, username: str, password: str) -> str:
        metadata = (("x-forwarded-for", device),)
        try:
            login(pb.LoginRequest(username=username, password=password), timeout=10, metadata=metadata)
            return "OK"
        except grpc.RpcError as refused:
            return refused.details()

    try:
        # guesses at accounts that do not exist: the address limit counts them, no account locks
        failures = [attempt("203.0.113.9", f"tebakan.{i}", "salah-sekali") for i in range(10)]
        blocked = attempt("203.0.113.9", "lapangan.tiga", "kata-sandi-uji-789")
        other_device = attempt("203.0.113.10", "lapangan.tiga", "kata-sandi-uji-789")
        with runtime.engine.connect() as conn:
            origins = conn.execute(sa.select(db.audit_log.c.origin).where(
                db.audit_log.c.action == "login.success", db.audit_log.c.record_id == "lapangan.tiga")).scalars().all()
    finally:
        channel.close()
        stop_runtime(runtime)
    assert all(f != "OK" for f in failures)
    assert blocked != "OK" and other_device == "OK"
    assert origins == ["203.0.113.10"]
