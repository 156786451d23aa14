"""document_major_version, default_slug and the corporate-number check digit."""

from __future__ import annotations

from typing import Any

import pytest

from registry.demo_apis import corporate_number, corporate_number_check_digit
from registry.intake import IntakeError, default_slug, document_major_version


@pytest.mark.parametrize(
    ("version", "major"),
    [("1.2.0", "v1"), ("2", "v2"), (3, "v3"), (1.0, "v1"), ("v4.0.1", "v4"), ("10.0.0-rc1", "v10")],
)
def test_major_version_from_info_version(version: object, major: str) -> None:
    assert document_major_version({"info": {"version": version}}) == major


@pytest.mark.parametrize(
    "version", [None, "", "latest", "2022-11-28", True, "x1.0", "9" * 5000 + ".0", 10**12]
)
def test_unparseable_versions_are_refused(version: object) -> None:
    doc: dict[str, Any] = {"info": {"version": version}} if version is not None else {}
    with pytest.raises(IntakeError, match=r"info\.version"):
        document_major_version(doc)


@pytest.mark.parametrize(
    ("doc", "slug"),
    [
        ({"x-slug": "houjin", "paths": {"/other": {}}}, "houjin"),
        ({"paths": {"/v1/city_libraries/{id}": {}}}, "city-libraries"),
        ({"paths": {"/{id}": {}}, "info": {"title": "Open Data API!"}}, "open-data-api"),
        ({"paths": {}, "info": {"title": "X" * 60}}, "x" * 40),
        ({"paths": {"/api/{id}": {}}, "info": {"title": "City Libraries"}}, "city-libraries"),
        ({"x-slug": "api", "paths": {}}, "api"),  # the provider's own choice is kept
    ],
)
def test_default_slug(doc: dict[str, Any], slug: str) -> None:
    assert default_slug(doc) == slug


@pytest.mark.parametrize(
    "doc",
    [{"paths": {"/{id}": {}}, "info": {"title": "法人情報"}}, {"x-slug": "Not A Slug"}, {}],
)
def test_slug_refusals_say_what_to_do(doc: dict[str, Any]) -> None:
    with pytest.raises(IntakeError, match="slug"):
        default_slug(doc)


@pytest.mark.parametrize(
    "doc",
    [
        {"paths": {"/api/libraries": {}}, "info": {"title": "API"}},
        {"paths": {"/rest/{id}": {}}, "info": {"title": "REST API v1"}},
        {"paths": {"/path": {}}, "info": {"title": "図書館"}},
        {"paths": {"/v1/{id}": {}, "/v2/x": {}}, "info": {"title": "Public API"}},
    ],
)
def test_slugs_that_say_nothing_are_refused_with_a_one_line_request_for_slug(
    doc: dict[str, Any],
) -> None:
    with pytest.raises(IntakeError) as refused:
        default_slug(doc)
    message = str(refused.value)
    assert "--slug" in message and "says nothing" in message and "\n" not in message


def test_check_digit_of_the_national_tax_agency() -> None:
    assert corporate_number_check_digit("000012050002") == 7
    assert corporate_number("000012050002") == "7000012050002"


def test_check_digit_follows_the_weights() -> None:
    # base "000000000001": P1 = 1, Q1 = 1 → 9 - 1 = 8; "000000000010": P2 = 1, Q2 = 2 → 7
    assert corporate_number_check_digit("000000000001") == 8
    assert corporate_number_check_digit("000000000010") == 7
    assert corporate_number_check_digit("000000000000") == 9


@pytest.mark.parametrize("base", ["12345", "0000120500021", "00001205000a", "０００012050002"])
def test_check_digit_refuses_bad_bases(base: str) -> None:
    with pytest.raises(ValueError, match="12 ASCII digits"):
        corporate_number_check_digit(base)
