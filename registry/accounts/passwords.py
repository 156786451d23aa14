"""Password hashing with argon2id (argon2-cffi, RFC 9106), the one module that imports it.

Passwords are chosen by people, so unlike client secrets (`registry.secrets`) they get a slow,
memory-hard hash. `verify` never raises for a wrong or malformed hash, and `burn` does the same
work for an unknown account so that timing does not tell whether an address is registered.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the RFC 9106 low-memory profile


@lru_cache(maxsize=1)
def _dummy() -> str:
    return _hasher().hash("not a password of anyone")


def acceptable(password: str) -> bool:
    return MIN_LENGTH <= len(password) <= MAX_LENGTH


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(password: str, stored: str | None) -> bool:
    """Whether `password` matches `stored`; with no stored hash, the same work is done."""
    try:
        return _hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn(password: str) -> None:
    """Spend the time of one verification (sign-up of a known address, unknown log-in)."""
    verify(password, None)
