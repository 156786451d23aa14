"""`tsunagu status`: traffic, errors and latency per API version, for people without Grafana.

Figures come from the hourly roll-ups in the store (every instance's calls added up, lagging by
at most one flush interval). Text mode shows one row per version with an "attention" column,
coloured on a terminal; `--format json` has stable keys (CONTRACT.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gateway import cli_output as out
from gateway.cli import Fmt, operator, registry
from gateway.cli_output import OutputFormat

if TYPE_CHECKING:  # loaded when the command runs, not at start (gateway/cli.py)
    from registry.usage.stats import VersionStats


def status(
    slug: Annotated[str | None, typer.Argument(help="one API's slug (default: every API)")] = None,
    since: Annotated[str, typer.Option("--since", help="period: 1h, 24h, 7d")] = "24h",
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Requests, apps, errors, latency against the objective and attention, per API version."""
    from registry.usage.operations import parse_period

    with registry() as svc:
        rows = svc.status(operator(), slug, parse_period(since))
    document = {"since": since, "versions": [stats_json(r) for r in rows]}
    if fmt is OutputFormat.JSON:
        out.emit_json(document)
        return
    for line in stats_lines(rows, since):
        typer.echo(line)


def stats_json(stats: VersionStats) -> dict[str, object]:
    document: dict[str, object] = stats.model_dump(mode="json")
    return document


def stats_lines(rows: list[VersionStats], since: str) -> list[str]:
    if not rows:
        return [f"直近 {since} に表示できる API はありません / no API to show for the last {since}"]
    headers = [
        "api",
        "state",
        "requests",
        "apps",
        "4xx",
        "5xx",
        "429",
        "p50 ms",
        "p95 ms (objective)",
        "watch",
        "sunset",
        "attention",
    ]
    body = [
        [
            f"{r.slug} {r.version}",
            r.state.value,
            r.requests,
            r.apps,
            _percent(r.error_ratio["4xx"]),
            _percent(r.error_ratio["5xx"]),
            r.ratelimited,
            _ms(r.latency_ms["p50"]),
            f"{_ms(r.latency_ms['p95'])} ({r.objective['latency_p95_ms']:.0f})",
            "yes" if r.launch_watch else "-",
            r.sunset.date().isoformat() if r.sunset else "-",
            "; ".join(a.en for a in r.attention) or "ok",
        ]
        for r in rows
    ]
    header, *lines = out.table(headers, body)
    coloured = [header]
    for line, r in zip(lines, rows, strict=True):  # click strips colour when not a terminal
        coloured.append(typer.style(line, fg="red" if r.attention else "green"))
    notes = [f"  {r.slug} {r.version}: {a.ja}" for r in rows for a in r.attention]
    return [f"直近 {since} / last {since}", *coloured, *notes]


def _percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.1%}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
