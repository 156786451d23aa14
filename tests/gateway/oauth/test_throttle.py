"""The failure throttle with a controlled clock (SECURITY-TESTS.md A22, B15)."""

from __future__ import annotations

from gateway.oauth.throttle import FailureThrottle, ThrottleLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _throttle(clock: Clock, **limits: float) -> FailureThrottle:
    return FailureThrottle(ThrottleLimits(**limits), clock=clock)  # type: ignore[arg-type]


def test_pair_blocks_after_the_limit_but_not_the_owner_elsewhere() -> None:
    clock = Clock()
    throttle = _throttle(clock, pair_limit=5, client_limit=20, ip_limit=20)
    for _ in range(4):
        throttle.failure("tsu_a", "10.0.0.1")
        assert throttle.retry_after("tsu_a", "10.0.0.1") == 0
    throttle.failure("tsu_a", "10.0.0.1")
    assert throttle.retry_after("tsu_a", "10.0.0.1") == 2  # the base delay
    assert throttle.retry_after("tsu_a", "10.0.0.2") == 0
    assert throttle.retry_after("tsu_b", "10.0.0.1") == 0


def test_backoff_grows_exponentially_and_is_capped() -> None:
    clock = Clock()
    throttle = _throttle(clock, pair_limit=2, base_delay_seconds=2.0, max_delay_seconds=60.0)
    waits = []
    for _ in range(8):
        throttle.failure("tsu_a", "ip")
        waits.append(throttle.retry_after("tsu_a", "ip"))
        clock.now += 0.5
    assert waits[:5] == [0, 2, 4, 8, 16]
    assert max(waits) == 60


def test_per_client_limit_catches_guessing_from_many_addresses() -> None:
    clock = Clock()
    throttle = _throttle(clock, pair_limit=5, client_limit=6, ip_limit=100)
    for n in range(6):
        throttle.failure("tsu_a", f"10.0.0.{n}")
    assert throttle.retry_after("tsu_a", "10.9.9.9") > 0
    assert throttle.retry_after("tsu_b", "10.9.9.9") == 0


def test_per_ip_limit_catches_guessing_many_client_ids() -> None:
    clock = Clock()
    throttle = _throttle(clock, pair_limit=5, client_limit=100, ip_limit=4)
    for n in range(4):
        throttle.failure(f"tsu_{n}", "10.0.0.1")
    assert throttle.retry_after("tsu_new", "10.0.0.1") > 0
    assert throttle.retry_after(None, "10.0.0.1") > 0
    assert throttle.retry_after("tsu_new", "10.0.0.2") == 0


def test_window_expiry_and_success_reset() -> None:
    clock = Clock()
    throttle = _throttle(clock, pair_limit=3, window_seconds=60.0)
    throttle.failure("tsu_a", "ip")
    throttle.failure("tsu_a", "ip")
    clock.now += 61
    throttle.failure("tsu_a", "ip")  # a new window: count 1
    assert throttle.retry_after("tsu_a", "ip") == 0
    throttle.failure("tsu_a", "ip")
    throttle.success("tsu_a", "ip")
    throttle.failure("tsu_a", "ip")
    assert throttle.retry_after("tsu_a", "ip") == 0


def test_the_table_is_bounded() -> None:
    clock = Clock()
    throttle = _throttle(clock, max_entries=10)
    for n in range(50):
        throttle.failure(f"tsu_{n}", f"10.0.{n}.1")
    assert len(throttle._entries) <= 10


def test_guessing_from_many_addresses_does_not_lock_out_the_owners_known_address() -> None:
    """SECURITY-TESTS.md §1.4: never hard-lock a client id for everyone. An address that has
    authenticated as the client keeps working while strangers trip the per-client counter."""
    clock = Clock()
    throttle = _throttle(clock, pair_limit=5, client_limit=6, ip_limit=100)
    throttle.success("tsu_a", "192.0.2.7")  # the owner's integration, earlier today
    clock.now += 3600
    for n in range(12):
        throttle.failure("tsu_a", f"10.0.0.{n}")
    assert throttle.retry_after("tsu_a", "10.9.9.9") > 0  # strangers still wait
    assert throttle.retry_after("tsu_a", "192.0.2.7") == 0
    for _ in range(5):  # the owner's own failures still count against its pair
        throttle.failure("tsu_a", "192.0.2.7")
    assert throttle.retry_after("tsu_a", "192.0.2.7") > 0
