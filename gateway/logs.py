"""The process log and the access log, both written off the event loop (ADR 0018).

Process log: `configure_logging(settings)` sends every record through a queue to one thread that
writes standard error, as text or JSON lines (`TSUNAGU_LOG_FORMAT`), at `TSUNAGU_LOG_LEVEL` for
Tsunagu's own loggers (libraries stay at warning). Times are Japan time with their offset.

Access log (`TSUNAGU_ACCESS_LOG=path|-`, off by default): `AccessLog.record` puts one tuple of
raw values on a queue (no dict, no formatting, no I/O on the loop); a thread turns them into
JSON lines with exactly `ACCESS_KEYS` and appends them with single `write` calls on an
`O_APPEND` descriptor, so the lines of several worker processes never interleave. Never a
path, a query string, a header or a credential: only what `ACCESS_KEYS` names.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import logging.handlers
import os
import queue
import sys
import threading
from datetime import datetime, timedelta, timezone
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

from registry.settings import Settings

JST = timezone(timedelta(hours=9))
OWN_LOGGERS = ("tsunagu", "gateway", "registry", "portal")
ACCESS_KEYS = (
    "time",
    "request_id",
    "trace_id",
    "kind",
    "slug",
    "version",
    "method",
    "status",
    "duration_ms",
    "upstream_ms",
    "client_id",
    "error_code",
)
"""The access log's keys, in order: the whole line, nothing else."""
OptStr = str | None
AccessEntry = tuple[float, int, str, OptStr, str, OptStr, OptStr, str, int, float, OptStr, OptStr]
"""end (Unix seconds), duration (ns), request id, trace id, kind, slug, version, method, status,
upstream seconds (0: no upstream call), client id, error code."""
MAX_QUEUED = 100_000  # lines waiting for the writer; past it lines are dropped and counted
_WRITE_BYTES = 4096  # a write of at most PIPE_BUF bytes is atomic on a pipe too (`-`)

log = logging.getLogger("tsunagu.logs")


def _time(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, JST).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """`2026-12-01T18:20:53.123+09:00 WARNING tsunagu.gateway.proxy: message`."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{_time(record.created)} {record.levelname} {record.name}: {record.getMessage()}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (tracebacks inside it)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": _time(record.created),
                "level": record.levelname.lower(),
                "logger": record.name,
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )


_installed: list[tuple[logging.Handler, logging.handlers.QueueListener]] = []


class _StandardError(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to `sys.stderr` as it is when a record is written, not when the handler was made:
    whoever swaps standard error (a test runner's capture, closed afterwards) is followed."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(settings: Settings) -> None:
    """Route every log record through a queue to a writer thread on standard error. Called by
    the entry points (`serve`, each worker's factory, `demo`), never at import; calling it
    again replaces the previous set-up."""
    root = logging.getLogger()
    _stop_listener()
    stream = _StandardError()
    stream.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handler = logging.handlers.QueueHandler(records)
    listener = logging.handlers.QueueListener(records, stream)
    listener.start()
    _installed.append((handler, listener))
    atexit.unregister(_stop_listener)  # registered once, whatever the number of set-ups
    atexit.register(_stop_listener)
    root.addHandler(handler)
    level = logging.getLevelNamesMapping()[settings.log_level.upper()]
    root.setLevel(max(level, logging.WARNING))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)


def _stop_listener() -> None:
    """Write what is queued and detach (at exit, or before a new set-up)."""
    while _installed:
        handler, listener = _installed.pop()
        logging.getLogger().removeHandler(handler)
        listener.stop()


def tsunagu_version() -> str:
    try:
        return version("tsunagu")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def without_credentials(url: str) -> str:
    """A store or Redis URL for a log: scheme, host, port and path; never user, password or
    query (libpq options and passwords can sit in either)."""
    parts = urlsplit(url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def log_startup(settings: Settings, host: str, port: int, workers: int) -> None:
    """The start-up line, and a warning when several workers would each count limits alone."""
    address = f"[{host}]" if ":" in host else host
    log.info(
        "tsunagu %s serving on http://%s:%d; store %s; Redis %s; workers %d; public URL %s;"
        " metrics %s; access log %s",
        tsunagu_version(),
        address,
        port,
        without_credentials(settings.database_url),
        "yes" if settings.redis_url else "no",
        workers,
        settings.public_url,
        settings.metrics_address or "on the main address",
        settings.access_log or "off",
    )
    if workers > 1 and not settings.redis_url:
        log.warning(
            "%d workers without TSUNAGU_REDIS_URL: each worker counts rate limits on its own,"
            " so every quota is %d times the plan",
            workers,
            workers,
        )


class AccessLog:
    """The access-log writer: `record` on the loop, formatting and writing in a thread."""

    name = "access-log"

    def __init__(self, target: str) -> None:
        self._target = target
        self._queue: queue.SimpleQueue[AccessEntry | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._fd = -1
        self.dropped = 0

    def record(self, entry: AccessEntry) -> None:
        """Queue one finished request (never blocks)."""
        if self._queue.qsize() >= MAX_QUEUED:
            self.dropped += 1
            return
        self._queue.put(entry)

    async def start(self) -> None:
        """Open the target (a failure stops the start-up, with its reason) and start writing."""
        if self._target == "-":
            self._fd = sys.stdout.fileno()
        else:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
            self._fd = await asyncio.to_thread(os.open, self._target, flags, 0o640)
        self._thread = threading.Thread(target=self._write_loop, name="access-log", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Write what is queued, then close."""
        if self._thread is None:
            return
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join, 10)
        self._thread = None
        if self._target != "-":
            os.close(self._fd)

    def _write_loop(self) -> None:
        reported = 0
        while True:
            entry = self._queue.get()
            batch: list[bytes] = []
            size = 0
            while entry is not None:
                line = access_line(entry).encode()
                if batch and size + len(line) > _WRITE_BYTES:
                    self._write(b"".join(batch))
                    batch, size = [], 0
                batch.append(line)
                size += len(line)
                if self._queue.empty():
                    break
                entry = self._queue.get()
            if batch:
                self._write(b"".join(batch))
            if self.dropped > reported:
                log.warning("access log: %d lines dropped (writer behind)", self.dropped - reported)
                reported = self.dropped
            if entry is None:
                return

    def _write(self, data: bytes) -> None:
        try:
            while data:
                data = data[os.write(self._fd, data) :]
        except OSError as exc:
            log.warning("access log: write failed: %s", exc.strerror or exc)


def access_line(entry: AccessEntry) -> str:
    """One JSON line with exactly `ACCESS_KEYS`."""
    (
        end,
        duration_ns,
        request_id,
        trace_id,
        kind,
        slug,
        ver,
        method,
        status,
        upstream,
        client,
        code,
    ) = entry
    duration = duration_ns / 1e9
    values: dict[str, Any] = {
        "time": _time(end - duration),
        "request_id": request_id,
        "trace_id": trace_id,
        "kind": kind,
        "slug": slug,
        "version": ver,
        "method": method,
        "status": status,
        "duration_ms": round(duration * 1000, 3),
        "upstream_ms": round(upstream * 1000, 3) if upstream > 0 else None,
        "client_id": client,
        "error_code": code,
    }
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"
