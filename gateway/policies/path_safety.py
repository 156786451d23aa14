"""Path safety: refuses paths that could climb out of the API's base path, or that the server
decoded lossily, before any handler sees them (400 `bad-request`).

It is the last step of the policy tuple, so every other policy has had its say (a 401 or 429
still wins over a 400), and `DataPlane` refuses a tuple without it: the proxy forwards
`rest_path` as it stands and relies on this check.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from gateway.pipeline import PATH_SAFETY, Exchange, Reply, Scope
from gateway.problems import ProblemRenderer


class PathSafetyPolicy:
    """Answers 400 for dot segments, backslashes and percent-decoded bytes that are not UTF-8."""

    name = PATH_SAFETY

    def __init__(self, problems: ProblemRenderer) -> None:
        self._problems = problems

    async def on_request(self, exchange: Exchange) -> Reply | None:
        if safe_path(exchange.rest_path) and utf8_path(exchange.scope):
            return None
        return self._problems.refuse(exchange, "unsafe-path")

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""


def utf8_path(scope: Scope) -> bool:
    """False when the percent-decoded path is not UTF-8: the server has already replaced such
    bytes with U+FFFD, so forwarding `scope["path"]` would send the upstream another path."""
    raw = scope.get("raw_path")
    if not raw or b"%" not in raw:
        return True
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def safe_path(rest_path: str) -> bool:
    """False for dot segments and backslashes, which could climb out of the API's base path.
    A segment's path parameters do not hide it: Java servers read `..;x` as `..`."""
    if "\\" in rest_path:
        return False
    if "/." not in rest_path:
        return True
    return not any(segment.partition(";")[0] in (".", "..") for segment in rest_path.split("/"))
