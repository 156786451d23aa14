"""The intake's one error: a document that cannot be accepted safely or at all."""

from __future__ import annotations

from registry.errors import InvalidInput
from registry.intake.limits import MAX_DEPTH
from registry.problems import Text


class IntakeError(InvalidInput):
    """The bytes are not a safe, well-formed YAML or JSON OpenAPI document (CLI exit 2).

    The catalogue's `invalid-document` frames the reason in the reader's language; the reason
    itself is the parser's diagnosis (English unless given as `Text`)."""

    def __init__(self, reason: str | Text) -> None:
        super().__init__("invalid-document", reason=reason)


def too_deep(how: str = "") -> Text:
    """The reason for a document that nests deeper than the intake allows."""
    ja = "（エイリアス経由）" if how else ""
    return Text(
        f"文書の入れ子が {MAX_DEPTH} 段を超えています{ja}",
        f"document nests deeper than {MAX_DEPTH} levels{how}",
    )
