"""Log-in through an external OpenID provider started in the test (ADR 0024): a verified
address logs in (creating the account only with the terms accepted), a forged state or an
unverified address does not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.harness import Server, serve
from tests.security.developer_client import PASSWORD, Developer
from tests.security.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, openid_provider

pytestmark = pytest.mark.xdist_group("security-oidc")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class World:
    server: Server
    provider: Provider
    database_url: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("oidc")
    database_url = f"sqlite:///{tmp / 'tsunagu.db'}"
    with openid_provider() as provider:
        env = {
            "TSUNAGU_DATABASE_URL": database_url,
            "TSUNAGU_VAR_DIR": str(tmp / "var"),
            "TSUNAGU_OIDC_ISSUER": provider.issuer,
            "TSUNAGU_OIDC_CLIENT_ID": CLIENT_ID,
            "TSUNAGU_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "TSUNAGU_OIDC_NAME": "テストID",
        }
        with serve(env, tmp) as server:
            yield World(server, provider, database_url)


@pytest.fixture
def browsers() -> Iterator[list[httpx.Client]]:
    opened: list[httpx.Client] = []
    yield opened
    for client in opened:
        client.close()


def through_provider(
    world: World, browsers: list[httpx.Client], page: str, state: str | None = None
) -> tuple[httpx.Client, httpx.Response]:
    """Press the provider's button on `page`, let the provider consent, follow the callback."""
    browser = httpx.Client(base_url=world.server.base_url, timeout=30)
    browsers.append(browser)
    form = browser.get(f"/portal/account/{page}")
    assert "テストID" in form.text
    found = CSRF.search(form.text)
    assert found
    data = {"csrf": found.group(1), **({"terms": "yes"} if page == "signup" else {})}
    start = browser.post("/portal/account/oidc/start", data=data)
    assert start.status_code == 303 and start.headers["location"].startswith(world.provider.issuer)
    consent = httpx.get(start.headers["location"])
    assert consent.status_code == 302
    callback = urlsplit(consent.headers["location"])
    query = (
        callback.query
        if state is None
        else re.sub(r"state=[^&]+", f"state={state}", callback.query)
    )
    return browser, browser.get(f"{callback.path}?{query}")


def test_a_verified_address_signs_up_and_logs_in(
    world: World, browsers: list[httpx.Client]
) -> None:
    world.provider.email, world.provider.email_verified = "oidc-new@example.jp", True
    browser, answer = through_provider(world, browsers, "signup")
    assert answer.status_code == 303 and answer.headers["location"].endswith("/account/apps")
    me = browser.get("/developer/v1/me").json()
    assert me["email"] == "oidc-new@example.jp" and me["verified_at"] and me["terms_version"]
    again, second = through_provider(world, browsers, "login")
    assert second.status_code == 303
    assert again.get("/developer/v1/me").json()["id"] == me["id"]


def test_a_new_address_needs_the_terms(world: World, browsers: list[httpx.Client]) -> None:
    world.provider.email, world.provider.email_verified = "oidc-terms@example.jp", True
    browser, answer = through_provider(world, browsers, "login")
    assert answer.status_code == 400 and answer.json()["type"].endswith("#terms-not-accepted")
    assert browser.get("/developer/v1/me").status_code == 401


def test_an_existing_password_account_is_the_same_account(
    world: World, browsers: list[httpx.Client]
) -> None:
    owner = Developer(world.server.base_url, world.database_url).ready()
    try:
        world.provider.email, world.provider.email_verified = owner.email, True
        browser, answer = through_provider(world, browsers, "login")
        assert answer.status_code == 303
        mine = owner.http.get("/me").json()["id"]
        assert browser.get("/developer/v1/me").json()["id"] == mine
        assert owner.log_in(PASSWORD).status_code == 204  # the password still works
    finally:
        owner.close()


@pytest.mark.parametrize("case", ["forged state", "unverified address"])
def test_refused(world: World, browsers: list[httpx.Client], case: str) -> None:
    world.provider.email = "oidc-refused@example.jp"
    world.provider.email_verified = case != "unverified address"
    browser, answer = through_provider(
        world, browsers, "signup", state="forged" if case == "forged state" else None
    )
    assert answer.status_code == 401 and answer.json()["type"].endswith("#oidc-failed")
    assert browser.get("/developer/v1/me").status_code == 401
