"""Quotas and the result of counting one request against them (plain values, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quota:
    """`limit` requests per fixed window of `window` seconds.

    Windows are aligned to the epoch shifted by `offset` seconds, so every instance derives the
    same window (and key) from its clock; `offset=9*3600` aligns daily windows to midnight JST.
    """

    name: str
    limit: int
    window: int
    offset: int = 0

    def index(self, now: float) -> int:
        """The number of the window `now` falls in."""
        return int((now + self.offset) // self.window)

    def seconds_left(self, now: float) -> int:
        """Whole seconds until the current window ends, at least 1 (delay-seconds)."""
        end = (self.index(now) + 1) * self.window - self.offset
        return max(1, int(-(-(end - now) // 1)))


@dataclass(frozen=True, slots=True)
class QuotaState:
    """One quota after counting a request: how much is used and when the window resets."""

    quota: Quota
    used: int
    reset: int

    @property
    def remaining(self) -> int:
        return max(0, self.quota.limit - self.used)

    @property
    def exceeded(self) -> bool:
        return self.used > self.quota.limit


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict for one request.

    `states` holds the quotas that were counted (evaluation stops at the first exceeded one);
    `violated` is that quota; `degraded` says the shared store was down and the per-instance
    fallback counted; `unavailable` says it was down and the caller asked to fail closed.
    """

    states: tuple[QuotaState, ...]
    violated: QuotaState | None = None
    degraded: bool = False
    unavailable: bool = False

    @property
    def allowed(self) -> bool:
        return self.violated is None and not self.unavailable
