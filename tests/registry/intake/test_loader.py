"""load_document: limits, refusals and exact round-trips of Japanese text."""

from __future__ import annotations

import json

import pytest
import yaml

from registry.errors import InvalidInput
from registry.intake import IntakeError, load_document
from registry.intake.limits import MAX_BYTES

BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
).encode()

JAPANESE = {
    "openapi": "3.0.3",
    "info": {"title": "法人情報API", "description": "法人番号で検索します。\n㈱・髙・𠮷も保持"},
    "paths": {"/corporations": {"get": {"summary": "一覧", "x-例": ["国税庁", "デジタル庁"]}}},
}


def test_intake_error_is_invalid_input() -> None:
    assert issubclass(IntakeError, InvalidInput)
    error = IntakeError("document is not valid UTF-8")
    assert (error.code, error.status, error.exit_code) == ("invalid-document", 400, 2)
    assert error.message_in("ja") == "OpenAPI文書を受け付けられません：document is not valid UTF-8"


def test_the_billion_laughs_bomb_is_refused_before_expansion() -> None:
    assert len(BILLION_LAUGHS) < 400
    with pytest.raises(IntakeError, match="expands to more than"):
        load_document(BILLION_LAUGHS)


def test_too_many_aliases_are_refused() -> None:
    data = ("a: &a x\nb: [" + ",".join(["*a"] * 101) + "]\n").encode()
    with pytest.raises(IntakeError, match="more than 100 YAML aliases"):
        load_document(data)


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(IntakeError, match="recursive alias"):
        load_document(b"a: &x [1, *x]\n")


@pytest.mark.parametrize(
    "data",
    [
        b"a: " + b"[" * 5000 + b"]" * 5000,
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}",
        b"a: &d " + b"[" * 40 + b"]" * 40 + b"\nb: " + b"[" * 30 + b"*d" + b"]" * 30,
    ],
    ids=["yaml", "json-huge", "json-65", "via-alias"],
)
def test_deep_nesting_is_refused(data: bytes) -> None:
    with pytest.raises(IntakeError, match="deeper than 64"):
        load_document(data)


def test_nesting_of_exactly_64_is_accepted() -> None:
    doc = load_document(b'{"a": ' + b"[" * 63 + b"]" * 63 + b"}")
    assert isinstance(doc["a"], list)


def test_documents_over_five_mib_are_refused_before_parsing() -> None:
    data = b"a: " + b"x" * MAX_BYTES  # valid YAML, just too large
    with pytest.raises(IntakeError, match="larger than 5 MiB"):
        load_document(data)


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(IntakeError, match="not valid UTF-8"):
        load_document("title: 日本".encode() + b"\xff")
    with pytest.raises(IntakeError, match="not valid UTF-8"):
        load_document("title: 日本語".encode("shift_jis"))


@pytest.mark.parametrize(
    "data",
    [b"a: 1\nb: 2\na: 3\n", b'{"a": 1, "b": {"c": 1, "c": 2}}', b"200: a\n'200': b\n"],
    ids=["yaml", "json", "yaml-quoted"],
)
def test_duplicate_keys_are_refused(data: bytes) -> None:
    with pytest.raises(IntakeError, match="duplicate key"):
        load_document(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"- a\n- b\n", "must be a mapping, not list"),
        (b"", "must be a mapping, not empty"),
        (b"just text", "must be a mapping, not str"),
        (b"a: [1\n", "not valid YAML: line"),
        (b'{"a": 1,}', "not valid JSON: line 1"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b"? [a, b]\n: c\n", "mapping keys must be plain scalars"),
        (b"a: !!python/object:os.system x\n", "not valid YAML"),
        (b"a: 1\n---\nb: 2\n", "not valid YAML"),
    ],
)
def test_refusals_are_one_line_messages(data: bytes, message: str) -> None:
    with pytest.raises(IntakeError) as caught:
        load_document(data)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


def test_japanese_round_trips_exactly_in_yaml_and_json() -> None:
    as_yaml = yaml.safe_dump(JAPANESE, allow_unicode=True).encode()
    as_json = json.dumps(JAPANESE, ensure_ascii=False).encode()
    escaped = json.dumps(JAPANESE).encode()  # \\uXXXX escapes
    for data in (as_yaml, as_json, escaped, b"\xef\xbb\xbf" + as_yaml):
        assert load_document(data) == JAPANESE


def test_keys_are_strings_and_timestamps_stay_text() -> None:
    doc = load_document(b"responses:\n  200: {description: ok}\nupdated: 2024-04-01\nn: 3\n")
    assert doc == {"responses": {"200": {"description": "ok"}}, "updated": "2024-04-01", "n": 3}


def test_merge_keys_still_work_and_own_keys_win() -> None:
    doc = load_document(b"base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert doc["item"] == {"x": 1, "y": 3}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a: " + b"9" * 5000 + b"\n", "integer with more than"),
        (b'{"a": ' + b"9" * 5000 + b"}", "integer with more than"),
        (b"a: .nan\n", "NaN or Infinity"),
        (b"a: -.inf\n", "NaN or Infinity"),
        (b'{"a": 1e999}', "NaN or Infinity"),
        (b'a: "x\\0y"\n', "NUL character"),
        (b'{"a\\u0000": 1}', "NUL character"),
    ],
    ids=[
        "yaml-long-int",
        "json-long-int",
        "yaml-nan",
        "yaml-inf",
        "json-overflow",
        "yaml-nul",
        "json-nul-key",
    ],
)
def test_values_no_store_can_hold_are_refused(data: bytes, message: str) -> None:
    """Such values crashed the loader or made PostgreSQL refuse the row (a 500, a traceback)."""
    with pytest.raises(IntakeError) as caught:
        load_document(data)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


def test_long_but_readable_numbers_are_kept() -> None:
    doc = load_document(b'{"a": ' + b"9" * 300 + b', "b": 1.5e300}')
    assert doc == {"a": int("9" * 300), "b": 1.5e300}
    assert load_document(b"a: " + b"9" * 300 + b"\n") == {"a": int("9" * 300)}
