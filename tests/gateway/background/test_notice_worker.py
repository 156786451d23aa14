"""The notice worker as a background service: one instance of two delivers, and delivers once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from gateway.background import BackgroundServices, FileLease
from gateway.background.notices import NoticeDelivery, NoticeWorkerService
from gateway.background.services import OnceAcrossInstances
from registry.notices.models import DeliveryState
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import open_store
from tests.mailbox import smtp_server


def instance(service: RegistryService, lock: Path) -> BackgroundServices:
    worker = NoticeWorkerService(NoticeDelivery(service), poll_seconds=0.05)
    return BackgroundServices(
        [worker], lease_for=lambda _: FileLease(lock), lease_retry_seconds=0.05
    )


async def test_two_instances_deliver_a_notice_once(tmp_path: Path) -> None:
    with smtp_server() as mailbox:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'r.db'}",
            smtp_url=mailbox.url,
            mail_from="notices@gw.example.jp",
        )
        store = open_store(settings)
        service = RegistryService(store, settings)
        with store.write() as unit:
            delivery_id = unit.enqueue_mail(
                to="a@example.jp", subject="件名", body="本文", kind="test", key="once"
            )
        lock = tmp_path / "leases" / "notice-worker.lock"
        one, two = instance(service, lock), instance(service, lock)
        try:
            async with one.running(), two.running():
                for _ in range(400):  # at most about 20 seconds
                    with store.read() as unit:
                        found = unit.delivery(delivery_id)
                    if found is not None and found.state is DeliveryState.SENT:
                        break
                    await asyncio.sleep(0.05)
                held = [
                    s for s in (*one.services, *two.services) if isinstance(s, OnceAcrossInstances)
                ]
                assert [s.running for s in held].count(True) == 1
        finally:
            store.dispose()
    assert found is not None and found.state is DeliveryState.SENT
    assert [m["Message-ID"] for m in mailbox.received()] == [f"<{delivery_id}@gw.example.jp>"]
