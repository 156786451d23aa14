"""How the CLI ends on an expected error: one line on stderr and the contract's exit code
(1 refused, 2 bad input), never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import ValidationError

from registry.errors import RegistryError


def say_error(message: str) -> None:
    """The one stderr line: whitespace (newlines included) collapsed."""
    line = " ".join(str(message).split()) or "failed"
    typer.echo(f"error: {line}", err=True)


def fail(message: str, code: int) -> NoReturn:
    say_error(message)
    raise typer.Exit(code)


@contextmanager
def reported() -> Iterator[None]:
    """Turns the errors the CLI expects into one stderr line and its exit code."""
    try:
        yield
    except RegistryError as exc:
        fail(exc.message, exc.exit_code)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "TSUNAGU_" + "_".join(str(part) for part in error["loc"]).upper()
        fail(f"invalid setting {name}: {error['msg']}", 2)
