"""The routes' own generation: credential changes (apps, keys, revocations) no longer reload routes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "registry_state",
        sa.Column("routes_generation", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.execute("UPDATE registry_state SET routes_generation = generation")


def downgrade() -> None:
    with op.batch_alter_table("registry_state") as batch:
        batch.drop_column("routes_generation")
