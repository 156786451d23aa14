"""W3C Trace Context on the upstream hop: continue a valid trace with the gateway's span, or
start one; checked on the parser's table and against a real upstream that records headers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from gateway.proxy.headers import trace_context
from tests.gateway.dataplane.routes import make_route
from tests.gateway.proxy.servers import Upstream, echo_upstream, gateway
from tests.gateway.proxy.test_proxy import header_map

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
VALID = f"00-{TRACE}-{PARENT}-01"
TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")


@pytest.mark.parametrize(
    ("sent", "flags"),
    [
        (VALID, "01"),
        (f"00-{TRACE}-{PARENT}-00", "00"),
        (f"00-{TRACE}-{PARENT}-ff", "03"),  # reserved flag bits are not passed on
        (f"cc-{TRACE}-{PARENT}-01-future-field", "01"),  # a later version's extra fields
        (f"cc-{TRACE}-{PARENT}-01", "01"),
        (f"  {VALID} ", "01"),
    ],
)
def test_a_valid_traceparent_is_continued_with_a_new_span(sent: str, flags: str) -> None:
    context = trace_context([(b"traceparent", sent.encode()), (b"tracestate", b"a=1")])
    assert (context.trace_id, context.flags, context.state) == (TRACE, flags, "a=1")
    assert context.span_id != PARENT and re.fullmatch("[0-9a-f]{16}", context.span_id)
    assert context.traceparent() == f"00-{TRACE}-{context.span_id}-{flags}"


@pytest.mark.parametrize(
    "sent",
    [
        [],
        [VALID.upper()],  # upper-case hex
        [f"ff-{TRACE}-{PARENT}-01"],  # version ff is invalid
        [f"00-{TRACE}-{PARENT}-01-extra"],  # version 00 has exactly four fields
        [f"00-{'0' * 32}-{PARENT}-01"],  # all-zero trace id
        [f"00-{TRACE}-{'0' * 16}-01"],  # all-zero parent id
        [f"00-{TRACE[:-1]}-{PARENT}-01"],
        [f"00_{TRACE}_{PARENT}_01"],
        [VALID, f"00-{TRACE[::-1]}-{PARENT}-01"],  # two traceparent fields
        ["00-日本-x"],
    ],
)
def test_an_absent_or_invalid_traceparent_starts_a_trace(sent: list[str]) -> None:
    headers = [(b"traceparent", value.encode()) for value in sent]
    context = trace_context([*headers, (b"tracestate", b"a=1")])
    assert context.trace_id != TRACE and re.fullmatch("[0-9a-f]{32}", context.trace_id)
    assert context.trace_id != "0" * 32
    assert context.flags == "01"
    assert context.state is None  # tracestate only travels with its valid traceparent


def test_tracestate_fields_are_joined_in_order() -> None:
    headers = [
        (b"tracestate", b"a=1,b=2"),
        (b"traceparent", VALID.encode()),
        (b"tracestate", b"c=3"),
    ]
    assert trace_context(headers).state == "a=1,b=2,c=3"


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with echo_upstream() as state:
        yield state


async def _sent_upstream(upstream: Upstream, headers: dict[str, str]) -> dict[str, list[str]]:
    async with (
        gateway([make_route(upstream_url=upstream.url + "/")]) as gw,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http,
        http.get(gw + "/api/tax/v1/items", headers=headers) as response,
    ):
        assert response.status == 200
        return header_map(await response.json())


async def test_the_upstream_gets_the_callers_trace_with_the_gateways_span(
    upstream: Upstream,
) -> None:
    received = await _sent_upstream(
        upstream, {"traceparent": VALID, "tracestate": "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"}
    )
    (traceparent,) = received["traceparent"]
    match = TRACEPARENT.fullmatch(traceparent)
    assert match is not None
    assert match.group(1) == TRACE and match.group(3) == "01"
    assert match.group(2) != PARENT
    assert received["tracestate"] == ["congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"]


@pytest.mark.parametrize("sent", [{}, {"traceparent": "garbage", "tracestate": "a=1"}])
async def test_without_a_valid_trace_the_gateway_starts_one(
    upstream: Upstream, sent: dict[str, str]
) -> None:
    received = await _sent_upstream(upstream, sent)
    (traceparent,) = received["traceparent"]
    match = TRACEPARENT.fullmatch(traceparent)
    assert match is not None and match.group(3) == "01"
    assert "tracestate" not in received
