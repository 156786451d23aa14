"""`tsunagu lint`: exit 0/1/2 and the JSON report shape (CONTRACT.md)."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.cli import read_file
from registry.intake.limits import MAX_BYTES
from tests.gateway.cli.helpers import Cli, one_error_line

FINDING_KEYS = {"rule", "severity", "path", "message_ja", "message_en"}


def test_conformant_document_exits_0_with_a_json_report(cli: Cli, docs: dict[str, Path]) -> None:
    result = cli("lint", str(docs["good"]), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == 0
    assert 0 <= report["score"] <= 100
    assert isinstance(report["warnings"], int)
    for finding in report["findings"]:
        assert finding.keys() >= FINDING_KEYS
        assert finding["severity"] != "error"


def test_error_findings_exit_1_and_name_rules(cli: Cli, docs: dict[str, Path]) -> None:
    result = cli("lint", str(docs["bad"]), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert report["errors"] >= 1
    assert errors
    assert all(f["rule"].startswith(("ATG-", "REG-", "DM-")) for f in errors)
    assert all(f["path"] == "" or f["path"].startswith("/") for f in errors)


def test_text_form_lists_findings_with_both_languages(cli: Cli, docs: dict[str, Path]) -> None:
    result = cli("lint", str(docs["bad"]))
    assert result.exit_code == 1
    report = json.loads(cli("lint", str(docs["bad"]), "--format", "json").stdout)
    first = next(f for f in report["findings"] if f["severity"] == "error")
    assert f"{report['errors']} errors" in result.stdout
    assert first["rule"] in result.stdout
    assert first["message_ja"] in result.stdout
    assert first["message_en"] in result.stdout


def test_parseable_non_openapi_is_a_doc_01_finding(cli: Cli, docs: dict[str, Path]) -> None:
    result = cli("lint", str(docs["not_openapi"]), "--format", "json")
    assert result.exit_code == 1
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "ATG-DOC-01" in rules


def test_unreadable_or_unparseable_files_exit_2(
    cli: Cli, docs: dict[str, Path], tmp_path: Path
) -> None:
    for path in (tmp_path / "missing.yaml", docs["broken"], tmp_path):
        result = cli("lint", str(path), "--format", "json")
        assert result.exit_code == 2, path
        assert result.stdout == ""
        one_error_line(result)


def test_unknown_format_is_a_usage_error(cli: Cli, docs: dict[str, Path]) -> None:
    assert cli("lint", str(docs["good"]), "--format", "xml").exit_code == 2


def test_a_huge_file_is_refused_without_reading_it_whole(cli: Cli, tmp_path: Path) -> None:
    """The CLI read the whole file before the 5 MiB check (a 3 GiB file took 3 GiB of RAM)."""
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:
        out.truncate(64 * 1024 * 1024)  # sparse: no disk space used
    assert len(read_file(huge)) == MAX_BYTES + 1
    result = cli("lint", str(huge), lang="ja_JP.UTF-8")
    assert result.exit_code == 2
    assert one_error_line(result) == (
        "エラー: OpenAPI文書を受け付けられません：文書が 5 MiB を超えています（invalid-document）"
    )
    english = cli("lint", str(huge), lang="en_US.UTF-8")
    assert "larger than 5 MiB (invalid-document)" in one_error_line(english)
