"""Fuzzed RecordResident requests over gRPC, on SQLite and PostgreSQL: whatever the fields
hold, the answer is OK, INVALID_ARGUMENT or FAILED_PRECONDITION, never INTERNAL; a refused
request stores nothing (no recording, no event, no adjudication entry)."""
import datetime as dt

import grpc
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import db
from enrolment.demo import synthetic_png
from tests.enrolment.factories import VILLAGE, digest, nik, pb_request

ALLOWED = {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION}
TEXT = st.text(max_size=40) | st.sampled_from(["", " ", "Budi Santoso", "x" * 250, "Nur'aini", "\x00", "١٢٣"])
DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=18)
ENUM = st.integers(min_value=-3, max_value=20)
DIGEST = st.sampled_from(["", digest("a"), digest("b"), digest("a").upper(), "xyz", "g" * 64]) | st.text(max_size=70)


@st.composite
def requests(draw) -> pb.RecordResidentRequest:
    """A valid request with a random selection of its fields replaced by random values."""
    born = draw(st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2030, 1, 1)))
    request = pb_request(birth=born if born <= dt.date(2026, 11, 28) else dt.date(1990, 5, 17))
    r = request.resident
    changes = draw(st.dictionaries(st.sampled_from([
        "nik", "kk_number", "full_name", "birth_place", "birth_date", "sex", "blood_type", "address", "rt", "rw",
        "region_code", "religion", "marital_status", "occupation", "citizenship", "mother_name", "father_name"]),
        st.none(), max_size=6))
    for name in changes:
        if name in ("sex", "religion", "marital_status", "citizenship"):
            setattr(r, name, draw(ENUM))
        elif name in ("nik", "kk_number"):
            setattr(r, name, draw(DIGITS | st.just(nik(born, serial=draw(st.integers(1, 9999)))) | TEXT))
        elif name == "birth_date":
            r.birth_date = draw(st.dates().map(dt.date.isoformat) | TEXT)
        elif name == "region_code":
            r.region_code = draw(st.sampled_from([VILLAGE, "62.03.01.1002", "62.03.01", "62.03", "62", "99.99.99.9999"])
                                 | TEXT)
        else:
            setattr(r, name, draw(TEXT))
    if draw(st.booleans()):
        request.office_code = draw(st.sampled_from(["62.03", "62", "62.03.01", "", "6203"]) | TEXT)
    request.recording_type = draw(st.sampled_from([0, 1, 1, 1]) | ENUM)
    request.request_id = draw(st.sampled_from([""]) | st.text(min_size=90, max_size=110))
    if draw(st.booleans()):   # half the time the capture is left valid, so that more requests get through
        qualities = draw(st.lists(st.tuples(ENUM, st.integers(-50, 150), DIGEST), max_size=16))
        del request.biometrics.qualities[:]
        request.biometrics.qualities.extend(pb.ModalityQuality(modality=m, quality=q, template_digest=d)
                                            for m, q, d in qualities)
        request.biometrics.template_digest = draw(DIGEST)
        request.biometrics.face_photo = draw(st.sampled_from([b"", synthetic_png(4, 4, 128), b"\xff\xd8\xff",
                                                              b"GIF89a", b"\x00" * 600_000]))
        request.biometrics.signature = draw(st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"not an image"]))
    return request


def stored(runtime) -> tuple[int, int, int]:
    with runtime.engine.connect() as conn:
        return tuple(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                     for t in (db.recordings, db.outbox, db.adjudications))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(request=requests())
def test_fuzzed_requests_get_ok_or_a_client_error_and_refused_ones_store_nothing(stub, runtime, request):
    before = stored(runtime)
    try:
        recording = stub.RecordResident(request, timeout=10).recording
        code = grpc.StatusCode.OK
    except grpc.RpcError as err:
        code, recording = err.code(), None
    event(code.name)
    assert code in ALLOWED, (code, request)
    after = stored(runtime)
    if code is grpc.StatusCode.OK:
        assert after[0] - before[0] == 1 or (request.request_id and after == before)
        assert recording.register_number
    else:
        assert after == before, (code, request)
