"""The Atom change feeds, read back with a feed parser."""

from __future__ import annotations

import feedparser
import pytest

from registry.errors import NotFound
from tests.registry.notices.conftest import OPERATOR, World, sunset_in


def parse(body: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_feed_lists_public_changes_newest_first_with_stable_ids(world: World) -> None:
    world.svc.deprecate(OPERATOR, "libraries", "v1", sunset_in(world, 200), successor="v2")
    feed = parse(world.svc.change_feed(None))
    titles = [e.title for e in feed.entries]
    assert "図書館API v1 は非推奨になり" in titles[0]  # newest first
    assert [e.tags[0].term for e in feed.entries] == [
        "api.version.deprecated",
        "api.version.published",
        "api.version.published",
    ]
    assert feed.entries[0].link == "https://gw.example.go.jp/portal/apis/libraries/v1/"
    ids = [e.id for e in feed.entries]
    assert all(i.startswith("tag:gw.example.go.jp,2026:change/") for i in ids)
    world.svc.retire(OPERATOR, "libraries", "v1")
    again = parse(world.svc.change_feed("libraries"))
    assert [e.id for e in again.entries][1:] == ids  # the new entry on top, the rest unchanged


def test_drafts_and_other_apis_stay_out_of_an_apis_feed(world: World) -> None:
    feed = parse(world.svc.change_feed("libraries"))
    assert len(feed.entries) == 2  # the two publications; registrations are not listed
    assert feed.feed.id == "tag:gw.example.go.jp,2026:changes/libraries"
    with pytest.raises(NotFound):
        world.svc.change_feed("no-such-api")
