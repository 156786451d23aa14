"""PostgreSQL stops answering (a relay that accepts connections and forwards nothing): every
wait is bounded, nothing internal reaches a caller, and the gateway recovers by itself."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from registry.problems import CATALOGUE
from tests.e2e.harness import Server, cli, serve
from tests.e2e.tcp_forwarder import TcpForwarder
from tests.faults.conftest import Seeded, figure, seed, until
from tests.services import postgres_schema

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("faults")]
FIXED_DETAIL = {
    "en": CATALOGUE["store-unavailable"].detail_en,
    "ja": CATALOGUE["store-unavailable"].detail_ja,
}
INTERNALS = re.compile(r"127\.0\.0\.1|port \d|connection to server|psycopg|timeout expired")


@pytest.fixture
def relay() -> Iterator[TcpForwarder]:
    forwarder = TcpForwarder("127.0.0.1", 5432)
    forwarder.start()
    try:
        yield forwarder
    finally:
        forwarder.stop()


@pytest.fixture
def seeded(tmp_path: Path, upstream: str, relay: TcpForwarder) -> Iterator[Seeded]:
    with postgres_schema() as direct_url:
        url = direct_url.replace(":5432/", f":{relay.port}/")
        yield seed({"TSUNAGU_DATABASE_URL": url}, tmp_path, upstream)


def _token(server: Server, client_id: str, secret: str, language: str) -> requests.Response:
    return requests.post(
        server.base_url + "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        headers={"Accept-Language": language, "X-Request-ID": f"fault-{language}-{client_id}"},
        timeout=10,  # the gateway's own budget is 5 s
    )


def test_a_blackholed_store_gets_bounded_answers_without_internals(
    seeded: Seeded, relay: TcpForwarder, tmp_path: Path
) -> None:
    with serve(seeded.env, tmp_path) as server:
        api = server.base_url + "/api/echo/v1/corporations"
        auth = {"Authorization": f"Bearer {seeded.app.token(server)}"}
        ready = server.base_url + "/readyz"
        assert requests.get(ready, timeout=2).status_code == 200

        relay.blackhole()
        started = time.monotonic()
        probe = requests.get(ready, timeout=2)  # a probe that hangs fails here
        figure("store blackholed: /readyz answered 503 in", time.monotonic() - started)
        assert probe.status_code == 503 and "store" in probe.json()["checks"], probe.text

        for client_id, secret in ((seeded.app.client_id, seeded.app.client_secret), ("x", "y")):
            for language in ("en", "ja"):
                started = time.monotonic()
                refused = _token(server, client_id, secret, language)
                figure("store blackholed: /oauth/token answered 503 in", time.monotonic() - started)
                assert refused.status_code == 503, refused.text
                assert refused.headers["content-type"] == "application/problem+json"
                body = refused.json()
                assert body["detail"] == FIXED_DETAIL[language], body
                shown = " ".join(str(v) for k, v in body.items() if k != "type")  # type: the URL
                assert not INTERNALS.search(shown), refused.text
                rid = f"fault-{language}-{client_id}"
                assert body["request_id"] == rid
                until(
                    lambda p=rf"Cause: \S.*request_id={rid}": bool(re.search(p, server.log())),
                    5,
                    "the cause is logged",
                )

        assert requests.get(api, headers=auth, timeout=5).status_code == 200  # from the snapshot

        started = time.monotonic()
        listing = cli(seeded.env, "api", "list", check=False, timeout=20)
        figure("store blackholed: the CLI gave up after", time.monotonic() - started)
        lines = listing.stderr.strip().splitlines()
        assert listing.returncode == 2 and len(lines) == 1, listing.stderr
        assert lines[0].endswith("（store-unavailable）") and "原因" in lines[0], lines[0]

        relay.mend()
        back = until(lambda: requests.get(ready, timeout=2).status_code == 200, 20, "ready again")
        figure("store back: /readyz 200 again after", back)
        assert seeded.app.token(server)
        assert "Traceback" not in server.log()
