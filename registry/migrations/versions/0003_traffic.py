"""Hourly traffic roll-ups per API version and app, and problem codes per version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)
COUNTS = (
    "requests",
    "status_2xx",
    "status_3xx",
    "status_4xx",
    "status_5xx",
    "ratelimited",
    "upstream_errors",
    *(f"latency_le_{b}" for b in (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)),
    "latency_over",
)


def upgrade() -> None:
    op.create_table(
        "traffic",
        sa.Column("slug", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(16), primary_key=True),
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("grain", sa.String(4), primary_key=True),
        sa.Column("start", TS, primary_key=True),
        sa.Column("last_call", TS, nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0") for name in COUNTS),
    )
    op.create_index("ix_traffic_start", "traffic", ["start"])
    op.create_table(
        "traffic_errors",
        sa.Column("slug", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(16), primary_key=True),
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("grain", sa.String(4), primary_key=True),
        sa.Column("start", TS, primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_traffic_errors_start", "traffic_errors", ["start"])


def downgrade() -> None:
    op.drop_table("traffic_errors")
    op.drop_table("traffic")
