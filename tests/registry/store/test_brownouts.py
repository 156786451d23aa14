"""Brownout windows through the service: the rules, the record, and the snapshot's routes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from registry.brownouts import parse_start
from registry.clock import JAPAN
from registry.errors import InvalidInput, Refused
from registry.service import RegistryService
from registry.snapshot import RegistryReader
from registry.store import Store
from tests.registry.store.conftest import OPERATOR, PROVIDER_A, FakeClock
from tests.registry.store.documents import as_yaml, openapi

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/libraries"
SUNSET = date(2026, 1, 1)  # the fake clock starts on 2025-04-01


def deprecated(svc: RegistryService) -> None:
    for version in ("1.0.0", "2.0.0"):
        result = svc.register(PROVIDER_A, "digital", as_yaml(openapi(version=version)), UP)
        svc.publish(PROVIDER_A, "libraries", result.version)
    svc.deprecate(PROVIDER_A, "libraries", "v1", SUNSET, successor="v2")


def in_days(clock: FakeClock, days: int) -> datetime:
    """A whole minute `days` from the fake now, in Japan time."""
    return (clock.now + timedelta(days=days)).astimezone(JAPAN).replace(second=0, microsecond=0)


def test_a_brownout_is_recorded_listed_and_in_the_route(
    svc: RegistryService, store: Store, clock: FakeClock
) -> None:
    deprecated(svc)
    start = in_days(clock, 8)
    view = svc.brownout(PROVIDER_A, "libraries", "v1", start, 30)
    (window,) = view.brownouts
    assert (window.start, window.end) == (start, start + timedelta(minutes=30))
    listed = next(r for r in svc.list_apis(OPERATOR) if r.version == "v1")
    assert listed.brownouts == (window,)
    route = RegistryReader(store).snapshot().route("libraries", "v1")
    assert route is not None and route.brownouts == (window,)
    entry = svc.change_log(OPERATOR, limit=1)[0]
    assert (entry.action, entry.target) == ("api.brownout", "libraries/v1")
    assert entry.detail == {
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=30)).isoformat(),
        "minutes": 30,
        "sunset": "2026-01-01T00:00:00+09:00",
        "successor": "v2",
    }


def test_a_brownout_needs_seven_days_notice(svc: RegistryService, clock: FakeClock) -> None:
    deprecated(svc)
    with pytest.raises(Refused, match="at least 7 days ahead") as refused:
        svc.brownout(PROVIDER_A, "libraries", "v1", in_days(clock, 6), 30)
    assert refused.value.code == "brownout-too-soon"


def test_a_brownout_ends_before_the_sunset(svc: RegistryService) -> None:
    deprecated(svc)
    last_evening = datetime(2025, 12, 31, 23, 30, tzinfo=JAPAN)
    svc.brownout(PROVIDER_A, "libraries", "v1", last_evening, 30)  # ends at the sunset: fine
    with pytest.raises(Refused) as refused:
        svc.brownout(PROVIDER_A, "libraries", "v1", last_evening + timedelta(minutes=1), 30)
    assert refused.value.code == "brownout-after-sunset"


def test_windows_may_not_overlap(svc: RegistryService, clock: FakeClock) -> None:
    deprecated(svc)
    start = in_days(clock, 10)
    svc.brownout(PROVIDER_A, "libraries", "v1", start, 60)
    with pytest.raises(Refused) as refused:
        svc.brownout(PROVIDER_A, "libraries", "v1", start + timedelta(minutes=59), 10)
    assert refused.value.code == "brownout-overlap"
    svc.brownout(PROVIDER_A, "libraries", "v1", start + timedelta(minutes=60), 10)  # adjacent


def test_only_a_deprecated_version_browns_out(svc: RegistryService, clock: FakeClock) -> None:
    deprecated(svc)
    with pytest.raises(Refused) as refused:
        svc.brownout(PROVIDER_A, "libraries", "v2", in_days(clock, 8), 30)
    assert refused.value.code == "wrong-state"


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_the_length_is_one_minute_to_a_day(
    svc: RegistryService, clock: FakeClock, minutes: int
) -> None:
    deprecated(svc)
    with pytest.raises(InvalidInput) as refused:
        svc.brownout(PROVIDER_A, "libraries", "v1", in_days(clock, 8), minutes)
    assert refused.value.code == "brownout-invalid"
    assert svc.get_version(OPERATOR, "libraries", "v1").brownouts == ()


def test_start_is_read_as_japan_time() -> None:
    assert parse_start("2027-05-01 10:00") == datetime(2027, 5, 1, 1, 0, tzinfo=JAPAN) + timedelta(
        hours=9
    )
    for bad in ("2027-05-01", "2027-05-01T10:00", "2027-13-01 10:00", "tomorrow"):
        with pytest.raises(InvalidInput):
            parse_start(bad)
