"""The change-notice e-mail: subject and plain-text body, Japanese first and English below.

It names the API and version, the sunset in Japan time, the successor and migration note,
which of the recipient's apps called the version and when last, and the portal page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from registry.notices.events import JST, day_ja, jst
from registry.notices.facts import ChangeFacts
from registry.notices.models import Caller

SHOWN_ELSEWHERE = frozenset({"sunset", "successor", "note"})  # printed from the version itself
DETAIL_LABELS = {  # known change-log detail keys; others are printed under their own name
    "previous_sunset": ("以前の提供終了日", "Previous sunset"),
    "days": ("提供終了までの日数", "Days to the sunset"),
    "from": ("以前の状態", "Previous state"),
    "start": ("開始", "Start"),
    "end": ("終了", "End"),
    "minutes": ("時間（分）", "Minutes"),
}
FOOTER_JA = "このメールは Tsunagu から自動送信されています。返信はできません。"
FOOTER_EN = "This message was sent automatically by Tsunagu; replies are not read."


def change_subject(facts: ChangeFacts) -> str:
    """`【重要】<API名> v1 の提供終了（2027年6月19日） / [Important] …` and the like."""
    mark_ja, mark_en = ("【重要】", "[Important] ") if facts.kind.important else ("", "")
    sunset = facts.sunset
    if facts.action == "api.retire":
        ja, en = f"{facts.api} の提供終了", f"{facts.api} has been retired"
    elif facts.action == "api.publish":
        ja, en = f"{facts.api} の公開", f"{facts.api} is published"
    elif facts.action == "api.reminder" and sunset is not None:
        days = facts.detail.get("days")
        ja = f"{facts.api} の提供終了まであと{days}日（{day_ja(_day(sunset))}）"
        en = f"{facts.api} sunsets in {days} days ({_day(sunset).isoformat()})"
    elif facts.kind.type.endswith("brownout_scheduled"):
        ja, en = f"{facts.api} の一時停止（ブラウンアウト）予定", f"{facts.api} brownout scheduled"
    elif facts.action in ("api.deprecate", "api.sunset") and sunset is not None:
        moved_ja = "日の変更" if facts.action == "api.sunset" else ""
        ja = f"{facts.api} の提供終了{moved_ja}（{day_ja(_day(sunset))}）"
        en = f"{facts.api} sunset{' moved' if moved_ja else ''} ({_day(sunset).isoformat()})"
    else:
        ja, en = f"{facts.api} の変更", f"{facts.api} has changed"
    return f"{mark_ja}{ja} / {mark_en}{en}"


def change_body(facts: ChangeFacts, recipient: str, apps: Sequence[Caller]) -> str:
    headline = facts.kind.headline
    ja = [
        f"{recipient} 様",
        "",
        headline.ja.format(api=facts.api),
        "",
        f"API: {facts.title}（{facts.slug}）",
        f"バージョン: {facts.version}（状態: {facts.state}）",
        *_version_lines(facts, "ja"),
        *_detail_lines(facts.detail, "ja"),
        f"日時: {jst(facts.at)}",
        "",
        "対象となるあなたのアプリ:",
        *(_app_line(app, "最終呼び出し", "呼び出しなし（購読中）") for app in apps),
        "",
        f"詳しくは: {facts.page_url}",
        f"変更履歴（Atom フィード）: {facts.feed_url}",
        "",
        FOOTER_JA,
    ]
    en = [
        f"Dear {recipient},",
        "",
        headline.en.format(api=facts.api),
        "",
        f"API: {facts.title} ({facts.slug})",
        f"Version: {facts.version} (state: {facts.state})",
        *_version_lines(facts, "en"),
        *_detail_lines(facts.detail, "en"),
        f"When: {jst(facts.at)}",
        "",
        "Your apps concerned:",
        *(_app_line(app, "last call", "no calls (subscribed)") for app in apps),
        "",
        f"Details: {facts.page_url}",
        f"Change feed (Atom): {facts.feed_url}",
        "",
        FOOTER_EN,
    ]
    return "\n".join([*ja, "", "-" * 40, "(English)", "", *en]) + "\n"


def _version_lines(facts: ChangeFacts, language: str) -> list[str]:
    ja = language == "ja"
    lines = []
    if facts.sunset is not None:
        day = _day(facts.sunset)
        label, shown = ("提供終了日時", day_ja(day)) if ja else ("Sunset", day.isoformat())
        lines.append(f"{label}: {shown} ({jst(facts.sunset)})")
    if facts.successor:
        lines.append(f"{'後継バージョン' if ja else 'Successor'}: {facts.successor}")
    if facts.note:
        lines.append(f"{'移行について' if ja else 'Migration note'}: {facts.note}")
    return lines


def _detail_lines(detail: Mapping[str, Any], language: str) -> list[str]:
    """The entry's other facts (a brownout's start and length, a reminder's days, …), so an
    action this module does not know is still told in full."""
    lines = []
    for key, value in detail.items():
        if key in SHOWN_ELSEWHERE or value is None:
            continue
        ja, en = DETAIL_LABELS.get(key, (key, key))
        lines.append(f"{ja if language == 'ja' else en}: {value}")
    return lines


def _app_line(app: Caller, last_label: str, no_calls: str) -> str:
    when = f"{last_label} {jst(app.last_call)}" if app.last_call else no_calls
    return f"- {app.app} ({app.client_id}): {when}"


def _day(at: datetime) -> date:
    return at.astimezone(JST).date()
