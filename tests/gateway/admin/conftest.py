"""The admin API over a real store, mounted at /admin/v1, with a header-selected principal.

`X-Test-As: operator | provider:<id> | developer:<id>` stands in for the bearer token: the
principal dependency is the admin app's injection seam, so this is wiring, not a mock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

import pytest
from fastapi import Header
from httpx import ASGITransport, AsyncClient
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.admin import build_admin_app
from gateway.problems import Refusal
from registry.principal import Principal, Role
from registry.service import RegistryService
from registry.settings import load_settings
from registry.store import open_store


def principal_from_header(x_test_as: Annotated[str | None, Header()] = None) -> Principal:
    if not x_test_as:
        raise Refusal("missing-token", headers={"WWW-Authenticate": "Bearer"})
    role, _, ident = x_test_as.partition(":")
    if role == "operator":
        return Principal(role=Role.OPERATOR, subject="test:operator")
    if role == "provider":
        return Principal(role=Role.PROVIDER, subject=f"test:{ident}", provider_id=ident)
    return Principal(role=Role.DEVELOPER, subject=f"test:{ident or 'dev'}")


@pytest.fixture
def service(database_url: str) -> Iterator[RegistryService]:
    settings = load_settings(database_url=database_url)
    store = open_store(settings)
    try:
        yield RegistryService(store, settings)
    finally:
        store.dispose()


@pytest.fixture
async def client(service: RegistryService) -> AsyncIterator[AsyncClient]:
    """An HTTP client that reaches the admin app, mounted at /admin/v1, in process."""
    admin = build_admin_app(service, principal_from_header, public_url="https://gw.example.jp")
    root = Starlette(routes=[Mount("/admin/v1", admin)])
    transport = ASGITransport(app=root)
    async with AsyncClient(transport=transport, base_url="http://127.0.0.1") as test_client:
        yield test_client
