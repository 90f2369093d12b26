"""Enrolment's tables (SQLAlchemy Core). The migrations in ../migrations must match them."""
from __future__ import annotations

import sqlalchemy as sa

from servicekit.audit import define_audit_log
from servicekit.outbox import BigId, define_outbox

metadata = sa.MetaData()

regions = sa.Table(
    "regions", metadata,
    sa.Column("code", sa.String(20), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.SmallInteger(), nullable=False),
    sa.Column("parent_code", sa.String(20), nullable=False, index=True),
    sa.Column("is_kelurahan", sa.Boolean(), nullable=False),
    # Absent from the latest Kemendagri import: kept (a NIK/KK prefix may name it), never a domicile or office.
    sa.Column("historic", sa.Boolean(), nullable=False, server_default=sa.false()),
)

targets = sa.Table(
    "targets", metadata,
    sa.Column("region_code", sa.String(20), sa.ForeignKey("regions.code", name="fk_targets_region"),
              primary_key=True),
    sa.Column("wajib_ktp", sa.BigInteger(), nullable=False),
)

recordings = sa.Table(
    "recordings", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("register_number", sa.String(20), nullable=False),
    sa.Column("request_id", sa.String(100), nullable=True),
    sa.Column("office_code", sa.String(20), nullable=False, index=True),
    sa.Column("region_code", sa.String(20), nullable=False, index=True),
    sa.Column("state", sa.String(20), nullable=False),
    # Personal data, each value encrypted on its own (enrolment.personal_data): Text/LargeBinary
    # because a sealed value is longer than the clear one; the domain enforces the lengths.
    sa.Column("nik", sa.Text(), nullable=False),
    sa.Column("nik_index", sa.String(64), nullable=False, index=True),   # HMAC of the NIK: finds it
    sa.Column("kk_number", sa.Text(), nullable=False),
    sa.Column("full_name", sa.Text(), nullable=False),
    sa.Column("birth_place", sa.Text(), nullable=False),
    sa.Column("birth_date", sa.Date(), nullable=False, index=True),   # clear: blocks demographic de-duplication
    sa.Column("sex", sa.String(12), nullable=False),
    sa.Column("blood_type", sa.String(2), nullable=False),
    sa.Column("address", sa.Text(), nullable=False),
    sa.Column("mother_name", sa.Text(), nullable=False),
    sa.Column("father_name", sa.Text(), nullable=False),
    sa.Column("face_photo", sa.LargeBinary(), nullable=True),   # NULL: not captured
    sa.Column("signature", sa.LargeBinary(), nullable=True),    # NULL: not captured
    sa.Column("rt", sa.String(3), nullable=False),
    sa.Column("rw", sa.String(3), nullable=False),
    sa.Column("religion", sa.String(20), nullable=False),
    sa.Column("marital_status", sa.String(20), nullable=False),
    sa.Column("occupation", sa.String(200), nullable=False),
    sa.Column("citizenship", sa.String(12), nullable=False),
    sa.Column("review_flags", sa.Text(), nullable=False),              # comma-separated
    sa.Column("duplicate_of", sa.String(20), nullable=False),
    sa.Column("template_digest", sa.String(64), nullable=False, index=True),
    sa.Column("biometric_qualities", sa.Text(), nullable=False),       # JSON {modality: quality}
    sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
    # Recording details (migration 0004): type and link, quality-gate failure, pre-recording hold.
    sa.Column("recording_type", sa.String(20), nullable=False, server_default="NEW"),
    sa.Column("previous_register_number", sa.String(20), nullable=False, server_default=""),
    sa.Column("failure_reason", sa.Text(), nullable=False, server_default=""),
    sa.Column("hold_until", sa.Date(), nullable=True, index=True),    # a pre-recording: held until the 17th birthday
    sa.Column("drive_id", BigId, nullable=True, index=True),   # the pick-up drive recorded under; NULL: office
    sa.UniqueConstraint("register_number", name="uq_recordings_register_number"),
    sa.UniqueConstraint("request_id", name="uq_recordings_request_id"),
)

# Search by name: one HMAC (blind index key) per word of a resident's full name and recording.
recording_name_tokens = sa.Table(
    "recording_name_tokens", metadata,
    sa.Column("token_index", sa.String(64), nullable=False),
    sa.Column("register_number", sa.String(20),
              sa.ForeignKey("recordings.register_number", name="fk_recording_name_tokens_recording"),
              nullable=False, index=True),
    sa.PrimaryKeyConstraint("token_index", "register_number", name="pk_recording_name_tokens"),
)

# Pick-up drives (jemput bola): planned by an office to its lowest-coverage desa, reconciled on closing.
drives = sa.Table(
    "drives", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("office_code", sa.String(20), sa.ForeignKey("regions.code", name="fk_drives_office"),
              nullable=False, index=True),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("planned_for", sa.Date(), nullable=False),
    sa.Column("team", sa.Text(), nullable=False),          # officers' usernames, comma-separated
    sa.Column("devices", sa.Text(), nullable=False),       # device ids, comma-separated
    sa.Column("planned_by", sa.String(40), nullable=False),
    sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_by", sa.String(40), nullable=False),
    sa.Column("planned_persons", sa.Integer(), nullable=False),
    sa.Column("recorded", sa.Integer(), nullable=True),     # the reconciliation, once CLOSED
    sa.Column("failed", sa.Integer(), nullable=True),
    sa.Column("duplicates", sa.Integer(), nullable=True),
)

drive_villages = sa.Table(
    "drive_villages", metadata,
    sa.Column("drive_id", BigId, sa.ForeignKey("drives.id", name="fk_drive_villages_drive"), primary_key=True),
    sa.Column("region_code", sa.String(20), sa.ForeignKey("regions.code", name="fk_drive_villages_region"),
              primary_key=True),
    sa.Column("planned", sa.Integer(), nullable=False),     # target persons not yet recorded at plan time
    sa.Column("recorded", sa.Integer(), nullable=True),
    sa.Column("failed", sa.Integer(), nullable=True),
    sa.Column("duplicates", sa.Integer(), nullable=True),
)

# Per-modality matcher template digests of fingers and irises (de-duplication; never images).
recording_templates = sa.Table(
    "recording_templates", metadata,
    sa.Column("register_number", sa.String(20),
              sa.ForeignKey("recordings.register_number", name="fk_recording_templates_recording"), nullable=False),
    sa.Column("modality", sa.String(24), nullable=False),
    sa.Column("template_digest", sa.String(64), nullable=False, index=True),
    sa.PrimaryKeyConstraint("register_number", "modality", name="pk_recording_templates"),
)

# The adjudication queue: one entry per recording held as DUPLICATE, decided by the Dinas.
adjudications = sa.Table(
    "adjudications", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("register_number", sa.String(20),
              sa.ForeignKey("recordings.register_number", name="fk_adjudications_recording"), nullable=False),
    sa.Column("candidate_register_number", sa.String(20), nullable=False),
    sa.Column("reasons", sa.String(400), nullable=False),       # comma-separated: NIK, TEMPLATE, FINGER_..., DEMOGRAPHIC
    sa.Column("score", sa.Float(), nullable=False),
    sa.Column("comparison", sa.Text(), nullable=False),          # JSON [[field, similarity, compared]], no values
    sa.Column("region_code", sa.String(20), nullable=False, index=True),
    sa.Column("office_code", sa.String(20), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decision", sa.String(20), nullable=True),
    sa.Column("resolver", sa.String(120), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.UniqueConstraint("register_number", name="uq_adjudications_register_number"),
)

register_counters = sa.Table(
    "register_counters", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("last", sa.Integer(), nullable=False),
)

# Field devices: what each (device, local id) became, so a re-sent item stores nothing new.
# Only stored recordings get a receipt; a refused item (invalid, not eligible) may be fixed
# and sent again under the same local id.
sync_receipts = sa.Table(
    "sync_receipts", metadata,
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("local_id", sa.String(64), nullable=False),
    sa.Column("register_number", sa.String(20),
              sa.ForeignKey("recordings.register_number", name="fk_sync_receipts_recording"), nullable=False),
    sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("device_id", "local_id", name="pk_sync_receipts"),
)

demo_state = sa.Table(
    "demo_state", metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
)

# Officers' accounts: enrolment is the platform's identity provider (see docs/security.md).
accounts = sa.Table(
    "accounts", metadata,
    sa.Column("username", sa.String(40), primary_key=True),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("scope", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),   # argon2id, PHC string
    sa.Column("failed_attempts", sa.Integer(), nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("disabled", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
)

outbox = define_outbox(metadata)
audit_log = define_audit_log(metadata)
