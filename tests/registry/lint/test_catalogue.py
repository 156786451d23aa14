"""The rule catalogue: complete, parseable, and `docs/rules.md` generated from it (CI fails
when the checked-in page is stale)."""

from __future__ import annotations

from pathlib import Path

import yaml

from registry.lint import RULES, rule_catalogue
from registry.lint.catalogue import main, render_markdown

PAGE = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_the_checked_in_rule_page_matches_the_rule_table() -> None:
    assert PAGE.read_text(encoding="utf-8") == render_markdown(), (
        "docs/rules.md is stale: run `python -m registry.lint docs/rules.md`"
    )


def test_every_rule_is_in_the_catalogue_with_text_and_examples() -> None:
    entries = rule_catalogue()
    assert [e.id for e in entries] == [r.id for r in RULES]
    for entry in entries:
        assert entry.severity in ("error", "warning", "info")
        assert entry.text_ja and entry.text_en and entry.source, entry.id
        assert entry.passing_example and entry.failing_example, entry.id
        assert entry.passing_example != entry.failing_example, entry.id
        for example in (entry.passing_example, entry.failing_example):
            yaml.safe_load(example)  # every example is YAML a provider can paste


def test_every_rule_has_a_section_on_the_page() -> None:
    page = render_markdown()
    for rule in RULES:
        assert f"\n### {rule.id}\n" in page
        assert f"[{rule.id}](#{rule.id.lower()})" in page


def test_the_check_command_reports_a_stale_page(tmp_path: Path) -> None:
    page = tmp_path / "rules.md"
    assert main(["--check", str(page)]) == 1
    assert main([str(page)]) == 0
    assert main(["--check", str(page)]) == 0
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main(["--check", str(page)]) == 1
