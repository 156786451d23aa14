"""Registration input the edge work refuses (SECURITY-TESTS C07, D01): upstream URLs with
spaces or control characters, and documents with control characters, through the real CLI
(one line, exit 2) and the admin API (400 problem+json, never 500)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import cli
from tests.security.checks import assert_problem, bearer
from tests.security.conftest import Gateway
from tests.security.stack import write_document

BAD_UPSTREAMS = [
    "http://127.0.0.1:1/a b",
    "http://127.0.0.1:1/a\tb",
    "http://127.0.0.1:1/a\r\nX-Injected: 1",
    "http://127.0.0.1:1/a\nb",
]
CONTROL_DOCUMENT = "openapi: 3.1.0\n\u0002"


def _one_line_exit_2(result_stderr: str, returncode: int) -> None:
    assert returncode == 2, result_stderr
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result_stderr, result_stderr


@pytest.mark.parametrize("upstream", BAD_UPSTREAMS, ids=["space", "tab", "crlf", "lf"])
def test_upstream_urls_with_spaces_or_controls_are_refused(gateway: Gateway, upstream: str) -> None:
    env, tmp = gateway.seeded.env, gateway.seeded.tmp
    document = write_document(tmp, "secws", 1)
    args = ("api", "register", str(document), "--provider", "sec-a", "--upstream", upstream)
    result = cli(env, *args, check=False)
    _one_line_exit_2(result.stderr, result.returncode)
    assert "invalid-upstream-url" in result.stderr  # the catalogue code ends the line
    response = gateway.http.post(
        "/admin/v1/apis",
        headers=bearer(gateway.token("operator")),
        json={
            "provider_id": "sec-a",
            "document": document.read_text(encoding="utf-8"),
            "upstream_url": upstream,
        },
    )
    assert_problem(response, 400)
    listed = cli(env, "api", "list", "--format", "json").stdout
    assert "secws" not in listed


def test_documents_with_control_characters_are_one_line_errors(
    gateway: Gateway, tmp_path: Path
) -> None:
    env = gateway.seeded.env
    path = tmp_path / "control.yaml"
    path.write_text(CONTROL_DOCUMENT, encoding="utf-8")
    lint = cli(env, "lint", str(path), check=False)
    _one_line_exit_2(lint.stderr, lint.returncode)
    assert "U+0002" in lint.stderr
    upstream = gateway.seeded.upstream.base_url + "/secctl/v1"
    args = ("api", "register", str(path), "--provider", "sec-a", "--upstream", upstream)
    register = cli(env, *args, check=False)
    _one_line_exit_2(register.stderr, register.returncode)
    response = gateway.http.post(
        "/admin/v1/apis",
        headers=bearer(gateway.token("operator")),
        json={"provider_id": "sec-a", "document": CONTROL_DOCUMENT, "upstream_url": upstream},
    )
    body = assert_problem(response, 400)
    assert "U+0002" in body["detail"]
