"""The document store: PDFs as encrypted files, the row keeps the store key and the sha256.

Expand only: `pdf_key` and `pdf_sha256` are added and the legacy `documents.pdf` becomes
nullable. Rows written before this migration keep their PDF in the row and are read from there
(the repository falls back to it when `pdf_key` is empty); a migration cannot move them to the
store, which needs the store's location and the data keys. New rows fill `pdf_key` and
`pdf_sha256` and leave `pdf` NULL.

Downgrade refuses (NOT NULL fails) once rows live only in the store.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:   # SQLite changes nullability by copying the table
        batch.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=True)
        batch.add_column(sa.Column("pdf_key", sa.String(120), nullable=True))
        batch.add_column(sa.Column("pdf_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("pdf_sha256")
        batch.drop_column("pdf_key")
        batch.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
