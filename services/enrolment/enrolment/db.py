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
    sa.Column("birth_date", sa.Date(), nullable=False),
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
    sa.UniqueConstraint("register_number", name="uq_recordings_register_number"),
    sa.UniqueConstraint("request_id", name="uq_recordings_request_id"),
)

register_counters = sa.Table(
    "register_counters", metadata,
    sa.Column("office_code", sa.String(20), primary_key=True),
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("last", sa.Integer(), nullable=False),
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
