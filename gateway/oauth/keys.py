"""Token signing keys: generation (cryptography), rotation with overlap, and the public JWKS.

Rotation follows SECURITY-TESTS.md §1.4: the next key is published one token lifetime before
it starts signing (so every gateway instance already knows it), and the retired key stays in
the JWKS until every token it signed has expired (lifetime + leeway after it stops signing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.jwk import ECKey, RSAKey

from gateway.oauth.ports import KeyStore
from registry.models import SigningKeyView
from registry.settings import Settings

Alg = Literal["ES256", "RS256"]
SigningKey = ECKey | RSAKey
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _private_pem(alg: Alg) -> str:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    if alg == "ES256":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def load_private_key(view: SigningKeyView) -> SigningKey:
    """The signing key object for a stored key (needs `private_pem`)."""
    if view.private_pem is None:
        raise ValueError(f"signing key {view.kid} was loaded without its private part")
    if view.alg == "ES256":
        return ECKey.import_key(view.private_pem)
    return RSAKey.import_key(view.private_pem)


def load_public_key(jwk: Mapping[str, Any]) -> SigningKey:
    """A verification key from a public JWK; refuses anything but EC P-256 and RSA."""
    if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        return ECKey.import_key(dict(jwk))
    if jwk.get("kty") == "RSA":
        return RSAKey.import_key(dict(jwk))
    raise ValueError("unsupported key type in the signing keys")


def generate_signing_key(alg: Alg, activates_at: datetime, now: datetime) -> SigningKeyView:
    """A fresh key; `kid` is its RFC 7638 thumbprint, the public JWK carries kid, alg, use."""
    pem = _private_pem(alg)
    key: SigningKey = ECKey.import_key(pem) if alg == "ES256" else RSAKey.import_key(pem)
    kid = key.thumbprint()
    public = key.as_dict(private=False, kid=kid, alg=alg, use="sig")
    return SigningKeyView(
        kid=kid,
        alg=alg,
        public_jwk=dict(public),
        private_pem=pem,
        created_at=now,
        activates_at=activates_at,
    )


def _signs_at(view: SigningKeyView, now: datetime) -> bool:
    return (
        view.private_pem is not None
        and view.activates_at <= now
        and (view.retires_at is None or view.retires_at > now)
    )


def _newest(keys: list[SigningKeyView]) -> SigningKeyView | None:
    ordered = sorted(keys, key=lambda k: (k.activates_at, k.created_at, k.kid))
    return ordered[-1] if ordered else None


class KeyRing:
    """The issuer's view of the signing keys: ensures an active key, rotates, serves the JWKS.

    Store access is blocking: call it from a worker thread (the token and JWKS endpoints do).
    """

    def __init__(
        self,
        store: KeyStore,
        settings: Settings,
        *,
        alg: Alg = "ES256",
        clock: Clock = utc_now,
        recheck_seconds: float = 60.0,
    ) -> None:
        self._store = store
        self._alg: Alg = alg
        self._clock = clock
        self._rotation = timedelta(days=settings.signing_key_rotation_days)
        self._lead = timedelta(seconds=settings.token_lifetime_seconds)
        self._overlap = timedelta(
            seconds=settings.token_lifetime_seconds + settings.jwt_leeway_seconds
        )
        self._recheck = timedelta(seconds=recheck_seconds)
        self._lock = threading.Lock()
        self._keys: list[SigningKeyView] = []
        self._fresh_until = datetime.min.replace(tzinfo=UTC)
        self._loaded: dict[str, SigningKey] = {}

    def ensure(self) -> SigningKeyView:
        """Load the keys; create the first key or the next one when rotation is due."""
        with self._lock:
            return self._ensure_locked(self._clock())

    def _ensure_locked(self, now: datetime) -> SigningKeyView:
        keys = self._store.signing_keys(include_private=True)
        active = _newest([k for k in keys if _signs_at(k, now)])
        if active is None:
            active = generate_signing_key(self._alg, now, now)
            self._store.add_signing_key(active)
            keys = self._store.signing_keys(include_private=True)
        rotate_at = active.activates_at + self._rotation
        pending = [k for k in keys if k.private_pem is not None and k.activates_at > now]
        if now >= rotate_at - self._lead and not pending:
            successor = generate_signing_key(self._alg, max(now, rotate_at), now)
            self._store.add_signing_key(successor)
            retire = successor.activates_at
            self._store.set_key_times(active.kid, retire, retire + self._overlap)
            keys = self._store.signing_keys(include_private=True)
            pending = [successor]
        self._keys = keys
        boundaries = [now + self._recheck, *(k.activates_at for k in pending)]
        self._fresh_until = min(boundaries)
        return active

    def signer(self) -> tuple[SigningKeyView, SigningKey]:
        """The key that signs now, with its private key object (parsed once per kid)."""
        with self._lock:
            now = self._clock()
            active = _newest([k for k in self._keys if _signs_at(k, now)])
            if active is None or now >= self._fresh_until:
                active = self._ensure_locked(now)
            key = self._loaded.get(active.kid)
            if key is None:
                key = load_private_key(active)
                self._loaded[active.kid] = key
            return active, key

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """Public parts of every key that may still verify a token (RFC 7517 §5)."""
        with self._lock:
            now = self._clock()
            if now >= self._fresh_until:
                self._ensure_locked(now)
            live = [k for k in self._keys if k.expires_at is None or k.expires_at > now]
        return {"keys": [_published(k) for k in live]}


def _published(view: SigningKeyView) -> dict[str, Any]:
    jwk = {k: v for k, v in view.public_jwk.items() if k in _PUBLIC_MEMBERS}
    jwk.update(kid=view.kid, alg=view.alg, use="sig")
    return jwk


_PUBLIC_MEMBERS = frozenset({"kty", "crv", "x", "y", "n", "e"})
