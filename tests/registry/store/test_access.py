"""Who may do what: operators anything, providers their own APIs, developers no registry writes."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import Forbidden, NotFound, Refused
from registry.models import RatePlan
from registry.service import RegistryService
from tests.registry.store.conftest import DEVELOPER, OPERATOR, PROVIDER_A, PROVIDER_B
from tests.registry.store.documents import as_yaml, openapi

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/x"


@pytest.fixture
def a_draft_and_b_published(svc: RegistryService, providers: None) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="libraries")), UP)
    svc.register(PROVIDER_B, "mlit", as_yaml(openapi(slug="roads")), UP)
    svc.publish(PROVIDER_B, "roads", "v1")


@pytest.mark.usefixtures("a_draft_and_b_published")
def test_listing_hides_other_providers_drafts(svc: RegistryService) -> None:
    assert {s.slug for s in svc.list_apis(OPERATOR)} == {"libraries", "roads"}
    assert {s.slug for s in svc.list_apis(PROVIDER_A)} == {"libraries", "roads"}
    assert {s.slug for s in svc.list_apis(PROVIDER_B)} == {"roads"}
    assert {s.slug for s in svc.list_apis(DEVELOPER)} == {"roads"}


@pytest.mark.usefixtures("a_draft_and_b_published")
def test_another_providers_draft_reads_as_not_found(svc: RegistryService) -> None:
    for principal in (PROVIDER_B, DEVELOPER):
        with pytest.raises(NotFound):
            svc.get_version(principal, "libraries", "v1")
        with pytest.raises(NotFound):
            svc.consumers(principal, "libraries", "v1")
    with pytest.raises(NotFound):
        svc.publish(PROVIDER_B, "libraries", "v1")
    assert svc.get_version(PROVIDER_A, "roads", "v1").slug == "roads"  # published: visible


@pytest.mark.usefixtures("a_draft_and_b_published")
def test_providers_cannot_change_each_others_apis(svc: RegistryService) -> None:
    with pytest.raises(Forbidden):
        svc.retire(PROVIDER_A, "roads", "v1")
    with pytest.raises(Forbidden):
        svc.deprecate(PROVIDER_A, "roads", "v1", date(2026, 1, 1))
    with pytest.raises(Forbidden):
        svc.consumers(PROVIDER_A, "roads", "v1")
    with pytest.raises(Forbidden):
        svc.register(PROVIDER_A, "mlit", as_yaml(openapi(slug="bridges")), UP)
    with pytest.raises(Forbidden, match="another provider"):
        svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="roads", version="2.0.0")), UP)
    assert svc.get_version(OPERATOR, "roads", "v1").state.value == "published"
    assert [s.version for s in svc.list_apis(OPERATOR) if s.slug == "roads"] == ["v1"]


@pytest.mark.usefixtures("a_draft_and_b_published")
def test_developers_and_providers_cannot_use_operator_operations(svc: RegistryService) -> None:
    with pytest.raises(Forbidden):
        svc.register(DEVELOPER, "digital", as_yaml(openapi()), UP)
    with pytest.raises(Forbidden):
        svc.retire(DEVELOPER, "roads", "v1")
    with pytest.raises(Forbidden):
        svc.waive(PROVIDER_B, "roads", "v1", "ATG-ERR-03", "no")
    with pytest.raises(Forbidden):
        svc.set_plan(PROVIDER_B, "roads", "v1", RatePlan(per_minute=1))
    with pytest.raises(Forbidden):
        svc.add_provider(PROVIDER_A, "other", "他", "Other", "o@example.go.jp")
    with pytest.raises(Forbidden):
        svc.change_log(DEVELOPER)
    with pytest.raises(Forbidden):
        svc.get_provider(PROVIDER_A, "mlit")
    assert svc.get_provider(PROVIDER_B, "mlit").notice_days == 30


def test_provider_ids_are_unique_and_must_exist(svc: RegistryService) -> None:
    with pytest.raises(Refused, match="already exists"):
        svc.add_provider(OPERATOR, "digital", "重複", "Dup", "d@example.go.jp")
    with pytest.raises(NotFound):
        svc.register(OPERATOR, "nobody", as_yaml(openapi()), UP)
    with pytest.raises(NotFound):
        svc.get_provider(OPERATOR, "nobody")
