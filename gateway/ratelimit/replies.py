"""The 429 answer for a used-up quota, shared by the per-app and the per-address policies."""

from __future__ import annotations

from gateway.pipeline import Exchange, Reply
from gateway.problems import ProblemRenderer
from gateway.ratelimit.headers import retry_after
from gateway.ratelimit.quota import QuotaState


def limited_reply(problems: ProblemRenderer, exchange: Exchange, violated: QuotaState) -> Reply:
    """The 429 problem for a used-up quota, with `Retry-After` (the RateLimit fields are the
    caller's to add)."""
    exchange.error_code = "rate-limited"
    quota = violated.quota
    detail = (
        f"Quota '{quota.name}' of {quota.limit} requests per {quota.window} s is used up; "
        f"retry in {violated.reset} s"
        if exchange.language == "en"
        else f"上限（{quota.window}秒あたり{quota.limit}回、{quota.name}）に達しました。"
        f"{violated.reset}秒後に再試行してください"
    )
    return problems.reply(
        "rate-limited",
        detail,
        request_id=exchange.request_id,
        language=exchange.language,
        headers=[retry_after(violated)],
    )
