"""docs/errors.md is generated from the catalogue and must not go stale."""

from __future__ import annotations

from pathlib import Path

from registry.problem_docs import NOTES, render
from registry.problems import CATALOGUE

DOC = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def test_docs_errors_md_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/errors.md is stale: run `.venv/bin/python -m registry.problem_docs > docs/errors.md`"
    )


def test_every_code_has_an_anchor_and_notes_name_real_codes() -> None:
    page = render()
    for code in CATALOGUE:
        assert f"\n## {code}\n" in page
    assert set(NOTES) <= set(CATALOGUE)
