"""The first registry schema: providers, APIs, versions, waivers, change log, apps, keys, usage.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)

APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER change_log_no_{op} BEFORE {OP} ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END"
)
APPEND_ONLY_PG_FUNCTION = """
CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'change_log is append-only';
END $$
"""
APPEND_ONLY_PG_TRIGGER = (
    "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
    "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()"
)


def upgrade() -> None:
    _catalogue()
    _accounts()
    _keys_and_state()
    _append_only_change_log()


def _catalogue() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "apis",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("provider_id", sa.String(64), sa.ForeignKey("providers.id"), nullable=False),
        sa.Column("listing", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_apis_provider_id", "apis", ["provider_id"])
    op.create_table(
        "api_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("api_id", sa.Integer(), sa.ForeignKey("apis.id"), nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("upstream_url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("lint_report", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("deprecated_at", TS, nullable=True),
        sa.Column("sunset_at", TS, nullable=True),
        sa.Column("retired_at", TS, nullable=True),
        sa.Column("successor", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("per_minute", sa.Integer(), nullable=False),
        sa.Column("per_day", sa.Integer(), nullable=False),
        sa.Column("sandbox_per_minute", sa.Integer(), nullable=False),
        sa.Column("fail_closed", sa.Boolean(), nullable=False),
        sa.Column("open_data", sa.Boolean(), nullable=False),
        sa.Column("write_scope", sa.Boolean(), nullable=False),
        sa.Column("cors_origins", sa.JSON(), nullable=False),
        sa.Column("connect_timeout", sa.Float(), nullable=True),
        sa.Column("read_timeout", sa.Float(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("api_id", "version", name="uq_api_versions_api_version"),
    )
    op.create_index("ix_api_versions_state", "api_versions", ["state"])
    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("api_versions.id"), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.Text(), nullable=False),
        sa.Column("granted_at", TS, nullable=False),
        sa.UniqueConstraint("version_id", "rule", name="uq_waivers_version_rule"),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(160), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_change_log_target", "change_log", ["target"])


def _accounts() -> None:
    op.create_table(
        "apps",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("sandbox", sa.Boolean(), nullable=False),
        sa.Column("secret_hash", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_hash", sa.String(128), primary_key=True),
        sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id"), nullable=False),
        sa.Column("slugs", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_api_keys_client_id", "api_keys", ["client_id"])
    op.create_table(
        "usage",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("slug", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(16), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("last_call", TS, nullable=False),
    )


def _keys_and_state() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("alg", sa.String(8), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("activates_at", TS, nullable=False),
        sa.Column("retires_at", TS, nullable=True),
        sa.Column("expires_at", TS, nullable=True),
    )
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sa.String(128), primary_key=True),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_revoked_tokens_expires_at", "revoked_tokens", ["expires_at"])
    state = op.create_table(
        "registry_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("generation", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "generation": 0}])


def _append_only_change_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_PG_FUNCTION)
        op.execute(APPEND_ONLY_PG_TRIGGER)
    else:
        op.execute(APPEND_ONLY_SQLITE.format(op="update", OP="UPDATE"))
        op.execute(APPEND_ONLY_SQLITE.format(op="delete", OP="DELETE"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER change_log_append_only ON change_log")
        op.execute("DROP FUNCTION change_log_append_only()")
    for table in (
        "registry_state", "revoked_tokens", "signing_keys", "usage", "api_keys", "apps",
        "change_log", "waivers", "api_versions", "apis", "providers",
    ):
        op.drop_table(table)
