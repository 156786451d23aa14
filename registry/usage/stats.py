"""Per-version statistics over a period, from the traffic roll-ups: what `tsunagu status` shows.

Times are Japan time (people read them). Error ratios are shares of all answered calls;
availability counts 5xx against the objective (4xx, 429 included, are the caller's).
`attention` lists, in words, why an operator should look.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from registry.models import ApiVersionView, Frozen, VersionState
from registry.slo import Objectives, objectives_of, under_launch_watch
from registry.usage.quantiles import quantile_ms
from registry.usage.traffic import BUCKET_COLUMNS, JST, STATUS_COLUMNS

RATELIMIT_ATTENTION_RATIO = 0.1  # share of calls refused with 429 worth a look
TOP_ERRORS = 5


class Attention(Frozen):
    code: str
    ja: str
    en: str


class VersionStats(Frozen):
    slug: str
    version: str
    provider_id: str
    state: VersionState
    sunset: datetime | None
    launch_watch: bool
    since: datetime
    until: datetime
    requests: int
    apps: int
    status: dict[str, int]  # "2xx".."5xx" -> calls
    error_ratio: dict[str, float | None]  # "4xx", "5xx" -> share of calls (None without calls)
    availability: float | None  # percent of calls that were not 5xx
    ratelimited: int
    upstream_errors: int
    latency_ms: dict[str, float | None]  # "p50", "p95", "p99"
    objective: dict[str, float]  # "availability" (percent), "latency_p95_ms"
    deprecated_callers: int
    top_errors: list[dict[str, str | int]]
    attention: list[Attention]


def version_stats(
    view: ApiVersionView,
    *,
    totals: dict[str, int],
    apps: int,
    codes: Sequence[tuple[str, int]],
    period: tuple[datetime, datetime],
    defaults: Objectives,
    launch_watch_days: int,
) -> VersionStats:
    since, until = period
    requests = totals.get("requests", 0)
    status = {name.removeprefix("status_"): totals.get(name, 0) for name in STATUS_COLUMNS}
    buckets = [totals.get(name, 0) for name in BUCKET_COLUMNS]
    goal = objectives_of(view.document, defaults)
    watch = under_launch_watch(view.published_at, until, launch_watch_days)

    def share(count: int) -> float | None:
        return count / requests if requests else None

    availability = 100.0 * (1 - status["5xx"] / requests) if requests else None
    latency = {
        "p50": quantile_ms(buckets, 0.50),
        "p95": quantile_ms(buckets, 0.95),
        "p99": quantile_ms(buckets, 0.99),
    }
    deprecated_callers = apps if view.state is VersionState.DEPRECATED else 0
    attention = _attention(
        availability=availability,
        p95=latency["p95"],
        goal=goal,
        ratelimited_share=share(totals.get("ratelimited", 0)),
        launch_watch=watch,
        deprecated_callers=deprecated_callers,
    )
    return VersionStats(
        slug=view.slug,
        version=view.version,
        provider_id=view.provider_id,
        state=view.state,
        sunset=view.sunset.astimezone(JST) if view.sunset else None,
        launch_watch=watch,
        since=since.astimezone(JST),
        until=until.astimezone(JST),
        requests=requests,
        apps=apps,
        status=status,
        error_ratio={"4xx": share(status["4xx"]), "5xx": share(status["5xx"])},
        availability=availability,
        ratelimited=totals.get("ratelimited", 0),
        upstream_errors=totals.get("upstream_errors", 0),
        latency_ms=latency,
        objective={
            "availability": goal.availability_percent,
            "latency_p95_ms": float(goal.latency_p95_ms),
        },
        deprecated_callers=deprecated_callers,
        top_errors=[{"code": code, "count": n} for code, n in codes[:TOP_ERRORS]],
        attention=attention,
    )


def _attention(
    *,
    availability: float | None,
    p95: float | None,
    goal: Objectives,
    ratelimited_share: float | None,
    launch_watch: bool,
    deprecated_callers: int,
) -> list[Attention]:
    out: list[Attention] = []
    target = goal.availability_percent
    if availability is not None and availability < target:
        out.append(
            Attention(
                code="availability",
                ja=f"可用性 {availability:.2f}% が目標 {target:g}% を下回っています",
                en=f"availability {availability:.2f}% is below the {target:g}% objective",
            )
        )
    if p95 is not None and p95 > goal.latency_p95_ms:
        out.append(
            Attention(
                code="latency",
                ja=f"p95 {p95:.0f} ms が目標 {goal.latency_p95_ms} ms を超えています",
                en=f"p95 {p95:.0f} ms is over the {goal.latency_p95_ms} ms objective",
            )
        )
    if ratelimited_share is not None and ratelimited_share > RATELIMIT_ATTENTION_RATIO:
        out.append(
            Attention(
                code="rate-limited",
                ja=f"呼び出しの {ratelimited_share:.0%} が 429 で拒否されています",
                en=f"{ratelimited_share:.0%} of calls were refused with 429",
            )
        )
    if deprecated_callers:
        out.append(
            Attention(
                code="deprecated-callers",
                ja=f"非推奨バージョンを {deprecated_callers} 個のアプリが呼び出しています",
                en=f"{deprecated_callers} apps still call this deprecated version",
            )
        )
    if launch_watch and out:
        out.append(
            Attention(
                code="launch-watch",
                ja="公開直後の監視期間中です",
                en="the version is under launch watch",
            )
        )
    return out
