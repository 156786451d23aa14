"""The developers' rate-limit guide shows the RateLimit fields a real 429 and a real answer
carry: its `http` examples are parsed and compared with a real `tsunagu serve`'s.

The guide is the portal page `docs/developers.md` points to (`portal/content/guides/`), in
both languages; the examples use the default plan (60 a minute, 10,000 a day), which `secb v1`
has. Only the counters that move with time (`r`, `t`, `Retry-After`) are not compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.security.checks import bearer
from tests.security.conftest import Gateway

GUIDES = Path(__file__).resolve().parents[2] / "portal" / "content" / "guides"
API = "/api/secb/v1/corporations"
TIME_PARAMS = {"r", "t"}

Items = list[tuple[str, dict[str, str]]]


def http_examples(text: str) -> list[dict[str, str]]:
    """Each ```http block of a guide as {field name (lower case): value} (and a status line)."""
    blocks = re.findall(r"```http\n(.*?)```", text, flags=re.DOTALL)
    examples = []
    for block in blocks:
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line.startswith("HTTP/"):
                fields[":status"] = line.split()[1]
            elif ":" in line:
                name, value = line.split(":", 1)
                fields[name.strip().lower()] = value.strip()
        examples.append(fields)
    return examples


def items(value: str) -> Items:
    """A Structured Fields list of string items with parameters: `"minute";q=60;w=60, …`."""
    parsed = []
    for member in value.split(","):
        name, *params = member.strip().split(";")
        parsed.append((name.strip('"'), dict(p.split("=", 1) for p in params)))
    return parsed


def steady(parsed: Items) -> Items:
    return [(name, {k: v for k, v in p.items() if k not in TIME_PARAMS}) for name, p in parsed]


def assert_same_fields(example: dict[str, str], response: httpx.Response) -> None:
    for name, value in example.items():
        if name == ":status":
            assert str(response.status_code) == value
        elif name == "retry-after":
            assert response.headers[name].isdigit()
        else:
            real = items(response.headers[name])
            assert steady(real) == steady(items(value)), (name, response.headers[name], value)
            assert [set(p) for _, p in real] == [set(p) for _, p in items(value)], name


@pytest.fixture(scope="module")
def real_answers(gateway: Gateway) -> tuple[httpx.Response, httpx.Response]:
    """A first call's answer and the 429 that follows once the minute's quota is used up."""
    headers = bearer(gateway.token("consumer"))
    first = gateway.http.get(API, headers=headers)
    assert first.status_code == 200, first.text
    for _ in range(70):  # bounded: the default plan allows 60 a minute
        response = gateway.http.get(API, headers=headers)
        if response.status_code == 429:
            return first, response
    pytest.fail("no 429 after 70 calls")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_guides_examples_match_a_real_429_and_a_real_answer(
    real_answers: tuple[httpx.Response, httpx.Response], language: str
) -> None:
    text = (GUIDES / f"rate-limits.{language}.md").read_text(encoding="utf-8")
    limited, answered = http_examples(text)
    assert limited[":status"] == "429" and "ratelimit-policy" in answered
    first, too_many = real_answers
    assert_same_fields(answered, first)
    assert_same_fields(limited, too_many)
