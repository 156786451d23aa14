"""Locust scenarios that mirror real use of `tsunagu demo` (functional load, never the goals).

Run them with `make load` (`python -m load_tests.load`): it starts the demo, sets the plans
these scenarios expect and judges the run. By hand, against a demo you started yourself:

    tsunagu demo &                      # writes var/demo-credentials.json
    locust -f load_tests/locustfile.py --host http://127.0.0.1:8000 -u 20 -r 5 -t 5m --headless

Locust's latency floor is milliseconds and it cannot saturate the gateway
(PERFORMANCE-PROBE.md §4.7): the performance goals are measured by `make bench`.

The user classes (weights in brackets):

* `Developer` (3): gets a client-credentials token (RFC 6749 §4.4), renews it before it
  expires, and sometimes starts over with a fresh one (a new process of the same app).
* `Pager` (3): pages through the facilities collection with `limit`/`offset` until the end.
* `Burster` (1): calls postal in bursts until 429, checks `Retry-After` (RFC 9110 §10.2.3)
  and waits that long before the next burst. `make load` gives postal a small plan so this
  happens; a 429 with `Retry-After` counts as success, one without it as a failure.
* `LegacyCaller` (1): calls the deprecated houjin v1; every answer must carry `Deprecation`.
* `SandboxTester` (1): the sandbox app against /sandbox (answers from the examples), including
  `Prefer: code=404`.
* `PortalReader` (1): views portal pages and a stylesheet, no credentials.

Credentials come from TSUNAGU_DEMO_CREDENTIALS (default var/demo-credentials.json).
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

CREDENTIALS = Path(os.environ.get("TSUNAGU_DEMO_CREDENTIALS", "var/demo-credentials.json"))
SCOPES = "houjin postal facilities"
REFRESH_MARGIN_SECONDS = 30
PAGE_SIZE = 10
MAX_PAGES = 20  # a bound on one paging walk, whatever the collection says
BURST_REQUESTS = 40  # above the burst plan `make load` sets, so a burst ends in 429
PORTAL_PAGES = (
    "/portal/",
    "/portal/getting-started/",
    "/portal/apis/houjin/v2/",
    "/portal/errors/",
)


def demo_app(name: str) -> tuple[str, str]:
    """(client_id, client_secret) of one of the demo's apps."""
    app = json.loads(CREDENTIALS.read_text(encoding="utf-8"))[name]
    return str(app["client_id"]), str(app["client_secret"])


class TokenHolder(HttpUser):  # type: ignore[misc]  # locust is untyped
    """A user holding an access token of one demo app, renewed before it expires."""

    abstract = True
    app_name = "developer_app"

    def on_start(self) -> None:
        self.credentials = demo_app(self.app_name)
        self.token, self.expires_at = "", 0.0
        self.renew_token()

    def renew_token(self) -> None:
        with self.client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": SCOPES},
            auth=self.credentials,
            name="/oauth/token",
            catch_response=True,
        ) as response:
            body = _json(response)
            if response.status_code != 200 or "access_token" not in body:
                response.failure(f"token: {response.status_code}")
                return
            self.token = str(body["access_token"])
            self.expires_at = time.monotonic() + float(body["expires_in"])

    def bearer(self) -> dict[str, str]:
        if time.monotonic() > self.expires_at - REFRESH_MARGIN_SECONDS:
            self.renew_token()
        return {"Authorization": f"Bearer {self.token}"}


def _json(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Developer(TokenHolder):
    weight = 3
    wait_time = between(0.5, 2.0)

    @task(5)
    def corporation(self) -> None:
        self.client.get(
            "/api/houjin/v2/corporations/7000012050002",
            headers=self.bearer(),
            name="/api/houjin/v2/corporations/{number}",
        )

    @task(3)
    def facilities_in_tokyo(self) -> None:
        self.client.get(
            "/api/facilities/v1/facilities?prefecture_code=13&limit=5",
            headers=self.bearer(),
            name="/api/facilities/v1/facilities?prefecture_code",
        )

    @task(1)
    def start_over(self) -> None:
        """A new process of the same app: a fresh token, not a renewal."""
        self.renew_token()

    @task(1)
    def without_token_is_refused(self) -> None:
        with self.client.get(
            "/api/facilities/v1/facilities", name="401 without token", catch_response=True
        ) as response:
            if response.status_code == 401:
                response.success()
            else:
                response.failure(f"expected 401, got {response.status_code}")


class Pager(TokenHolder):
    weight = 3
    wait_time = between(1.0, 3.0)

    @task
    def walk_facilities(self) -> None:
        offset = 0
        for _ in range(MAX_PAGES):
            with self.client.get(
                f"/api/facilities/v1/facilities?limit={PAGE_SIZE}&offset={offset}",
                headers=self.bearer(),
                name="/api/facilities/v1/facilities?offset (paging)",
                catch_response=True,
            ) as response:
                resultset = _json(response).get("metadata", {}).get("resultset", {})
                if response.status_code != 200 or "count" not in resultset:
                    response.failure(f"page at offset {offset}: {response.status_code}")
                    return
            offset += PAGE_SIZE
            if offset >= int(resultset["count"]):
                return


class Burster(TokenHolder):
    weight = 1
    wait_time = between(0.0, 0.1)

    @task
    def burst(self) -> None:
        for _ in range(BURST_REQUESTS):
            with self.client.get(
                "/api/postal/v1/addresses?prefecture_code=13&limit=1",
                headers=self.bearer(),
                name="/api/postal/v1/addresses (burst)",
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    continue
                retry_after = response.headers.get("Retry-After", "")
                if response.status_code != 429 or not retry_after.isdigit():
                    response.failure(f"{response.status_code}, Retry-After {retry_after!r}")
                    return
                response.request_meta["name"] = "/api/postal/v1/addresses (burst, 429)"
                response.success()
            self.honour(int(retry_after))
            return

    def honour(self, retry_after: int) -> None:
        """Wait as told, plus a little jitter so the bursters do not return in lockstep."""
        time.sleep(retry_after + random.uniform(0, 1))


class LegacyCaller(TokenHolder):
    weight = 1
    wait_time = between(1.0, 3.0)

    @task
    def deprecated_version(self) -> None:
        with self.client.get(
            "/api/houjin/v1/corporations?limit=1",
            headers=self.bearer(),
            name="/api/houjin/v1/corporations (deprecated)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "Deprecation" not in response.headers:
                response.failure(f"{response.status_code} without a Deprecation header")


class SandboxTester(TokenHolder):
    weight = 1
    wait_time = between(0.5, 2.0)
    app_name = "sandbox_app"

    @task(3)
    def example(self) -> None:
        self.client.get(
            "/sandbox/houjin/v2/corporations/7000012050002",
            headers=self.bearer(),
            name="/sandbox/houjin/v2/corporations/{number}",
        )

    @task(1)
    def asked_for_404(self) -> None:
        with self.client.get(
            "/sandbox/postal/v1/postal_codes/1000013",
            headers={**self.bearer(), "Prefer": "code=404"},
            name="/sandbox/postal/v1/postal_codes/{code} (Prefer: code=404)",
            catch_response=True,
        ) as response:
            if response.status_code == 404:
                response.success()
            else:
                response.failure(f"expected the example 404, got {response.status_code}")


class PortalReader(HttpUser):  # type: ignore[misc]
    weight = 1
    wait_time = between(1.0, 4.0)

    @task(3)
    def page(self) -> None:
        self.client.get(random.choice(PORTAL_PAGES), name="/portal/ pages")

    @task(1)
    def stylesheet(self) -> None:
        self.client.get("/portal/stylesheets/swagger-tsunagu.css", name="/portal/ static files")
