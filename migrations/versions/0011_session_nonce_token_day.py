"""Sessions can be ended server-side: a per-user nonce carried in every session and remember-me
cookie. API tokens keep the day of their last use, not the moment.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 11:00:00

"""

import secrets
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_nonce", sa.String))
tokens = sa.table(
    "api_tokens",
    sa.column("id", sa.Integer),
    sa.column("last_used_at", sa.DateTime(timezone=True)),
    sa.column("last_used_on", sa.Date),
)


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_nonce", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(session_nonce=secrets.token_hex(16)))
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("session_nonce", existing_type=sa.String(length=32), nullable=False)

    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("last_used_on", sa.Date(), nullable=True))
    for token_id, used_at in connection.execute(
        sa.select(tokens.c.id, tokens.c.last_used_at).where(tokens.c.last_used_at.is_not(None))
    ).all():
        used_at = used_at if used_at.tzinfo else used_at.replace(tzinfo=UTC)
        connection.execute(
            tokens.update().where(tokens.c.id == token_id).values(last_used_on=used_at.astimezone(VN_TZ).date())
        )
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("last_used_at")


def downgrade():
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    for token_id, used_on in connection.execute(
        sa.select(tokens.c.id, tokens.c.last_used_on).where(tokens.c.last_used_on.is_not(None))
    ).all():
        connection.execute(
            tokens.update()
            .where(tokens.c.id == token_id)
            .values(last_used_at=datetime.combine(used_on, time(), VN_TZ).astimezone(UTC))
        )
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("last_used_on")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_nonce")
