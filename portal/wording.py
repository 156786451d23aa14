"""How the portal says things to people: dates in Japan time, limits in words, state labels.

Every function takes the language ("ja" or "en") so the two editions of a page say the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Literal

from registry.models import RatePlan, VersionState

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")
JST = timezone(timedelta(hours=9))
_WEEKDAYS_JA = "月火水木金土日"
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

STATE_LABELS: dict[VersionState, dict[Lang, str]] = {
    VersionState.DRAFT: {"ja": "下書き", "en": "Draft"},
    VersionState.PUBLISHED: {"ja": "公開中", "en": "Published"},
    VersionState.DEPRECATED: {"ja": "非推奨 (提供終了予定)", "en": "Deprecated (sunset announced)"},
    VersionState.RETIRED: {"ja": "提供終了", "en": "Retired"},
}
FREQUENCIES: dict[str, dict[Lang, str]] = {
    "daily": {"ja": "毎日", "en": "Daily"},
    "weekly": {"ja": "毎週", "en": "Weekly"},
    "monthly": {"ja": "毎月", "en": "Monthly"},
    "irregular": {"ja": "不定期", "en": "Irregular"},
    "realtime": {"ja": "リアルタイム", "en": "Real time"},
}


def japan_date(moment: datetime, lang: Lang) -> str:
    """`2027年6月19日(土)` in Japanese, `19 June 2027` in English, both on the Japan calendar."""
    local = moment.astimezone(JST)
    if lang == "ja":
        return f"{local.year}年{local.month}月{local.day}日({_WEEKDAYS_JA[local.weekday()]})"
    return f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}"


def japan_datetime(moment: datetime, lang: Lang) -> str:
    local = moment.astimezone(JST)
    return f"{japan_date(moment, lang)} {local:%H:%M}" + (" (日本時間)" if lang == "ja" else " JST")


def times_per(count: int, unit: Literal["minute", "day"], lang: Lang) -> str:
    """「1 分あたり 60 回」 / "60 calls per minute"."""
    if lang == "ja":
        return f"1 {'分' if unit == 'minute' else '日'}あたり {count:,} 回"
    return f"{count:,} calls per {unit}"


def plan_in_words(plan: RatePlan, lang: Lang) -> tuple[str, str]:
    """(production, sandbox) limits in words."""
    joiner = "、" if lang == "ja" else ", "
    production = joiner.join(
        (times_per(plan.per_minute, "minute", lang), times_per(plan.per_day, "day", lang))
    )
    return production, times_per(plan.sandbox_per_minute, "minute", lang)


def state_label(state: VersionState, lang: Lang) -> str:
    return STATE_LABELS[state][lang]


def frequency_label(value: str, lang: Lang) -> str:
    return FREQUENCIES.get(value, {}).get(lang, value)


def pick(lang: Lang, ja: str, en: str) -> str:
    return ja if lang == "ja" else en
