"""a cluster's membership by year: since_year and until_year of each unit's membership

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clusterunit") as batch:
        batch.add_column(sa.Column("since_year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("until_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clusterunit") as batch:
        batch.drop_column("until_year")
        batch.drop_column("since_year")
