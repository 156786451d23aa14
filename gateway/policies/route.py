"""Routing: finds the snapshot's entry for `{slug}/{version}`; 404 unknown, 410 retired or sunset.

A sunset in the past means the version is gone even before the registry retires it (RFC 8594
§3: the resource is expected to become unresponsive at that time); the 410 names the successor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer
from gateway.snapshots import SnapshotHolder
from registry.models import RouteEntry, VersionState
from registry.problems import Text
from registry.urls import api_path

_SERVED = frozenset({VersionState.PUBLISHED, VersionState.DEPRECATED})


class RoutePolicy:
    """Sets `exchange.route` for a servable version, or answers 404/410."""

    name = "route"

    def __init__(
        self,
        snapshots: SnapshotHolder,
        problems: ProblemRenderer,
        clock: Callable[[], datetime],
    ) -> None:
        self._snapshots = snapshots
        self._problems = problems
        self._clock = clock

    async def on_request(self, exchange: Exchange) -> Reply | None:
        route = self._snapshots.current.route(exchange.slug, exchange.version)
        if route is None or route.state not in (*_SERVED, VersionState.RETIRED):
            return self._not_found(exchange)
        if route.state is VersionState.RETIRED or (
            route.sunset is not None and route.sunset <= self._clock()
        ):
            return self._gone(exchange, route)
        exchange.route = route
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""

    def _not_found(self, exchange: Exchange) -> Reply:
        return self._problems.refuse(
            exchange, "not-found", api=f"{exchange.slug}/{exchange.version}"
        )

    def _gone(self, exchange: Exchange, route: RouteEntry) -> Reply:
        name = f"{route.slug}/{route.version}"
        if not route.successor:
            return self._problems.refuse(exchange, "gone", api=name, successor="")
        successor = api_path(route.slug, route.successor)
        hint = Text(f" 後継の {successor} をご利用ください。", f" Use {successor} instead.")
        return self._problems.refuse(
            exchange, "gone", extra={"successor": successor}, api=name, successor=hint
        )
