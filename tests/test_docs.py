"""Documentation claims that can be checked are checked: `make` targets the docs name exist,
relative links resolve, every ADR is listed in `docs/internals.md`, and nothing points to
design files outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
        ROOT / "load_tests" / "README.md",
        *(ROOT / "docs").rglob("*.md"),
        *(ROOT / "portal" / "content").rglob("*.md"),
    ]
)
# The portal's guides link to pages of the built site (`tokens.md` is `tokens.ja.md` or
# `tokens.en.md` there); `mkdocs build --strict` checks those links when the portal is built.
REPOSITORY_DOCS = [d for d in DOCS if not d.is_relative_to(ROOT / "portal")]
TEXT_SUFFIXES = {".md", ".py", ".toml", ".yml", ".yaml", ".cfg", ".ini", ".txt", ".html"}
SOURCE_DIRS = ("docs", "gateway", "registry", "portal", "load_tests", "tests", "deploy", ".ci")

_INLINE_MAKE = re.compile(r"`(?:\$ )?make ([a-z][\w.-]*)[^`]*`")
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)
_BLOCK_MAKE = re.compile(r"^\s*(?:\$ )?make ([a-z][\w.-]*)", re.MULTILINE)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_TARGET = re.compile(r"^([a-z][\w.-]*):", re.MULTILINE)


def makefile_targets() -> set[str]:
    return set(_TARGET.findall((ROOT / "Makefile").read_text(encoding="utf-8")))


def make_commands(text: str) -> set[str]:
    """Targets of `make X` in inline code and at the start of lines in fenced code blocks."""
    named = set(_INLINE_MAKE.findall(text))
    for block in _FENCE.findall(text):
        named |= set(_BLOCK_MAKE.findall(block))
    return named


def relative_links(text: str) -> list[str]:
    """Markdown link targets that point into the repository (no scheme, not just an anchor)."""
    targets = [t for t in _LINK.findall(text) if not re.match(r"[a-z][a-z+.-]*:", t)]
    return [t.split("#", 1)[0] for t in targets if not t.startswith("#")]


def test_the_checks_find_what_they_look_for() -> None:
    sample = "Run `make run PORT=8080`, make sure it works.\n```sh\nmake test\n```\n"
    assert make_commands(sample) == {"run", "test"}
    links = relative_links("[a](docs/x.md#y) [b](https://e.jp) [c](#z) [d](../e.md)")
    assert links == ["docs/x.md", "../e.md"]
    assert {"run", "test", "portal", "bench"} <= makefile_targets()


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_make_target_a_doc_names_exists(doc: Path) -> None:
    missing = make_commands(doc.read_text(encoding="utf-8")) - makefile_targets()
    assert not missing, f"{doc.relative_to(ROOT)} names make targets the Makefile lacks"


@pytest.mark.parametrize("doc", REPOSITORY_DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(doc: Path) -> None:
    for target in relative_links(doc.read_text(encoding="utf-8")):
        if not target:
            continue
        resolved = (doc.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{doc.relative_to(ROOT)} links outside: {target}"
        assert resolved.exists(), f"{doc.relative_to(ROOT)} links to a missing {target}"


def test_every_adr_is_listed_in_internals() -> None:
    internals = (ROOT / "docs" / "internals.md").read_text(encoding="utf-8")
    adrs = sorted((ROOT / "docs" / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert adrs
    unlisted = [adr.name for adr in adrs if f"(adr/{adr.name})" not in internals]
    assert not unlisted, f"docs/internals.md does not list {unlisted}"


def test_nothing_points_to_design_files_outside_the_repository() -> None:
    outside = "../" + "shared"  # spelled in two parts so this file does not match itself
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "Makefile"]
    for name in SOURCE_DIRS:
        files += [p for p in (ROOT / name).rglob("*") if p.suffix in TEXT_SUFFIXES]
    offenders = [
        str(p.relative_to(ROOT))
        for p in files
        if p.is_file() and outside in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert not offenders, f"these mention {outside}: {offenders}"
