"""The daily launch-watch report a provider's contact receives: yesterday against the day before.

Plain text, Japanese first and English below, short enough to read on a phone: calls, distinct
apps, error ratios by class, the most frequent problem codes, p95 latency against the
objective, 429s, each with the change from the previous day.
"""

from __future__ import annotations

from registry.usage.stats import VersionStats


def launch_report_subject(title: str, stats: VersionStats) -> str:
    day = stats.since.date()
    mark = "【要確認】" if stats.attention else ""
    return (
        f"{mark}{title} {stats.version} 公開直後の利用状況（{day.year}年{day.month}月{day.day}日）"
        f" / Launch watch report {stats.slug} {stats.version} {day.isoformat()}"
    )


def launch_report_text(title: str, day: VersionStats, previous: VersionStats, page_url: str) -> str:
    """The report body for one version and one Japan calendar day."""
    p95, goal = day.latency_ms["p95"], day.objective["latency_p95_ms"]
    rows_ja = [
        f"呼び出し回数: {day.requests}（前日 {_delta(day.requests, previous.requests)}）",
        f"利用アプリ数: {day.apps}（前日 {_delta(day.apps, previous.apps)}）",
        f"4xx の割合: {_pct(day.error_ratio['4xx'])}（前日 {_pct(previous.error_ratio['4xx'])}）",
        f"5xx の割合: {_pct(day.error_ratio['5xx'])}（前日 {_pct(previous.error_ratio['5xx'])}）",
        f"429（回数制限）: {day.ratelimited}"
        f"（前日 {_delta(day.ratelimited, previous.ratelimited)}）",
        f"p95 応答時間: {_ms(p95)}（目標 {goal:.0f} ms、前日 {_ms(previous.latency_ms['p95'])}）",
    ]
    rows_en = [
        f"Calls: {day.requests} (previous day {_delta(day.requests, previous.requests)})",
        f"Apps: {day.apps} (previous day {_delta(day.apps, previous.apps)})",
        f"4xx share: {_pct(day.error_ratio['4xx'])} (previous {_pct(previous.error_ratio['4xx'])})",
        f"5xx share: {_pct(day.error_ratio['5xx'])} (previous {_pct(previous.error_ratio['5xx'])})",
        f"429 (rate limited): {day.ratelimited} "
        f"(previous day {_delta(day.ratelimited, previous.ratelimited)})",
        f"p95 latency: {_ms(p95)} (objective {goal:.0f} ms, "
        f"previous {_ms(previous.latency_ms['p95'])})",
    ]
    codes = ", ".join(f"{e['code']} ({e['count']})" for e in day.top_errors) or "-"
    attention_ja = [f"- {a.ja}" for a in day.attention] or ["- 特になし"]
    attention_en = [f"- {a.en}" for a in day.attention] or ["- nothing"]
    return "\n".join(
        [
            f"{title} {day.version}（{day.slug}）は公開後の監視期間中です。"
            f"{day.since:%Y-%m-%d %H:%M}〜{day.until:%Y-%m-%d %H:%M}（日本時間）の利用状況です。",
            "",
            *rows_ja,
            f"多いエラー: {codes}",
            "要確認:",
            *attention_ja,
            "",
            f"詳細: tsunagu status {day.slug} --since 24h / {page_url}",
            "",
            "----",
            f"{title} {day.version} ({day.slug}) is under launch watch. Figures for "
            f"{day.since:%Y-%m-%d %H:%M} to {day.until:%Y-%m-%d %H:%M} Japan time.",
            "",
            *rows_en,
            f"Most frequent errors: {codes}",
            "Attention:",
            *attention_en,
            "",
            f"Details: tsunagu status {day.slug} --since 24h / {page_url}",
            "",
        ]
    )


def _delta(now: int, before: int) -> str:
    change = now - before
    return f"{before}, {change:+d}"


def _pct(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2%}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"
