"""The pure lifecycle guards and secret helpers (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from registry import secrets
from registry.errors import Refused
from registry.lifecycle import check_sunset, cors_origins, declares_write_scope, earliest_sunset

NOON_JST = datetime(2025, 4, 1, 3, 0, tzinfo=UTC)
MIDNIGHT_JST = datetime(2025, 3, 31, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "days", "earliest"),
    [
        (NOON_JST, 0, date(2025, 4, 2)),  # never before the deprecation instant
        (MIDNIGHT_JST, 0, date(2025, 4, 1)),  # exactly 00:00 +09:00 is allowed
        (NOON_JST, 180, date(2025, 9, 29)),
        (MIDNIGHT_JST, 1, date(2025, 4, 2)),
    ],
)
def test_earliest_sunset(now: datetime, days: int, earliest: date) -> None:
    assert earliest_sunset(now, days) == earliest
    assert check_sunset(now, earliest, days) >= now
    with pytest.raises(Refused, match=earliest.isoformat()):
        check_sunset(now, date.fromordinal(earliest.toordinal() - 1), days)


def test_write_scope_and_cors_come_from_the_document() -> None:
    get_only = {"paths": {"/v1/x": {"get": {}}}}
    assert not declares_write_scope(get_only)
    assert declares_write_scope({"paths": {"/v1/x": {"get": {}, "post": {}}}})
    assert not declares_write_scope({"x-write-scope": False, "paths": {"/v1/x": {"post": {}}}})
    assert declares_write_scope({"x-write-scope": True, **get_only})
    behind_ref = {
        "paths": {"/v1/x": {"$ref": "#/components/pathItems/x"}},
        "components": {"pathItems": {"x": {"get": {}, "delete": {}}}},
    }
    assert declares_write_scope(behind_ref)  # the methods of a $ref'd path item count too
    assert cors_origins({"x-cors-origins": ["https://a.example", 3]}) == ("https://a.example",)
    assert cors_origins({}) == ()


def test_secrets_are_random_and_verify_in_constant_time() -> None:
    first, second = secrets.new_client_secret(), secrets.new_client_secret()
    assert first != second and len(first) == 43
    stored = secrets.hash_secret(first)
    assert stored.startswith("sha256$") and first not in stored
    assert secrets.verify_secret(first, stored)
    assert not secrets.verify_secret(second, stored)
    assert not secrets.verify_secret(first, stored.removeprefix("sha256$"))
    client_id = secrets.new_client_id()
    assert client_id.startswith("tsu_") and len(client_id) == 20
