"""gateway.logs and the access-log policy: line shapes, the writer thread, redaction."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from gateway.logs import (
    ACCESS_KEYS,
    AccessLog,
    JsonFormatter,
    TextFormatter,
    access_line,
    without_credentials,
)
from gateway.policies.access_log import AccessLogPolicy
from tests.gateway.ratelimit.factories import claims, exchange, route

# 2026-12-01T00:00:00Z, 250 ms, 120 ms upstream
ENTRY = (
    1_796_083_200.25,
    250_000_000,
    "req-1",
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "api",
    "houjin",
    "v2",
    "GET",
    200,
    0.12,
    "client-1",
    None,
)


def test_an_access_line_has_exactly_the_keys_in_japan_time() -> None:
    line = access_line(ENTRY)
    assert line.endswith("\n") and line.count("\n") == 1
    values = json.loads(line)
    assert tuple(values) == ACCESS_KEYS
    assert values == {
        "time": "2026-12-01T09:00:00.000+09:00",  # the request's start, Japan time
        "request_id": "req-1",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "kind": "api",
        "slug": "houjin",
        "version": "v2",
        "method": "GET",
        "status": 200,
        "duration_ms": 250.0,
        "upstream_ms": 120.0,
        "client_id": "client-1",
        "error_code": None,
    }


def test_no_upstream_call_is_null_not_zero() -> None:
    values = json.loads(access_line((*ENTRY[:9], 0.0, None, "missing-token")))
    assert values["upstream_ms"] is None and values["error_code"] == "missing-token"


async def test_the_writer_appends_every_queued_line_before_it_stops(tmp_path: Path) -> None:
    target = tmp_path / "access.log"
    target.write_text("kept\n")
    writer = AccessLog(str(target))
    await writer.start()
    for number in range(500):
        writer.record((*ENTRY[:2], f"req-{number}", *ENTRY[3:]))
    await writer.stop()
    lines = target.read_text().splitlines()
    assert lines[0] == "kept"
    assert [json.loads(line)["request_id"] for line in lines[1:]] == [
        f"req-{n}" for n in range(500)
    ]


async def test_an_unwritable_target_fails_the_start(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        await AccessLog(str(tmp_path / "missing" / "access.log")).start()


def test_the_policy_records_raw_values_and_logs_5xx_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorded: list[tuple[object, ...]] = []

    class Recorder(AccessLog):
        def record(self, entry: tuple[object, ...]) -> None:  # type: ignore[override]
            recorded.append(entry)

    policy = AccessLogPolicy(Recorder("-"))
    ex = exchange(entry=route(), who=claims())
    ex.request_id, ex.status, ex.error_code = "rid-502", 502, "bad-gateway"
    ex.upstream_seconds, ex.trace_id = 0.5, "ab" * 16
    with caplog.at_level(logging.WARNING, logger="tsunagu.gateway.errors"):
        policy.on_complete(ex)
    assert "502 bad-gateway on GET tenki/v1 request_id=rid-502" in caplog.text
    (entry,) = recorded
    assert entry[2:] == (
        "rid-502",
        "ab" * 16,
        "api",
        "tenki",
        "v1",
        "GET",
        502,
        0.5,
        "app-1",
        "bad-gateway",
    )


def test_without_an_access_log_only_5xx_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    policy = AccessLogPolicy(None)
    ex = exchange(entry=route(), who=claims())
    ex.request_id, ex.status = "rid-200", 200
    with caplog.at_level(logging.DEBUG, logger="tsunagu.gateway.errors"):
        policy.on_complete(ex)
    assert caplog.text == ""


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://tsunagu:s3cret@db.internal:5432/tsunagu?password=x&options=y",
            "postgresql+psycopg://db.internal:5432/tsunagu",
        ),
        ("sqlite:///./var/tsunagu.db", "sqlite:///./var/tsunagu.db"),
        ("redis://:pw@[::1]:6379/0", "redis://[::1]:6379/0"),
    ],
)
def test_urls_in_logs_carry_no_credentials(url: str, shown: str) -> None:
    assert without_credentials(url) == shown


def test_formatters_write_one_line_in_japan_time() -> None:
    record = logging.LogRecord("tsunagu.x", logging.WARNING, __file__, 1, "a\n%s", ("b",), None)
    record.created = 1_796_083_200.0
    assert TextFormatter().format(record) == (
        "2026-12-01T09:00:00.000+09:00 WARNING tsunagu.x: a\nb"
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-12-01T09:00:00.000+09:00",
        "level": "warning",
        "logger": "tsunagu.x",
        "message": "a\nb",
    }
