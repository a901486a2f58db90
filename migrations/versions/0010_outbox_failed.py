"""Outgoing mail: a message whose last retry failed is marked failed (shown to the administrator).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_emails") as batch_op:
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_emails_failed_at"), ["failed_at"], unique=False)
    # Messages that had already used up their retries were silently abandoned: now they say so.
    op.execute("UPDATE outbox_emails SET failed_at = send_after WHERE sent_at IS NULL AND attempts >= 8")


def downgrade():
    with op.batch_alter_table("outbox_emails") as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_emails_failed_at"))
        batch_op.drop_column("failed_at")
