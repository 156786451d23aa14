"""The intake's one error: a document that cannot be accepted safely or at all."""

from __future__ import annotations

from registry.errors import InvalidInput


class IntakeError(InvalidInput):
    """The bytes are not a safe, well-formed YAML or JSON OpenAPI document (CLI exit 2)."""

    code = "invalid-document"
    title = "Unreadable OpenAPI document"
