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
        exchange.error_code = "not-found"
        name = f"{exchange.slug}/{exchange.version}"
        detail = (
            f"There is no API {name}."
            if exchange.language == "en"
            else f"API {name} は登録されていません。"
        )
        return self._problems.reply(
            "not-found", detail, request_id=exchange.request_id, language=exchange.language
        )

    def _gone(self, exchange: Exchange, route: RouteEntry) -> Reply:
        exchange.error_code = "gone"
        name = f"{route.slug}/{route.version}"
        extra: dict[str, object] | None = None
        if exchange.language == "en":
            detail = f"{name} has been retired."
        else:
            detail = f"{name} は提供を終了しました。"
        if route.successor:
            successor = f"/api/{route.slug}/{route.successor}/"
            extra = {"successor": successor}
            detail += (
                f" Use {successor} instead."
                if exchange.language == "en"
                else f" 後継の {successor} をご利用ください。"
            )
        return self._problems.reply(
            "gone",
            detail,
            request_id=exchange.request_id,
            language=exchange.language,
            extra=extra,
        )
