"""minutes people: who chaired a conference and who took its minutes, as the chair names them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conference", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("chaired_by", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True)
        )
        batch_op.add_column(
            sa.Column("minutes_by", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("conference", schema=None) as batch_op:
        batch_op.drop_column("minutes_by")
        batch_op.drop_column("chaired_by")
