"""Reminders 90, 30 and 7 days before the sunset, retirement at the sunset, launch-watch reports."""

from __future__ import annotations

from datetime import timedelta

from registry.models import VersionState
from registry.notices.schedule import ScheduledNotices
from registry.usage.traffic import TrafficCount, hour_start
from tests.registry.notices.conftest import CONTACT, OPERATOR, World, sunset_in


def kinds(world: World) -> list[str]:
    return sorted(str(d["kind"]) for d in world.deliveries())


def test_reminders_come_once_each_and_the_version_retires_at_its_sunset(world: World) -> None:
    world.call(world.caller)
    view = world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    assert view.sunset is not None
    scheduled = ScheduledNotices(world.svc, clock=world.clock)
    reminders = []
    for days in (90, 30, 7):
        world.clock.now = view.sunset - timedelta(days=days) + timedelta(hours=1)
        world.call(world.caller)  # still calling: still concerned
        scheduled.run()
        scheduled.run()  # a second round (or a second instance) adds nothing
        entries = [e for e in world.svc.change_log(OPERATOR) if e.action == "api.reminder"]
        reminders = [e.detail["days"] for e in entries]
    assert sorted(reminders) == [7, 30, 90]
    assert kinds(world).count("api.version.sunset_reminder") == 3
    world.clock.now = view.sunset - timedelta(minutes=5)
    world.call(world.caller)
    world.clock.now = view.sunset + timedelta(minutes=1)
    scheduled.run()
    retired = world.svc.get_version(OPERATOR, "libraries", "v1")
    assert retired.state is VersionState.RETIRED
    assert "api.version.retired" in kinds(world)


def test_an_app_that_stopped_calling_gets_no_reminder(world: World) -> None:
    world.call(world.caller)
    view = world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    assert view.sunset is not None
    world.clock.now = view.sunset - timedelta(days=7)
    ScheduledNotices(world.svc, clock=world.clock).run()
    assert kinds(world) == ["api.version.deprecated"]


def test_only_the_nearest_missed_reminder_is_sent(world: World) -> None:
    """A worker that was down through the 90- and 30-day marks sends the 30-day one only."""
    world.call(world.caller)
    view = world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    assert view.sunset is not None
    world.clock.now = view.sunset - timedelta(days=20)
    ScheduledNotices(world.svc, clock=world.clock).run()
    reminders = [e for e in world.svc.change_log(OPERATOR) if e.action == "api.reminder"]
    assert [e.detail["days"] for e in reminders] == [30]


def test_a_launch_watch_report_goes_to_the_provider_each_day(world: World) -> None:
    view = world.svc.get_version(OPERATOR, "libraries", "v1")
    assert view.published_at is not None
    counts = {"requests": 5, "status_2xx": 5}
    hour = hour_start(world.clock.now)
    calls = TrafficCount(
        client_id=world.caller,
        slug="libraries",
        version="v1",
        hour=hour,
        counts=counts,
        last_call=world.clock.now,
    )
    world.store.add_traffic([calls], [])
    scheduled = ScheduledNotices(world.svc, clock=world.clock)
    world.clock.advance(days=1)
    scheduled.run()
    scheduled.run()
    reports = [d for d in world.deliveries() if d["kind"] == "launch-watch.report"]
    assert [d["recipient"] for d in reports] == [CONTACT, CONTACT]  # v1 and v2, once each
    [v1] = [d for d in reports if "libraries v1" in str(d["subject"])]
    assert "呼び出し回数: 5" in str(v1["body"]) and "Calls: 5" in str(v1["body"])
    world.clock.advance(days=40)  # long after the watch: no more reports
    scheduled.run()
    assert len([d for d in world.deliveries() if d["kind"] == "launch-watch.report"]) == 2
