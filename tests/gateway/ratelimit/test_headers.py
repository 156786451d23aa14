"""RateLimit field formats per draft revision (exact bytes)."""

from __future__ import annotations

import pytest

from gateway.ratelimit.headers import policy_field, rate_limit_headers, retry_after
from gateway.ratelimit.quota import Quota, QuotaState

MINUTE = Quota("minute", 60, 60)
DAY = Quota("day", 10_000, 86_400, offset=32_400)
STATES = (QuotaState(MINUTE, 18, 13), QuotaState(DAY, 9_000, 40_000))


def as_dict(draft: int, states: tuple[QuotaState, ...] = STATES) -> dict[bytes, bytes]:
    return dict(rate_limit_headers(draft, (MINUTE, DAY), states))


@pytest.mark.parametrize("draft", [8, 9, 10])
def test_named_structured_form(draft: int) -> None:
    assert as_dict(draft) == {
        b"ratelimit-policy": b'"minute";q=60;w=60, "day";q=10000;w=86400',
        b"ratelimit": b'"minute";r=42;t=13, "day";r=1000;t=40000',
    }


def test_draft_7_dictionary_reports_the_tightest_quota() -> None:
    assert as_dict(7) == {
        b"ratelimit-policy": b"60;w=60, 10000;w=86400",
        b"ratelimit": b"limit=60, remaining=42, reset=13",
    }
    nearly_done_today = (QuotaState(MINUTE, 1, 13), QuotaState(DAY, 9_995, 40_000))
    assert as_dict(7, nearly_done_today)[b"ratelimit"] == b"limit=10000, remaining=5, reset=40000"


def test_draft_6_separate_fields() -> None:
    assert rate_limit_headers(6, (MINUTE, DAY), STATES) == [
        (b"ratelimit-limit", b"60"),
        (b"ratelimit-remaining", b"42"),
        (b"ratelimit-reset", b"13"),
        (b"ratelimit-policy", b"60;w=60, 10000;w=86400"),
    ]


def test_remaining_never_negative_and_retry_after_at_least_one() -> None:
    over = QuotaState(MINUTE, 75, 0)
    assert as_dict(9, (over,))[b"ratelimit"] == b'"minute";r=0;t=0'
    assert retry_after(over) == (b"retry-after", b"1")
    assert retry_after(QuotaState(MINUTE, 61, 13)) == (b"retry-after", b"13")


def test_older_drafts_drop_policies_sharing_a_limit() -> None:
    same = (Quota("minute", 100, 60), Quota("day", 100, 86_400))
    assert policy_field(7, same) == b"100;w=60"
    assert policy_field(9, same) == b'"minute";q=100;w=60, "day";q=100;w=86400'


def test_no_states_gives_the_policy_only() -> None:
    assert rate_limit_headers(9, (MINUTE,), ()) == [(b"ratelimit-policy", b'"minute";q=60;w=60')]


@pytest.mark.parametrize(
    ("now", "left"),
    [(1_800_000_030.0, 30), (1_800_000_059.2, 1), (1_800_000_000.0, 60), (1_800_000_000.5, 60)],
)
def test_window_seconds_left(now: float, left: int) -> None:
    assert MINUTE.seconds_left(now) == left


def test_day_windows_end_at_midnight_jst() -> None:
    # 2027-01-15T00:00:00+09:00 == 2027-01-14T15:00:00Z == 1_799_938_800
    midnight_jst = 1_799_938_800.0
    assert DAY.index(midnight_jst - 1) + 1 == DAY.index(midnight_jst)
    assert DAY.seconds_left(midnight_jst - 1) == 1
    assert DAY.seconds_left(midnight_jst) == 86_400
