"""Cookie flags by public URL, and the usage chart's days and bars."""

from __future__ import annotations

from datetime import date

from fastapi import Response

from gateway.developer.chart import days_filled, usage_svg
from gateway.developer.web import CookiePolicy
from registry.models import DailyUsage


def test_session_cookie_is_secure_behind_https() -> None:
    for url, secure in (("https://api.example.go.jp", True), ("http://127.0.0.1:8000", False)):
        response = Response()
        CookiePolicy.from_public_url(url, 12).set_session(response, "token")
        cookie = response.headers["set-cookie"].lower()
        assert ("; secure" in cookie) is secure
        assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=43200" in cookie


def test_csrf_cookie_is_readable_by_the_page_but_same_site() -> None:
    response = Response()
    CookiePolicy.from_public_url("https://api.example.go.jp", 12).new_csrf(response)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" not in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_chart_has_a_bar_per_day_and_marks_errors() -> None:
    rows = [DailyUsage(day=date(2026, 12, 1), calls=10, errors=2)]
    days = days_filled(rows, date(2026, 12, 3), 3)
    assert [d.calls for d in days] == [10, 0, 0] and days[0].day == date(2026, 12, 1)
    svg = usage_svg(days)
    assert svg.count('fill="#0031d8"') == 3 and svg.count('fill="#c5000a"') == 1
    assert 'aria-hidden="true"' in svg and "<script" not in svg
