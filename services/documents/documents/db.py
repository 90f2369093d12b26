"""Tables of the documents database (SQLAlchemy Core). Migrations mirror this exactly.

`documents.pdf` holds the rendered card or Suket, which carries the resident's personal data:
it is stored encrypted (servicekit.fieldcrypto, bound to table "documents", column "pdf" and
the row's document_id); the repository encrypts and decrypts it.
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
    sa.Column("pdf", sa.LargeBinary(), nullable=False),   # encrypted, see the module docstring
    sa.Index("ix_documents_register_number", "register_number"),
    sa.Index("ix_documents_issued_at", "issued_at"),
)

inbox, feed_cursors = define_inbox(metadata)
outbox = define_outbox(metadata)
audit_log = define_audit_log(metadata)
