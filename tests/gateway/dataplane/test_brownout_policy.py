"""The brownout policy: 410 `brownout` inside a window of the route entry, nothing outside."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from gateway.policies.brownout import BrownoutPolicy
from gateway.problems import ProblemRenderer
from registry.models import Brownout, RouteEntry, VersionState
from tests.gateway.dataplane.exchanges import make_exchange
from tests.gateway.dataplane.routes import NOW, make_route

WINDOW = Brownout(start=NOW, end=NOW + timedelta(minutes=30))
SUNSET = NOW + timedelta(days=100)


def policy_at(offset: timedelta) -> BrownoutPolicy:
    return BrownoutPolicy(ProblemRenderer("https://api.example.go.jp"), lambda: NOW + offset)


def deprecated(successor: str | None = "v2") -> RouteEntry:
    return make_route(
        state=VersionState.DEPRECATED,
        deprecated_at=NOW - timedelta(days=10),
        sunset=SUNSET,
        successor=successor,
        brownouts=(WINDOW,),
    )


@pytest.mark.parametrize(
    "offset", [timedelta(seconds=-1), timedelta(minutes=30), timedelta(days=1)]
)
async def test_outside_the_window_the_call_goes_on(offset: timedelta) -> None:
    exchange = make_exchange()
    exchange.route = deprecated()
    assert await policy_at(offset).on_request(exchange) is None
    assert exchange.error_code is None


async def test_inside_the_window_the_answer_is_410_naming_successor_and_sunset() -> None:
    exchange = make_exchange()
    exchange.route = deprecated()
    reply = await policy_at(timedelta(minutes=29, seconds=59)).on_request(exchange)
    assert reply is not None and reply.status == 410
    assert exchange.error_code == "brownout"
    body = json.loads(reply.body)
    assert body["type"] == "https://api.example.go.jp/portal/errors/#brownout"
    assert body["successor"] == "/api/tax/v2/"
    assert body["sunset"] == "2027-03-08T21:00:00+09:00"
    assert body["brownout_ends"] == "2026-11-28T21:30:00+09:00"
    assert "/api/tax/v2/" in body["detail"] and "2027-03-08T21:00:00+09:00" in body["detail"]


async def test_without_a_successor_the_answer_names_none() -> None:
    exchange = make_exchange()
    exchange.route = deprecated(successor=None)
    reply = await policy_at(timedelta(0)).on_request(exchange)
    assert reply is not None
    assert "successor" not in json.loads(reply.body)


async def test_a_route_without_windows_is_not_touched() -> None:
    exchange = make_exchange()
    exchange.route = make_route()
    assert await policy_at(timedelta(0)).on_request(exchange) is None
