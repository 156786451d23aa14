"""The database goes away: the gateway keeps serving its last snapshot and says it is not ready."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import create_app, seed_echo
from tests.e2e.harness import serve
from tests.e2e.tcp_forwarder import TcpForwarder
from tests.e2e.test_gateway import poll
from tests.e2e.upstream import echo_app, upstream_server
from tests.services import postgres_schema

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_gateway_serves_the_last_snapshot_while_the_store_is_down(tmp_path: Path) -> None:
    with postgres_schema() as direct_url, upstream_server(echo_app) as upstream:
        forwarder = TcpForwarder("127.0.0.1", 5432)
        forwarder.start()
        try:
            env = {
                "TSUNAGU_DATABASE_URL": direct_url.replace(":5432/", f":{forwarder.port}/"),
                "TSUNAGU_UPSTREAM_ALLOW": "127.0.0.1",
                "TSUNAGU_VAR_DIR": str(tmp_path / "var"),
            }
            seed_echo(env, tmp_path, upstream)
            app = create_app(env, "echo")
            with serve(env, tmp_path) as server:
                token = app.token(server)
                url = server.base_url + "/api/echo/v1/corporations"
                auth = {"Authorization": f"Bearer {token}"}
                assert requests.get(url, headers=auth, timeout=10).status_code == 200

                forwarder.cut()
                ready = server.base_url + "/readyz"
                assert poll(lambda: requests.get(ready, timeout=10).status_code == 503, 15)
                for _ in range(5):
                    assert requests.get(url, headers=auth, timeout=10).status_code == 200
                refused = requests.post(
                    server.base_url + "/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=(app.client_id, app.client_secret),
                    timeout=30,
                )
                assert refused.status_code == 503, refused.text
                assert "Traceback" not in server.log()

                forwarder.mend()
                assert poll(lambda: requests.get(ready, timeout=10).status_code == 200, 15)
        finally:
            forwarder.stop()
