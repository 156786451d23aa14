"""The sandbox handler driven through its ASGI interface (a real body in, messages out)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import orjson
import pytest

from gateway.compiled_routes import CompiledRoutes
from gateway.pipeline import Exchange, Message
from gateway.problems import ProblemRenderer
from gateway.sandbox.handler import SandboxHandler
from gateway.sandbox.index import Match
from registry.models import RouteEntry
from tests.gateway.sandbox.documents import houjin, route_for

TOKYO = {"corporate_number": "1000012345678", "name": "株式会社つなぐ", "postal_code": "1000001"}


class Response:
    def __init__(self, messages: list[Message]) -> None:
        start, body = messages
        assert start["type"] == "http.response.start"
        assert body["type"] == "http.response.body"
        self.status: int = start["status"]
        self.headers: list[tuple[bytes, bytes]] = start["headers"]
        self.body: bytes = body["body"]

    def header(self, name: str) -> str | None:
        found = [v.decode() for k, v in self.headers if k == name.encode()]
        assert len(found) <= 1, found
        return found[0] if found else None

    def json(self) -> Any:
        return orjson.loads(self.body)


async def call(
    method: str,
    path: str,
    *,
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    chunks: list[bytes] | None = None,
    document: Mapping[str, Any] | None = None,
    route: RouteEntry | None = None,
    handler: SandboxHandler | None = None,
) -> tuple[Response, Exchange]:
    pending: list[Message] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks or []) - 1}
        for i, c in enumerate(chunks or [b""])
    ]

    async def receive() -> Message:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    exchange = Exchange(
        scope={"type": "http"},
        receive=receive,
        kind="sandbox",
        method=method,
        slug="houjin",
        version="v1",
        rest_path=path,
        query_string=query,
        request_headers=headers or [],
        started_ns=time.monotonic_ns(),
        request_id="req-1",
        route=route or route_for(document if document is not None else houjin()),
        response_headers=[(b"x-request-id", b"req-1")],
    )
    handler = handler or SandboxHandler(
        ProblemRenderer("https://tsunagu.example.jp"), CompiledRoutes(), max_body_bytes=1024
    )
    await handler(exchange, send)
    return Response(sent), exchange


async def test_answers_with_the_example_in_utf8_and_marks_the_sandbox() -> None:
    response, exchange = await call("GET", "/corporations/1000012345678")
    assert response.status == 200 == exchange.status
    assert response.header("content-type") == "application/json"
    assert response.header("x-tsunagu-sandbox") == "true"
    assert response.header("x-request-id") == "req-1"
    assert response.header("content-length") == str(len(response.body))
    assert response.json() == TOKYO
    assert "株式会社つなぐ".encode() in response.body  # not \u-escaped
    assert exchange.error_code is None


async def test_prefer_code_sends_the_problem_example() -> None:
    response, _ = await call(
        "GET", "/corporations/1000012345678", headers=[(b"prefer", b"code=404")]
    )
    assert response.status == 404
    assert response.header("content-type") == "application/problem+json"
    assert response.header("preference-applied") == "code=404"
    assert response.json()["title"] == "法人が見つかりません"


async def test_unknown_preference_is_a_sandbox_validation_problem() -> None:
    response, exchange = await call(
        "GET", "/corporations/1000012345678", headers=[(b"prefer", b"example=kyoto")]
    )
    assert response.status == 400
    problem = response.json()
    assert problem["type"].endswith("#sandbox-validation")
    assert problem["errors"][0]["in"] == "header"
    assert "osaka, tokyo" in problem["errors"][0]["message"]
    assert exchange.error_code == "sandbox-validation"


async def test_validation_problem_lists_every_violation() -> None:
    response, exchange = await call(
        "POST",
        "/corporations",
        headers=[(b"content-type", b"application/json"), (b"accept-language", b"en")],
        chunks=[b'{"corporate_number": "12", ', b'"contact": "x@example.jp"}'],
    )
    assert response.status == 400
    assert response.header("content-type") == "application/problem+json"
    assert response.header("x-tsunagu-sandbox") == "true"
    problem = response.json()
    assert problem["request_id"] == "req-1"
    assert sorted((e["in"], e["pointer"]) for e in problem["errors"]) == [
        ("body", "/corporate_number"),
        ("body", "/name"),
    ]
    assert exchange.status == 400


async def test_valid_post_gets_a_synthesised_201() -> None:
    body = orjson.dumps(
        {"corporate_number": "1000012345678", "name": "つなぐ", "contact": "a@example.jp"}
    )
    response, _ = await call(
        "POST", "/corporations", headers=[(b"content-type", b"application/json")], chunks=[body]
    )
    assert response.status == 201
    assert response.json()["corporate_number"] == "1234567890123"


async def test_unknown_path_and_method() -> None:
    missing, exchange = await call("GET", "/nowhere")
    assert missing.status == 404
    assert exchange.error_code == "operation-not-found"
    assert "/nowhere" in missing.json()["detail"]
    wrong, _ = await call("PATCH", "/corporations/1000012345678")
    assert wrong.status == 405
    assert wrong.header("allow") == "GET, DELETE, HEAD"
    assert wrong.json()["type"].endswith("#method-not-allowed")


@pytest.mark.parametrize(
    ("headers", "chunks"),
    [
        ([(b"content-length", b"5000")], [b"{}"]),  # refused on the declared length
        ([], [b"x" * 600, b"y" * 600]),  # refused while streaming
    ],
)
async def test_bodies_over_the_bound_are_refused(
    headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> None:
    response, exchange = await call("POST", "/corporations", headers=headers, chunks=chunks)
    assert response.status == 413
    assert exchange.error_code == "payload-too-large"


async def test_head_sends_headers_only_and_text_bodies_are_utf8() -> None:
    head, _ = await call("HEAD", "/files/a.json")
    assert head.status == 200
    assert head.body == b""
    assert head.header("content-length") == str(len("こんにちは".encode()))
    text, _ = await call("GET", "/files/a.json")
    assert text.body.decode("utf-8") == "こんにちは"
    assert text.header("content-type") == "text/plain"


async def test_a_broken_document_is_an_internal_problem_not_a_crash() -> None:
    document = houjin()
    document["paths"]["/tree"]["get"]["responses"]["200"]["content"]["application/json"] = {
        "schema": {"$ref": "#/components/schemas/Missing"}
    }
    response, exchange = await call("GET", "/tree", document=document)
    assert response.status == 500
    assert "Missing" in response.json()["detail"]
    assert exchange.error_code == "sandbox-unservable"
    document = houjin()
    document["paths"]["/corporations/search"]["get"]["parameters"][0]["schema"] = {
        "type": "string",
        "pattern": r"^\p{Han}+$",
    }
    response, _ = await call("GET", "/corporations/search", query=b"q=abc", document=document)
    assert response.status == 500


async def test_index_is_reused_across_requests_for_the_same_route() -> None:
    routes = CompiledRoutes()
    handler = SandboxHandler(ProblemRenderer("https://tsunagu.example.jp"), routes)
    route = route_for(houjin())
    await call("GET", "/corporations/1000012345678", route=route, handler=handler)
    index = routes.for_entry(route).document.sandbox_index()
    found = index.match("GET", "/corporations/1000012345678")
    assert isinstance(found, Match)
    compiled = found.operation.compiled
    assert compiled is not None
    await call("GET", "/corporations/1000012345678", route=route, handler=handler)
    assert routes.for_entry(route).document.sandbox_index() is index
    assert index.match("GET", "/corporations/1000012345678") == found
    assert found.operation.compiled is compiled


async def test_a_preferred_204_has_neither_content_nor_content_length() -> None:
    document = houjin()
    operation = document["paths"]["/corporations/{corporate_number}"]["get"]
    operation["responses"]["204"] = {
        "description": "a document mistake: content on a 204",
        "content": {"application/json": {"example": {"x": 1}}},
    }
    response, _ = await call(
        "GET", "/corporations/1000012345678", headers=[(b"prefer", b"code=204")], document=document
    )
    assert response.status == 204
    assert response.body == b""
    assert response.header("content-length") is None
    assert response.header("content-type") is None
