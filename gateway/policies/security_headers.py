"""HTTP Strict Transport Security (RFC 6797 §6.1) on every API response when served over https."""

from __future__ import annotations

from gateway.pipeline import Exchange, Header, Reply
from registry.settings import Settings

_HSTS: Header = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


class SecurityHeadersPolicy:
    """Adds HSTS when `settings.public_url` is https; runs early so error replies carry it too."""

    name = "security_headers"

    def __init__(self, settings: Settings) -> None:
        self._https = settings.public_url.lower().startswith("https://")

    async def on_request(self, exchange: Exchange) -> Reply | None:
        if self._https:
            exchange.response_headers.append(_HSTS)
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to do after the response."""
