"""The delivery worker: claim → send → mark, one batch of due deliveries at a time.

A claim commits before anything is sent (state `sending`, one more attempt, due again after
the claim period): a worker that dies between claim and mark leaves a claim that expires, and
the next round sends that delivery again, with the same id, so it is re-sent at most once per
expired claim and recognisable as the same message. Store calls run in a thread (the event
loop never blocks). A channel without a sender (no `TSUNAGU_SMTP_URL`) is not claimed: its
deliveries wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from registry.clock import Clock, utc_now
from registry.notices.models import Channel, Delivery
from registry.notices.retry import RetryPolicy
from registry.notices.sending import DeliveryError, Sender
from registry.store import Store

log = logging.getLogger(__name__)


@dataclass
class RoundResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        senders: Mapping[Channel, Sender],
        retry: RetryPolicy,
        *,
        claim_for: timedelta,
        batch: int = 20,
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._senders = dict(senders)
        self._retry = retry
        self._claim_for = claim_for
        self._batch = batch
        self._clock = clock

    async def deliver_due(self) -> RoundResult:
        """Claim, send and mark one batch of due deliveries."""
        result = RoundResult()
        if not self._senders:
            return result
        claimed = await asyncio.to_thread(self._claim)
        for delivery in claimed:
            await self._deliver(delivery, result)
        return result

    def _claim(self) -> list[Delivery]:
        with self._store.outbox() as unit:
            return unit.claim_due(self._clock(), self._batch, self._claim_for, self._senders)

    async def _deliver(self, delivery: Delivery, result: RoundResult) -> None:
        try:
            await self._senders[delivery.channel].send(delivery)
        except DeliveryError as error:
            await asyncio.to_thread(self._failed_attempt, delivery, error, result)
        else:
            await asyncio.to_thread(self._mark_sent, delivery)
            result.sent += 1

    def _mark_sent(self, delivery: Delivery) -> None:
        with self._store.outbox() as unit:
            unit.mark_sent(delivery.id, self._clock())

    def _failed_attempt(
        self, delivery: Delivery, error: DeliveryError, result: RoundResult
    ) -> None:
        now = self._clock()
        retry_at = None if error.permanent else self._retry.next_attempt(delivery, now)
        with self._store.outbox() as unit:
            if retry_at is None:
                unit.mark_failed(delivery.id, error.reason)
            else:
                unit.mark_retry(delivery.id, retry_at, error.reason)
        if retry_at is None:
            result.failed += 1
            log.warning("notice %s failed for good: %s", delivery.id, error.reason)
        else:
            result.retrying += 1
            log.info("notice %s: %s; next attempt %s", delivery.id, error.reason, retry_at)
