"""The access-token profile we issue and accept: RFC 9068 JWTs for one audience.

Issuer and audience derive from `settings.public_url`, so the issuer, the metadata document
(RFC 8414) and the verifier always agree.
"""

from __future__ import annotations

from registry.settings import Settings

TOKEN_TYPE = "at+jwt"  # noqa: S105 (a media type, not a secret); RFC 9068 §2.1 explicit typing (RFC 8725 §3.11)
ACCEPTED_TYPES = frozenset({"at+jwt", "application/at+jwt"})
SUPPORTED_ALGS = ("ES256", "RS256")
ADMIN_SCOPE = "tsunagu:admin"
PROVIDER_SCOPE_PREFIX = "tsunagu:provider:"


def issuer_of(settings: Settings) -> str:
    return settings.public_url.rstrip("/")


def audience_of(settings: Settings) -> str:
    """One audience for every gateway resource path (RFC 9700 §2.3)."""
    return issuer_of(settings) + "/api"
