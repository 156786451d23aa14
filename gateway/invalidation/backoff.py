"""Bounded exponential backoff between reconnection attempts of the invalidation listeners."""

from __future__ import annotations


class Backoff:
    """Delays of `first`, doubling up to `ceiling` seconds; `reset()` after a success."""

    def __init__(self, first: float = 0.5, ceiling: float = 30.0) -> None:
        self._first, self._ceiling = first, ceiling
        self._delay = 0.0

    def next(self) -> float:
        """The delay to wait before the next attempt."""
        self._delay = min(self._ceiling, self._delay * 2 if self._delay else self._first)
        return self._delay

    def reset(self) -> None:
        self._delay = 0.0
