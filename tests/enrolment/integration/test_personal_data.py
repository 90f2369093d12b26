"""Personal data at rest: a copy of the database does not tell who was recorded, the NIK is
still found (through its blind index), a value moved to another row does not decrypt, and
`keys-rotate` moves every value to a new key while the service keeps answering."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import db
from enrolment.__main__ import main
from enrolment.bootstrap import MIGRATIONS
from enrolment.config import Settings
from enrolment.demo import synthetic_png
from enrolment.domain import Biometrics, RecordingRequest, RecordingState
from enrolment.personal_data import BINARY_COLUMNS, TEXT_COLUMNS, open_personal_data
from servicekit.config import PRODUCTION
from servicekit.db import normalise_url
from servicekit.fieldcrypto import DataKeyError, DecryptionError
from tests.enrolment.factories import CLI, request

T = 5.0
PHOTO, SIGNATURE = synthetic_png(20, 30, 140), synthetic_png(40, 10, 20)


def with_images(req: RecordingRequest) -> RecordingRequest:
    return RecordingRequest(req.resident, req.office_code,
                            Biometrics(req.biometrics.qualities, "", PHOTO, SIGNATURE), req.request_id)


def raw_row(runtime, register_number: str) -> dict:
    with runtime.engine.connect() as conn:
        row = conn.execute(sa.select(db.recordings).where(db.recordings.c.register_number == register_number)).one()
    return dict(row._mapping)


def test_a_stored_row_holds_no_personal_data_in_clear(runtime):
    recorded = runtime.service.record_resident(CLI, with_images(request(
        full_name="Rahmat Hidayat", mother_name="Siti Aminah", father_name="Ahmad Yani",
        birth_place="Kuala Kapuas", address="Jl. Pemuda No. 7")))
    row = raw_row(runtime, recorded.register_number)
    dump = repr(row)
    r = recorded.resident
    for clear in (r.nik, r.kk_number, "Rahmat", "Hidayat", "Siti Aminah", "Ahmad Yani", "Kuala Kapuas", "Pemuda"):
        assert clear not in dump
    for column in TEXT_COLUMNS:
        assert row[column].startswith("v1:"), column
    for column in BINARY_COLUMNS:
        assert bytes(row[column]).startswith(b"v1") and PHOTO not in bytes(row[column]), column
    # ...and the service reads it all back.
    assert runtime.service.get_recording(CLI, recorded.register_number) == recorded
    assert recorded.biometrics.face_photo == PHOTO and recorded.biometrics.signature == SIGNATURE


def test_the_same_nik_is_found_as_a_duplicate_through_its_blind_index(runtime):
    first = runtime.service.record_resident(CLI, request())
    second = runtime.service.record_resident(CLI, request(nik=first.resident.nik))
    assert (second.state, second.duplicate_of) == (RecordingState.DUPLICATE, first.register_number)
    a, b = raw_row(runtime, first.register_number), raw_row(runtime, second.register_number)
    assert a["nik"] != b["nik"]                      # sealed with a fresh nonce each time: equality tells nothing
    assert a["nik_index"] == b["nik_index"] and len(a["nik_index"]) == 64
    assert first.resident.nik not in a["nik_index"]
    other = runtime.service.record_resident(CLI, request())
    assert other.state is RecordingState.PRINT_READY and raw_row(runtime, other.register_number)["nik_index"] != a["nik_index"]


def test_a_value_copied_to_another_row_or_column_does_not_decrypt(runtime):
    victim = runtime.service.record_resident(CLI, request(full_name="Rahmat Hidayat"))
    target = runtime.service.record_resident(CLI, request(full_name="Budi Santoso"))
    stolen = raw_row(runtime, victim.register_number)["full_name"]
    t = db.recordings
    with runtime.engine.begin() as conn:
        conn.execute(t.update().where(t.c.register_number == target.register_number).values(full_name=stolen))
    with pytest.raises(DecryptionError):
        runtime.service.get_recording(CLI, target.register_number)
    with runtime.engine.begin() as conn:
        conn.execute(t.update().where(t.c.register_number == victim.register_number)
                     .values(address=stolen))
    with pytest.raises(DecryptionError):
        runtime.service.get_recording(CLI, victim.register_number)


def test_keys_rotate_moves_every_value_to_a_new_key_and_reads_go_on(runtime, stub, tmp_path, monkeypatch, capsys):
    numbers = [runtime.service.record_resident(CLI, with_images(request(full_name=name))).register_number
               for name in ("Rahmat Hidayat", "Siti Rahmawati", "Budi Santoso")]
    cipher = open_personal_data(runtime.settings).cipher
    old_kid = cipher.keyring.active_kid

    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ENROLMENT_DATABASE_URL", runtime.settings.database_url)
    assert main(["keys-rotate"]) == 0
    assert "rows re-encrypted: recordings 3" in capsys.readouterr().out

    new_kid = open_personal_data(runtime.settings).cipher.keyring.active_kid
    assert new_kid != old_kid
    for number in numbers:
        row = raw_row(runtime, number)
        kids = {cipher.key_id_of(row[c]) for c in TEXT_COLUMNS if row[c]}
        kids |= {cipher.key_id_of(bytes(row[c])) for c in BINARY_COLUMNS}
        assert kids == {new_kid}, number
    fetched = stub.GetRecording(pb.GetRecordingRequest(register_number=numbers[0]), timeout=T).recording
    assert (fetched.resident.full_name, fetched.face_photo) == ("Rahmat Hidayat", PHOTO)


def test_production_mode_never_creates_keys(tmp_path):
    settings = Settings(database_url="sqlite://", mode=PRODUCTION, var_dir=tmp_path)
    with pytest.raises(DataKeyError):
        open_personal_data(settings)
    assert not (tmp_path / "keys").exists()


def test_migration_0003_refuses_a_table_of_recordings_written_in_clear(sqlite_url):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = normalise_url(sqlite_url)
    command.upgrade(config, "0002")
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO recordings (register_number, office_code, region_code, state, nik, kk_number, full_name, "
            "birth_place, birth_date, sex, blood_type, address, rt, rw, religion, marital_status, occupation, "
            "citizenship, review_flags, duplicate_of, template_digest, biometric_qualities, captured_at) VALUES "
            "('6203-20261128-000001', '62.03', '62.03.01.2001', 'PRINT_READY', '6203011705900001', "
            "'6203011505100001', 'Budi', 'Kapuas', '1990-05-17', 'MALE', '', 'Jl. 1', '001', '001', 'ISLAM', "
            "'SINGLE', 'Petani', 'WNI', '', '', '', '{}', '2026-11-28 03:00:00')"))
    with pytest.raises(RuntimeError, match="recordings table is not empty"):
        command.upgrade(config, "head")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
        assert "nik_index" not in {c["name"] for c in sa.inspect(conn).get_columns("recordings")}
    engine.dispose()
