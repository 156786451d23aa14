"""Functional load by hand with Locust: a developer app calling the demo APIs (never for goals).

Locust is not a project dependency and nothing imports this file; run it with a Locust you
install yourself, against `tsunagu demo` (PERFORMANCE-PROBE.md §4.7: Locust cannot load the
gateway to saturation and its latency floor is milliseconds, so use it for multi-step and soak
scenarios at low rates only; the performance goals are measured by `python -m load_tests.bench`):

    tsunagu demo &                      # writes var/demo-credentials.json
    locust -f load_tests/locustfile.py --host http://127.0.0.1:8000 -u 20 -r 5 -t 5m --headless

Credentials come from TSUNAGU_CLIENT_ID / TSUNAGU_CLIENT_SECRET, else from the demo's
developer app in var/demo-credentials.json.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from locust import HttpUser, between, task

CREDENTIALS = Path(os.environ.get("TSUNAGU_DEMO_CREDENTIALS", "var/demo-credentials.json"))
SCOPES = "houjin postal facilities"
REFRESH_MARGIN_SECONDS = 30


def client_credentials() -> tuple[str, str]:
    client_id = os.environ.get("TSUNAGU_CLIENT_ID")
    secret = os.environ.get("TSUNAGU_CLIENT_SECRET")
    if client_id and secret:
        return client_id, secret
    app = json.loads(CREDENTIALS.read_text(encoding="utf-8"))["developer_app"]
    return str(app["client_id"]), str(app["client_secret"])


class DeveloperApp(HttpUser):  # type: ignore[misc]  # locust is untyped and optional
    """Gets a token (client credentials, RFC 6749 §4.4), renews it before expiry, calls APIs."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.credentials = client_credentials()
        self.token, self.expires_at = "", 0.0
        self.renew_token()

    def renew_token(self) -> None:
        response = self.client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": SCOPES},
            auth=self.credentials,
            name="/oauth/token",
        )
        body = response.json()
        self.token = body["access_token"]
        self.expires_at = time.monotonic() + float(body["expires_in"])

    def call(self, path: str, name: str) -> None:
        if time.monotonic() > self.expires_at - REFRESH_MARGIN_SECONDS:
            self.renew_token()
        self.client.get(path, headers={"Authorization": f"Bearer {self.token}"}, name=name)

    @task(5)
    def facilities(self) -> None:
        self.call("/api/facilities/v1/facilities?limit=10", "/api/facilities/v1/facilities")

    @task(3)
    def postal_code(self) -> None:
        self.call("/api/postal/v1/postal_codes/1000013", "/api/postal/v1/postal_codes/{code}")

    @task(2)
    def corporations(self) -> None:
        self.call("/api/houjin/v2/corporations?limit=5", "/api/houjin/v2/corporations")

    @task(1)
    def unauthenticated_is_refused(self) -> None:
        with self.client.get(
            "/api/facilities/v1/facilities", name="401 without token", catch_response=True
        ) as response:
            if response.status_code == 401:
                response.success()
            else:
                response.failure(f"expected 401, got {response.status_code}")
