"""The registry's error catalogue: stable codes, each with an HTTP status and a CLI exit code.

The CLI maps `exit_code` (1 refused, 2 bad input) and the admin API renders `status` as
problem+json; both print `message` as the one-line reason.
"""

from __future__ import annotations


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    code: str = "registry-error"
    status: int = 400
    exit_code: int = 2
    title: str = "Bad request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(RegistryError):
    """The input cannot be accepted as given (unreadable, unsafe, malformed)."""

    code = "invalid-input"
    status = 400
    exit_code = 2
    title = "Invalid input"


class NotFound(RegistryError):
    code = "not-found"
    status = 404
    exit_code = 2
    title = "Not found"


class Refused(RegistryError):
    """The operation is well formed but the current state forbids it."""

    code = "refused"
    status = 409
    exit_code = 1
    title = "Operation refused"


class Forbidden(RegistryError):
    code = "forbidden"
    status = 403
    exit_code = 1
    title = "Forbidden"


class Conflict(Refused):
    """A concurrent writer changed the same record first."""

    code = "conflict"
    title = "Concurrent change"


class StoreUnavailable(RegistryError):
    """The registry database cannot be reached or failed operationally; retry later."""

    code = "store-unavailable"
    status = 503
    exit_code = 2
    title = "Registry store unavailable"
