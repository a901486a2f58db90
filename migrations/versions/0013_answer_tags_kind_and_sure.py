"""Answer tags: the kind of an answer (request, problem, praise, question, other) with its
confidence, and whether the model is sure of each tag (sentiment, kind, topic); reviewers can
correct the kind.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 13:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer_tags") as batch_op:
        # Tags from an older model count as unsure of everything (never used as evidence) until the
        # worker re-tags them, which it does as soon as the new model's version differs.
        batch_op.add_column(sa.Column("sentiment_sure", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="other"))
        batch_op.add_column(sa.Column("kind_confidence", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("kind_sure", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("topic_sure", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_answer_tags_kind", ["kind"])
    with op.batch_alter_table("tag_corrections") as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("tag_corrections") as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("answer_tags") as batch_op:
        batch_op.drop_index("ix_answer_tags_kind")
        for column in ("topic_sure", "kind_sure", "kind_confidence", "kind", "sentiment_sure"):
            batch_op.drop_column(column)
