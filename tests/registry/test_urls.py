"""The public URL layout: one owner for every link the platform hands out (CONTRACT.md paths)."""

from __future__ import annotations

from registry import urls

BASE = "https://api.example.go.jp/"


def test_paths_follow_the_contract() -> None:
    assert urls.portal_path() == "/portal/"
    assert urls.api_path("houjin", "v2") == "/api/houjin/v2/"
    assert urls.api_page_path("houjin", "v2") == "/portal/apis/houjin/v2/"
    assert urls.error_anchor_path("rate-limited") == "/portal/errors/#rate-limited"
    assert urls.changes_feed_path() == "/feeds/changes.atom"
    assert urls.api_feed_path("houjin") == "/feeds/houjin.atom"


def test_urls_join_the_public_url_without_doubled_slashes() -> None:
    assert urls.api_url(BASE, "houjin", "v2") == "https://api.example.go.jp/api/houjin/v2/"
    assert urls.api_page_url(BASE, "a", "v1") == "https://api.example.go.jp/portal/apis/a/v1/"
    assert urls.error_page_url(BASE, "gone") == "https://api.example.go.jp/portal/errors/#gone"
    assert urls.changes_feed_url(BASE) == "https://api.example.go.jp/feeds/changes.atom"
    assert urls.api_feed_url(BASE, "a") == "https://api.example.go.jp/feeds/a.atom"
