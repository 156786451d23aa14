"""`api register` on a published version, `api brownout` and `api show` in process: outputs,
exit codes, the breaking-change lines, and times in Japan time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from registry.clock import JAPAN
from tests.gateway.cli.helpers import Cli, one_error_line

UPSTREAM = "https://upstream.example.go.jp/libraries"


@pytest.fixture
def deprecated(cli: Cli, docs: dict[str, Path], tmp_path: Path) -> str:
    """libraries v1 deprecated (sunset 200 days away) in favour of v2; returns the sunset day."""
    cli.json(
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
    v2 = tmp_path / "v2.yaml"
    v2.write_text(docs["good"].read_text(encoding="utf-8").replace("1.2.0", "2.0.0"), "utf-8")
    for doc, version in ((docs["good"], "v1"), (v2, "v2")):
        cli.json("api", "register", str(doc), "--provider", "mext", "--upstream", UPSTREAM)
        cli.json("api", "publish", "libraries", version)
    sunset = (datetime.now(JAPAN) + timedelta(days=200)).date().isoformat()
    cli.json("api", "deprecate", "libraries", "v1", "--sunset", sunset, "--successor", "v2")
    return sunset


def test_show_prints_the_sunset_in_japan_time(cli: Cli, deprecated: str) -> None:
    shown = cli.json("api", "show", "libraries", "v1")
    assert shown["sunset"] == f"{deprecated}T00:00:00+09:00"
    assert shown["successor"] == "v2" and shown["brownouts"] == []
    text = cli("api", "show", "libraries", "v1").stdout.splitlines()
    assert f"sunset: {deprecated}T00:00:00+09:00" in text
    table = cli("api", "list").stdout
    assert f"{deprecated}T00:00:00+09:00" in table and "+00:00" not in table


def test_a_brownout_is_scheduled_and_listed(cli: Cli, deprecated: str) -> None:
    start = (datetime.now(JAPAN) + timedelta(days=8)).replace(hour=10, minute=0)
    shown = cli.json(
        "api",
        "brownout",
        "libraries",
        "v1",
        "--start",
        start.strftime("%Y-%m-%d %H:%M"),
        "--minutes",
        "30",
    )
    day = start.date().isoformat()
    assert shown["brownouts"] == [
        {"start": f"{day}T10:00:00+09:00", "end": f"{day}T10:30:00+09:00"}
    ]
    (row,) = [r for r in cli.json("api", "list") if r["version"] == "v1"]
    assert row["brownouts"] == shown["brownouts"]
    assert f"{day} 10:00–10:30" in cli("api", "list").stdout


def test_brownout_refusals_are_one_line_each(cli: Cli, deprecated: str) -> None:
    soon = (datetime.now(JAPAN) + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    result = cli(
        "api", "brownout", "libraries", "v1", "--start", soon, "--minutes", "30", lang="en_US.UTF-8"
    )
    assert result.exit_code == 1
    assert one_error_line(result).endswith("(brownout-too-soon)")
    result = cli(
        "api", "brownout", "libraries", "v1", "--start", "2030-01-01T10:00", "--minutes", "30"
    )
    assert result.exit_code == 2
    assert one_error_line(result).endswith("（brownout-invalid）")
    later = (datetime.now(JAPAN) + timedelta(days=9)).strftime("%Y-%m-%d %H:%M")
    result = cli("api", "brownout", "libraries", "v2", "--start", later, "--minutes", "30")
    assert result.exit_code == 1
    assert one_error_line(result).endswith("（wrong-state）")


def test_a_breaking_registration_lists_each_change(
    cli: Cli, docs: dict[str, Path], deprecated: str, tmp_path: Path
) -> None:
    text = docs["good"].read_text(encoding="utf-8")
    breaking = tmp_path / "breaking.yaml"
    breaking.write_text(
        text.replace(
            "schema: {type: integer, default: 20, maximum: 100}",
            "schema: {type: integer, default: 20, maximum: 50}",
        ),
        "utf-8",
    )
    args = ("api", "register", str(breaking), "--provider", "mext", "--upstream", UPSTREAM)
    result = cli(*args, lang="en_US.UTF-8")
    assert result.exit_code == 1 and result.stdout == ""
    head, *lines = result.stderr.splitlines()
    assert head.startswith("error: ") and head.endswith("(breaking-change)")
    assert "register it as v2" in head
    assert lines == [
        "  /paths/~1libraries/get/parameters/0/schema/maximum: GET /libraries parameter "
        "limit (query): maximum was tightened from 100 to 50 (request-constraint-narrowed)"
    ]
    compatible = tmp_path / "compatible.yaml"
    compatible.write_text(
        text.replace("summary: 図書館の一覧", "summary: 公共図書館の一覧"), "utf-8"
    )
    out = cli.json("api", "register", str(compatible), "--provider", "mext", "--upstream", UPSTREAM)
    assert (out["state"], out["version"]) == ("deprecated", "v1")
    assert [(c["kind"], c["pointer"]) for c in out["changes"]] == [
        ("text-changed", "/paths/~1libraries/get/summary")
    ]
    again = cli("api", "register", str(compatible), "--provider", "mext", "--upstream", UPSTREAM)
    assert again.stdout.splitlines()[0] == "registered libraries v1 (deprecated)"
