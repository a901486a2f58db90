"""Versions of the NLP models: retrained on reviewers' corrections, activated only when no
evaluation set gets worse, rolled back on demand.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=80), nullable=False),
        sa.Column("directory", sa.String(length=255), nullable=False),
        sa.Column(
            "state",
            sa.Enum("active", "retired", "refused", "rolled_back", name="model_state", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("baseline", sa.JSON(), nullable=True),
        sa.Column("regressions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_versions")),
    )
    with op.batch_alter_table("model_versions") as batch_op:
        batch_op.create_index(batch_op.f("ix_model_versions_state"), ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("model_versions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_versions_state"))
    op.drop_table("model_versions")
