"""Good examples of mass mobilisation ("Dân vận khéo") with the recommendations behind them (issue 11).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 14:04:41.126272

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "good_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column(
            "kind", sa.Enum("model", "exemplar", name="example_kind", native_enum=False, length=32), nullable=False
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_good_examples_committee_id_committees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_good_examples_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_good_examples_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_good_examples")),
    )
    with op.batch_alter_table("good_examples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_good_examples_published_on"), ["published_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_good_examples_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "good_example_recommendations",
        sa.Column("good_example_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["good_example_id"],
            ["good_examples.id"],
            name=op.f("fk_good_example_recommendations_good_example_id_good_examples"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_good_example_recommendations_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("good_example_id", "recommendation_id", name=op.f("pk_good_example_recommendations")),
    )


def downgrade():
    op.drop_table("good_example_recommendations")
    with op.batch_alter_table("good_examples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_good_examples_unit_id"))
        batch_op.drop_index(batch_op.f("ix_good_examples_published_on"))

    op.drop_table("good_examples")
