"""What a sender promises the worker: deliver one notice or raise `DeliveryError`."""

from __future__ import annotations

from typing import Protocol

from registry.notices.models import Delivery


class DeliveryError(Exception):
    """The notice was not delivered; `permanent` when retrying cannot help (e.g. SMTP 550)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender(Protocol):
    async def send(self, delivery: Delivery) -> None: ...
