"""The registry commands in process: outputs, exit codes and one-line reasons."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from registry.demo_apis import DEMO_DOCUMENTS
from registry.models import UsageRow, sunset_instant
from registry.service import RegistryService
from registry.settings import load_settings
from registry.store import open_store
from tests.gateway.cli.documents import TITLE_JA
from tests.gateway.cli.helpers import Cli, one_error_line
from tests.services import free_port

UPSTREAM = "https://upstream.example.go.jp/libraries"


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


@pytest.fixture
def provider(cli: Cli) -> str:
    added = cli.json(
        "provider",
        "add",
        "mext",
        "--name-ja",
        "文部科学省",
        "--name-en",
        "MEXT",
        "--contact",
        "api@mext.example.go.jp",
    )
    assert added["id"] == "mext"
    assert added["name_ja"] == "文部科学省"
    return "mext"


def register(cli: Cli, doc: Path, provider: str, slug: str = "libraries") -> dict[str, object]:
    out = cli.json(
        "api",
        "register",
        str(doc),
        "--provider",
        provider,
        "--upstream",
        UPSTREAM,
        "--slug",
        slug,
    )
    assert isinstance(out, dict)
    return out


def test_register_prints_the_draft_and_its_lint_counts(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    out = register(cli, docs["bad"], provider)
    assert out.keys() == {"slug", "version", "state", "lint"}
    assert (out["slug"], out["version"], out["state"]) == ("libraries", "v1", "draft")
    lint = out["lint"]
    assert isinstance(lint, dict)
    assert lint.keys() == {"score", "errors", "warnings"}
    assert lint["errors"] >= 1


def test_publish_is_refused_while_lint_errors_exist(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    register(cli, docs["bad"], provider)
    refused = cli("api", "publish", "libraries", "v1", lang="ja_JP.UTF-8")
    assert refused.exit_code == 1
    line = one_error_line(refused)
    assert line.startswith("エラー: libraries/v1 には未解決のリントエラー")
    assert line.endswith("（lint-errors）")
    english = cli("api", "publish", "libraries", "v1", lang="en_US.UTF-8")
    assert english.exit_code == 1
    line = one_error_line(english)
    assert line.startswith("error: Cannot publish libraries/v1: unresolved lint errors ")
    assert line.endswith("(lint-errors)")
    register(cli, docs["good"], provider)  # replaces the draft
    published = cli.json("api", "publish", "libraries", "v1")
    assert published["state"] == "published"
    assert published["title"] == TITLE_JA
    assert published["published_at"] is not None


def test_deprecate_needs_the_notice_period_and_a_real_date(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    register(cli, docs["good"], provider)
    cli.json("api", "publish", "libraries", "v1")
    too_close = cli("api", "deprecate", "libraries", "v1", "--sunset", in_days(10))
    assert too_close.exit_code == 1
    one_error_line(too_close)
    for bad in ("2027-02-30", "next year", "20270101"):
        result = cli("api", "deprecate", "libraries", "v1", "--sunset", bad)
        assert result.exit_code == 2, bad
        assert "YYYY-MM-DD" in one_error_line(result)
    out = cli.json(
        "api",
        "deprecate",
        "libraries",
        "v1",
        "--sunset",
        in_days(200),
        "--note",
        "v2へ移行してください",
    )
    assert out["state"] == "deprecated"
    sunset = datetime.fromisoformat(out["sunset"])
    assert sunset == sunset_instant(date.fromisoformat(in_days(200)))
    assert out["note"] == "v2へ移行してください"


def test_list_shows_every_version_in_json_and_as_a_table(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    assert cli.json("api", "list") == []
    register(cli, docs["good"], provider)
    register(cli, docs["bad"], provider, slug="archive")
    cli.json("api", "publish", "libraries", "v1")
    rows = cli.json("api", "list")
    by_slug = {r["slug"]: r for r in rows}
    assert set(by_slug) == {"libraries", "archive"}
    assert all(
        r.keys() == {"slug", "version", "state", "provider", "published_at", "sunset", "brownouts"}
        for r in rows
    )
    assert by_slug["archive"]["state"] == "draft"
    assert by_slug["archive"]["published_at"] is None
    published_at = datetime.fromisoformat(by_slug["libraries"]["published_at"])
    assert published_at.utcoffset() == timedelta(hours=9)  # Japan time, as a person reads it
    text = cli("api", "list").stdout.splitlines()
    headers = ["SLUG", "VERSION", "STATE", "PROVIDER", "PUBLISHED", "SUNSET", "BROWNOUTS"]
    assert text[0].split() == headers
    assert any(line.split()[:3] == ["archive", "v1", "draft"] for line in text[1:])


def test_waivers_let_an_operator_publish_despite_an_error(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    out = register(cli, docs["http_server"], provider)
    assert out["lint"]["errors"] >= 1  # type: ignore[index]
    report = json.loads(cli("lint", str(docs["http_server"]), "--format", "json").stdout)
    rules = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
    assert rules == {"ATG-SEC-01"}
    assert cli("api", "publish", "libraries", "v1").exit_code == 1
    waived = cli.json(
        "api",
        "waive",
        "libraries",
        "v1",
        "--rule",
        "ATG-SEC-01",
        "--reason",
        "内部網のみで提供（移行期間中）",
    )
    assert [w["rule"] for w in waived["waivers"]] == ["ATG-SEC-01"]
    assert cli.json("api", "publish", "libraries", "v1")["state"] == "published"


def test_retire_ends_the_lifecycle(cli: Cli, docs: dict[str, Path], provider: str) -> None:
    register(cli, docs["good"], provider)
    cli.json("api", "publish", "libraries", "v1")
    cli.json("api", "deprecate", "libraries", "v1", "--sunset", in_days(200))
    retired = cli.json("api", "retire", "libraries", "v1")
    assert retired["state"] == "retired"
    assert retired["retired_at"] is not None
    assert cli("api", "publish", "libraries", "v1").exit_code == 1


def test_app_create_prints_the_secret_once(cli: Cli, docs: dict[str, Path], provider: str) -> None:
    register(cli, docs["good"], provider)
    cli.json("api", "publish", "libraries", "v1")
    app = cli.json(
        "app",
        "create",
        "--name",
        "図書館マップ",
        "--owner",
        "dev@example.jp",
        "--scopes",
        "libraries",
    )
    assert app.keys() == {"client_id", "client_secret", "scopes", "sandbox"}
    assert app["scopes"] == ["libraries"]
    assert app["sandbox"] is False
    assert len(app["client_secret"]) >= 32
    empty = cli.json(
        "app", "create", "--name", "x", "--owner", "dev@example.jp", "--scopes", "", "--sandbox"
    )
    assert empty["scopes"] == []
    assert empty["sandbox"] is True
    assert empty["client_id"] != app["client_id"]
    text = cli("app", "create", "--name", "y", "--owner", "dev@example.jp", "--scopes", "")
    assert "client_secret: " in text.stdout
    assert "only this once" in text.stdout


def test_unknown_things_are_bad_input(cli: Cli, docs: dict[str, Path], provider: str) -> None:
    cases = [
        ("api", "publish", "nosuch", "v1"),
        ("api", "retire", "nosuch", "v1"),
        ("api", "consumers", "nosuch", "v1"),
        ("api", "register", str(docs["good"]), "--provider", "nobody", "--upstream", UPSTREAM),
        (
            "api",
            "register",
            str(docs["good"].with_name("gone.yaml")),
            "--provider",
            provider,
            "--upstream",
            UPSTREAM,
        ),
    ]
    for args in cases:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        one_error_line(result)


def test_unreachable_database_is_one_line_exit_2(docs: dict[str, Path]) -> None:
    cli = Cli(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2")
    result = cli("api", "list")
    assert result.exit_code == 2
    assert one_error_line(result).endswith("（store-unavailable）")


def test_consumers_lists_apps_that_called_a_version(
    cli: Cli, docs: dict[str, Path], provider: str
) -> None:
    register(cli, docs["good"], provider)
    cli.json("api", "publish", "libraries", "v1")
    assert cli.json("api", "consumers", "libraries", "v1") == []
    owner = ["--name", "図書館マップ", "--owner", "dev@example.jp"]
    app = cli.json("app", "create", *owner, "--scopes", "libraries")
    last_call = datetime.now(UTC).replace(microsecond=0)
    row = UsageRow(
        client_id=app["client_id"],
        slug="libraries",
        version="v1",
        count=3,
        last_call=last_call,
        statuses={"2xx": 2, "5xx": 1},
    )
    store = open_store(cli.database_url)
    try:
        RegistryService(store, load_settings(database_url=cli.database_url)).record_usage([row])
    finally:
        store.dispose()
    rows = cli.json("api", "consumers", "libraries", "v1")
    assert rows == [
        {
            "client_id": app["client_id"],
            "app": "図書館マップ",
            "owner": "dev@example.jp",
            "last_call": rows[0]["last_call"],
            "count": 3,
            "statuses": {"2xx": 2, "3xx": 0, "4xx": 0, "429": 0, "5xx": 1},
        }
    ]
    assert datetime.fromisoformat(rows[0]["last_call"]) == last_call
    text = cli("api", "consumers", "libraries", "v1").stdout.splitlines()
    headers = ["CLIENT_ID", "APP", "OWNER", "LAST_CALL", "COUNT", "2xx", "3xx", "4xx", "429", "5xx"]
    assert text[0].split() == headers
    assert text[1].split()[:3] == [app["client_id"], "図書館マップ", "dev@example.jp"]
    assert text[1].split()[-6:] == ["3", "2", "0", "0", "0", "1"]


def test_bare_groups_print_their_help(cli: Cli) -> None:
    for args, command in (((), "provider"), (("api",), "deprecate"), (("app",), "create")):
        result = cli(*args)
        assert result.exit_code == 0, args
        assert command in result.stdout


def test_app_api_key_for_an_open_data_api(cli: Cli, provider: str) -> None:
    postal = next(p for p in DEMO_DOCUMENTS if p.stem == "postal")
    cli.json(
        "api",
        "register",
        str(postal),
        "--provider",
        provider,
        "--upstream",
        "https://postal.example.go.jp/v1",
    )
    cli.json("api", "publish", "postal", "v1")
    app = cli.json(
        "app", "create", "--name", "地図", "--owner", "dev@example.jp", "--scopes", "postal"
    )
    issued = cli.json("app", "api-key", app["client_id"], "--apis", "postal")
    assert issued["client_id"] == app["client_id"] and issued["apis"] == ["postal"]
    assert len(issued["api_key"]) >= 40
    unknown = cli("app", "api-key", "tsu_nobody", "--apis", "postal")
    assert unknown.exit_code == 2
    assert one_error_line(unknown)
