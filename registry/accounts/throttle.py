"""Back-off against password guessing that a stranger cannot use to lock the owner out.

Failures are counted per (account, client address) and per address alone, in the store so that
every gateway process sees them. After `FREE_FAILURES` failures of a pair, each attempt must
wait twice as long as the one before (1 s, 2 s, 4 s … up to 15 minutes); a success from that
address clears its pair, and an hour without failures forgets a count. An attacker at another
address meets their own back-off and never the owner's. The per-address counter (allowing many
more failures) slows one address that sprays many accounts. Keys are hashes, so the table holds
no address or e-mail in clear.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from registry.store import Unit

FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 50
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)  # a count whose last failure is older starts again


def pair_key(email: str, address: str) -> str:
    return "pair:" + hashlib.sha256(f"{email}\n{address}".encode()).hexdigest()


def address_key(address: str) -> str:
    return "addr:" + hashlib.sha256(address.encode()).hexdigest()


def wait_needed(unit: Unit, email: str, address: str, now: datetime) -> int:
    """Seconds to wait before another attempt from this address for this account (0: go)."""
    pair, addr = pair_key(email, address), address_key(address)
    counts = unit.login_failures((pair, addr))
    waits = [
        _wait(counts.get(pair), FREE_FAILURES, now),
        _wait(counts.get(addr), ADDRESS_FREE_FAILURES, now),
    ]
    return max(waits)


def record_failure(unit: Unit, email: str, address: str, now: datetime) -> None:
    unit.add_login_failure(pair_key(email, address), now, now - FORGET_AFTER)
    unit.add_login_failure(address_key(address), now, now - FORGET_AFTER)


def record_success(unit: Unit, email: str, address: str) -> None:
    unit.clear_login_failures(pair_key(email, address))


def _wait(entry: tuple[int, datetime] | None, free: int, now: datetime) -> int:
    if entry is None or entry[0] < free or entry[1] < now - FORGET_AFTER:
        return 0
    failures, last = entry
    delay = min(timedelta(seconds=2 ** min(failures - free, 20)), MAX_WAIT)
    remaining = (last + delay - now).total_seconds()
    return max(0, int(remaining + 0.999))


def request_wait(unit: Unit, kind: str, address: str, now: datetime, free: int) -> int:
    """Seconds before another `kind` request (sign-up, reset) from this address (0: go).
    These cost an argon2 hash or a mail each: `free` of them within an hour pass, then each
    waits twice as long as the one before."""
    key = _request_key(kind, address)
    return _wait(unit.login_failures((key,)).get(key), free, now)


def record_request(unit: Unit, kind: str, address: str, now: datetime) -> None:
    unit.add_login_failure(_request_key(kind, address), now, now - FORGET_AFTER)


def _request_key(kind: str, address: str) -> str:
    return f"{kind}:" + hashlib.sha256(address.encode()).hexdigest()
