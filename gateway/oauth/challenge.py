"""The `WWW-Authenticate: Bearer` challenge (RFC 6750 §3), shared by the authentication and
scope policies."""

from __future__ import annotations

from gateway.pipeline import Header

REALM = 'Bearer realm="tsunagu"'


def bearer_challenge(
    error: str | None = None, description: str | None = None, scope: str | None = None
) -> list[Header]:
    """The `WWW-Authenticate: Bearer` header of RFC 6750 §3."""
    value = REALM
    if error:
        value += f', error="{error}"'
    if description:
        value += ', error_description="' + description.replace('"', "'") + '"'
    if scope:
        value += f', scope="{scope}"'
    return [(b"www-authenticate", value.encode("latin-1", "replace"))]
