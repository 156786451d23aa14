"""Reaching the real local services (PostgreSQL, Redis) and free loopback ports for tests.

A test that needs a service skips with a clear reason when it is absent, unless
TSUNAGU_REQUIRE_SERVICES=1 (set by .ci/run): then absence is a failure.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest

PG_ADMIN_URL = os.environ.get(
    "TSUNAGU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TSUNAGU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    return os.environ.get("TSUNAGU_REQUIRE_SERVICES") == "1"


def unavailable(what: str, why: str) -> NoReturn:
    """Skip, or fail when CI requires every service."""
    message = f"{what} is not available ({why})"
    if services_required():
        pytest.fail(message + " and TSUNAGU_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the local `test` database; yields a SQLAlchemy URL bound to it."""
    if not port_open("127.0.0.1", 5432):
        unavailable("PostgreSQL at 127.0.0.1:5432", "connection refused")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    plain = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def redis_url_or_skip() -> str:
    if not port_open("127.0.0.1", 6379):
        unavailable("Redis at 127.0.0.1:6379", "connection refused")
    return REDIS_URL


def free_port_block(count: int, attempts: int = 50) -> int:
    """A base port such that `count` consecutive ports from it are free right now."""
    import random

    for _ in range(attempts):
        base = random.randrange(20000, 60000)
        sockets: list[socket.socket] = []
        try:
            for offset in range(count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no block of {count} free ports found")
