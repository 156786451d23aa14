"""Webhook deliveries, signed by the Standard Webhooks convention, sent through the SSRF guard.

Headers: `webhook-id` (the delivery id, the same on every attempt, so a receiver drops
duplicates), `webhook-timestamp` (this attempt, Unix seconds) and `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the app's `whsec_…` secret; the
`standardwebhooks` library computes it). Connections go only to addresses the upstream address
policy allows (IP literals are checked here, names by the resolver given in, the gateway's
guarded one); redirects are not followed. A 2xx answer is a delivery; any other answer or a
network error is retried; an address the policy refuses fails at once.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from standardwebhooks.webhooks import Webhook as Signer

from registry.address_policy import UpstreamGuard, UpstreamRefused
from registry.clock import Clock, utc_now
from registry.notices.models import Delivery, Webhook
from registry.notices.sending import DeliveryError

WebhookLookup = Callable[[str], Awaitable[Webhook | None]]
USER_AGENT = "Tsunagu-Notices/1 (+https://www.standardwebhooks.com/)"


def new_webhook_secret() -> str:
    """A fresh signing secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(
    delivery_id: str, body: str, secret: str, clock: Clock = utc_now
) -> dict[str, str]:
    now = clock().astimezone(UTC).replace(microsecond=0)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Signer(secret).sign(delivery_id, now, body),
    }


class WebhookSender:
    """POSTs webhook deliveries; `start()` in the running loop, `close()` at the end."""

    def __init__(
        self,
        lookup: WebhookLookup,
        guard: UpstreamGuard,
        resolver: AbstractResolver,
        timeout: float,
    ) -> None:
        self._lookup = lookup
        self._guard = guard
        self._resolver = resolver
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        await self._started()

    async def _started(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(resolver=self._resolver, use_dns_cache=False)
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            )
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def send(self, delivery: Delivery) -> None:
        hook = await self._lookup(delivery.recipient)
        if hook is None:
            raise DeliveryError("the app has no webhook any more", permanent=True)
        session = await self._started()
        headers = signed_headers(delivery.id, delivery.body, hook.secret)
        try:
            self._guard.check_literal(urlsplit(hook.url).hostname or "")  # the resolver sees names
            async with session.post(
                hook.url, data=delivery.body.encode(), headers=headers, allow_redirects=False
            ) as response:
                if not 200 <= response.status < 300:
                    raise DeliveryError(f"webhook answered HTTP {response.status}")
        except UpstreamRefused as exc:  # the address policy will not change its mind in a day
            raise DeliveryError(f"address not allowed: {exc.host}", permanent=True) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"webhook unreachable: {type(exc).__name__}: {exc}") from exc
