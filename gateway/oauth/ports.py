"""What the OAuth package needs from the registry, as small protocols (the store implements them).

`RegistryService.get_app`, `store.signing_keys/add_signing_key/set_key_times` and
`store.revoke_jti` satisfy these; tests may pass the real store or the service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from registry.models import AppView, SigningKeyView, Snapshot

SecretCheck = Callable[[str, str], bool]
"""`verify_secret(secret, secret_hash) -> bool`, constant time (registry.secrets)."""


class ClientDirectory(Protocol):
    def get_app(self, client_id: str) -> AppView | None: ...


class KeyStore(Protocol):
    def signing_keys(self, include_private: bool) -> list[SigningKeyView]: ...

    def add_signing_key(self, key: SigningKeyView) -> None: ...

    def set_key_times(
        self, kid: str, retires_at: datetime | None, expires_at: datetime | None
    ) -> None: ...


class RevocationStore(Protocol):
    def revoke_jti(self, jti: str, expires_at: datetime) -> None: ...


class SnapshotSource(Protocol):
    """Anything holding the current snapshot (`gateway.snapshots.SnapshotHolder`)."""

    @property
    def current(self) -> Snapshot: ...
