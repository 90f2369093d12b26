"""The field device's calls to enrolment, and the resumable sync.

`sync(...)` streams the PENDING recordings (a chunk per stream, each stream with a deadline),
saves every result as it arrives (in small transactions), and after a cut (network down,
server restarting, deadline) waits with exponential backoff and streams whatever is still
PENDING. Nothing is lost (an item stays PENDING until its result is saved) and nothing is
doubled (the server's receipt per device and local id turns a re-send into a replay).
"""
from __future__ import annotations

import ipaddress
import pathlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import grpc

from ektp.enrolment.v1 import enrolment_pb2 as pb
from ektp.enrolment.v1 import enrolment_pb2_grpc
from enrolment import domain
from enrolment.field.store import FieldStore, Item
from servicekit.clients import BearerToken, translate
from servicekit.errors import ServiceError

LOGIN_DEADLINE = 15.0
REGIONS_DEADLINE = 15.0
# Worth retrying: the network or the server is away for now.
TRANSIENT = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED,
                       grpc.StatusCode.ABORTED, grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.INTERNAL,
                       grpc.StatusCode.UNKNOWN})
_OUTCOMES = {pb.SyncOutcome.Value(f"SYNC_OUTCOME_{o.value}"): o for o in domain.SyncOutcome}
_STATES = {pb.RecordingState.Value(f"RECORDING_STATE_{s.value}"): s for s in domain.RecordingState}


class SyncStopped(Exception):
    """The sync gave up: refused (log in again) or still unreachable after every retry."""


def is_loopback(server: str) -> bool:
    """Whether HOST:PORT names this machine (127.0.0.0/8, ::1, localhost)."""
    host = server.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credentials_for(server: str, ca_file: str = "") -> grpc.ChannelCredentials | None:
    """TLS for any server but this machine: a password or a token never crosses a network in
    clear. The server's certificate is checked against `ca_file` (a private CA) or the system's
    roots (the province's public certificate, as at the ingress). None: plaintext, loopback only."""
    if ca_file:
        return grpc.ssl_channel_credentials(pathlib.Path(ca_file).read_bytes())
    return None if is_loopback(server) else grpc.ssl_channel_credentials()


def open_channel(server: str, *, token: str | None, ca_file: str = "") -> grpc.Channel:
    """A channel to enrolment carrying the officer's token (see credentials_for)."""
    options = [("grpc.keepalive_time_ms", 20000), ("grpc.max_receive_message_length", 16 * 1024 * 1024)]
    credentials = credentials_for(server, ca_file)
    channel = (grpc.secure_channel(server, credentials, options=options) if credentials is not None
               else grpc.insecure_channel(server, options=options))
    return grpc.intercept_channel(channel, BearerToken(lambda: token)) if token else channel


def login(channel: grpc.Channel, username: str, password: str) -> pb.LoginResponse:
    try:
        return enrolment_pb2_grpc.EnrolmentServiceStub(channel).Login(
            pb.LoginRequest(username=username, password=password), timeout=LOGIN_DEADLINE)
    except grpc.RpcError as err:
        raise translate(err) from None


def fetch_regions(channel: grpc.Channel, office_code: str) -> dict[str, list[domain.Region]]:
    """What a device of one Dinas needs to validate offline: the provinces, the kabupaten of its
    province, the kecamatan of each of those (NIK and KK prefixes of people who moved in), and
    the desa/kelurahan of its own kabupaten. Keyed by parent code."""
    stub = enrolment_pb2_grpc.EnrolmentServiceStub(channel)

    def children(parent: str) -> list[domain.Region]:
        try:
            answer = stub.ListRegions(pb.ListRegionsRequest(parent_code=parent), timeout=REGIONS_DEADLINE)
        except grpc.RpcError as err:
            raise translate(err) from None
        return [domain.Region(r.code, r.name, domain.RegionLevel(r.level), r.parent_code, r.is_kelurahan)
                for r in answer.regions]

    province = domain.parent_of(office_code)
    fetched = {"": children(""), province: children(province)}
    for regency in fetched[province]:
        fetched[regency.code] = children(regency.code)
    for kecamatan in fetched.get(office_code, []):
        fetched[kecamatan.code] = children(kecamatan.code)
    return fetched


def result_from_pb(m: pb.SyncRecordingsResponse) -> domain.SyncResult:
    return domain.SyncResult(
        local_id=m.local_id, outcome=_OUTCOMES.get(m.outcome, domain.SyncOutcome.INVALID),
        register_number=m.register_number, state=_STATES.get(m.state), duplicate_of=m.duplicate_of,
        violations=tuple(domain.Violation(v.field, v.description) for v in m.violations),
        message=m.message, replayed=m.replayed)


def stream_items(channel: grpc.Channel, device_id: str, items: Sequence[Item], *,
                 deadline: float) -> Iterator[domain.SyncResult]:
    """One SyncRecordings stream of `items`; results as they arrive (raises grpc.RpcError on a cut)."""
    def requests() -> Iterator[pb.SyncRecordingsRequest]:
        for item in items:
            message = pb.SyncRecordingsRequest(device_id=device_id, local_id=item.local_id)
            message.recording.MergeFromString(item.payload)
            yield message

    call = enrolment_pb2_grpc.EnrolmentServiceStub(channel).SyncRecordings(requests(), timeout=deadline)
    try:
        for response in call:
            yield result_from_pb(response)
    finally:
        call.cancel()   # a no-op once the stream ended; stops the upload when the reader gives up


@dataclass
class SyncReport:
    results: list[domain.SyncResult] = field(default_factory=list)
    streams: int = 0
    retries: int = 0

    def count(self, outcome: domain.SyncOutcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)


Stream = Callable[[Sequence[Item]], Iterator[domain.SyncResult]]


def sync(store: FieldStore, stream: Stream, *, chunk: int = 1000, max_attempts: int = 8,
         first_backoff: float = 0.5, max_backoff: float = 30.0, save_every: int = 200,
         sleep: Callable[[float], None] = time.sleep,
         on_result: Callable[[domain.SyncResult], None] = lambda r: None,
         on_retry: Callable[[int, float, ServiceError], None] = lambda n, wait, err: None) -> SyncReport:
    """Send every PENDING recording; resumable (see the module doc). `stream(items)` runs one
    SyncRecordings stream. Raises SyncStopped when refused or after `max_attempts` failed
    streams in a row; whatever got a result by then is saved."""
    report, failures = SyncReport(), 0
    while True:
        items = store.pending(chunk)
        if not items:
            return report
        report.streams += 1
        received: list[domain.SyncResult] = []
        got = 0
        try:
            for result in stream(items):
                got += 1
                received.append(result)
                report.results.append(result)
                on_result(result)
                if len(received) >= save_every:
                    store.save_results(received)
                    received.clear()
            store.save_results(received)
            received.clear()
        except grpc.RpcError as err:
            store.save_results(received)
            problem = translate(err)
            if err.code() is grpc.StatusCode.UNAUTHENTICATED:
                raise SyncStopped(f"Server menolak token ({problem.message}); masuk lagi dengan "
                                  "`ektp field login`.") from None
            if err.code() not in TRANSIENT:
                raise SyncStopped(f"Server menolak sinkronisasi: {problem.message}") from None
            failures += 1
            if failures >= max_attempts:
                raise SyncStopped(f"Server tidak dapat dihubungi setelah {failures} percobaan: {problem.message}") from None
            wait = min(max_backoff, first_backoff * 2 ** (failures - 1)) * random.uniform(0.8, 1.2)  # noqa: S311
            report.retries += 1
            on_retry(failures, wait, problem)
            sleep(wait)
            continue
        if got == 0:   # a stream that ends cleanly without a result would loop forever
            raise SyncStopped("Server mengakhiri sinkronisasi tanpa hasil; coba lagi nanti.")
        failures = 0
