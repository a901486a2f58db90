"""What each unit and committee puts on its reports: superior body, document symbol, place,
signature block and recipients (Decree 30/2020/NĐ-CP). Empty means the default.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("units", "committees")
COLUMNS = (
    ("report_superior", sa.String(length=255)),
    ("report_symbol", sa.String(length=32)),
    ("report_place", sa.String(length=100)),
    ("signer_authority", sa.String(length=100)),
    ("signer_title", sa.String(length=100)),
    ("signer_name", sa.String(length=255)),
    ("report_recipients", sa.Text()),
)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for name, type_ in COLUMNS:
                batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for name, _type in reversed(COLUMNS):
                batch_op.drop_column(name)
