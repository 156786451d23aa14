"""The errors the registry raises on purpose: each carries a catalogue code and its parameters.

The code (`registry.problems`) gives the HTTP status, the ja/en title and the ja/en message,
and so the CLI exit code (CONTRACT.md: 1 refused, 2 bad input). The admin API renders them as
problem+json in the caller's language, the CLI as one line in the user's language. The classes
say what kind of failure it is, for callers that catch one kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from registry.problems import CATALOGUE, Language, Param, ProblemCode, Text


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    lines: tuple[Text, ...] = ()
    """Items the message counts, one line each (the CLI prints them under the message)."""
    members: Mapping[str, Any] = MappingProxyType({})
    """Extension members of the problem+json answer (RFC 9457 §3.2)."""

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
    """The registry database cannot be reached or failed operationally; retry later.

    `cause` (the driver's own words, which name hosts and ports) is for the log and the
    operator's terminal; the catalogue detail a remote caller reads is fixed."""

    def __init__(self, code: ProblemCode, *, cause: str) -> None:
        self.cause = cause
        super().__init__(code)

    @property
    def message(self) -> str:
        return f"{self.message_in('en')} Cause: {self.cause}"


class ItemizedRefusal(Refused):
    """A refusal whose message counts items (breaking changes) listed one per line."""

    def __init__(
        self,
        code: ProblemCode,
        *,
        lines: Sequence[Text],
        members: Mapping[str, Any],
        **params: Param,
    ) -> None:
        super().__init__(code, **params)
        self.lines = tuple(lines)
        self.members = MappingProxyType(dict(members))


class NotAuthenticated(RegistryError):
    """The credentials given (an e-mail address and password) are not accepted."""


class Throttled(RegistryError):
    """Too many attempts: the caller must wait (the code's parameters say how long)."""
