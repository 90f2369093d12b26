"""Search by name: blind-indexed name tokens.

Names are encrypted, so they cannot be searched in SQL. Each word of a resident's full name is
stored as an HMAC under the blind-index key (never in clear), one row per (token, recording);
a search by name asks for the recordings that have every token of the query.

Recordings stored before this revision have no tokens (the key lives outside the database, a
migration cannot compute them): `ektp-enrolment reindex-names` fills them in.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recording_name_tokens",
        sa.Column("token_index", sa.String(64), nullable=False),
        sa.Column("register_number", sa.String(20),
                  sa.ForeignKey("recordings.register_number", name="fk_recording_name_tokens_recording"),
                  nullable=False),
        sa.PrimaryKeyConstraint("token_index", "register_number", name="pk_recording_name_tokens"),
    )
    op.create_index("ix_recording_name_tokens_register_number", "recording_name_tokens", ["register_number"])


def downgrade() -> None:
    op.drop_index("ix_recording_name_tokens_register_number", "recording_name_tokens")
    op.drop_table("recording_name_tokens")
