"""How the CLI ends on an expected error: one line on stderr and the contract's exit code
(1 refused, 2 bad input), never a traceback.

Registry errors print their catalogue message in the user's language (`cli_language`):
Japanese by default, English when the locale (LC_ALL, LC_MESSAGES, LANG, in POSIX order) is
English. The line ends with the catalogue code, the anchor on the portal's error page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import NoReturn

import typer

from registry.errors import RegistryError, StoreUnavailable
from registry.problems import CATALOGUE, Language, Param, ProblemCode, Text

_PREFIX = {"ja": "エラー: ", "en": "error: "}


def cli_language(environ: Mapping[str, str] | None = None) -> Language:
    """The first locale variable that is set decides; `en…` means English, anything else
    (ja_JP.UTF-8, C, POSIX, unset) Japanese."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "ja"
    return "ja"


def say_error(message: str, language: Language | None = None) -> None:
    """The one stderr line: whitespace (newlines included) collapsed."""
    line = " ".join(str(message).split()) or "failed"
    typer.echo(_PREFIX[language or cli_language()] + line, err=True)


def fail(message: str, code: int) -> NoReturn:
    say_error(message)
    raise typer.Exit(code)


def refuse(
    code: ProblemCode, exit_code: int, lines: Sequence[Text] = (), **params: Param
) -> NoReturn:
    """End with the catalogue's message for `code` in the user's language, then `lines` (the
    items the message counts), one stderr line each."""
    _end(code, exit_code, CATALOGUE[code].detail(cli_language(), params), lines)


def store_unavailable(exc: StoreUnavailable) -> NoReturn:
    """The catalogue's fixed message, then the driver's cause: the operator at the terminal
    needs it (refused? timed out? wrong password?), a remote caller never sees it."""
    language = cli_language()
    message = CATALOGUE[exc.code].detail(language, exc.params)
    cause = f" (cause: {exc.cause})" if language == "en" else f"（原因: {exc.cause}）"
    _end(exc.code, exc.exit_code, message + cause)


def _end(code: ProblemCode, exit_code: int, message: str, lines: Sequence[Text] = ()) -> NoReturn:
    language = cli_language()
    say_error(f"{message} ({code})" if language == "en" else f"{message}（{code}）", language)
    for line in lines:
        typer.echo("  " + " ".join(line.in_language(language).split()), err=True)
    raise typer.Exit(exit_code)


@contextmanager
def reported() -> Iterator[None]:
    """Turns the errors the CLI expects into one stderr line and its exit code."""
    from pydantic import ValidationError  # not at the top: the CLI starts without pydantic

    try:
        yield
    except StoreUnavailable as exc:
        store_unavailable(exc)
    except RegistryError as exc:
        refuse(exc.code, exc.exit_code, exc.lines, **exc.params)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "TSUNAGU_" + "_".join(str(part) for part in error["loc"]).upper()
        refuse("invalid-setting", 2, name=name, reason=str(error["msg"]))
