"""Tables of the documents database (SQLAlchemy Core). Migrations mirror this exactly.

The rendered card or Suket carries the resident's personal data. It lives in the document
store (documents.store: encrypted files under `pdf_key`), and the row records `pdf_sha256`, the
digest of the plain PDF checked on every read. `documents.pdf` is the legacy place (before
migration 0006): encrypted in the row (servicekit.fieldcrypto, bound to table "documents",
column "pdf" and the row's document_id), still read for rows that have no `pdf_key`.
"""
from __future__ import annotations

import sqlalchemy as sa

from servicekit.audit import define_audit_log
from servicekit.outbox import define_inbox, define_outbox

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("register_number", sa.String(20), nullable=False),
    sa.Column("office_code", sa.String(10), nullable=False),
    sa.Column("region_code", sa.String(20), nullable=False),
    sa.Column("card_serial", sa.String(32), nullable=True),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("valid_until", sa.Date(), nullable=True),
    sa.Column("qr_payload", sa.Text(), nullable=True),
    sa.Column("superseded_by", sa.String(36), nullable=True),
    sa.Column("pdf", sa.LargeBinary(), nullable=True),    # legacy, encrypted; see the module docstring
    sa.Column("pdf_key", sa.String(120), nullable=True),  # the document store's key
    sa.Column("pdf_sha256", sa.String(64), nullable=True),
    sa.Column("void_reason", sa.String(500), nullable=True),
    sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_documents_register_number", "register_number"),
    sa.Index("ix_documents_issued_at", "issued_at"),
    sa.Index("ix_documents_status_valid_until", "status", "valid_until"),   # the expiry job
)

# The card print queue: one row per card to print (and per reprint); the queue is the open
# rows of an office, printed by priority then oldest first.
print_jobs = sa.Table(
    "print_jobs", metadata,
    sa.Column("job_id", sa.String(36), primary_key=True),
    sa.Column("register_number", sa.String(20), nullable=False),
    sa.Column("office_code", sa.String(10), nullable=False),
    sa.Column("region_code", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("priority", sa.SmallInteger(), nullable=False),
    sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("blank_key", sa.String(64), nullable=False, unique=True),
    sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("card_serial", sa.String(32), nullable=True),
    sa.Column("document_id", sa.String(36), nullable=True),
    sa.Column("reprint_of", sa.String(36), nullable=True),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    sa.Index("ix_print_jobs_queue", "office_code", "status", "priority", "queued_at"),
    sa.Index("ix_print_jobs_register_number", "register_number"),
    sa.Index("ix_print_jobs_document_id", "document_id"),
)

office_policies = sa.Table(
    "office_policies", metadata,
    sa.Column("office_code", sa.String(10), primary_key=True),
    sa.Column("suket_when_out_of_stock", sa.Boolean(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
)

# Shortage letters (documents.distribution): one set per request, one letter per kecamatan and
# kelurahan/desa; the PDFs live in the document store under the recorded key and sha256.
letter_sets = sa.Table(
    "letter_sets", metadata,
    sa.Column("set_id", sa.String(36), primary_key=True),
    sa.Column("office_code", sa.String(10), nullable=False),
    sa.Column("request_id", sa.String(36), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dispatch_key", sa.String(120), nullable=False),
    sa.Column("dispatch_sha256", sa.String(64), nullable=False),
    sa.Index("ix_letter_sets_office", "office_code", "created_at"),
)

shortage_letters = sa.Table(
    "shortage_letters", metadata,
    sa.Column("letter_id", sa.String(36), primary_key=True),
    sa.Column("set_id", sa.String(36), sa.ForeignKey("letter_sets.set_id"), nullable=False),
    sa.Column("office_code", sa.String(10), nullable=False),
    sa.Column("recipient_code", sa.String(20), nullable=False),
    sa.Column("recipient_name", sa.String(200), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("pdf_key", sa.String(120), nullable=False),
    sa.Column("pdf_sha256", sa.String(64), nullable=False),
    sa.UniqueConstraint("office_code", "year", "sequence", name="uq_shortage_letters_number"),
    sa.Index("ix_shortage_letters_set", "set_id"),
)

# Distribution: printed cards packed per kecamatan; a card is in at most one batch.
distribution_batches = sa.Table(
    "distribution_batches", metadata,
    sa.Column("batch_id", sa.String(36), primary_key=True),
    sa.Column("office_code", sa.String(10), nullable=False),
    sa.Column("district_code", sa.String(20), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("manifest_key", sa.String(120), nullable=False),
    sa.Column("manifest_sha256", sa.String(64), nullable=False),
    sa.Column("receipt_key", sa.String(120), nullable=True),
    sa.Column("receipt_sha256", sa.String(64), nullable=True),
    sa.Index("ix_distribution_batches_office", "office_code", "status"),
)

batch_cards = sa.Table(
    "batch_cards", metadata,
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("batch_id", sa.String(36), sa.ForeignKey("distribution_batches.batch_id"), nullable=False),
    sa.Column("register_number", sa.String(20), nullable=False),
    sa.Column("region_code", sa.String(20), nullable=False),
    sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_batch_cards_batch", "batch_id"),
)

inbox, feed_cursors = define_inbox(metadata)
outbox = define_outbox(metadata)
audit_log = define_audit_log(metadata)
