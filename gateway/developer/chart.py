"""A small inline SVG bar chart of daily calls and errors: no script, no third-party file.

The chart is decoration for sighted readers (`aria-hidden`); the same figures are always in the
table beside it. Colours keep 3:1 contrast against white (WCAG 1.4.11).
"""

from __future__ import annotations

from datetime import date, timedelta

from registry.models import DailyUsage

WIDTH, HEIGHT, PAD = 640, 160, 24
CALLS_COLOUR, ERRORS_COLOUR = "#0031d8", "#c5000a"


def days_filled(rows: list[DailyUsage], last: date, days: int) -> list[DailyUsage]:
    """One entry per day from `last - days + 1` to `last`, zero where nothing was called."""
    by_day = {r.day: r for r in rows}
    first = last - timedelta(days=days - 1)
    return [
        by_day.get(
            first + timedelta(days=i), DailyUsage(day=first + timedelta(days=i), calls=0, errors=0)
        )
        for i in range(days)
    ]


def usage_svg(rows: list[DailyUsage]) -> str:
    peak = max((r.calls for r in rows), default=0) or 1
    slot = (WIDTH - 2 * PAD) / max(len(rows), 1)
    bar = max(slot * 0.7, 1.0)
    scale = (HEIGHT - 2 * PAD) / peak
    parts = [
        f'<svg class="tsunagu-usage-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'height="{HEIGHT}" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#626264" stroke-width="1"/>',
        f'<text x="{PAD}" y="{PAD - 8}" font-size="12" fill="#4d4d4d">{peak}</text>',
    ]
    for i, row in enumerate(rows):
        x = PAD + i * slot + (slot - bar) / 2
        calls_h, errors_h = row.calls * scale, row.errors * scale
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - calls_h:.1f}" width="{bar:.1f}" '
            f'height="{calls_h:.1f}" fill="{CALLS_COLOUR}"/>'
        )
        if row.errors:
            parts.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - PAD - errors_h:.1f}" width="{bar:.1f}" '
                f'height="{errors_h:.1f}" fill="{ERRORS_COLOUR}"/>'
            )
    if rows:
        parts.append(
            f'<text x="{PAD}" y="{HEIGHT - 6}" font-size="12" fill="#4d4d4d">'
            f"{rows[0].day.isoformat()}</text>"
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" font-size="12" fill="#4d4d4d" '
            f'text-anchor="end">{rows[-1].day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
