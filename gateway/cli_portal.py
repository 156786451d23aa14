"""`tsunagu portal build [--out DIR]`: generate the developer portal from the registry and
build it with MkDocs in strict mode (CONTRACT.md). Exit 1 when the build fails (a strict-mode
warning included), 2 on bad input (unreachable store, bad settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gateway import cli_output as out
from gateway.cli_errors import fail, reported
from gateway.cli_output import OutputFormat

Out = Annotated[
    Path | None,
    typer.Option("--out", help="output directory (default: var/portal); replaced when built"),
]
Fmt = Annotated[
    OutputFormat, typer.Option("--format", case_sensitive=False, help="text (default) or json")
]


def build(out_dir: Out = None, fmt: Fmt = OutputFormat.TEXT) -> None:
    """Build the developer portal from the registry (MkDocs, strict mode)."""
    from portal.build import PortalBuildError, build_from_settings  # not at start (gateway/cli.py)
    from registry.settings import load_settings

    with reported():
        settings = load_settings()
        target = out_dir if out_dir is not None else settings.var_dir / "portal"
        try:
            result = build_from_settings(settings, target)
        except PortalBuildError as exc:
            fail(str(exc), 1)
    data = {
        "site": str(result.site_dir),
        "pages": result.pages,
        "seconds": round(result.seconds, 2),
    }
    out.emit(fmt, data, [f"portal built in {data['seconds']} s: {result.site_dir}"])


def _help_when_bare(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def register(root: typer.Typer) -> None:
    group = typer.Typer(
        help="The developer portal.", invoke_without_command=True, callback=_help_when_bare
    )
    group.command("build")(build)
    root.add_typer(group, name="portal")
