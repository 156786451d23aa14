"""The errors the registry raises on purpose: each carries a catalogue code and its parameters.

The code (`registry.problems`) gives the HTTP status, the ja/en title and the ja/en message,
and so the CLI exit code (CONTRACT.md: 1 refused, 2 bad input). The admin API renders them as
problem+json in the caller's language, the CLI as one line in the user's language. The classes
say what kind of failure it is, for callers that catch one kind.
"""

from __future__ import annotations

from registry.problems import CATALOGUE, Language, Param, ProblemCode


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    def __init__(self, code: ProblemCode, **params: Param) -> None:
        self.code: ProblemCode = code
        self.params = params
        self.kind = CATALOGUE[code]
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return self.kind.status

    @property
    def exit_code(self) -> int:
        return self.kind.exit_code

    @property
    def message(self) -> str:
        """The English message (logs and tracebacks); users get `message_in` their language."""
        return self.message_in("en")

    def message_in(self, language: Language) -> str:
        return self.kind.detail(language, self.params)


class InvalidInput(RegistryError):
    """The input cannot be accepted as given (unreadable, unsafe, malformed)."""


class NotFound(RegistryError):
    """The named provider, API version, app or key does not exist (or is not visible)."""


class Refused(RegistryError):
    """The operation is well formed but the current state forbids it."""


class Forbidden(RegistryError):
    """The caller may not do this."""


class Conflict(Refused):
    """A concurrent writer changed the same record first."""


class StoreUnavailable(RegistryError):
    """The registry database cannot be reached or failed operationally; retry later."""


class NotAuthenticated(RegistryError):
    """The credentials given (an e-mail address and password) are not accepted."""


class Throttled(RegistryError):
    """Too many attempts: the caller must wait (the code's parameters say how long)."""
