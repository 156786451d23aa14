"""A developer driving `/developer/v1` of a real gateway, and the account mails in its outbox."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

import httpx

from registry.notices.models import Delivery
from registry.store import open_store

PASSWORD = "correct horse battery staple"
LINK_TOKEN = re.compile(r"token=([A-Za-z0-9_-]+)")


def mails_to(database_url: str, address: str, kind: str) -> list[Delivery]:
    """The outbox's mails of one kind to one address, newest first."""
    store = open_store(database_url)
    try:
        with store.read() as unit:
            return [
                d
                for d in unit.deliveries(None, 10_000)
                if d.recipient == address and d.kind == kind
            ]
    finally:
        store.dispose()


def link_token(delivery: Delivery) -> str:
    found = LINK_TOKEN.search(delivery.body)
    assert found, delivery.body
    return found.group(1)


class Developer:
    """One browser-like client: a cookie jar, the CSRF token sent back on unsafe requests."""

    def __init__(self, base_url: str, database_url: str, email: str | None = None) -> None:
        self.http = httpx.Client(base_url=base_url + "/developer/v1", timeout=30)
        self.database_url = database_url
        self.email = email or f"dev-{secrets.token_hex(4)}@example.jp"

    def csrf(self) -> str:
        response = self.http.get("/csrf")
        assert response.status_code == 200, response.text
        return str(response.json()["csrf_token"])

    def send(
        self, method: str, path: str, body: Mapping[str, object] | None = None
    ) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf()}
        return self.http.request(method, path, json=body, headers=headers)

    def sign_up(self) -> httpx.Response:
        body = {"email": self.email, "password": PASSWORD, "accept_terms": True}
        return self.send("POST", "/accounts", body)

    def verify(self) -> None:
        (mail,) = mails_to(self.database_url, self.email, "account.verify")[:1]
        assert self.send("POST", "/accounts/verify", {"token": link_token(mail)}).status_code == 204

    def log_in(self, password: str = PASSWORD) -> httpx.Response:
        return self.send("POST", "/sessions", {"email": self.email, "password": password})

    def ready(self) -> Developer:
        """Signed up, verified and logged in."""
        assert self.sign_up().status_code == 202
        self.verify()
        assert self.log_in().status_code == 204
        return self

    def create_app(self, name: str, sandbox: bool) -> dict[str, object]:
        response = self.send("POST", "/apps", {"name": name, "sandbox": sandbox})
        assert response.status_code == 201, response.text
        created: dict[str, object] = response.json()
        return created

    def close(self) -> None:
        self.http.close()
