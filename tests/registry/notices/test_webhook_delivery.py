"""Webhook deliveries to a real receiver, through the gateway's guarded resolver."""

from __future__ import annotations

import random
from datetime import timedelta

from standardwebhooks.webhooks import Webhook as Verifier

from gateway.proxy.ssrf import GuardedResolver
from registry.address_policy import UpstreamGuard
from registry.notices.models import Channel, DeliveryState, Webhook
from registry.notices.retry import RetryPolicy
from registry.notices.webhook import WebhookSender
from registry.notices.worker import DeliveryWorker, RoundResult
from tests.e2e.hooks import HookLog
from tests.e2e.upstream import upstream_server
from tests.registry.notices.conftest import OPERATOR, World, sunset_in


async def deliver(world: World, allow: tuple[str, ...]) -> RoundResult:
    """One worker round with a webhook sender whose address policy allows `allow`."""

    async def lookup(client_id: str) -> Webhook | None:
        with world.store.read() as unit:
            return unit.webhook(client_id)

    guard = UpstreamGuard(allow)
    sender = WebhookSender(lookup, guard, GuardedResolver(guard), timeout=10)
    policy = RetryPolicy(timedelta(seconds=30), timedelta(hours=24), rng=random.Random(1))
    worker = DeliveryWorker(
        world.store,
        {Channel.WEBHOOK: sender},
        policy,
        claim_for=timedelta(minutes=5),
        clock=world.clock,
    )
    try:
        return await worker.deliver_due()
    finally:
        await sender.close()


def webhook_state(world: World) -> tuple[DeliveryState, str | None]:
    with world.store.read() as unit:
        [delivery] = [d for d in unit.deliveries(None, 10) if d.channel is Channel.WEBHOOK]
    return delivery.state, delivery.last_error


async def test_a_signed_webhook_arrives_and_a_failing_receiver_is_retried(world: World) -> None:
    hooks = HookLog(status=500)
    with upstream_server(hooks.app()) as receiver:
        secret = world.svc.set_webhook(OPERATOR, world.caller, f"{receiver}/a").secret
        world.call(world.caller)
        world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
        assert (await deliver(world, ("127.0.0.1",))).retrying == 1
        assert webhook_state(world) == (DeliveryState.PENDING, "webhook answered HTTP 500")
        hooks.status = 204
        world.clock.advance(minutes=1)
        assert (await deliver(world, ("127.0.0.1",))).sent == 1
    first, second = hooks.at("/a")
    assert first.headers["webhook-id"] == second.headers["webhook-id"]  # one id for all tries
    assert Verifier(secret).verify(second.body, second.headers)["type"] == "api.version.deprecated"


async def test_an_address_the_policy_refuses_fails_at_once(world: World) -> None:
    hooks = HookLog()
    with upstream_server(hooks.app()) as receiver:
        world.svc.set_webhook(OPERATOR, world.caller, f"{receiver}/a")  # allowed then
        world.call(world.caller)
        world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
        assert (await deliver(world, ())).failed == 1  # not any more
    assert hooks.requests == []
    state, error = webhook_state(world)
    assert state is DeliveryState.FAILED and error == "address not allowed: 127.0.0.1"
