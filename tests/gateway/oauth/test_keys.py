"""Signing keys in the real store: first key, rotation with overlap, JWKS (SECURITY-TESTS A21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from joserfc import jws

from gateway.oauth.keys import KeyRing
from gateway.oauth.tokens import TokenIssuer
from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.snapshots import SnapshotHolder
from registry.models import AppView
from registry.settings import Settings
from registry.store import Store
from tests.gateway.oauth.conftest import load_snapshot

START = datetime(2030, 1, 1, tzinfo=UTC)


class Timeline:
    """One clock for the ring (datetimes), the issuer and the verifier (seconds)."""

    def __init__(self) -> None:
        self.now = START

    def dt(self) -> datetime:
        return self.now

    def ts(self) -> float:
        return self.now.timestamp()


def _app() -> AppView:
    return AppView(
        client_id="tsu_rotation",
        name="rotation",
        owner="dev@example.jp",
        scopes=("jusho",),
        sandbox=False,
        secret_hash="sha256$00",
        created_at=START,
    )


def _kid(token: str) -> str:
    return str(jws.extract_compact(token.encode()).headers()["kid"])


def test_ensure_creates_one_key_and_reuses_it(store: Store, settings: Settings) -> None:
    ring = KeyRing(store, settings)
    first = ring.ensure()
    again = KeyRing(store, settings).ensure()  # another process starting later
    assert first.kid == again.kid
    (stored,) = store.signing_keys(include_private=True)
    assert stored.private_pem is not None and stored.alg == "ES256"
    (public,) = ring.jwks()["keys"]
    assert public["kid"] == first.kid and public["use"] == "sig" and "d" not in public


def test_rotation_overlaps_then_retires_the_old_key(store: Store, settings: Settings) -> None:
    time = Timeline()
    ring = KeyRing(store, settings, clock=time.dt, recheck_seconds=0)
    issuer = TokenIssuer(ring, settings, clock=time.ts)
    old = ring.ensure()
    old_token = issuer.issue(_app(), ["jusho"])["access_token"]
    assert _kid(old_token) == old.kid

    rotate_at = START + timedelta(days=settings.signing_key_rotation_days)
    time.now = rotate_at - timedelta(seconds=settings.token_lifetime_seconds - 1)
    assert ring.ensure().kid == old.kid  # the successor is published, not yet signing
    assert len(ring.jwks()["keys"]) == 2
    time.now = rotate_at - timedelta(seconds=10)
    late_old = issuer.issue(_app(), ["jusho"])["access_token"]
    assert _kid(late_old) == old.kid

    time.now = rotate_at + timedelta(seconds=1)
    new_token = issuer.issue(_app(), ["jusho"])["access_token"]
    new_kid = _kid(new_token)
    assert new_kid != old.kid
    holder = SnapshotHolder(load_snapshot(store))
    verifier = TokenVerifier(holder, settings, clock=time.ts)
    assert verifier.verify(new_token).client_id == "tsu_rotation"
    assert verifier.verify(late_old).client_id == "tsu_rotation"  # old key still verifies

    time.now = rotate_at + timedelta(
        seconds=settings.token_lifetime_seconds + settings.jwt_leeway_seconds + 1
    )
    assert [k["kid"] for k in ring.jwks()["keys"]] == [new_kid]
    holder.replace(load_snapshot(store))
    with pytest.raises(InvalidToken, match="known key"):
        verifier.verify(late_old)
    fresh = issuer.issue(_app(), ["jusho"])["access_token"]
    assert _kid(fresh) == new_kid
    assert verifier.verify(fresh).client_id == "tsu_rotation"


def test_late_rotation_switches_at_once(store: Store, settings: Settings) -> None:
    time = Timeline()
    ring = KeyRing(store, settings, clock=time.dt)
    old = ring.ensure()
    time.now = START + timedelta(days=settings.signing_key_rotation_days + 3)
    assert ring.ensure().kid == old.kid  # still the active one at this instant
    view, _ = ring.signer()
    assert view.kid != old.kid
    retired = next(k for k in store.signing_keys(include_private=False) if k.kid == old.kid)
    assert retired.retires_at == time.now
    assert retired.expires_at == time.now + timedelta(
        seconds=settings.token_lifetime_seconds + settings.jwt_leeway_seconds
    )


def test_rs256_keys(store: Store, settings: Settings) -> None:
    ring = KeyRing(store, settings, alg="RS256")
    ring.ensure()
    (public,) = ring.jwks()["keys"]
    assert public["kty"] == "RSA" and public["alg"] == "RS256"
    assert set(public) == {"kty", "n", "e", "kid", "alg", "use"}
