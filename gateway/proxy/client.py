"""The pooled aiohttp session for the upstream hop (ADR 0003), guarded against SSRF.

One `ClientSession` per process, built in `start()` (inside the running loop, from the
lifespan) and closed in `close()`. Redirects are never followed (the handler passes
`allow_redirects=False`), cookies never kept, bodies never decompressed, and the connector's
resolver is the guard's, so every connection goes to an address that was checked. Nothing is
resent once written (aiohttp's persistent-connection retry is off).
"""

from __future__ import annotations

import aiohttp

from gateway.proxy.ssrf import GuardedResolver, Lookup, UpstreamGuard

# aiohttp adds these on its own; a proxy forwards only what the caller sent.
_SKIP_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


class UpstreamClient:
    """Owns the upstream connection pool and the per-route timeout objects."""

    def __init__(
        self,
        guard: UpstreamGuard,
        *,
        limit: int = 200,
        dns_cache_seconds: int | None = 10,
        lookup: Lookup | None = None,
    ) -> None:
        self.guard = guard
        self._limit = limit
        self._dns_cache_seconds = dns_cache_seconds
        self._lookup = lookup
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[float, float], aiohttp.ClientTimeout] = {}

    async def start(self) -> None:
        """Create the session; call from the running event loop (the lifespan)."""
        if self._session is not None:
            return
        connector = aiohttp.TCPConnector(
            limit=self._limit,
            use_dns_cache=self._dns_cache_seconds is not None,
            ttl_dns_cache=self._dns_cache_seconds,
            resolver=GuardedResolver(self.guard, self._lookup),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=_SKIP_AUTO_HEADERS,
            timeout=aiohttp.ClientTimeout(total=None),
        )
        # aiohttp resends an idempotent request on a fresh connection when a pooled one was
        # closed after the request was written: the upstream would act twice (a DELETE, a
        # GET with side effects). The handler retries connect failures only, so turn it off.
        self._session._retry_connection = False

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("UpstreamClient.start() was not called")
        return self._session

    def timeout(self, connect: float, read: float) -> aiohttp.ClientTimeout:
        """A shared timeout object per (connect, read) pair; routes reuse a handful of them."""
        key = (connect, read)
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
            self._timeouts[key] = timeout
        return timeout
