"""Personal data protection: people's requests about their data (to see, to have, to erase) with
their deadlines, and the log of personal data incidents.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade():
    op.create_table(
        "data_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("requester_name", sa.String(length=255), nullable=False),
        sa.Column("kind", _enum("data_request_kind", "access", "download", "erasure"), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("status", _enum("data_request_status", "received", "in_progress", "done", "refused"), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_data_requests_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"], ["users.id"], name=op.f("fk_data_requests_handled_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_requests")),
    )
    op.create_index(op.f("ix_data_requests_user_id"), "data_requests", ["user_id"], unique=False)
    op.create_index(op.f("ix_data_requests_status"), "data_requests", ["status"], unique=False)
    op.create_table(
        "privacy_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("data_affected", sa.Text(), nullable=False),
        sa.Column("people_affected", sa.Integer(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("authority_notified_on", sa.Date(), nullable=True),
        sa.Column("people_notified_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_privacy_incidents_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_incidents")),
    )


def downgrade():
    op.drop_table("privacy_incidents")
    op.drop_index(op.f("ix_data_requests_status"), table_name="data_requests")
    op.drop_index(op.f("ix_data_requests_user_id"), table_name="data_requests")
    op.drop_table("data_requests")
