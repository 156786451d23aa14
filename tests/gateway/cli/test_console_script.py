"""The installed `tsunagu` console script end to end: a provider's session on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.gateway.cli.documents import GOOD, TITLE_JA

TSUNAGU = Path(sys.executable).with_name("tsunagu")
UPSTREAM = "https://upstream.example.go.jp/libraries"


class Script:
    """Runs the console script as a separate process with its own TSUNAGU_DATABASE_URL."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGU_")}
        self.env["TSUNAGU_DATABASE_URL"] = database_url

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(TSUNAGU), *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    def json(self, *args: str) -> Any:
        done = self(*args, "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def refused(self, code: int, *args: str) -> str:
        done = self(*args)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert "Traceback" not in done.stderr
        return lines[0]


def write_good(workdir: Path) -> Path:
    good = workdir / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    return good


def test_provider_session_on_sqlite(tmp_path: Path) -> None:
    """A handful of invocations; the refusals and edge cases run in process (CliRunner)."""
    db = tmp_path / "tsunagu.db"
    run = Script(f"sqlite:///{db}", tmp_path)
    good = write_good(tmp_path)
    add = ["provider", "add", "mlit", "--name-ja", "国土交通省", "--name-en", "MLIT"]
    assert run.json(*add, "--contact", "api@mlit.example.go.jp")["name_ja"] == "国土交通省"
    draft = run.json("api", "register", str(good), "--provider", "mlit", "--upstream", UPSTREAM)
    assert (draft["state"], draft["lint"]["errors"]) == ("draft", 0)
    slug = draft["slug"]
    assert run.json("api", "publish", slug, "v1")["title"] == TITLE_JA
    assert "nosuch/v1" in run.refused(2, "api", "publish", "nosuch", "v1")
    assert "sunset" in run.refused(2, "api", "deprecate", slug, "v1")  # a usage error

    owner = ["--name", "地図アプリ", "--owner", "dev@example.jp"]
    app = run.json("app", "create", *owner, "--scopes", slug)
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("tsunagu.db*"))
    assert app["client_id"].encode() in stored
    assert app["client_secret"].encode() not in stored

    rows = run.json("api", "list")
    assert [(r["slug"], r["state"], r["provider"]) for r in rows] == [(slug, "published", "mlit")]
    assert datetime.fromisoformat(rows[0]["published_at"]).utcoffset() is not None


@pytest.mark.postgres
def test_provider_session_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    run = Script(postgres_url, tmp_path)
    good = write_good(tmp_path)
    add = ["provider", "add", "mhlw", "--name-ja", "厚生労働省", "--name-en", "MHLW"]
    run.json(*add, "--contact", "api@mhlw.example.go.jp")
    target = ["--provider", "mhlw", "--upstream", UPSTREAM, "--slug", "clinics"]
    draft = run.json("api", "register", str(good), *target)
    assert (draft["slug"], draft["version"], draft["lint"]["errors"]) == ("clinics", "v1", 0)
    assert run.json("api", "publish", "clinics", "v1")["title"] == TITLE_JA
    rows = run.json("api", "list")
    assert [(r["slug"], r["state"]) for r in rows] == [("clinics", "published")]
