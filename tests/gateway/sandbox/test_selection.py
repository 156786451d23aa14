"""Response selection: default status, `Prefer` code/example/dynamic, example sources, Accept."""

from __future__ import annotations

import pytest

from gateway.sandbox.index import Match, SandboxIndex
from gateway.sandbox.selection import Chosen, Preferences, SelectionError, choose
from tests.gateway.sandbox.documents import facilities, houjin

TOKYO = {"corporate_number": "1000012345678", "name": "株式会社つなぐ", "postal_code": "1000001"}


def pick(
    index: SandboxIndex, path: str, prefer: str = "", accept: str | None = None, method: str = "GET"
) -> Chosen:
    found = index.match(method, path)
    assert isinstance(found, Match)
    return choose(index, found.operation, Preferences.parse([prefer] if prefer else []), accept)


@pytest.fixture
def h() -> SandboxIndex:
    return SandboxIndex.for_document(houjin())


@pytest.fixture
def f() -> SandboxIndex:
    return SandboxIndex.for_document(facilities())


def test_preferences_parse_per_rfc_7240() -> None:
    prefs = Preferences.parse(['code=404, example="not_found"; x=1', "code=200, wait=10"])
    assert prefs == Preferences(code="404", example="not_found", dynamic=False)
    assert Preferences.parse(["Dynamic=TRUE, respond-async"]) == Preferences(dynamic=True)
    assert Preferences.parse([]) == Preferences()


def test_default_is_the_lowest_2xx_and_first_named_example_resolved_through_ref(
    h: SandboxIndex,
) -> None:
    chosen = pick(h, "/corporations/1000012345678")
    assert chosen == Chosen(200, "application/json", TOKYO, ())
    listing = pick(h, "/corporations")  # 200 is declared after 202 but is lower
    assert listing.status == 200
    assert listing.body["results"][0]["name"] == "株式会社つなぐ"


def test_prefer_code_picks_that_status(h: SandboxIndex) -> None:
    chosen = pick(h, "/corporations/1000012345678", "code=404")
    assert chosen.status == 404
    assert chosen.media_type == "application/problem+json"
    assert chosen.body["title"] == "法人が見つかりません"
    assert chosen.applied == ("code=404",)


def test_prefer_example_in_the_default_status_then_any_status(h: SandboxIndex) -> None:
    osaka = pick(h, "/corporations/1000012345678", "example=osaka")
    assert (osaka.status, osaka.body["name"]) == (200, "大阪商事株式会社")
    elsewhere = pick(h, "/corporations/1000012345678", "example=not_found")
    assert (elsewhere.status, elsewhere.media_type) == (404, "application/problem+json")
    assert elsewhere.applied == ("example=not_found",)


def test_unknown_code_or_example_lists_what_is_declared(h: SandboxIndex) -> None:
    with pytest.raises(SelectionError, match=r"status 418 is not declared \(declared: 200, 404\)"):
        pick(h, "/corporations/1000012345678", "code=418")
    with pytest.raises(SelectionError, match="not an HTTP status"):
        pick(h, "/corporations/1000012345678", "code=abc")
    with pytest.raises(SelectionError, match=r"'kyoto'.*200: osaka, tokyo; 404: not_found"):
        pick(h, "/corporations/1000012345678", "example=kyoto")
    with pytest.raises(SelectionError, match=r"'osaka'.*declared: 404: not_found\)"):
        pick(h, "/corporations/1000012345678", "code=404, example=osaka")


def test_response_without_content_has_no_body(h: SandboxIndex) -> None:
    assert pick(h, "/corporations/1000012345678", method="DELETE") == Chosen(204, None, None, ())
    assert pick(h, "/corporations", "code=202").media_type is None


def test_schema_examples_then_synthesis(f: SandboxIndex, h: SandboxIndex) -> None:
    created = pick(f, "/facilities", method="POST")
    assert created.status == 201
    assert created.body["name"] == "string"  # synthesised: property examples are not used
    assert created.body["location"]["datum"] == "string"
    tree = pick(h, "/tree")
    assert set(tree.body) == {"name", "children"}


def test_prefer_dynamic_ignores_examples(h: SandboxIndex) -> None:
    chosen = pick(h, "/corporations/1000012345678", "dynamic=true")
    assert chosen.body != TOKYO
    assert chosen.body["corporate_number"] == "1234567890123"
    assert chosen.applied == ("dynamic=true",)


def test_range_and_default_responses(f: SandboxIndex) -> None:
    failed = pick(f, "/facilities", "code=422", method="POST")
    assert (failed.status, failed.media_type) == (422, "application/problem+json")
    category = pick(f, "/categories")
    assert category.status == 200
    assert category.body["parent"] is None


def test_accept_chooses_among_declared_media_types(f: SandboxIndex) -> None:
    assert pick(f, "/facilities/1").media_type == "application/json"
    xml = pick(f, "/facilities/1", accept="application/xml")
    assert (xml.media_type, xml.body) == ("application/xml", "<facility/>")
    ranked = pick(f, "/facilities/1", accept="application/xml;q=0.5, application/*")
    assert ranked.media_type == "application/json"
    assert pick(f, "/facilities/1", accept="image/png").media_type == "application/json"


@pytest.mark.parametrize("code", ["100", "101", "199", "000", "600", "999"])
def test_codes_that_are_not_final_statuses_are_refused_even_with_default(
    f: SandboxIndex, code: str
) -> None:
    # /categories declares only `default`, which would otherwise match any code at all
    with pytest.raises(SelectionError, match="final response, 200-599"):
        pick(f, "/categories", f"code={code}")
    assert pick(f, "/categories", "code=599").status == 599


def test_204_and_304_never_carry_content_even_when_the_document_declares_some(
    f: SandboxIndex,
) -> None:
    for code in (204, 304):
        assert pick(f, "/categories", f"code={code}") == Chosen(code, None, None, (f"code={code}",))
