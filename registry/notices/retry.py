"""When a failed attempt is tried again: exponential backoff with jitter, for a retry period.

The n-th retry waits `first × 2^(n-1)` (at most `cap`), scaled by a random factor in
[0.5, 1.0) so that deliveries which failed together (one SMTP outage) do not come back
together. The last attempt is made at the end of the period; after it the delivery is failed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from registry.notices.models import Delivery


@dataclass(frozen=True)
class RetryPolicy:
    first: timedelta
    period: timedelta
    cap: timedelta = timedelta(hours=1)
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def next_attempt(self, delivery: Delivery, now: datetime) -> datetime | None:
        """When to try again after `delivery.attempts` failures, or None: give up now."""
        deadline = delivery.retry_from + self.period
        if now >= deadline:
            return None
        exponent = max(0, min(delivery.attempts - 1, 30))
        delay = min(self.first * (1 << exponent), self.cap)
        jittered = delay * self.rng.uniform(0.5, 1.0)
        return min(now + jittered, deadline)
