"""The notice outbox (one delivery per recipient and channel), app webhooks and subscriptions.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notice_deliveries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("change_id", sa.Integer(), sa.ForeignKey("change_log.id"), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("retry_from", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_notice_deliveries_due", "notice_deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_notice_deliveries_change", "notice_deliveries", ["change_id"])
    op.create_table(
        "app_webhooks",
        sa.Column(
            "client_id", sa.String(64), sa.ForeignKey("apps.client_id"), primary_key=True
        ),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "app_subscriptions",
        sa.Column(
            "client_id", sa.String(64), sa.ForeignKey("apps.client_id"), primary_key=True
        ),
        sa.Column("slug", sa.String(64), primary_key=True),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("app_subscriptions")
    op.drop_table("app_webhooks")
    op.drop_table("notice_deliveries")
