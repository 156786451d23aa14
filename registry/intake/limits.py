"""The limits every incoming document is held to, before and while it is parsed."""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024
"""Documents larger than this are refused before any parsing."""

MAX_ALIASES = 100
"""YAML alias uses (`*name`) allowed in one document."""

MAX_NODES = 100_000
"""Nodes allowed in one document, counted as if every alias were expanded."""

MAX_DEPTH = 64
"""Nested collections (mappings and sequences) allowed, the top-level mapping being depth 1."""

MAX_INT_DIGITS = 1000
"""Digits allowed in one integer literal (Python refuses to read more than 4300 at all)."""
