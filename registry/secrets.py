"""Generation, hashing and constant-time verification of client secrets and API keys.

Secrets are random 256-bit tokens (`secrets.token_urlsafe(32)`), never passwords a person
chose. For such high-entropy inputs a single SHA-256 is enough: a slow password hash (bcrypt,
scrypt) exists to make guessing low-entropy inputs expensive, and nobody can enumerate 2**256
candidates however cheap each guess is. The fast hash also keeps token issuance cheap. The
`sha256$` prefix names the scheme so a stronger one can be introduced later side by side.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "sha256$"
CLIENT_ID_PREFIX = "tsu_"
API_KEY_PREFIX = "tsk_"


def new_client_id() -> str:
    """A public client identifier: `tsu_` and 16 URL-safe random characters."""
    return CLIENT_ID_PREFIX + secrets.token_urlsafe(12)[:16]


def new_client_secret() -> str:
    """A client secret with 256 bits of entropy, shown to its owner exactly once."""
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    """An API key for open-data APIs (256 bits of entropy), shown to its owner exactly once."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The stored form of a high-entropy secret: `sha256$<hex digest>`."""
    return SCHEME + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` hashes to `stored`, compared in constant time."""
    if not stored.startswith(SCHEME):
        return False
    return hmac.compare_digest(hash_secret(secret), stored)
