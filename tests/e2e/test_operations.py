"""What an operator sees of a real `tsunagu serve`: the start-up line (and the warning for
workers without Redis), a 502's request id in the log, the access log, and /metrics on its own
address behind a token."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from gateway.logs import ACCESS_KEYS
from tests.e2e.conftest import App, create_app, seed_echo
from tests.e2e.documents import write_variant
from tests.e2e.harness import TSUNAGU, Server, cli, serve, stop
from tests.e2e.upstream import echo_app, upstream_server
from tests.services import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("operations")]  # one served gateway
METRICS_TOKEN = "metrics-token-" + "x" * 20
TRACE = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE}-b7ad6b7169203331-01"


@dataclass
class Operated:
    server: Server
    env: dict[str, str]
    app: App
    token: str
    access_log: Path
    metrics_url: str

    def get(self, path: str, **headers: str) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **headers}
        return requests.get(self.server.base_url + path, headers=headers, timeout=10)


@pytest.fixture(scope="module")
def operated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Operated]:
    tmp = tmp_path_factory.mktemp("ops")
    metrics_address = f"127.0.0.1:{free_port()}"
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp / 'tsunagu.db'}",
        "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
        "TSUNAGU_VAR_DIR": str(tmp / "var"),
        "TSUNAGU_PORTAL_AUTOBUILD": "false",
        "TSUNAGU_LOG_FORMAT": "json",
        "TSUNAGU_ACCESS_LOG": str(tmp / "access.log"),
        "TSUNAGU_METRICS_ADDRESS": metrics_address,
        "TSUNAGU_METRICS_TOKEN": METRICS_TOKEN,
    }
    with ExitStack() as stack:
        upstream = stack.enter_context(upstream_server(echo_app))
        seed_echo(env, tmp, upstream)
        dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        document = write_variant(tmp, "houjin", "dead")
        cli(env, "api", "register", str(document), "--provider", "nta", "--upstream", dead)
        cli(env, "api", "publish", "dead", "v1")
        app = create_app(env, "echo dead")
        server = stack.enter_context(serve(env, tmp))
        yield Operated(
            server,
            env,
            app,
            app.token(server),
            tmp / "access.log",
            f"http://{metrics_address}",
        )


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _wait_for(read: Callable[[], str], needle: str, seconds: float = 15) -> str:
    """Poll `read()` until it contains `needle` (the writers are threads), bounded."""
    end = time.monotonic() + seconds
    text = ""
    while time.monotonic() < end:
        text = read()
        if needle in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} never appeared in:\n{text}")


def test_the_start_up_line_names_address_store_redis_workers_and_public_url(
    operated: Operated,
) -> None:
    lines = _json_lines(operated.server.log())
    port = operated.server.base_url.rsplit(":", 1)[1]
    (start,) = [line for line in lines if "serving on" in str(line["message"])]
    message = str(start["message"])
    assert start["level"] == "info" and str(start["time"]).endswith("+09:00")
    assert f"serving on http://127.0.0.1:{port}" in message
    assert "store sqlite:///" in message and "Redis no" in message and "workers 1" in message
    assert "public URL http://127.0.0.1:8000" in message
    assert not [line for line in lines if "without TSUNAGU_REDIS_URL" in str(line["message"])]


def test_several_workers_without_redis_are_warned_about_at_start(tmp_path: Path) -> None:
    log_path = tmp_path / "serve.log"
    env = {
        **os.environ,
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'tsunagu.db'}",
        "TSUNAGU_VAR_DIR": str(tmp_path / "var"),
        "TSUNAGU_PORTAL_AUTOBUILD": "false",
    }
    env.pop("TSUNAGU_REDIS_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [TSUNAGU, "serve", "--port", str(free_port()), "--workers", "3"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        text = _wait_for(log_path.read_text, "without TSUNAGU_REDIS_URL", 60)
    finally:
        stop(process)
    assert "WARNING tsunagu.logs: 3 workers without TSUNAGU_REDIS_URL" in text
    assert "every quota is 3 times the plan" in text


def test_a_502_is_in_the_log_with_the_request_id_the_client_got(operated: Operated) -> None:
    response = operated.get("/api/dead/v1/corporations")
    assert response.status_code == 502
    request_id = response.headers["X-Request-ID"]
    assert response.json()["request_id"] == request_id
    # the 5xx line is the last one the request writes (after the response went out)
    text = _wait_for(operated.server.log, f"502 bad-gateway on GET dead/v1 request_id={request_id}")
    mentioning = [line for line in _json_lines(text) if request_id in str(line["message"])]
    levels = {str(line["message"]).split(" request_id=")[0]: line["level"] for line in mentioning}
    assert levels["502 bad-gateway on GET dead/v1"] == "warning"
    # the proxy's own line says why: the retry at info, the final failure at warning
    assert (
        levels[
            "upstream failure: GET dead/v1 /api/dead/v1/corporations stage=connect"
            " error=ClientConnectorError"
        ]
        == "warning"
    )


def test_access_log_lines_have_exactly_the_keys_and_no_secrets(operated: Operated) -> None:
    ok = operated.get("/api/echo/v1/corporations?q=private-query", traceparent=TRACEPARENT)
    assert ok.status_code == 200
    assert ok.json()["query"] == "q=private-query"
    failed = operated.get("/api/dead/v1/corporations?q=private-query")
    assert failed.status_code == 502
    text = _wait_for(operated.access_log.read_text, failed.headers["X-Request-ID"])
    text = _wait_for(operated.access_log.read_text, ok.headers["X-Request-ID"])
    for secret in (operated.token, operated.app.client_secret, "private-query", "corporations"):
        assert secret not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert all(tuple(line) == ACCESS_KEYS for line in lines)
    by_id = {line["request_id"]: line for line in lines}
    served = by_id[ok.headers["X-Request-ID"]]
    assert served["trace_id"] == TRACE
    assert (served["slug"], served["version"], served["method"]) == ("echo", "v1", "GET")
    assert (served["status"], served["client_id"], served["error_code"]) == (
        200,
        operated.app.client_id,
        None,
    )
    assert str(served["time"]).endswith("+09:00")
    assert served["upstream_ms"] > 0 and served["duration_ms"] >= served["upstream_ms"]
    refused = by_id[failed.headers["X-Request-ID"]]
    assert (refused["status"], refused["error_code"]) == (502, "bad-gateway")
    assert len(str(refused["trace_id"])) == 32


def test_metrics_move_to_their_own_address_behind_the_token(operated: Operated) -> None:
    main = requests.get(operated.server.base_url + "/metrics", timeout=10)
    assert main.status_code == 404
    assert main.headers["Content-Type"] == "application/problem+json"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": METRICS_TOKEN}):
        refused = requests.get(operated.metrics_url + "/metrics", headers=headers, timeout=10)
        assert refused.status_code == 401
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert refused.json()["type"].endswith("#metrics-token-required")
    bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    scraped = requests.get(operated.metrics_url + "/metrics", headers=bearer, timeout=10)
    assert scraped.status_code == 200
    assert "tsunagu_snapshot_generation" in scraped.text
    other = requests.get(operated.metrics_url + "/admin/v1/apis", headers=bearer, timeout=10)
    assert other.status_code == 404
