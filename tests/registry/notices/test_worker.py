"""The delivery worker against a real SMTP server: sent once, retried with backoff, then failed."""

from __future__ import annotations

import random
from datetime import timedelta

from registry.notices.models import Channel, Delivery, DeliveryState
from registry.notices.retry import RetryPolicy
from registry.notices.smtp import SmtpSender, parse_smtp_url
from registry.notices.worker import DeliveryWorker
from tests.mailbox import Mailbox, smtp_server
from tests.registry.notices.conftest import OPERATOR, World
from tests.services import free_port

POLICY = RetryPolicy(first=timedelta(seconds=30), period=timedelta(hours=24), rng=random.Random(7))


def worker(world: World, smtp_url: str) -> DeliveryWorker:
    sender = SmtpSender(parse_smtp_url(smtp_url), "noreply@gw.example.go.jp", timeout=10)
    return DeliveryWorker(
        world.store,
        {Channel.EMAIL: sender},
        POLICY,
        claim_for=timedelta(minutes=5),
        clock=world.clock,
    )


def enqueue(world: World, to: str = "a@example.jp", key: str = "k1") -> str:
    with world.store.write() as unit:
        return unit.enqueue_mail(to=to, subject="件名", body="本文", kind="test", key=key)


def delivery(world: World, delivery_id: str) -> Delivery:
    with world.store.read() as unit:
        found = unit.delivery(delivery_id)
    assert found is not None
    return found


async def test_a_delivery_is_sent_once_with_its_id_as_message_id(world: World) -> None:
    delivery_id = enqueue(world)
    with smtp_server() as mailbox:
        first = await worker(world, mailbox.url).deliver_due()
        again = await worker(world, mailbox.url).deliver_due()
    assert (first.sent, again.claimed) == (1, 0)
    [message] = mailbox.received()
    assert message["Message-ID"] == f"<{delivery_id}@gw.example.go.jp>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"] and message["Subject"] == "件名"
    assert message.get_content().strip() == "本文"
    assert delivery(world, delivery_id).state is DeliveryState.SENT


async def test_an_outage_delays_with_backoff_then_fails_after_the_retry_period(
    world: World,
) -> None:
    delivery_id = enqueue(world)
    down = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    delays = []
    for _ in range(3):
        assert (await worker(world, down).deliver_due()).retrying == 1
        waiting = delivery(world, delivery_id)
        assert waiting.state is DeliveryState.PENDING and waiting.last_error
        delays.append(waiting.next_attempt_at - world.clock.now)
        world.clock.now = waiting.next_attempt_at
    assert timedelta(seconds=15) <= delays[0] <= timedelta(seconds=30)
    assert delays[0] < delays[1] < delays[2] <= timedelta(seconds=120)
    world.clock.advance(hours=24)
    assert (await worker(world, down).deliver_due()).failed == 1
    failed = delivery(world, delivery_id)
    assert failed.state is DeliveryState.FAILED and failed.attempts == 4
    retried = world.svc.retry_notice(OPERATOR, delivery_id)
    assert retried.state is DeliveryState.PENDING
    with smtp_server() as mailbox:
        assert (await worker(world, mailbox.url).deliver_due()).sent == 1
    assert len(mailbox.received()) == 1


async def test_a_refused_recipient_fails_at_once(world: World) -> None:
    delivery_id = enqueue(world, to="nobody@example.jp")
    box = Mailbox(port=free_port(), refuse={"nobody@example.jp"})
    with smtp_server(box) as mailbox:
        assert (await worker(world, mailbox.url).deliver_due()).failed == 1
    assert delivery(world, delivery_id).state is DeliveryState.FAILED


async def test_a_claim_left_by_a_dead_worker_is_taken_again_after_it_expires(
    world: World,
) -> None:
    delivery_id = enqueue(world)
    with world.store.outbox() as unit:  # a worker claims, then dies before sending
        [claimed] = unit.claim_due(world.clock(), 10, timedelta(minutes=5), [Channel.EMAIL])
    assert claimed.id == delivery_id and claimed.state is DeliveryState.SENDING
    with smtp_server() as mailbox:
        assert (await worker(world, mailbox.url).deliver_due()).claimed == 0  # still claimed
        world.clock.advance(minutes=5)
        assert (await worker(world, mailbox.url).deliver_due()).sent == 1
    assert [m["Message-ID"] for m in mailbox.received()] == [f"<{delivery_id}@gw.example.go.jp>"]
    assert delivery(world, delivery_id).attempts == 2
