"""`tsunagu app webhook|subscribe`, `tsunagu notices list|retry`, `api deprecate` again."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gateway.cli import build_cli
from registry.models import UsageRow
from registry.store import open_store
from tests.gateway.cli.helpers import Cli, one_error_line
from tests.gateway.cli.test_registry_commands import in_days, provider, register

__all__ = ["provider"]  # the fixture, used by name below


def published_with_app(cli: Cli, docs: dict[str, Path], provider: str) -> str:
    register(cli, docs["good"], provider)
    cli.json("api", "publish", "libraries", "v1")
    app = cli.json(
        "app", "create", "--name", "A", "--owner", "a@example.jp", "--scopes", "libraries"
    )
    return str(app["client_id"])


def test_webhook_prints_its_secret_and_refuses_unsafe_urls(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    client_id = published_with_app(cli, docs, provider)
    out = cli.json("app", "webhook", client_id, "--url", "https://hooks.example.jp/t")
    assert out["secret"].startswith("whsec_") and out["url"] == "https://hooks.example.jp/t"
    refused = cli("app", "webhook", client_id, "--url", "http://hooks.example.jp/t")
    assert refused.exit_code == 2
    assert one_error_line(refused).endswith("（invalid-webhook-url）")
    missing = cli("app", "webhook", "tsu_nobody", "--url", "https://hooks.example.jp/t")
    assert "app-not-found" in one_error_line(missing)


def test_subscribe_then_deprecate_queues_a_notice_that_can_be_listed_and_retried(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    client_id = published_with_app(cli, docs, provider)
    assert cli.json("app", "subscribe", client_id, "libraries")["new"] is True
    cli.json("api", "deprecate", "libraries", "v1", "--sunset", in_days(200))
    [notice] = cli.json("notices", "list", "--state", "pending")
    assert notice["recipient"] == "a@example.jp"
    assert notice["kind"] == "api.version.deprecated"
    assert cli.json("notices", "list", "--state", "sent") == []
    assert cli.json("notices", "retry", notice["id"])["state"] == "pending"
    table = cli("notices", "list")
    assert table.exit_code == 0 and notice["id"] in table.stdout
    unknown = cli("notices", "retry", "ntc_nothing")
    assert unknown.exit_code == 2 and "notice-not-found" in one_error_line(unknown)


def test_deprecate_again_moves_the_sunset_later_only(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    client_id = published_with_app(cli, docs, provider)
    store = open_store(cli.database_url)
    try:
        store.add_usage(
            [
                UsageRow(
                    client_id=client_id,
                    slug="libraries",
                    version="v1",
                    count=1,
                    last_call=store.clock(),
                )
            ]
        )
    finally:
        store.dispose()
    cli.json("api", "deprecate", "libraries", "v1", "--sunset", in_days(200), "--note", "n1")
    moved = cli.json("api", "deprecate", "libraries", "v1", "--sunset", in_days(230))
    assert moved["note"] == "n1"  # what is left out stays
    earlier = cli("api", "deprecate", "libraries", "v1", "--sunset", in_days(210))
    assert earlier.exit_code == 1
    assert one_error_line(earlier).endswith("（sunset-earlier）")
    kinds = [n["kind"] for n in cli.json("notices", "list")]
    assert kinds == ["api.version.sunset_moved", "api.version.deprecated"]


def test_serve_refuses_a_bad_smtp_url_in_one_line(sqlite_url: str) -> None:
    env = {"TSUNAGU_DATABASE_URL": sqlite_url, "TSUNAGU_SMTP_URL": "http://mail.example.jp"}
    result = CliRunner().invoke(build_cli(), ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2
    assert one_error_line(result).endswith("（invalid-setting）")


def test_an_empty_outbox_says_so_in_both_languages(cli: Cli) -> None:
    listed = cli("notices", "list")
    assert listed.exit_code == 0
    assert listed.stdout == "お知らせはありません / no notices\n"
    assert cli.json("notices", "list") == []
