"""The 429 answer for a used-up quota, shared by the per-app and the per-address policies."""

from __future__ import annotations

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer
from gateway.ratelimit.headers import retry_after
from gateway.ratelimit.quota import QuotaState


def limited_reply(problems: ProblemRenderer, exchange: Exchange, violated: QuotaState) -> Reply:
    """The 429 problem for a used-up quota, with `Retry-After` (the RateLimit fields are the
    caller's to add)."""
    quota = violated.quota
    return problems.refuse(
        exchange,
        "rate-limited",
        headers=[retry_after(violated)],
        quota=quota.name,
        limit=quota.limit,
        window=quota.window,
        reset=violated.reset,
    )
