"""Service-level objectives of an API version and its launch watch.

A provider declares objectives at the document's root (`x-slo: {availability: 99.5,
latency_p95_ms: 500}`); what it leaves out comes from the platform's defaults. A version is
under **launch watch** for a number of days after it was first published (the government plan
asks for intensive monitoring right after launch): alert rules are stricter while the gauge
`tsunagu_launch_watch` is 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

SLO_KEY = "x-slo"
AVAILABILITY_RANGE = (50.0, 100.0)  # percent; below 50 % is no objective at all
LATENCY_RANGE_MS = (1, 600_000)


@dataclass(frozen=True, slots=True)
class Objectives:
    availability_percent: float
    latency_p95_ms: int

    @property
    def availability_ratio(self) -> float:
        return self.availability_percent / 100.0

    @property
    def latency_p95_seconds(self) -> float:
        return self.latency_p95_ms / 1000.0


@dataclass(frozen=True, slots=True)
class SloProblem:
    """A malformed `x-slo`: where, and why in Japanese and English."""

    pointer: str
    ja: str
    en: str


def slo_problems(document: Mapping[str, Any]) -> Iterator[SloProblem]:
    """Everything wrong with the document's `x-slo` (nothing when it is absent)."""
    if SLO_KEY not in document:
        return
    declared = document[SLO_KEY]
    base = "/" + SLO_KEY
    if not isinstance(declared, Mapping):
        yield SloProblem(
            base,
            "x-slo はオブジェクト（availability と latency_p95_ms）で書いてください。",
            "x-slo must be an object (availability and latency_p95_ms).",
        )
        return
    for key in declared:
        if key not in ("availability", "latency_p95_ms"):
            yield SloProblem(
                f"{base}/{key}",
                f"x-slo の {key} は使えません（availability と latency_p95_ms のみ）。",
                f"x-slo has no {key} (only availability and latency_p95_ms).",
            )
    if "availability" in declared:
        value = declared["availability"]
        low, high = AVAILABILITY_RANGE
        if not _is_number(value) or not low <= float(value) < high:
            yield SloProblem(
                f"{base}/availability",
                f"x-slo.availability は {low:g} 以上 {high:g} 未満のパーセント値にしてください"
                "（例: 99.5）。",
                f"x-slo.availability must be a percentage from {low:g} to below {high:g} "
                "(e.g. 99.5).",
            )
    if "latency_p95_ms" in declared:
        value = declared["latency_p95_ms"]
        low_ms, high_ms = LATENCY_RANGE_MS
        if not (isinstance(value, int) and not isinstance(value, bool)) or not (
            low_ms <= value <= high_ms
        ):
            yield SloProblem(
                f"{base}/latency_p95_ms",
                f"x-slo.latency_p95_ms は {low_ms}〜{high_ms} の整数（ミリ秒）にしてください。",
                f"x-slo.latency_p95_ms must be an integer from {low_ms} to {high_ms} "
                "(milliseconds).",
            )


def objectives_of(document: Mapping[str, Any], defaults: Objectives) -> Objectives:
    """The version's objectives: the valid parts of `x-slo` over the defaults."""
    declared = document.get(SLO_KEY)
    if not isinstance(declared, Mapping) or any(True for _ in slo_problems(document)):
        return defaults
    return Objectives(
        availability_percent=float(declared.get("availability", defaults.availability_percent)),
        latency_p95_ms=int(declared.get("latency_p95_ms", defaults.latency_p95_ms)),
    )


def under_launch_watch(published_at: datetime | None, now: datetime, days: int) -> bool:
    """True from first publication until `days` later (never for an unpublished version)."""
    if published_at is None or days <= 0:
        return False
    return published_at <= now < published_at + timedelta(days=days)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
