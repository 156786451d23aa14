"""JSON pointers (RFC 6901) for the checks: the document model's, under the names they use."""

from registry.openapi.pointer import MISSING, escape, join, lookup, tokens, unescape

__all__ = ["MISSING", "escape", "join", "lookup", "tokens", "unescape"]
