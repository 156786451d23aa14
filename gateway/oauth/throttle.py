"""Slowing down repeated failed client authentication, per client id, per IP and per pair.

In-process counters in a bounded dict whose entries expire (SECURITY-TESTS.md A22, B15):
after `limit` failures inside `window` seconds a key is blocked for an exponentially growing
time, capped. The pair (client id, IP) trips first, so a guesser on one address never locks
the client out for its owner elsewhere; the per-client and per-IP counters catch guessing
spread over many addresses or many client ids. The per-client block spares addresses that
recently authenticated as that client, so strangers guessing from many addresses cannot cut
off the owner's integration (SECURITY-TESTS.md §1.4: never hard-lock a client id).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    pair_limit: int = 5
    client_limit: int = 20
    ip_limit: int = 20
    window_seconds: float = 300.0
    base_delay_seconds: float = 2.0
    max_delay_seconds: float = 900.0
    max_entries: int = 50_000
    known_address_seconds: float = 86_400.0


@dataclass(slots=True)
class _Entry:
    failures: int
    first_at: float
    blocked_until: float


class FailureThrottle:
    """Counts failures; `retry_after` says how long a caller must wait (0 when it may try)."""

    def __init__(
        self,
        limits: ThrottleLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = limits or ThrottleLimits()
        self._clock = clock
        self._entries: OrderedDict[tuple[str, ...], _Entry] = OrderedDict()
        self._known: OrderedDict[tuple[str, str], float] = OrderedDict()  # (client, ip) → success
        self._lock = threading.Lock()

    def _keys(self, client_id: str | None, ip: str) -> list[tuple[tuple[str, ...], int]]:
        lim = self._limits
        keys: list[tuple[tuple[str, ...], int]] = [(("ip", ip), lim.ip_limit)]
        if client_id:
            keys.append((("pair", client_id, ip), lim.pair_limit))
            keys.append((("client", client_id), lim.client_limit))
        return keys

    def retry_after(self, client_id: str | None, ip: str) -> int:
        """Whole seconds until this caller may try again (0: go ahead)."""
        now = self._clock()
        with self._lock:
            keys = [key for key, _ in self._keys(client_id, ip)]
            if client_id and self._is_known(client_id, ip, now):
                keys.remove(("client", client_id))
            waits = [
                entry.blocked_until - now
                for key in keys
                if (entry := self._entries.get(key)) is not None
            ]
        longest = max(waits, default=0.0)
        return math.ceil(longest) if longest > 0 else 0

    def failure(self, client_id: str | None, ip: str) -> None:
        now = self._clock()
        lim = self._limits
        with self._lock:
            for key, limit in self._keys(client_id, ip):
                entry = self._entries.get(key)
                if entry is None or now - entry.first_at > lim.window_seconds:
                    if entry is not None and entry.blocked_until > now:
                        continue  # still serving a block from the last window
                    entry = _Entry(0, now, 0.0)
                entry.failures += 1
                if entry.failures >= limit:
                    excess = min(entry.failures - limit, 32)
                    delay = min(lim.base_delay_seconds * 2.0**excess, lim.max_delay_seconds)
                    entry.blocked_until = now + delay
                    entry.first_at = now  # the window restarts with the block
                self._entries[key] = entry
                self._entries.move_to_end(key)
            while len(self._entries) > lim.max_entries:
                self._entries.popitem(last=False)

    def _is_known(self, client_id: str, ip: str, now: float) -> bool:
        seen = self._known.get((client_id, ip))
        return seen is not None and now - seen <= self._limits.known_address_seconds

    def success(self, client_id: str, ip: str) -> None:
        """A correct secret from this address clears the pair (not the wider counters) and
        makes the address known for this client."""
        now = self._clock()
        with self._lock:
            self._entries.pop(("pair", client_id, ip), None)
            self._known[(client_id, ip)] = now
            self._known.move_to_end((client_id, ip))
            while len(self._known) > self._limits.max_entries:
                self._known.popitem(last=False)
