"""What happened to the developer's apps: access requests and their decisions, the mails
sent (change notices, reminders, decisions), and daily usage as an inline SVG chart with the
same figures in a table."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import Response

from gateway.developer.chart import usage_svg
from gateway.developer.forms import esc, jst, table_html
from registry.models import AccessRequestView, AccessState, AppView, DailyUsage

if TYPE_CHECKING:
    from gateway.developer.pages import Handler, Pages


def routes(pages: Pages) -> list[tuple[str, list[str], Handler]]:
    return [
        ("/requests", ["GET"], _requests(pages)),
        ("/notices", ["GET"], _notices(pages)),
    ]


STATES = {
    AccessState.PENDING: ("審査中", "pending"),
    AccessState.APPROVED: ("承認", "approved"),
    AccessState.DENIED: ("却下", "denied"),
}


def requests_table(pages: Pages, requests: list[AccessRequestView]) -> str:
    t = pages.t
    if not requests:
        return f"<p>{t('申請はまだありません。', 'No requests yet.')}</p>"
    rows = [
        [
            esc(r.slug),
            f'<a href="{pages.path("apps/" + r.client_id)}">{esc(r.app)}</a>',
            esc(t(*STATES[r.state])),
            jst(r.created_at),
            jst(r.decided_at),
            esc(r.reason or "-"),
        ]
        for r in requests
    ]
    headers = [
        t("API", "API"),
        t("アプリ", "App"),
        t("状態", "State"),
        t("申請日時", "Requested"),
        t("決定日時", "Decided"),
        t("理由", "Reason"),
    ]
    return table_html(t("本番利用の申請", "Access requests"), headers, rows, hide_caption=True)


def usage_section(pages: Pages, app: AppView, days: list[DailyUsage]) -> str:
    """Production calls per Japan day: a chart for the eye, the same figures as a table.
    Sandbox calls are not counted (the traffic roll-ups cover production APIs only)."""
    t = pages.t
    heading = f"<h2>{t('利用状況（直近 30 日）', 'Usage (last 30 days)')}</h2>"
    if app.sandbox:
        note = t(
            "サンドボックスの呼び出しは集計しません。本番アプリの呼び出しがここに表示されます。",
            "Sandbox calls are not counted; a production app's calls show here.",
        )
        return heading + f"<p>{note}</p>"
    rows = [[esc(d.day.isoformat()), str(d.calls), str(d.errors)] for d in days if d.calls]
    if not rows:
        return (
            heading + f"<p>{t('この期間の呼び出しはありません。', 'No calls in this period.')}</p>"
        )
    legend = (
        '<p class="tsunagu-legend" aria-hidden="true">'
        '<span class="tsunagu-swatch tsunagu-swatch--calls"></span> '
        + t("呼び出し", "Calls")
        + ' <span class="tsunagu-swatch tsunagu-swatch--errors"></span> '
        + t("エラー", "Errors")
        + "</p>"
    )
    headers = [
        t("日付（日本時間）", "Day (Japan time)"),
        t("呼び出し", "Calls"),
        t("エラー（4xx/5xx）", "Errors (4xx/5xx)"),
    ]
    table = table_html(t("日別の呼び出し回数", "Calls per day"), headers, rows)
    return heading + usage_svg(days) + legend + table


def _requests(pages: Pages) -> Handler:
    async def handler(request: Request) -> Response:
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        requests = await asyncio.to_thread(pages.service.access_requests, developer)
        body = pages.nav(developer, "requests") + requests_table(pages, requests)
        return pages.render(request, pages.t("本番利用申請", "Access requests"), body)

    return handler


DELIVERY_STATES = {
    "sent": ("送信済み", "sent"),
    "pending": ("送信待ち", "waiting"),
    "failed": ("送信失敗", "failed"),
}


def _notices(pages: Pages) -> Handler:
    """The mails about the developer's APIs and apps: change notices, reminders, decisions."""

    async def handler(request: Request) -> Response:
        developer = await pages.developer(request)
        if developer is None:
            return pages.to_login()
        t = pages.t
        notices = await asyncio.to_thread(pages.service.notices, developer)
        if not notices:
            listing = f"<p>{t('お知らせはまだありません。', 'No notices yet.')}</p>"
        else:
            listing = "".join(
                '<details class="tsunagu-notice"><summary>'
                f"{jst(n.created_at)} — {esc(n.subject)} "
                f"({esc(t(*DELIVERY_STATES.get(n.state.value, (n.state.value, n.state.value))))})"
                f"</summary><pre>{esc(n.body)}</pre></details>"
                for n in notices
            )
        intro = t(
            "利用中の API の非推奨・提供終了のお知らせや本番利用申請の結果など、"
            "あなたに送ったメールです。",
            "The mails sent to you: deprecations and retirements of the APIs your apps call, "
            "reminders, and production access decisions.",
        )
        body = pages.nav(developer, "notices") + f"<p>{intro}</p>" + listing
        return pages.render(request, t("お知らせ", "Notices"), body)

    return handler
