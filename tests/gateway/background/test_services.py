"""The background list: start order, stop in reverse, failures, and once-across-instances leases."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gateway.background import BackgroundServices, FileLease, Hooks, PostgresLease
from gateway.background.lease import Lease
from gateway.background.services import OnceAcrossInstances, nothing
from registry.store import open_store
from registry.store.engine import libpq_conninfo


def recording(
    log: list[str],
    name: str,
    *,
    fail_start: bool = False,
    fail_stop: bool = False,
    once: bool = False,
) -> Hooks:
    def start() -> None:
        if fail_start:
            raise RuntimeError(f"{name} cannot start")
        log.append(f"start {name}")

    async def stop() -> None:
        await asyncio.sleep(0)
        if fail_stop:
            raise RuntimeError(f"{name} cannot stop")
        log.append(f"stop {name}")

    return Hooks(name, start, stop, once_across_instances=once)


async def test_services_start_in_order_and_stop_in_reverse() -> None:
    log: list[str] = []
    services = BackgroundServices([recording(log, n) for n in ("store", "client", "loop")])
    assert services.names == ("store", "client", "loop")
    async with services.running():
        assert log == ["start store", "start client", "start loop"]
    assert log[3:] == ["stop loop", "stop client", "stop store"]


async def test_a_failed_start_stops_what_started_and_propagates() -> None:
    log: list[str] = []
    services = BackgroundServices(
        [recording(log, "store"), recording(log, "broken", fail_start=True), recording(log, "x")]
    )
    with pytest.raises(RuntimeError, match="broken cannot start"):
        await services.start()
    assert log == ["start store", "stop store"]
    await services.stop()  # nothing left to stop
    assert log == ["start store", "stop store"]


async def test_a_failed_stop_does_not_skip_the_others(caplog: pytest.LogCaptureFixture) -> None:
    log: list[str] = []
    services = BackgroundServices(
        [recording(log, "a"), recording(log, "b", fail_stop=True), recording(log, "c")]
    )
    await services.start()
    await services.stop()
    assert log[3:] == ["stop c", "stop a"]
    assert "background service b failed to stop" in caplog.text


def test_a_once_service_needs_a_lease() -> None:
    with pytest.raises(ValueError, match="no lease"):
        BackgroundServices([Hooks("compactor", nothing, nothing, once_across_instances=True)])


async def wait_for(condition: Callable[[], bool], what: str) -> None:
    for _ in range(1000):  # at most about ten seconds
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def run_two_instances(first_lease: Lease, second_lease: Lease) -> list[str]:
    """Two 'instances' of one once-across-instances service: only one runs; when it stops,
    the other takes over."""
    log: list[str] = []
    one = BackgroundServices(
        [recording(log, "one", once=True)],
        lease_for=lambda _: first_lease,
        lease_retry_seconds=0.02,
    )
    two = BackgroundServices(
        [recording(log, "two", once=True)],
        lease_for=lambda _: second_lease,
        lease_retry_seconds=0.02,
    )
    (held_one,), (held_two,) = one.services, two.services
    assert isinstance(held_one, OnceAcrossInstances) and isinstance(held_two, OnceAcrossInstances)
    await one.start()
    await wait_for(lambda: held_one.running, "the first instance to run it")
    await two.start()
    await asyncio.sleep(0.1)  # several retries of the second instance
    assert not held_two.running
    await one.stop()
    await wait_for(lambda: held_two.running, "the second instance to take over")
    await two.stop()
    return log


async def test_file_leases_run_a_service_once_per_machine(tmp_path: Path) -> None:
    path = tmp_path / "leases" / "compactor.lock"
    log = await run_two_instances(FileLease(path), FileLease(path))
    assert log == ["start one", "stop one", "start two", "stop two"]


@pytest.fixture
def conninfo(postgres_url: str) -> Iterator[str]:
    store = open_store(postgres_url)
    try:
        yield libpq_conninfo(store.engine.url)
    finally:
        store.dispose()


@pytest.mark.postgres
async def test_postgres_leases_run_a_service_once_across_instances(conninfo: str) -> None:
    name = f"compactor-{id(conninfo)}"
    log = await run_two_instances(PostgresLease(conninfo, name), PostgresLease(conninfo, name))
    assert log == ["start one", "stop one", "start two", "stop two"]


@pytest.mark.postgres
async def test_a_lost_postgres_session_stops_the_service_here(conninfo: str) -> None:
    lease = PostgresLease(conninfo, f"worker-{id(conninfo)}")
    log: list[str] = []
    held = OnceAcrossInstances(recording(log, "worker"), lease, retry_seconds=0.02)
    await held.start()
    await wait_for(lambda: held.running, "the service to run")
    assert lease._conn is not None
    await lease._conn.close()  # the session ends: PostgreSQL has released the lock
    await wait_for(lambda: "stop worker" in log, "the service to stop")
    await wait_for(lambda: held.running, "the lease to be taken again")
    await held.stop()
    assert log == ["start worker", "stop worker", "start worker", "stop worker"]


async def test_a_once_service_that_fails_to_start_gives_its_lease_back(tmp_path: Path) -> None:
    attempts: list[str] = []

    def start() -> None:
        attempts.append("start")
        if len(attempts) == 1:
            raise RuntimeError("first start fails")

    lease = FileLease(tmp_path / "worker.lock")
    held = OnceAcrossInstances(Hooks("worker", start, nothing), lease, retry_seconds=0.02)
    await held.start()
    await wait_for(lambda: held.running, "the second attempt to run it")
    await held.stop()
    assert attempts == ["start", "start"]
    other = FileLease(tmp_path / "worker.lock")
    assert await other.acquire()  # released on stop
    await other.release()
