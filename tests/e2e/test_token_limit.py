"""The token endpoint is rate-limited per peer (slowapi on the platform routers)."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.e2e.harness import serve


def test_token_endpoint_answers_429_problem_after_the_limit(tmp_path: Path) -> None:
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
        "TSUNAGU_TOKEN_PER_MINUTE": "3",
    }
    with serve(env, tmp_path) as server:
        statuses = []
        for _ in range(4):
            response = requests.post(
                server.base_url + "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=("tsu_unknown", "wrong"),
                timeout=10,
            )
            statuses.append(response.status_code)
        assert statuses == [401, 401, 401, 429], response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["retry-after"]) >= 1
        assert "wrong" not in server.log()


def test_behind_a_trusted_proxy_each_client_has_its_own_token_limit(tmp_path: Path) -> None:
    env = {
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
        "TSUNAGU_TOKEN_PER_MINUTE": "2",
        "TSUNAGU_TRUSTED_PROXIES": "127.0.0.1/32",
    }
    with serve(env, tmp_path) as server:

        def attempt(client_ip: str) -> int:
            return requests.post(
                server.base_url + "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=("tsu_unknown", "wrong"),
                headers={"X-Forwarded-For": client_ip},
                timeout=10,
            ).status_code

        assert [attempt("203.0.113.7") for _ in range(3)] == [401, 401, 429]
        assert attempt("203.0.113.8") == 401  # another client behind the same proxy
