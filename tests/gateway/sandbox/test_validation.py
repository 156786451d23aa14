"""Request validation: every parameter location and the body, in both schema dialects."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from gateway.sandbox.index import Match, SandboxIndex
from gateway.sandbox.validation import RequestParts, validator_for
from tests.gateway.sandbox.documents import facilities, houjin

HEADERS = [(b"x-trace", b"0123abcd")]


def check(
    index: SandboxIndex,
    method: str,
    path: str,
    query: bytes = b"",
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
) -> list[dict[str, str]]:
    found = index.match(method, path)
    assert isinstance(found, Match)
    parts = RequestParts(found.path_params, RequestParts.decode_query(query), headers or [], body)
    return [v.as_json() for v in validator_for(index, found.operation).validate(parts)]


@pytest.fixture
def h() -> SandboxIndex:
    return SandboxIndex.for_document(houjin())


@pytest.fixture
def f() -> SandboxIndex:
    return SandboxIndex.for_document(facilities())


def test_valid_request_has_no_violations(h: SandboxIndex) -> None:
    query = b"limit=10&prefecture=13&ids=1,2&tags=a&tags=b&active=true"
    assert check(h, "GET", "/corporations", query, headers=HEADERS) == []


def test_query_type_range_and_enum(h: SandboxIndex) -> None:
    query = b"limit=abc&prefecture=99&active=yes"
    errors = check(h, "GET", "/corporations", query, headers=HEADERS)
    assert [(e["in"], e["name"], e["pointer"]) for e in errors] == [
        ("query", "limit", "/limit"),
        ("query", "prefecture", "/prefecture"),
        ("query", "active", "/active"),
    ]
    assert "integer" in errors[0]["message"]
    assert "'13'" in errors[1]["message"]
    errors = check(h, "GET", "/corporations", b"limit=0", headers=HEADERS)
    assert errors[0]["pointer"] == "/limit"
    assert "minimum" in errors[0]["message"]


def test_query_arrays_are_split_and_coerced_per_item(h: SandboxIndex) -> None:
    errors = check(h, "GET", "/corporations", b"ids=1,2,x", headers=HEADERS)
    assert [(e["name"], e["pointer"]) for e in errors] == [("ids", "/ids/2")]


def test_missing_required_query_and_min_length(h: SandboxIndex) -> None:
    errors = check(h, "GET", "/corporations/search")
    assert errors == [
        {"in": "query", "name": "q", "pointer": "/q", "message": "query parameter 'q' is required"}
    ]
    assert check(h, "GET", "/corporations/search", "q=東京".encode()) == []
    assert check(h, "GET", "/corporations/search", "q=東".encode())[0]["name"] == "q"


def test_header_is_required_and_matched_case_insensitively(h: SandboxIndex) -> None:
    missing = check(h, "GET", "/corporations")
    assert missing[0]["in"] == "header"
    assert missing[0]["name"] == "X-Trace"
    bad = check(h, "GET", "/corporations", headers=[(b"X-TRACE", b"nothex!!")])
    assert bad[0]["in"] == "header"
    assert "does not match" in bad[0]["message"]
    assert check(h, "GET", "/corporations", headers=[(b"X-Trace", b"deadbeef")]) == []


def test_path_parameter_pattern(h: SandboxIndex) -> None:
    errors = check(h, "GET", "/corporations/12345")
    assert [(e["in"], e["name"], e["pointer"]) for e in errors] == [
        ("path", "corporate_number", "/corporate_number")
    ]


def test_path_parameter_integer_coercion(f: SandboxIndex) -> None:
    assert check(f, "GET", "/facilities/7") == []
    errors = check(f, "GET", "/facilities/seven")
    assert errors[0]["in"] == "path"
    assert "integer" in errors[0]["message"]
    assert "minimum" in check(f, "GET", "/facilities/0")[0]["message"]


def test_exploded_array_enum_and_deep_object(f: SandboxIndex) -> None:
    assert check(f, "GET", "/facilities/1", b"fields=name&fields=address") == []
    errors = check(f, "GET", "/facilities/1", b"fields=name&fields=owner")
    assert errors[0]["pointer"] == "/fields/1"
    assert check(f, "GET", "/facilities/1", b"filter[open]=true&filter[floors]=3") == []
    errors = check(f, "GET", "/facilities/1", b"filter[floors]=many")
    assert errors[0]["pointer"] == "/filter/floors"


def body_errors(
    index: SandboxIndex,
    body: Any,
    content_type: bytes = b"application/json",
    path: str = "/corporations",
) -> list[dict[str, str]]:
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    return check(index, "POST", path, headers=[(b"content-type", content_type)], body=raw)


NEW = {"corporate_number": "1000012345678", "name": "株式会社つなぐ", "contact": "a@example.jp"}


def test_json_body_valid_and_nullable(h: SandboxIndex) -> None:
    assert body_errors(h, NEW) == []
    assert body_errors(h, {**NEW, "closed_on": None}) == []
    assert body_errors(h, NEW, b"application/json; charset=utf-8") == []


def test_json_body_violations_are_each_listed_with_pointers(h: SandboxIndex) -> None:
    body = {"corporate_number": "12", "capital": 0, "kind": "other", "contact": "a@example.jp"}
    errors = body_errors(h, body)
    found = {(e["in"], e["name"], e["pointer"]) for e in errors}
    assert found == {
        ("body", "corporate_number", "/corporate_number"),
        ("body", "capital", "/capital"),
        ("body", "kind", "/kind"),
        ("body", "name", "/name"),
    }
    required = next(e for e in errors if e["name"] == "name")
    assert "required" in required["message"]


def test_body_content_type_json_and_presence(h: SandboxIndex) -> None:
    wrong = body_errors(h, NEW, b"text/plain")
    assert wrong[0]["in"] == "header"
    assert wrong[0]["name"] == "content-type"
    assert "application/json" in wrong[0]["message"]
    assert "not valid JSON" in body_errors(h, b"{oops")[0]["message"]
    assert "required" in check(h, "POST", "/corporations")[0]["message"]
    no_body = check(h, "GET", "/tree", body=b"{}")
    assert no_body == [
        {"in": "body", "name": "", "pointer": "", "message": "this operation takes no request body"}
    ]


def test_deeply_nested_body_is_refused(h: SandboxIndex) -> None:
    body = b"[" * 100 + b"]" * 100
    assert "deeper" in body_errors(h, body)[0]["message"]


def test_31_body_and_form_coercion(f: SandboxIndex) -> None:
    good = {
        "facility_id": 1,
        "name": "図書館",
        "note": None,
        "location": {"latitude": 35.6, "longitude": 139.7, "datum": "JGD2011"},
    }
    assert body_errors(f, good, path="/facilities") == []
    bad = {**good, "rating": 0, "note": 3}
    assert {e["pointer"] for e in body_errors(f, bad, path="/facilities")} == {"/rating", "/note"}
    form = b"application/x-www-form-urlencoded"
    assert body_errors(f, b"name=%E5%9B%B3&capacity=5", form, "/facilities") == []
    errors = body_errors(f, b"name=x&capacity=0", form, "/facilities")
    assert [e["pointer"] for e in errors] == ["/capacity"]
    assert body_errors(f, b"", form, "/facilities") == []  # requestBody not required


def test_pattern_messages_show_the_pattern_as_written(h: SandboxIndex) -> None:
    """Regression: messages quoted the pattern's repr, so `^\\d{7}$` read `^\\\\d{7}$`."""
    errors = body_errors(h, {**NEW, "postal_code": "100-0001"})
    assert [e["pointer"] for e in errors] == ["/postal_code"]
    assert errors[0]["message"] == '"100-0001" does not match the pattern ^\\d{7}$'
