"""Percentiles from fixed-bucket latency counts, interpolated inside the bucket.

The same estimate Prometheus' `histogram_quantile` makes: the rank is located in its bucket and
assumed evenly spread between the bucket's bounds. The open last bucket is reported at its lower
bound (slower than 10 s is all we know).
"""

from __future__ import annotations

from collections.abc import Sequence

from registry.usage.traffic import LATENCY_BOUNDS_MS


def quantile_ms(buckets: Sequence[int], q: float) -> float | None:
    """The q-quantile (0 < q < 1) in milliseconds, or None without any observation."""
    total = sum(buckets)
    if total == 0:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(buckets):
        if count and seen + count >= rank:
            lower = 0.0 if index == 0 else float(LATENCY_BOUNDS_MS[index - 1])
            if index >= len(LATENCY_BOUNDS_MS):
                return lower
            upper = float(LATENCY_BOUNDS_MS[index])
            return lower + (upper - lower) * (rank - seen) / count
        seen += count
    return float(LATENCY_BOUNDS_MS[-1])
