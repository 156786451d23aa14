"""`tsunagu notices …` (the outbox) and `tsunagu app webhook|subscribe` (who hears of changes)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from gateway import cli_output as out
from gateway.cli import Fmt, group, registry
from gateway.cli_output import OutputFormat
from registry.notices.events import jst
from registry.notices.models import DeliveryState
from registry.principal import cli_operator

if TYPE_CHECKING:  # the worker and its senders load when `deliver` runs, not at start
    from gateway.background.notices import NoticeDelivery
    from registry.notices.worker import RoundResult

ClientId = Annotated[str, typer.Argument(help="the app's client id")]


def notices_list(
    state: Annotated[
        DeliveryState | None, typer.Option("--state", help="pending, sending, sent or failed")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 100,
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Notices in the outbox, newest first."""
    with registry() as svc:
        rows = svc.list_notices(cli_operator(), state, limit)
    lines = (
        out.table(
            ["id", "state", "channel", "recipient", "attempts", "created", "subject"],
            [
                (
                    d.id,
                    d.state.value,
                    d.channel.value,
                    d.recipient,
                    d.attempts,
                    jst(d.created_at),
                    d.subject,
                )
                for d in rows
            ],
        )
        if rows
        else ["お知らせはありません / no notices"]
    )
    out.emit(fmt, [d.as_document() for d in rows], lines)


def notices_retry(
    delivery_id: Annotated[str, typer.Argument(help="the notice id (ntc_…)")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Send a failed notice again at the worker's next round, with a fresh retry period."""
    with registry() as svc:
        delivery = svc.retry_notice(cli_operator(), delivery_id)
    data = delivery.as_document()
    out.emit(fmt, data, out.mapping_lines(data))


def notices_deliver(
    once: Annotated[bool, typer.Option("--once", help="required: one round, then exit (for cron)")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Deliver due notices and run the scheduled duties (reminders, retirement, reports) once;
    `tsunagu serve` runs the same worker continuously."""
    del once  # the only mode; the flag says so on the command line (and in cron tables)
    with registry() as svc:
        from gateway.background.notices import NoticeDelivery

        result = asyncio.run(_deliver_once(NoticeDelivery(svc)))
    data = {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}
    out.emit(fmt, data, out.mapping_lines(data))


async def _deliver_once(delivery: NoticeDelivery) -> RoundResult:
    try:
        return await delivery.once()
    finally:
        await delivery.close()


def app_webhook(
    client_id: ClientId,
    url: Annotated[str, typer.Option("--url", help="https URL that receives change notices")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Register the app's webhook; its signing secret is printed this once only."""
    with registry() as svc:
        created = svc.set_webhook(cli_operator(), client_id, url)
    data = {"client_id": created.client_id, "url": created.url, "secret": created.secret}
    lines = [*out.mapping_lines(data), "The secret is shown only this once; store it now."]
    out.emit(fmt, data, lines)


def app_subscribe(
    client_id: ClientId,
    slug: Annotated[str, typer.Argument(help="the API's slug")],
    fmt: Fmt = OutputFormat.TEXT,
) -> None:
    """Tell the app of every change to the API, whether it calls it or not."""
    with registry() as svc:
        added = svc.subscribe(cli_operator(), client_id, slug)
    data = {"client_id": client_id, "slug": slug, "subscribed": True, "new": added}
    out.emit(fmt, data, out.mapping_lines(data))


def register(root: typer.Typer, apps: typer.Typer) -> None:
    apps.command("webhook")(app_webhook)
    apps.command("subscribe")(app_subscribe)
    notices = group("Change notices: the outbox of e-mails and webhooks.")
    notices.command("list")(notices_list)
    notices.command("retry")(notices_retry)
    notices.command("deliver")(notices_deliver)
    root.add_typer(notices, name="notices")
