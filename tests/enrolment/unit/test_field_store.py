"""The field device's local store and offline checks (no server)."""
from __future__ import annotations

import datetime as dt
import io

import grpc
import pytest

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import domain
from enrolment.field import client
from enrolment.field.cli import main as field_main
from enrolment.field.cli import offline_problems
from enrolment.field.store import PENDING, FieldStore, StoreError
from tests.enrolment.factories import TODAY, VILLAGE, pb_request

Outcome = domain.SyncOutcome


def region(code: str, name: str = "Wilayah") -> domain.Region:
    made = domain.make_region(code, name)
    assert made is not None
    return made


@pytest.fixture
def store(tmp_path):
    store = FieldStore(tmp_path / "device")
    store.init("127.0.0.1:50051", "62.03", device_id="tablet-07")
    store.cache_regions({"62": [region("62.03")], "62.03": [region("62.03.01"), region("62.03.02")],
                         "62.03.01": [region(VILLAGE)]})
    yield store
    store.close()


def test_the_database_file_is_private_and_the_device_id_survives_a_second_init(store, tmp_path):
    assert (tmp_path / "device" / "field.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "device").stat().st_mode & 0o777 == 0o700
    again = store.init("10.0.0.5:50051", "62.03", device_id="another")
    assert (again.device_id, again.server) == ("tablet-07", "10.0.0.5:50051")


def test_a_store_without_init_says_what_to_run(tmp_path):
    fresh = FieldStore(tmp_path / "empty")
    with pytest.raises(StoreError, match="ektp field init"):
        fresh.device()
    fresh.close()


def test_recordings_wait_in_order_and_take_their_results_once(store):
    ids = store.add([b"a", b"b", b"c"])
    assert [i.local_id for i in store.pending(10)] == ids
    store.save_results([domain.SyncResult(ids[0], Outcome.ACCEPTED, "6203-20261128-000001",
                                          domain.RecordingState.PRINT_READY),
                        domain.SyncResult(ids[1], Outcome.INVALID,
                                          violations=(domain.Violation("resident.nik", "NIK harus 16 angka."),))])
    assert [i.local_id for i in store.pending(10)] == [ids[2]]
    assert store.get(ids[0]).register_number == "6203-20261128-000001"
    assert store.get(ids[1]).violations == (domain.Violation("resident.nik", "NIK harus 16 angka."),)
    # a late result never overwrites an item that is no longer pending
    store.save_results([domain.SyncResult(ids[0], Outcome.DUPLICATE, "6203-20261128-000009")])
    assert store.get(ids[0]).status == Outcome.ACCEPTED.value
    assert store.counts() == {PENDING: 1, "ACCEPTED": 1, "DUPLICATE": 0, "FAILED": 0, "INVALID": 1,
                              "NOT_ELIGIBLE": 0, "OUT_OF_SCOPE": 0}


def test_only_a_refused_recording_can_be_fixed_and_it_keeps_its_local_id(store):
    accepted, invalid = store.add([b"a", b"b"])
    store.save_results([domain.SyncResult(accepted, Outcome.ACCEPTED, "6203-20261128-000001"),
                        domain.SyncResult(invalid, Outcome.INVALID)])
    with pytest.raises(StoreError):
        store.fix(accepted, b"changed")
    store.fix(invalid, b"fixed")
    assert (store.get(invalid).status, store.get(invalid).payload) == (PENDING, b"fixed")


def test_offline_checks_use_the_cached_regions_and_cannot_fail_a_region_never_fetched(store):
    assert offline_problems(store, pb_request(region_code=VILLAGE), TODAY) == []
    unknown_desa = offline_problems(store, pb_request(region_code="62.03.01.2999"), TODAY)
    assert [v.field for v in unknown_desa] == ["resident.region_code"]    # 62.03.01 is fully cached
    # a NIK from a kecamatan of a kabupaten whose kecamatan were never fetched: the server decides
    moved_in = pb_request(region_code=VILLAGE)
    moved_in.resident.nik = domain.encode_nik("63.10.01", dt.date(1990, 5, 17), domain.Sex.MALE, 5)
    assert offline_problems(store, moved_in, TODAY) == []


def test_offline_checks_report_every_field_and_a_minor(store):
    bad = pb_request(region_code=VILLAGE, rt="abc", full_name="")
    assert {v.field for v in offline_problems(store, bad, TODAY)} == {"resident.rt", "resident.full_name"}
    young = pb_request(region_code=VILLAGE, birth=dt.date(2015, 1, 1))
    assert [v.field for v in offline_problems(store, young, TODAY)] == ["resident.birth_date"]


def test_a_sixteen_year_old_is_kept_on_the_device_for_pre_recording_as_the_server_does(store):
    sixteen = pb_request(region_code=VILLAGE, birth=TODAY.replace(year=TODAY.year - 16))
    assert offline_problems(store, sixteen, TODAY) == []


class Cut(grpc.RpcError):
    def __init__(self, code: grpc.StatusCode) -> None:
        self._code = code

    def code(self):
        return self._code

    def details(self):
        return "jaringan terputus"


def test_sync_resumes_after_cuts_with_backoff_and_saves_what_arrived(store):
    ids = store.add([b"1", b"2", b"3", b"4"])
    calls, waits = [], []

    def stream(items):
        calls.append([i.local_id for i in items])
        for item in items[:1]:
            yield domain.SyncResult(item.local_id, Outcome.ACCEPTED, f"6203-20261128-00000{len(calls)}")
        if len(calls) < 3:
            raise Cut(grpc.StatusCode.UNAVAILABLE)
        for item in items[1:]:
            yield domain.SyncResult(item.local_id, Outcome.ACCEPTED, "6203-20261128-000009")

    report = client.sync(store, stream, sleep=waits.append, first_backoff=1.0)
    assert calls == [ids, ids[1:], ids[2:]]
    assert report.retries == 2 and len(waits) == 2 and waits[1] > waits[0]
    assert store.counts()["ACCEPTED"] == 4 and store.counts()[PENDING] == 0


def test_sync_stops_on_a_refusal_and_after_too_many_cuts_leaving_items_pending(store):
    store.add([b"1"])

    def refused(items):
        raise Cut(grpc.StatusCode.UNAUTHENTICATED)
        yield

    with pytest.raises(client.SyncStopped, match="ektp field login"):
        client.sync(store, refused, sleep=lambda s: None)

    def down(items):
        raise Cut(grpc.StatusCode.UNAVAILABLE)
        yield

    with pytest.raises(client.SyncStopped, match="3 percobaan"):
        client.sync(store, down, sleep=lambda s: None, max_attempts=3)
    assert store.counts()[PENDING] == 1


def test_record_by_prompts_asks_again_for_the_wrong_field_only_and_keeps_the_rest(store, tmp_path):
    answers = iter(["1234", "6203011505100001", "Siti Aminah", "Kuala Kapuas", "1990-05-17", "FEMALE",
                    "O", "Jl. Pemuda 3", "1", "2", VILLAGE, "Guru", "", "", "ISLAM", "SINGLE", "WNI",
                    "y", domain.encode_nik("62.03.01", dt.date(1990, 5, 17), domain.Sex.FEMALE, 12)])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    out = io.StringIO()
    code = field_main(["--data-dir", str(tmp_path / "device"), "record"], out=out, ask=ask)
    assert code == 0, out.getvalue()
    assert "resident.nik" in out.getvalue()
    assert asked[-1].startswith("NIK") and sum(p.startswith("Nama lengkap") for p in asked) == 1
    (item,) = store.pending(10)
    assert pb.RecordResidentRequest.FromString(item.payload).resident.full_name == "Siti Aminah"


def test_the_device_talks_tls_to_any_server_but_this_machine():
    """An officer's password and token never cross a network in clear."""
    assert client.credentials_for("127.0.0.1:50051") is None
    assert client.credentials_for("[::1]:50051") is None and client.credentials_for("localhost:50051") is None
    assert client.credentials_for("grpc.enrolment.ektp.example.go.id:443") is not None   # the system's roots
    assert client.credentials_for("10.0.0.5:50051") is not None
