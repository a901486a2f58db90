"""Anonymous answers wait in pending_responses and are released in batches (response_batches) of
at least k respondents; an anonymous response keeps no channel.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26 13:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

CHANNEL = sa.Enum("web", "api", "offline", name="channel", native_enum=False, length=32)


def upgrade():
    op.create_table(
        "response_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_response_batches_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_response_batches_unit_id_units"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_batches")),
    )
    op.create_index(op.f("ix_response_batches_survey_id"), "response_batches", ["survey_id"], unique=False)
    op.create_table(
        "pending_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("queued_on", sa.Date(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_pending_responses_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_pending_responses_unit_id_units"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["survey_versions.id"],
            name=op.f("fk_pending_responses_version_id_survey_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_responses")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_pending_responses_receipt_hash")),
        sa.UniqueConstraint(
            "survey_id", "idempotency_key", name=op.f("uq_pending_responses_survey_id_idempotency_key")
        ),
    )
    op.create_index(op.f("ix_pending_responses_survey_id"), "pending_responses", ["survey_id"], unique=False)
    op.create_index(op.f("ix_pending_responses_version_id"), "pending_responses", ["version_id"], unique=False)
    with op.batch_alter_table("responses") as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_responses_batch_id_response_batches"),
            "response_batches",
            ["batch_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_responses_batch_id"), ["batch_id"], unique=False)
        batch_op.alter_column("channel", existing_type=CHANNEL, nullable=True)
    # The channel of an answer already given anonymously is forgotten, as it is for new ones.
    op.execute(
        "UPDATE responses SET channel = NULL WHERE survey_id IN (SELECT id FROM surveys WHERE anonymity = 'anonymous')"
    )


def downgrade():
    op.execute("UPDATE responses SET channel = 'web' WHERE channel IS NULL")
    with op.batch_alter_table("responses") as batch_op:
        batch_op.alter_column("channel", existing_type=CHANNEL, nullable=False)
        batch_op.drop_index(batch_op.f("ix_responses_batch_id"))
        batch_op.drop_constraint(batch_op.f("fk_responses_batch_id_response_batches"), type_="foreignkey")
        batch_op.drop_column("batch_id")
    op.drop_index(op.f("ix_pending_responses_version_id"), table_name="pending_responses")
    op.drop_index(op.f("ix_pending_responses_survey_id"), table_name="pending_responses")
    op.drop_table("pending_responses")
    op.drop_index(op.f("ix_response_batches_survey_id"), table_name="response_batches")
    op.drop_table("response_batches")
