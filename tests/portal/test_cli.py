"""`tsunagu portal build [--out DIR]` as the console script (CONTRACT.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.harness import cli

pytestmark = pytest.mark.xdist_group("portal")


def test_build_writes_the_site_and_replaces_an_earlier_build(tmp_path: Path) -> None:
    env = {"TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    out = tmp_path / "site"
    first = json.loads(cli(env, "portal", "build", "--out", str(out), "--format", "json").stdout)
    assert first["site"] == str(out.resolve()) and first["pages"] > 0
    assert (out / "index.html").is_file() and (out / "en" / "index.html").is_file()
    assert (out / "errors" / "index.html").is_file()
    home = (out / "index.html").read_text()
    assert "公開中の API はまだありません。" in home
    cli(env, "portal", "build", "--out", str(out))
    assert (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("kind", ["directory", "file"])
def test_build_never_replaces_something_that_is_not_a_site(tmp_path: Path, kind: str) -> None:
    env = {"TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    out = tmp_path / "precious"
    if kind == "directory":
        out.mkdir()
        (out / "notes.txt").write_text("keep me")
    else:
        out.write_text("keep me")
    result = cli(env, "portal", "build", "--out", str(out), check=False)
    assert result.returncode == 1
    assert (
        result.stderr.startswith(("エラー: ", "error: "))
        and len(result.stderr.strip().splitlines()) == 1
    )
    kept = out / "notes.txt" if kind == "directory" else out
    assert kept.read_text() == "keep me"


def test_bad_settings_are_bad_input(tmp_path: Path) -> None:
    env = {"TSUNAGU_DATABASE_URL": "mysql://nobody@127.0.0.1/x"}
    result = cli(env, "portal", "build", "--out", str(tmp_path / "s"), check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(("エラー: ", "error: "))
