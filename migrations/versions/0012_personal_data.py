"""Personal data protection: privacy notices and consents; per-survey purpose and retention, when a
survey closed and when its links to people were erased.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 13:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=False, server_default="180"))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("identities_erased_at", sa.DateTime(timezone=True), nullable=True))
    # Surveys already closed: their retention runs from their closing time, or from today.
    op.execute(
        "UPDATE surveys SET closed_at = COALESCE(closes_at, CURRENT_TIMESTAMP) WHERE state IN ('closed', 'archived')"
    )
    op.create_table(
        "privacy_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_privacy_notices_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
        sa.UniqueConstraint("survey_id", "text_hash", name=op.f("uq_privacy_notices_survey_id_text_hash")),
    )
    op.create_index(op.f("ix_privacy_notices_survey_id"), "privacy_notices", ["survey_id"], unique=False)
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_consents_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["privacy_notices.id"],
            name=op.f("fk_consents_notice_id_privacy_notices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_consents_invitation_id_invitations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    for column in ("survey_id", "notice_id", "user_id", "invitation_id"):
        op.create_index(op.f(f"ix_consents_{column}"), "consents", [column], unique=False)


def downgrade():
    op.drop_table("consents")
    op.drop_table("privacy_notices")
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.drop_column("identities_erased_at")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("retention_days")
        batch_op.drop_column("purpose")
