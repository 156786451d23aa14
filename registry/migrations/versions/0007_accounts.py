"""Developer self-service: accounts, sessions, e-mail tokens, log-in failures, access requests,
and on apps their owning account, the rotated secret's overlap and deletion time.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "developers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("terms_version", sa.String(32), nullable=False),
        sa.Column("terms_accepted_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("verified_at", TS, nullable=True),
    )
    for name, extra in (
        ("developer_sessions", [sa.Column("created_at", TS, nullable=False)]),
        ("developer_tokens", [sa.Column("purpose", sa.String(16), nullable=False)]),
    ):
        op.create_table(
            name,
            sa.Column("token_hash", sa.String(128), primary_key=True),
            sa.Column(
                "developer_id",
                sa.String(32),
                sa.ForeignKey("developers.id", ondelete="CASCADE"),
                nullable=False,
            ),
            *extra,
            sa.Column("expires_at", TS, nullable=False),
        )
        op.create_index(f"ix_{name}_developer_id", name, ["developer_id"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", TS, nullable=False),
    )
    op.create_table(
        "access_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id"), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("developer_id", sa.String(32), nullable=True),
        sa.Column("use_description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    for column in ("client_id", "slug", "developer_id", "state"):
        op.create_index(f"ix_access_requests_{column}", "access_requests", [column])
    with op.batch_alter_table("apps") as batch:
        batch.add_column(sa.Column("developer_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("previous_secret_hash", sa.String(128), nullable=True))
        batch.add_column(sa.Column("previous_secret_until", TS, nullable=True))
        batch.add_column(sa.Column("deleted_at", TS, nullable=True))
    op.create_index("ix_apps_developer_id", "apps", ["developer_id"])


def downgrade() -> None:
    op.drop_index("ix_apps_developer_id", "apps")
    with op.batch_alter_table("apps") as batch:
        for column in ("deleted_at", "previous_secret_until", "previous_secret_hash"):
            batch.drop_column(column)
        batch.drop_column("developer_id")
    for name in ("access_requests", "login_failures", "developer_tokens", "developer_sessions"):
        op.drop_table(name)
    op.drop_table("developers")
