"""Lifecycle guards through the service: each refusal, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import InvalidInput, NotFound, Refused
from registry.models import RatePlan, VersionState
from registry.service import RegistryService
from tests.registry.store.conftest import OPERATOR, PROVIDER_A, PROVIDER_B
from tests.registry.store.documents import as_json, as_yaml, openapi, without_license

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/libraries"


def published(svc: RegistryService, version: str = "1.0.0") -> str:
    result = svc.register(PROVIDER_A, "digital", as_yaml(openapi(version=version)), UP)
    svc.publish(PROVIDER_A, result.slug, result.version)
    return result.version


def test_register_stores_a_draft_with_its_report(svc: RegistryService) -> None:
    result = svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    assert (result.slug, result.version, result.state) == ("libraries", "v1", VersionState.DRAFT)
    view = svc.get_version(PROVIDER_A, "libraries", "v1")
    assert view.lint == result.lint and view.lint.errors == 0
    assert view.upstream_url == UP and view.plan == RatePlan()


def test_registering_a_draft_again_replaces_it(svc: RegistryService) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(title="図書館API 改")), UP + "/v2")
    view = svc.get_version(PROVIDER_A, "libraries", "v1")
    assert view.title == "図書館API 改" and view.upstream_url == UP + "/v2"
    assert [s.version for s in svc.list_apis(OPERATOR)] == ["v1"]


def test_explicit_slug_wins_and_is_validated(svc: RegistryService) -> None:
    result = svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP, slug="tosho")
    assert result.slug == "tosho"
    with pytest.raises(InvalidInput, match="Slug"):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP, slug="Not A Slug")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://up.example/x",
        "https:///nohost",
        "https://user:pw@up.example/x",
        "https://up.example/x#frag",
        "not a url",
        "https://up.example:99999/",
    ],
)
def test_bad_upstream_urls_are_invalid_input(svc: RegistryService, url: str) -> None:
    with pytest.raises(InvalidInput):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi()), url)
    assert svc.list_apis(OPERATOR) == []


def test_published_version_refuses_a_breaking_document(svc: RegistryService) -> None:
    published(svc)
    breaking = openapi()
    del breaking["components"]["schemas"]["Library"]["properties"]["name"]
    with pytest.raises(Refused, match="breaking change"):
        svc.register(PROVIDER_A, "digital", as_yaml(breaking), UP)
    with pytest.raises(Refused, match="upstream URL"):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP + "/other")
    log_size = len(svc.change_log(OPERATOR))
    same = svc.register(PROVIDER_A, "digital", as_json(openapi()), UP)  # same document as JSON
    assert same.state is VersionState.PUBLISHED
    assert len(svc.change_log(OPERATOR)) == log_size


def test_retired_version_cannot_be_registered_again(svc: RegistryService) -> None:
    published(svc)
    svc.retire(PROVIDER_A, "libraries", "v1")
    with pytest.raises(Refused, match="retired"):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)


def test_publish_is_refused_with_lint_errors_listing_the_rules(svc: RegistryService) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(without_license(openapi())), UP)
    with pytest.raises(Refused, match=r"lint errors ATG-DOC-06 "):
        svc.publish(PROVIDER_A, "libraries", "v1")
    assert svc.get_version(PROVIDER_A, "libraries", "v1").state is VersionState.DRAFT


def test_a_waiver_never_clears_a_missing_listing_field(svc: RegistryService) -> None:
    """The licence is reported once (ATG-DOC-06, not also REG-META-01), and since publishing
    needs the field itself, a waiver is recorded but does not unblock it."""
    svc.register(PROVIDER_A, "digital", as_yaml(without_license(openapi())), UP)
    view = svc.waive(OPERATOR, "libraries", "v1", "ATG-DOC-06", "licence published on paper")
    assert view.lint.errors == 0 and [w.rule for w in view.waivers] == ["ATG-DOC-06"]
    assert view.waivers[0].granted_by == OPERATOR.subject
    with pytest.raises(Refused, match="ATG-DOC-06"):
        svc.publish(PROVIDER_A, "libraries", "v1")


def test_waiving_needs_an_existing_finding_and_a_reason(svc: RegistryService) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    with pytest.raises(InvalidInput, match="no finding"):
        svc.waive(OPERATOR, "libraries", "v1", "ATG-DOC-06", "why")
    with pytest.raises(InvalidInput, match="reason"):
        svc.waive(OPERATOR, "libraries", "v1", "ATG-ERR-03", " ")


def test_state_machine_refusals(svc: RegistryService) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    with pytest.raises(Refused, match="it is draft"):
        svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1))
    with pytest.raises(Refused, match="it is draft"):
        svc.retire(PROVIDER_A, "libraries", "v1")
    svc.publish(PROVIDER_A, "libraries", "v1")
    with pytest.raises(Refused, match="it is published"):
        svc.publish(PROVIDER_A, "libraries", "v1")
    svc.retire(PROVIDER_A, "libraries", "v1")
    with pytest.raises(Refused, match="it is retired"):
        svc.retire(PROVIDER_A, "libraries", "v1")
    with pytest.raises(NotFound):
        svc.publish(PROVIDER_A, "libraries", "v9")


def test_deprecate_needs_the_notice_period(svc: RegistryService) -> None:
    published(svc)  # now is 2025-04-01 12:00 +09:00; 180 days later is 2025-09-28 12:00
    with pytest.raises(Refused, match="earliest allowed date is 2025-09-29"):
        svc.deprecate(PROVIDER_A, "libraries", "v1", date(2025, 9, 28))
    with pytest.raises(Refused, match="earliest allowed date is 2025-09-29"):
        svc.deprecate(PROVIDER_A, "libraries", "v1", date(2025, 1, 1))
    view = svc.deprecate(PROVIDER_A, "libraries", "v1", date(2025, 9, 29), note="v2 へ")
    assert view.state is VersionState.DEPRECATED and view.note == "v2 へ"
    assert view.sunset is not None and view.sunset.isoformat() == "2025-09-28T15:00:00+00:00"
    assert view.deprecated_at is not None and view.deprecated_at < view.sunset


def test_provider_notice_days_override_the_setting(svc: RegistryService) -> None:
    svc.register(PROVIDER_B, "mlit", as_yaml(openapi(slug="roads")), UP)  # mlit: 30 days
    svc.publish(PROVIDER_B, "roads", "v1")
    with pytest.raises(
        Refused, match="30-day notice period; the earliest allowed date is 2025-05-02"
    ):
        svc.deprecate(PROVIDER_B, "roads", "v1", date(2025, 5, 1))
    assert svc.deprecate(PROVIDER_B, "roads", "v1", date(2025, 5, 2)).sunset is not None


def test_successor_must_be_another_published_version(svc: RegistryService) -> None:
    published(svc)
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(version="2.0.0")), UP)
    for successor in ("v2", "v1", "v3"):  # a draft, itself, missing
        with pytest.raises(Refused, match="Successor"):
            svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1), successor=successor)
    svc.publish(PROVIDER_A, "libraries", "v2")
    view = svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1), successor="v2")
    assert view.successor == "v2"


def test_retire_from_deprecated_records_the_time(svc: RegistryService) -> None:
    published(svc)
    svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1))
    view = svc.retire(PROVIDER_A, "libraries", "v1")
    assert view.state is VersionState.RETIRED and view.retired_at is not None
    assert view.published_at is not None and view.published_at < view.retired_at


def test_set_plan_is_stored(svc: RegistryService) -> None:
    published(svc)
    plan = RatePlan(per_minute=5, per_day=100, sandbox_per_minute=2, fail_closed=True)
    assert svc.set_plan(OPERATOR, "libraries", "v1", plan).plan == plan
    assert svc.get_version(OPERATOR, "libraries", "v1").plan == plan


def test_japanese_document_round_trips_exactly(svc: RegistryService) -> None:
    doc = openapi(title="全国図書館情報API（試行版）", description="𠮷野家の「ｶﾅ」と①を含む説明。")
    source = as_yaml(doc)
    svc.register(PROVIDER_A, "digital", source, UP)
    view = svc.get_version(OPERATOR, "libraries", "v1")
    assert view.document == doc
    assert list(view.document) == list(doc)  # key order too
    assert view.title == "全国図書館情報API（試行版）"
    assert view.listing["description"] == "𠮷野家の「ｶﾅ」と①を含む説明。"


@pytest.mark.parametrize("days", [-1, 3651, 10**11, 10**20])
def test_notice_days_are_bounded(svc: RegistryService, days: int) -> None:
    """Unbounded values overflowed the date arithmetic of deprecate, or the integer column."""
    with pytest.raises(InvalidInput, match="notice_days"):
        svc.add_provider(OPERATOR, "cao", "内閣府", "CAO", "api@cao.go.jp", notice_days=days)


def test_ten_years_of_notice_still_deprecates(svc: RegistryService) -> None:
    svc.add_provider(OPERATOR, "cao", "内閣府", "CAO", "api@cao.go.jp", notice_days=3650)
    svc.register(OPERATOR, "cao", as_yaml(openapi(slug="stats")), UP)
    svc.publish(OPERATOR, "stats", "v1")
    with pytest.raises(Refused, match="3650-day notice period"):
        svc.deprecate(OPERATOR, "stats", "v1", date(2030, 1, 1))
    assert svc.deprecate(OPERATOR, "stats", "v1", date(9999, 12, 31)).sunset is not None


def test_a_value_the_database_refuses_is_invalid_input(svc: RegistryService) -> None:
    """PostgreSQL refuses NUL in text: that is the caller's input, not a 500 (SQLite keeps it)."""
    try:
        provider = svc.add_provider(OPERATOR, "cao", "内\x00閣府", "CAO", "api@cao.go.jp")
    except InvalidInput as exc:
        assert svc.store.dialect == "postgresql"
        assert "NUL" in exc.message
    else:
        assert svc.store.dialect == "sqlite"
        assert provider.name_ja == "内\x00閣府"
