"""Concurrent writers on one slug never corrupt the registry; a lost race is a Conflict."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text

from registry.errors import Conflict, RegistryError
from registry.models import VersionState
from registry.service import RegistryService
from registry.settings import Settings
from registry.snapshot import RegistryReader
from registry.store import Store, open_store
from tests.registry.store.conftest import OPERATOR, PROVIDER_A, FakeClock
from tests.registry.store.documents import as_yaml, openapi

UP = "https://upstream.example.go.jp/x"
THREADS = 8


TRANSITIONS = {
    "api.register": ({None, "draft"}, "draft"),
    "api.publish": ({"draft"}, "published"),
    "api.deprecate": ({"published"}, "deprecated"),
    "api.retire": ({"published", "deprecated"}, "retired"),
    "api.change": ({"published", "deprecated"}, None),  # a compatible change keeps the state
    "api.sunset": ({"deprecated"}, None),  # deprecating again moves the sunset, keeps the state
}


def replay(actions: list[str]) -> str | None:
    """The state the logged actions lead to, checking each was allowed where it happened."""
    state: str | None = None
    for action in actions:
        allowed, state_after = TRANSITIONS[action]
        assert state in allowed, f"{action} logged while {state}"
        state = state_after or state
    return state


def run_at_once(actions: list[Callable[[], object]]) -> list[BaseException | None]:
    """Start every action in its own thread behind one barrier; return each one's outcome."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[BaseException | None] = [None] * len(actions)

    def run(i: int) -> None:
        barrier.wait(timeout=10)
        try:
            actions[i]()
        except BaseException as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


@pytest.mark.usefixtures("providers")
def test_racing_lifecycle_steps_on_one_slug(svc: RegistryService, store: Store) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(version="2.0.0")), UP)
    svc.publish(PROVIDER_A, "libraries", "v2")
    reader = RegistryReader(store)
    generation, logged = reader.generation(), len(svc.change_log(OPERATOR, limit=1000))
    actions: list[Callable[[], object]] = [
        lambda: svc.register(PROVIDER_A, "digital", as_yaml(openapi(title="題名A")), UP),
        lambda: svc.register(PROVIDER_A, "digital", as_yaml(openapi(title="題名B")), UP),
        lambda: svc.publish(PROVIDER_A, "libraries", "v1"),
        lambda: svc.publish(PROVIDER_A, "libraries", "v1"),
        lambda: svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1), successor="v2"),
        lambda: svc.deprecate(PROVIDER_A, "libraries", "v1", date(2026, 1, 1)),
        lambda: svc.retire(PROVIDER_A, "libraries", "v1"),
        lambda: svc.register(PROVIDER_A, "digital", as_yaml(openapi(title="題名C")), UP),
    ]
    assert len(actions) == THREADS
    outcomes = run_at_once(actions)

    unexpected = [o for o in outcomes if o is not None and not isinstance(o, RegistryError)]
    assert unexpected == []
    succeeded = sum(o is None for o in outcomes)
    assert succeeded >= 1
    log = svc.change_log(OPERATOR, limit=1000)
    assert len(log) == logged + succeeded
    assert reader.generation() == generation + succeeded
    view = svc.get_version(OPERATOR, "libraries", "v1")
    assert view.state in set(VersionState)
    assert view.title in {"題名A", "題名B", "題名C"}
    done = [e.action for e in reversed(log[: len(log) - logged])]
    assert replay(done) == view.state.value


def test_racing_registrations_of_a_new_slug(database_url: str, clock: FakeClock) -> None:
    """Separate stores (as separate processes would have) register the same new slug at once."""
    stores = [open_store(database_url, clock=clock) for _ in range(3)]
    try:
        services = [RegistryService(s, Settings(), clock=clock) for s in stores]
        services[0].add_provider(OPERATOR, "digital", "デジタル庁", "DA", "a@example.go.jp")
        outcomes = run_at_once(
            [
                lambda i=i: services[i % 3].register(
                    PROVIDER_A, "digital", as_yaml(openapi(title=f"題名{i}")), UP
                )
                for i in range(THREADS)
            ]
        )
        assert [o for o in outcomes if o is not None and not isinstance(o, Conflict)] == []
        succeeded = sum(o is None for o in outcomes)
        assert succeeded >= 1
        log = services[1].change_log(OPERATOR, limit=1000)
        assert [e.action for e in log].count("api.register") == succeeded
        assert [s.slug for s in services[2].list_apis(OPERATOR)] == ["libraries"]
        assert RegistryReader(stores[0]).generation() == 1 + succeeded
    finally:
        for store in stores:
            store.dispose()


@pytest.mark.usefixtures("providers")
def test_waiting_too_long_for_the_write_lock_is_a_conflict(
    database_url: str, svc: RegistryService, clock: FakeClock
) -> None:
    """Another writer holds the registry lock longer than our lock timeout."""
    impatient = RegistryService(
        open_store(database_url, lock_timeout=0.2, clock=clock), Settings(), clock=clock
    )
    holder = svc.store.engine.connect()
    try:
        holder.execution_options(sqlite_begin="IMMEDIATE")
        with holder.begin():
            if svc.store.dialect == "postgresql":
                holder.execute(text("SELECT id FROM registry_state FOR UPDATE"))
            with pytest.raises(Conflict, match="retry"):
                impatient.register(PROVIDER_A, "digital", as_yaml(openapi()), UP)
    finally:
        holder.close()
        impatient.store.dispose()
    assert svc.list_apis(OPERATOR) == []
