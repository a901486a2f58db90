"""A readable audit log: each entry keeps the name of what it touched (so the log still reads after
a rename or deletion), changed fields are kept under "changes" as [before, after], and the action
is indexed for the log's filter.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 11:00:00

"""

import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# (object_type, table, the column naming it)
LABELLED = (
    ("Unit", "units", "name"),
    ("Committee", "committees", "name"),
    ("User", "users", "full_name"),
    ("Survey", "surveys", "title"),
    ("Recommendation", "recommendations", "title"),
    ("PublicHoliday", "public_holidays", "name"),
)
# Updates recorded before "changes" existed kept each changed field as a top-level [before, after].
UPDATES = ("unit.update", "user.update", "committee.update")


def upgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("object_label", sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
    for object_type, table, column in LABELLED:
        op.execute(
            f"UPDATE audit_log SET object_label = (SELECT {column} FROM {table} "
            f"WHERE {table}.id = audit_log.object_id) WHERE object_type = '{object_type}'"
        )
    _move_changes()


def _move_changes():
    connection = op.get_bind()
    audit_log = sa.table(
        "audit_log", sa.column("id", sa.Integer), sa.column("action", sa.String), sa.column("details", sa.JSON)
    )
    rows = connection.execute(
        sa.select(audit_log.c.id, audit_log.c.details).where(audit_log.c.action.in_(UPDATES))
    ).all()
    for entry_id, details in rows:
        details = details if isinstance(details, dict) else json.loads(details or "{}")
        if "changes" in details:
            continue
        changes = {k: v for k, v in details.items() if isinstance(v, list) and len(v) == 2}
        rest = {k: v for k, v in details.items() if k not in changes}
        connection.execute(
            audit_log.update().where(audit_log.c.id == entry_id).values(details={"changes": changes, **rest})
        )


def downgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))
        batch_op.drop_column("object_label")
