"""The error catalogue: typed codes, both languages, templates that agree, and every code used."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from registry.problems import CATALOGUE, ProblemCode, ProblemKind, Text

ROOT = Path(__file__).resolve().parents[2]
# Calls whose first argument is a problem code, and methods whose second argument is one.
CODE_FIRST = {
    "Refusal",
    "RegistryError",
    "InvalidInput",
    "NotFound",
    "Refused",
    "Forbidden",
    "Conflict",
    "StoreUnavailable",
    "_Failure",
    "reply",
    "problem_response",
}
CODE_SECOND = {"refuse", "problem_response"}
CODE_THIRD = {"InvalidToken"}


def test_the_literal_type_lists_exactly_the_catalogue() -> None:
    assert list(get_args(ProblemCode)) == list(CATALOGUE)


@pytest.mark.parametrize("kind", CATALOGUE.values(), ids=lambda k: k.code)
def test_every_entry_is_complete_in_both_languages(kind: ProblemKind) -> None:
    assert 400 <= kind.status <= 599
    for ja, en in ((kind.title_ja, kind.title_en), (kind.detail_ja, kind.detail_en)):
        assert ja.strip() and en.strip()
        assert not ja.isascii(), f"{kind.code}: Japanese text without Japanese"
        assert en.isascii(), f"{kind.code}: English text with non-ASCII characters"
    ja_fields = {n for n in kind.parameters() if "{" + n + "}" in kind.detail_ja}
    en_fields = {n for n in kind.parameters() if "{" + n + "}" in kind.detail_en}
    assert ja_fields == en_fields, kind.code


def test_details_fill_parameters_in_the_readers_language() -> None:
    kind = CATALOGUE["gone"]
    hint = Text(" 後継の /api/a/v2/ をご利用ください。", " Use /api/a/v2/ instead.")
    assert kind.detail("ja", {"api": "a/v1", "successor": hint}) == (
        "a/v1 は提供を終了しました。 後継の /api/a/v2/ をご利用ください。"
    )
    assert kind.detail("en", {"api": "a/v1", "successor": hint}) == (
        "a/v1 has been retired. Use /api/a/v2/ instead."
    )
    # A forgotten parameter stays visible instead of turning a refusal into a 500.
    assert CATALOGUE["not-found"].detail("en", {}) == "There is no API {api}."


def _source_files() -> list[Path]:
    files = [*ROOT.joinpath("gateway").rglob("*.py"), *ROOT.joinpath("registry").rglob("*.py")]
    return [f for f in files if f != ROOT / "registry" / "problems.py"]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _emitted_codes() -> set[str]:
    """String literals passed where a problem code goes, across the gateway and registry."""
    found: set[str] = set()
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            positions = [
                i for i, names in enumerate((CODE_FIRST, CODE_SECOND, CODE_THIRD)) if name in names
            ]
            for i in positions:
                if i < len(node.args) and isinstance(node.args[i], ast.Constant):
                    value = node.args[i].value  # type: ignore[attr-defined]
                    if isinstance(value, str):
                        found.add(value)
    return found


def test_every_emitted_code_is_in_the_catalogue() -> None:
    emitted = _emitted_codes()
    assert len(emitted) > 40  # the scan sees the call sites
    assert emitted <= set(CATALOGUE), emitted - set(CATALOGUE)


def test_every_catalogue_code_is_used_somewhere() -> None:
    """No dead entries: each code occurs as a literal outside the catalogue itself."""
    literals: set[str] = set()
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    assert set(CATALOGUE) <= literals, set(CATALOGUE) - literals


STATUS_OF_CLASS = {
    "InvalidInput": 400,
    "NotFound": 404,
    "Forbidden": 403,
    "Refused": 409,
    "Conflict": 409,
    "StoreUnavailable": 503,
}


def test_registry_error_classes_agree_with_their_codes() -> None:
    """`raise NotFound("…")` names a 404 code, `Refused` a 409 one (CLI exit 1), and so on."""
    checked = 0
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _name(node.func) in STATUS_OF_CLASS):
                continue
            if node.args and isinstance(node.args[0], ast.Constant):
                code = node.args[0].value
                assert CATALOGUE[code].status == STATUS_OF_CLASS[_name(node.func)], (path, code)
                checked += 1
    assert checked > 30
    assert CATALOGUE["lint-errors"].exit_code == 1 and CATALOGUE["not-found"].exit_code == 2
