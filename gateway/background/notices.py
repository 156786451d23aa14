"""The notice worker as a background service: delivers the outbox and runs the scheduled duties.

It runs once across instances (ADR 0012: a second worker would not send twice, thanks to the
claims, but it would race for them). Every `TSUNAGU_NOTICE_POLL_SECONDS` it delivers due
notices (batch after batch while batches come back full); every minute it also runs the
scheduled duties (reminders, retirement at the sunset, launch-watch reports). `tsunagu notices
deliver --once` runs one round of the same `NoticeDelivery`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

from gateway.proxy.ssrf import GuardedResolver
from registry.address_policy import UpstreamGuard
from registry.errors import StoreUnavailable
from registry.notices.models import Channel, Webhook
from registry.notices.retry import RetryPolicy
from registry.notices.schedule import ScheduledNotices
from registry.notices.sending import Sender
from registry.notices.smtp import SmtpSender, parse_smtp_url
from registry.notices.webhook import WebhookSender
from registry.notices.worker import DeliveryWorker, RoundResult
from registry.service import RegistryService
from registry.settings import Settings

log = logging.getLogger(__name__)
SCHEDULE_EVERY_SECONDS = 60.0


def mail_from(settings: Settings) -> str:
    """`TSUNAGU_MAIL_FROM`, else `noreply@` the public host name."""
    return settings.mail_from or f"noreply@{urlsplit(settings.public_url).hostname or 'localhost'}"


class NoticeDelivery:
    """The senders, the worker and the scheduled duties over one registry service."""

    def __init__(self, service: RegistryService) -> None:
        settings = service.settings
        self._service = service
        guard = UpstreamGuard(settings.upstream_allow_list())
        self.webhooks = WebhookSender(
            self._webhook_of, guard, GuardedResolver(guard), settings.notice_send_timeout_seconds
        )
        senders: dict[Channel, Sender] = {Channel.WEBHOOK: self.webhooks}
        if settings.smtp_url:
            target = parse_smtp_url(settings.smtp_url)
            timeout = settings.notice_send_timeout_seconds
            senders[Channel.EMAIL] = SmtpSender(target, mail_from(settings), timeout)
        retry = RetryPolicy(
            first=timedelta(seconds=settings.notice_backoff_seconds),
            period=timedelta(hours=settings.notice_retry_hours),
        )
        self.worker = DeliveryWorker(
            service.store,
            senders,
            retry,
            claim_for=timedelta(seconds=settings.notice_claim_seconds),
        )
        self.scheduled = ScheduledNotices(service)

    async def _webhook_of(self, client_id: str) -> Webhook | None:
        def lookup() -> Webhook | None:
            with self._service.store.read() as unit:
                return unit.webhook(client_id)

        return await asyncio.to_thread(lookup)

    async def once(self) -> RoundResult:
        """The scheduled duties, then every due delivery (batch after batch)."""
        await asyncio.to_thread(self.scheduled.run)
        total = RoundResult()
        while True:
            result = await self.worker.deliver_due()
            total.sent += result.sent
            total.retrying += result.retrying
            total.failed += result.failed
            if result.claimed == 0:
                return total

    async def close(self) -> None:
        await self.webhooks.close()


class NoticeWorkerService:
    """A `BackgroundService`: the delivery loop of one instance while it holds the lease."""

    name = "notice-worker"
    once_across_instances = True

    def __init__(self, delivery: NoticeDelivery, poll_seconds: float) -> None:
        self._delivery = delivery
        self._poll = poll_seconds
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._delivery.close()

    async def _loop(self) -> None:
        scheduled_at = float("-inf")
        while True:
            try:
                if time.monotonic() - scheduled_at >= SCHEDULE_EVERY_SECONDS:
                    scheduled_at = time.monotonic()
                    await asyncio.to_thread(self._delivery.scheduled.run)
                while (await self._delivery.worker.deliver_due()).claimed:
                    pass
            except StoreUnavailable as exc:  # an outage, not a bug: one line, retried next round
                log.warning("notice worker round skipped: %s", exc.message)
            except Exception:  # a bug: its traceback, then try again next round
                log.exception("notice worker round failed")
            await asyncio.sleep(self._poll)
