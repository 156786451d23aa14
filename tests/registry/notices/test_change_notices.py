"""Change notices are written with the change, to exactly the apps it concerns."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from registry.errors import Refused
from registry.notices.models import Channel
from tests.registry.notices.conftest import OPERATOR, World, sunset_in
from tests.registry.store.documents import openapi


def mails(world: World) -> list[dict[str, object]]:
    return [d for d in world.deliveries() if d["channel"] == Channel.EMAIL]


def test_deprecating_tells_the_owner_of_the_app_that_called_and_nobody_else(world: World) -> None:
    world.call(world.caller, count=3)
    sunset = sunset_in(world, 200)
    world.svc.deprecate(OPERATOR, "libraries", "v1", sunset, successor="v2", note="v2 へ移行")
    sent = world.deliveries()
    assert [(d["channel"], d["recipient"]) for d in sent] == [("email", "a@example.jp")]
    mail = sent[0]
    change = world.svc.change_log(OPERATOR, limit=1)[0]
    assert (mail["kind"], mail["change_id"]) == ("api.version.deprecated", change.id)
    day = f"{sunset.year}年{sunset.month}月{sunset.day}日"
    assert str(mail["subject"]).startswith(f"【重要】図書館API v1 の提供終了（{day}）")
    body = str(mail["body"])
    assert body.index("提供終了日時") < body.index("Sunset:")  # Japanese first, English below
    assert f"{sunset.isoformat()}T00:00:00+09:00" in body
    assert f"App A ({world.caller}): 最終呼び出し" in body
    assert "後継バージョン: v2" in body and "移行について: v2 へ移行" in body
    assert "https://gw.example.go.jp/portal/apis/libraries/v1/" in body
    assert world.bystander not in body


def test_a_webhook_goes_to_each_concerned_app_that_registered_one(world: World) -> None:
    for client_id in (world.caller, world.bystander):
        world.svc.set_webhook(OPERATOR, client_id, "https://hooks.example.jp/tsunagu")
    world.call(world.caller)
    world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    hooks = [d for d in world.deliveries() if d["channel"] == Channel.WEBHOOK]
    assert [d["recipient"] for d in hooks] == [world.caller]
    payload = json.loads(str(hooks[0]["body"]))
    assert payload["type"] == "api.version.deprecated"
    assert payload["data"]["app"]["client_id"] == world.caller
    assert payload["data"]["sunset"].endswith("T00:00:00+09:00")


def test_a_subscribed_app_is_told_without_calling(world: World) -> None:
    assert world.svc.subscribe(OPERATOR, world.bystander, "libraries") is True
    assert world.svc.subscribe(OPERATOR, world.bystander, "libraries") is False
    world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    sent = mails(world)
    assert [d["recipient"] for d in sent] == ["b@example.jp"]
    assert "呼び出しなし（購読中）" in str(sent[0]["body"])


def test_calls_older_than_ninety_days_do_not_count(world: World) -> None:
    world.call(world.caller)
    world.clock.advance(days=91)
    world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    assert world.deliveries() == []


def test_calls_to_another_version_do_not_count(world: World) -> None:
    world.call(world.caller, version="v2")
    world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200))
    assert world.deliveries() == []


def test_a_refused_change_writes_no_notice(world: World) -> None:
    world.call(world.caller)
    with pytest.raises(Refused) as refused:
        world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 10))
    assert refused.value.code == "sunset-too-soon"
    assert world.deliveries() == []


def test_the_sunset_moves_later_with_a_notice_but_never_earlier(world: World) -> None:
    world.call(world.caller)
    first = sunset_in(world, 200)
    world.svc.deprecate(OPERATOR, "libraries", "v1", first)
    later = first + timedelta(days=30)
    view = world.svc.deprecate(OPERATOR, "libraries", "v1", later, successor="v2")
    assert view.sunset is not None and view.sunset.date() == later - timedelta(days=1)  # UTC
    assert view.successor == "v2"
    kinds = [d["kind"] for d in mails(world)]
    assert sorted(kinds) == ["api.version.deprecated", "api.version.sunset_moved"]
    with pytest.raises(Refused) as refused:
        world.svc.deprecate(OPERATOR, "libraries", "v1", first)
    assert refused.value.code == "sunset-earlier"
    unchanged = world.svc.get_version(OPERATOR, "libraries", "v1")
    assert unchanged.sunset == view.sunset
    assert len(world.deliveries()) == 2


def test_publishing_tells_the_callers_of_the_other_versions(world: World) -> None:
    world.call(world.caller)
    document = json.dumps(openapi(version="3.0.0")).encode()
    world.svc.register(OPERATOR, "digital", document, "https://api.example.go.jp/base")
    assert world.deliveries() == []  # a draft is the provider's own business
    world.svc.publish(OPERATOR, "libraries", "v3")
    sent = mails(world)
    published = [("a@example.jp", "api.version.published")]
    assert [(d["recipient"], d["kind"]) for d in sent] == published


def test_retiring_by_hand_is_told(world: World) -> None:
    world.call(world.caller)
    world.svc.retire(OPERATOR, "libraries", "v1")
    assert [d["kind"] for d in mails(world)] == ["api.version.retired"]


def test_a_change_log_action_it_does_not_know_is_told_generically(world: World) -> None:
    """The brownout announcement is written by another part of the registry as a plain
    change-log entry; its notice and its detail need no code here."""
    world.call(world.caller)
    detail = {"start": "2027-01-10T10:00:00+09:00", "minutes": 30, "reason": "移行の確認"}
    with world.store.write() as unit:
        unit.record_change(world.clock(), "cli:operator", "brownout", "libraries/v1", detail)
    sent = mails(world)
    assert [d["kind"] for d in sent] == ["api.version.brownout_scheduled"]
    body = str(sent[0]["body"])
    assert "開始: 2027-01-10T10:00:00+09:00" in body and "Start: 2027-01-10T10:00:00+09:00" in body
    assert "時間（分）: 30" in body and "Minutes: 30" in body
    assert "reason: 移行の確認" in body  # a key without a label: under its own name


def test_enqueue_mail_is_idempotent_by_key(world: World) -> None:
    with world.store.write() as unit:
        first = unit.enqueue_mail(to="x@example.jp", subject="s", body="b", kind="t", key="k")
        again = unit.enqueue_mail(to="y@example.jp", subject="t", body="c", kind="t", key="k")
    assert first == again and first.startswith("ntc_")
    assert [d["recipient"] for d in world.deliveries()] == ["x@example.jp"]
