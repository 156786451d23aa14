"""A command module plugged in through `gateway.cli.EXTENSION_MODULES`, as `cli_serve` will be."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("hello")
    def hello(name: str) -> None:
        """Greets; proves that extension commands join the root app."""
        typer.echo(f"こんにちは {name}")
