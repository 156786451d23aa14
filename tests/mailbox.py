"""A real SMTP server (aiosmtpd) on loopback, in a thread of the test, that keeps what it gets.

`hold_data()` makes it take a message's DATA and then not answer (the sender waits): the
moment a worker has sent a message without learning that it was accepted.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.services import free_port

HOLD_LIMIT_SECONDS = 60.0  # a held DATA answers at the latest after this (bounded)


@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _hold: threading.Event = field(default_factory=threading.Event)
    held: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received() if address in str(m["To"])]

    def hold_data(self) -> None:
        self._hold.set()

    def release(self) -> None:
        self._hold.clear()

    # aiosmtpd handler hooks -----------------------------------------------------------------
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
        if self._hold.is_set():
            self.held.set()
            end = time.monotonic() + HOLD_LIMIT_SECONDS
            while self._hold.is_set() and time.monotonic() < end:
                await asyncio.sleep(0.05)
        return "250 Message accepted"


@contextmanager
def smtp_server(mailbox: Mailbox | None = None) -> Iterator[Mailbox]:
    """Serve `mailbox` (a new one on a free port by default) until the block ends."""
    box = mailbox or Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        box.release()
        controller.stop()


def wait_for(predicate: Any, what: str, seconds: float = 60.0) -> None:
    """Poll `predicate()` every 0.1 s until it is true, at most `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
