"""The pure-ASGI data plane, driven by direct ASGI calls."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest

from gateway.asgi import DataPlane
from gateway.pipeline import Exchange, Message, Reply, Scope, Send
from gateway.policies.path_safety import PathSafetyPolicy
from gateway.policies.request_id import RequestIdPolicy
from gateway.problems import ProblemRenderer

Messages = list[Message]


@dataclass
class Recorder:
    """A policy that records what it saw and can answer or fail on request."""

    name: str
    log: list[str]
    reply: Reply | None = None
    fail_complete: bool = False
    seen: list[Exchange] = field(default_factory=list)

    async def on_request(self, exchange: Exchange) -> Reply | None:
        self.log.append(f"{self.name}.request")
        self.seen.append(exchange)
        exchange.response_headers.append((b"x-" + self.name.encode(), b"1"))
        return self.reply

    def on_complete(self, exchange: Exchange) -> None:
        self.log.append(f"{self.name}.complete:{exchange.status}")
        if self.fail_complete:
            raise RuntimeError("metrics backend down")


class Handler:
    def __init__(self, fail: str = "") -> None:
        self.fail = fail
        self.calls: list[Exchange] = []

    async def __call__(self, exchange: Exchange, send: Send) -> None:
        self.calls.append(exchange)
        if self.fail == "before":
            raise ValueError("secret internal detail")
        exchange.status = 200
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if self.fail == "after":
            raise ValueError("upstream went away")
        await send({"type": "http.response.body", "body": b"ok"})


class Fallback:
    def __init__(self) -> None:
        self.scopes: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        self.scopes.append(scope)


def scope(path: str, **extra: Any) -> Scope:
    base: Scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": [],
        "client": ("203.0.113.9", 50000),
        "scheme": "http",
    }
    base.update(extra)
    return base


async def call(app: DataPlane, s: Scope) -> Messages:
    sent: Messages = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(s, receive, send)
    return sent


def plane(
    policies: list[Any], handler: Handler, fallback: Fallback | None = None, **kw: Any
) -> DataPlane:
    return DataPlane(
        [*policies, PathSafetyPolicy(ProblemRenderer("https://gw.example"))],
        {"api": handler, "sandbox": handler},
        ProblemRenderer("https://gw.example"),
        fallback or Fallback(),
        **kw,
    )


@pytest.mark.parametrize(
    "s",
    [
        scope("/healthz"),
        scope("/apix/tax/v1/"),
        scope("/api"),
        {"type": "lifespan"},
        {"type": "websocket", "path": "/api/tax/v1/"},
    ],
)
async def test_other_paths_and_scopes_go_to_the_fallback(s: Scope) -> None:
    fallback, handler = Fallback(), Handler()
    await call(plane([], handler, fallback), s)
    assert fallback.scopes == [s]
    assert handler.calls == []


@pytest.mark.parametrize(
    ("path", "kind", "slug", "version", "rest"),
    [
        ("/api/tax/v1", "api", "tax", "v1", "/"),
        ("/api/tax/v1/", "api", "tax", "v1", "/"),
        ("/api/tax/v1/a/b", "api", "tax", "v1", "/a/b"),
        ("/sandbox/pop/v2/x", "sandbox", "pop", "v2", "/x"),
        ("/api/tax", "api", "tax", "", "/"),
    ],
)
async def test_path_is_parsed_into_the_exchange(
    path: str, kind: str, slug: str, version: str, rest: str
) -> None:
    handler = Handler()
    await call(plane([], handler), scope(path, query_string=b"a=1"))
    (exchange,) = handler.calls
    assert (exchange.kind, exchange.slug, exchange.version) == (kind, slug, version)
    assert exchange.rest_path == rest
    assert exchange.query_string == b"a=1"


async def test_policies_run_in_order_and_complete_once_each() -> None:
    log: list[str] = []
    handler = Handler()
    await call(plane([Recorder("a", log), Recorder("b", log)], handler), scope("/api/t/v1/"))
    assert log == ["a.request", "b.request", "a.complete:200", "b.complete:200"]
    assert len(handler.calls) == 1


async def test_a_reply_ends_the_pipeline_and_carries_response_headers() -> None:
    log: list[str] = []
    stop = Recorder("b", log, reply=Reply(status=418, body=b"tea", headers=[(b"x-r", b"y")]))
    handler = Handler()
    sent = await call(
        plane([Recorder("a", log), stop, Recorder("c", log)], handler), scope("/api/t/v1/")
    )
    assert handler.calls == []
    assert log == ["a.request", "b.request", "a.complete:418", "b.complete:418", "c.complete:418"]
    start, body = sent
    assert start["status"] == 418
    assert start["headers"] == [
        (b"x-r", b"y"),
        (b"x-a", b"1"),
        (b"x-b", b"1"),
        (b"content-length", b"3"),
    ]
    assert body["body"] == b"tea"


async def test_handler_error_before_sending_is_a_500_problem_without_internals(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log: list[str] = []
    app = plane([RequestIdPolicy(), Recorder("a", log)], Handler(fail="before"))
    with caplog.at_level(logging.ERROR, logger="tsunagu.gateway"):
        sent = await call(app, scope("/api/t/v1/", headers=[(b"x-request-id", b"rid-7")]))
    start, body = sent
    assert start["status"] == 500
    problem = orjson.loads(body["body"])
    assert problem["type"].endswith("#internal") and problem["request_id"] == "rid-7"
    assert b"secret internal detail" not in body["body"]
    assert b"Traceback" not in body["body"]
    assert (b"x-request-id", b"rid-7") in start["headers"]
    assert log == ["a.request", "a.complete:500"]
    assert any("rid-7" in r.getMessage() for r in caplog.records)


async def test_handler_error_after_start_propagates_so_the_server_aborts() -> None:
    log: list[str] = []
    app = plane([Recorder("a", log)], Handler(fail="after"))
    with pytest.raises(ValueError, match="upstream went away"):
        await call(app, scope("/api/t/v1/"))
    assert log == ["a.request", "a.complete:200"]


async def test_a_failing_on_complete_does_not_skip_the_others() -> None:
    log: list[str] = []
    app = plane([Recorder("a", log, fail_complete=True), Recorder("b", log)], Handler())
    sent = await call(app, scope("/api/t/v1/"))
    assert sent[0]["status"] == 200
    assert log[-2:] == ["a.complete:200", "b.complete:200"]


async def test_dot_segments_are_refused_before_the_handler() -> None:
    handler = Handler()
    for path in ("/api/t/v1/../../admin", "/api/t/v1/a/./b", "/api/t/v1/a\\..\\b"):
        sent = await call(plane([], handler), scope(path))
        assert sent[0]["status"] == 400
    await call(plane([], handler), scope("/api/t/v1/a/.well-known/x..y"))
    assert len(handler.calls) == 1


XFF = [(b"x-forwarded-for", b"198.51.100.1, 192.0.2.77"), (b"x-forwarded-for", b"10.0.0.5")]


@pytest.mark.parametrize(
    ("peer", "trusted", "expected"),
    [
        ("203.0.113.9", None, "203.0.113.9"),  # no trusted proxies: XFF ignored
        ("203.0.113.9", "10.0.0.0/8", "203.0.113.9"),  # peer not trusted: XFF ignored
        ("10.0.0.1", "10.0.0.0/8", "192.0.2.77"),  # right-most untrusted entry
        ("10.0.0.1", "10.0.0.0/8, 192.0.2.77", "198.51.100.1"),
    ],
)
async def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(
    peer: str, trusted: str | None, expected: str
) -> None:
    handler = Handler()
    app = plane([], handler, trusted_proxies=trusted)
    await call(app, scope("/api/t/v1/", headers=XFF, client=(peer, 1234)))
    assert handler.calls[0].client_ip == expected


@pytest.mark.parametrize(
    ("header", "language"), [(b"en-US,en;q=0.9", "en"), (b"ja,en;q=0.5", "ja"), (None, "ja")]
)
async def test_language_from_accept_language(header: bytes | None, language: str) -> None:
    handler = Handler()
    headers = [(b"accept-language", header)] if header else []
    await call(plane([], handler), scope("/api/t/v1/", headers=headers))
    assert handler.calls[0].language == language


def test_a_policy_tuple_without_the_path_safety_step_is_refused() -> None:
    with pytest.raises(ValueError, match="path-safety"):
        DataPlane([], {"api": Handler()}, ProblemRenderer("https://gw.example"), Fallback())
