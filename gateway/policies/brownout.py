"""Brownouts: inside one of a deprecated version's announced windows, answer 410 `brownout`.

The windows travel in the route entry of the snapshot (`RouteEntry.brownouts`), so the request
path asks no store: it compares the clock with the few windows of one route. The answer names
the sunset, the end of the window and the successor, as problem+json members too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer
from registry.clock import japan_iso
from registry.models import Brownout, RouteEntry
from registry.problems import Text
from registry.urls import api_path


class BrownoutPolicy:
    """Refuses calls to a version during one of its brownout windows."""

    name = "brownout"

    def __init__(self, problems: ProblemRenderer, clock: Callable[[], datetime]) -> None:
        self._problems = problems
        self._clock = clock

    async def on_request(self, exchange: Exchange) -> Reply | None:
        route = exchange.route
        if route is None or not route.brownouts:
            return None
        now = self._clock()
        for window in route.brownouts:
            if window.covers(now):
                return self._refuse(exchange, route, window)
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""

    def _refuse(self, exchange: Exchange, route: RouteEntry, window: Brownout) -> Reply:
        sunset = japan_iso(route.sunset) if route.sunset else "-"
        extra: dict[str, str] = {"sunset": sunset, "brownout_ends": japan_iso(window.end)}
        hint: str | Text = ""
        if route.successor:
            successor = api_path(route.slug, route.successor)
            extra["successor"] = successor
            hint = Text(f" 後継の {successor} をご利用ください。", f" Use {successor} instead.")
        return self._problems.refuse(
            exchange,
            "brownout",
            extra=extra,
            api=f"{route.slug}/{route.version}",
            sunset=sunset,
            until=japan_iso(window.end),
            successor=hint,
        )
