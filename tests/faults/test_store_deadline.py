"""The store's own bounds, without a gateway: the server cancels a long statement, and a
connection whose server stops answering is dropped at the reply deadline instead of hanging."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError

from registry.store.engine import libpq_conninfo, make_engine
from registry.store.timeouts import StoreTimeouts
from tests.e2e.tcp_forwarder import TcpForwarder
from tests.services import postgres_schema

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("faults")]
TIMEOUTS = StoreTimeouts(connect_seconds=2, statement_seconds=1.0, keepalive_seconds=5)


@pytest.fixture
def relayed() -> Iterator[tuple[Engine, TcpForwarder]]:
    relay = TcpForwarder("127.0.0.1", 5432)
    relay.start()
    try:
        with postgres_schema() as direct_url:
            url = direct_url.replace(":5432/", f":{relay.port}/")
            engine = make_engine(url, lock_timeout=5, timeouts=TIMEOUTS)
            try:
                yield engine, relay
            finally:
                engine.dispose()
    finally:
        relay.stop()


def _one(engine: Engine) -> object:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar()


def test_sessions_carry_the_statement_timeout_beside_the_urls_options(
    relayed: tuple[Engine, TcpForwarder],
) -> None:
    engine, _ = relayed
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "1s"
        assert str(conn.execute(text("SHOW search_path")).scalar()).startswith("t_")
        with pytest.raises(OperationalError, match="statement timeout"):
            conn.execute(text("SELECT pg_sleep(5)"))


def test_a_connection_without_replies_is_dropped_at_the_deadline(
    relayed: tuple[Engine, TcpForwarder],
) -> None:
    engine, relay = relayed
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
        relay.blackhole()
        started = time.monotonic()
        with pytest.raises(OperationalError, match="no reply from the database within 2 s"):
            conn.execute(text("SELECT 1"))
        assert time.monotonic() - started < 4
    started = time.monotonic()
    with pytest.raises(OperationalError, match="connection timeout expired"):
        _one(engine)  # the pool's connection was dropped; a new one meets the blackhole too
    assert time.monotonic() - started < 4
    relay.mend()
    assert _one(engine) == 1


def test_listen_and_lease_connections_get_keepalives_the_url_can_override() -> None:
    url = make_url("postgresql+psycopg://u@db:5432/r?options=-csearch_path%3Ds&keepalives_idle=3")
    params = dict(parse_qsl(libpq_conninfo(url, TIMEOUTS).split("?", 1)[1]))
    assert params["keepalives"] == "1" and params["keepalives_idle"] == "3"
    assert params["options"] == "-csearch_path=s" and "tcp_user_timeout" in params
    assert "connect_timeout" not in params  # the LISTEN and lease code set their own
    assert "?" not in libpq_conninfo(make_url("postgresql+psycopg://u@db:5432/r"))
