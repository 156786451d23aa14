"""Helpers for the CLI tests: an in-process runner bound to a database, stderr checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from gateway.cli import build_cli


@dataclass
class Cli:
    """Runs `tsunagu` in process against one database URL."""

    database_url: str

    def __call__(self, *args: str, lang: str | None = None) -> Result:
        """`lang` sets LC_ALL for the run (None: the runner's own locale)."""
        env = {"TSUNAGU_DATABASE_URL": self.database_url}
        if lang is not None:
            env["LC_ALL"] = lang
        result = CliRunner().invoke(build_cli(), list(args), env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # an uncaught error would be a traceback for the user
        return result

    def json(self, *args: str) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


def one_error_line(result: Result) -> str:
    """The single stderr line a refused or bad command prints (and nothing on stdout)."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(("エラー: ", "error: ")), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]
