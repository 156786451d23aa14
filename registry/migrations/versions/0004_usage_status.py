"""Usage counts by status class: `api consumers` counts every authenticated call (429 and 5xx
included) and breaks it down into 2xx, 3xx, 4xx, 429 and 5xx.

Rows counted before this revision keep their count; their breakdown stays 0 (their calls were
the ones the gateway did not refuse itself, whose classes were not recorded).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS = ("status_2xx", "status_3xx", "status_4xx", "status_429", "status_5xx")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column(
            "usage", sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("usage") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
