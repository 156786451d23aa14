"""RateLimit response fields (IETF draft-ietf-httpapi-ratelimit-headers), by draft revision.

The revision is `settings.ratelimit_header_draft`. Quota names are our policy names
(`minute`, `day`, `ip`); `t`/`reset` are delay-seconds until the fixed window ends (§4.1.2);
windows are whole seconds. Exact formats, for a plan of 60/minute and 10,000/day after the
first request of a minute, 13 s before it ends:

Revision 8 and later (9 is the default; §3 and §4 of -09: Lists of String Items with parameters)::

    RateLimit-Policy: "minute";q=60;w=60, "day";q=10000;w=86400
    RateLimit: "minute";r=59;t=13, "day";r=9999;t=40213

Revision 7 (§3.1, §3.5 of -07: a Dictionary for the limit closest to exhaustion, a List of
Integer policies; two policies may not share a limit value, so duplicates are dropped)::

    RateLimit-Policy: 60;w=60, 10000;w=86400
    RateLimit: limit=60, remaining=59, reset=13

Revision 6 and earlier (separate fields; `TSUNAGU_RATELIMIT_HEADER_DRAFT=6` selects it)::

    RateLimit-Limit: 60
    RateLimit-Remaining: 59
    RateLimit-Reset: 13
    RateLimit-Policy: 60;w=60, 10000;w=86400

`RateLimit` lists only the quotas counted for this request: counting stops at the first
exceeded quota, so a 429 for the minute quota reports `minute` alone. A 429 also carries
`Retry-After` (RFC 9110 §10.2.3) equal to that quota's reset, as the draft recommends.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from gateway.pipeline import Header
from gateway.ratelimit.quota import Quota, QuotaState

NAMED_FORM = 8  # first revision with named policies (q/w, r/t)
DICTIONARY_FORM = 7  # the only revision with `RateLimit: limit=…, remaining=…, reset=…`


def rate_limit_headers(
    draft: int, quotas: Sequence[Quota], states: Sequence[QuotaState]
) -> list[Header]:
    """The fields for one response: the advertised `quotas` and the counted `states`."""
    policy = (b"ratelimit-policy", policy_field(draft, tuple(quotas)))
    if not states:
        return [policy]
    if draft >= NAMED_FORM:
        items = ", ".join(f'"{s.quota.name}";r={s.remaining};t={s.reset}' for s in states)
        return [policy, (b"ratelimit", items.encode())]
    tightest = min(states, key=lambda s: s.remaining)
    limit, remaining, reset = tightest.quota.limit, tightest.remaining, tightest.reset
    if draft == DICTIONARY_FORM:
        value = f"limit={limit}, remaining={remaining}, reset={reset}"
        return [policy, (b"ratelimit", value.encode())]
    return [
        (b"ratelimit-limit", str(limit).encode()),
        (b"ratelimit-remaining", str(remaining).encode()),
        (b"ratelimit-reset", str(reset).encode()),
        policy,
    ]


def retry_after(state: QuotaState) -> Header:
    """`Retry-After` in delay-seconds for an exceeded quota (at least 1)."""
    return (b"retry-after", str(max(1, state.reset)).encode())


@lru_cache(maxsize=4096)
def policy_field(draft: int, quotas: tuple[Quota, ...]) -> bytes:
    """The `RateLimit-Policy` value; cached because plans change rarely and it is per request."""
    if draft >= NAMED_FORM:
        return ", ".join(f'"{q.name}";q={q.limit};w={q.window}' for q in quotas).encode()
    seen: set[int] = set()
    parts = []
    for quota in quotas:
        if quota.limit not in seen:
            seen.add(quota.limit)
            parts.append(f"{quota.limit};w={quota.window}")
    return ", ".join(parts).encode()
