"""Citizens' satisfaction with the answers to recommendations, and the scorecard's weights (issue 11).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 13:39:51.724958

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scorecard_weights",
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("component", name=op.f("pk_scorecard_weights")),
    )
    op.create_table(
        "satisfaction_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("rater_key", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_satisfaction_ratings_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_ratings")),
        sa.UniqueConstraint(
            "recommendation_id", "rater_key", name=op.f("uq_satisfaction_ratings_recommendation_id_rater_key")
        ),
    )
    with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_satisfaction_ratings_rated_on"), ["rated_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_satisfaction_ratings_recommendation_id"), ["recommendation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_satisfaction_ratings_recommendation_id"))
        batch_op.drop_index(batch_op.f("ix_satisfaction_ratings_rated_on"))

    op.drop_table("satisfaction_ratings")
    op.drop_table("scorecard_weights")
