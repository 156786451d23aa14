"""Objectives from x-slo over the defaults, their problems, and the launch-watch window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from registry.slo import Objectives, objectives_of, slo_problems, under_launch_watch

DEFAULTS = Objectives(availability_percent=99.5, latency_p95_ms=1000)


def test_declared_objectives_override_the_defaults_key_by_key() -> None:
    both = {"x-slo": {"availability": 99.9, "latency_p95_ms": 300}}
    assert objectives_of(both, DEFAULTS) == Objectives(99.9, 300)
    only_latency = {"x-slo": {"latency_p95_ms": 300}}
    assert objectives_of(only_latency, DEFAULTS) == Objectives(99.5, 300)
    assert objectives_of({}, DEFAULTS) == DEFAULTS
    assert objectives_of({"x-slo": {"availability": 99.9}}, DEFAULTS).availability_ratio == (
        pytest.approx(0.999)
    )


@pytest.mark.parametrize(
    ("declared", "pointer"),
    [
        ("99.5", "/x-slo"),
        ({"availability": 100}, "/x-slo/availability"),
        ({"availability": 12}, "/x-slo/availability"),
        ({"availability": "99.5"}, "/x-slo/availability"),
        ({"availability": True}, "/x-slo/availability"),
        ({"latency_p95_ms": 0}, "/x-slo/latency_p95_ms"),
        ({"latency_p95_ms": 250.5}, "/x-slo/latency_p95_ms"),
        ({"latency_p95": 250}, "/x-slo/latency_p95"),
    ],
)
def test_malformed_objectives_are_reported_and_fall_back_to_the_defaults(
    declared: Any, pointer: str
) -> None:
    document = {"x-slo": declared}
    problems = list(slo_problems(document))
    assert [p.pointer for p in problems] == [pointer]
    assert problems[0].ja and problems[0].en
    assert objectives_of(document, DEFAULTS) == DEFAULTS


def test_well_formed_objectives_have_no_problems() -> None:
    assert list(slo_problems({"x-slo": {"availability": 99, "latency_p95_ms": 500}})) == []
    assert list(slo_problems({})) == []


def test_launch_watch_runs_from_first_publication_for_the_given_days() -> None:
    published = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert under_launch_watch(published, published, 30)
    assert under_launch_watch(published, published + timedelta(days=29, hours=23), 30)
    assert not under_launch_watch(published, published + timedelta(days=30), 30)
    assert not under_launch_watch(published, published - timedelta(seconds=1), 30)
    assert not under_launch_watch(None, published, 30)
    assert not under_launch_watch(published, published, 0)
