"""Verifying bearer access tokens on the hot path (RFC 9068 §4, RFC 8725 §3), with an LRU cache.

Keys come only from the current snapshot's signing keys, converted once per snapshot. The
algorithm is pinned to the key's own `alg` (never taken from the token alone); `jku`, `x5u`,
`jwk` and `x5c` header members are never read. Verified results are cached by token string
until the token's `exp`; revoked jtis (snapshot and local) and tokens of disabled apps are
refused even when cached.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from joserfc import jws
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError, MissingClaimError
from joserfc.jws import JWSRegistry
from joserfc.jwt import ClaimsOption, JWTClaimsRegistry

from gateway.oauth.keys import SigningKey, load_public_key
from gateway.oauth.ports import SnapshotSource
from gateway.oauth.profile import ACCEPTED_TYPES, SUPPORTED_ALGS, audience_of, issuer_of
from gateway.pipeline import TokenClaims
from registry.models import SigningKeyView, Snapshot
from registry.problems import Text
from registry.settings import Settings

MAX_TOKEN_LENGTH = 8192


class InvalidToken(Exception):
    """The token is not acceptable. `reason` (English) is safe for `error_description`;
    `explanation` is the same reason in both languages for the problem's detail. `code` is the
    catalogue's problem code: expired and revoked tokens have their own, so a developer knows
    a new token will do."""

    def __init__(
        self,
        reason: str,
        ja: str,
        code: Literal["invalid-token", "expired-token", "revoked-token"] = "invalid-token",
    ) -> None:
        super().__init__(reason.replace('"', "'").replace("\\", "/"))
        self.reason = str(self.args[0])
        self.explanation = Text(ja, self.reason)
        self.code = code


@dataclass(frozen=True, slots=True)
class _VerifyKey:
    key: SigningKey
    alg: str
    expires_at: float | None


@dataclass(frozen=True, slots=True)
class _Cached:
    claims: TokenClaims
    kid: str
    deadline: float


class TokenVerifier:
    """`verify(token) -> TokenClaims` or raises `InvalidToken`. Safe to share between threads."""

    def __init__(
        self,
        keys_provider: SnapshotSource,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.time,
        cache_size: int = 10_000,
    ) -> None:
        self._source = keys_provider
        self._clock = clock
        self._leeway = settings.jwt_leeway_seconds
        self._max_lifetime = settings.token_lifetime_seconds + settings.jwt_leeway_seconds
        self._registries = {alg: JWSRegistry(algorithms=[alg]) for alg in SUPPORTED_ALGS}
        essential: ClaimsOption = {"essential": True}
        self._claims_rules = JWTClaimsRegistry(
            now=lambda: int(self._clock()),
            leeway=self._leeway,
            iss={"essential": True, "value": issuer_of(settings)},
            aud={"essential": True, "value": audience_of(settings)},
            **{name: essential for name in ("exp", "iat", "jti", "sub", "client_id")},
        )
        self._cache_size = cache_size
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._revoked: dict[str, float] = {}
        self._lock = threading.Lock()
        self._keys_snapshot: Snapshot | None = None
        self._keys: Mapping[str, _VerifyKey] = {}

    def verify(self, token: str) -> TokenClaims:
        now = self._clock()
        snapshot = self._source.current
        keys = self._keys_for(snapshot)
        with self._lock:
            hit = self._cache.get(token)
            if hit is not None:
                self._cache.move_to_end(token)
        if hit is not None and hit.deadline > now and hit.kid in keys:
            self._refuse_revoked(hit.claims, snapshot)
            return hit.claims
        claims, kid = self._verify_uncached(token, keys, now)
        self._refuse_revoked(claims, snapshot)
        if claims.expires_at > now:
            self._remember(token, _Cached(claims, kid, float(claims.expires_at)))
        return claims

    def revoke(self, token: str | None, jti: str, expires_at: float) -> None:
        """Refuse this jti on this instance at once (the store tells the others)."""
        now = self._clock()
        with self._lock:
            if token is not None:
                self._cache.pop(token, None)
            self._revoked[jti] = expires_at + self._leeway
            if len(self._revoked) > self._cache_size:
                self._revoked = {j: t for j, t in self._revoked.items() if t > now}

    def _refuse_revoked(self, claims: TokenClaims, snapshot: Snapshot) -> None:
        """Revoked tokens, and every token of a disabled app (the snapshot carries the
        disabled apps, so `tsunagu app disable` reaches every gateway with the next refresh)."""
        jti = claims.jti
        if claims.client_id in snapshot.disabled_clients or (
            jti is not None and (jti in self._revoked or jti in snapshot.revoked_jtis)
        ):
            raise InvalidToken(
                "the token has been revoked", "トークンは取り消されています", "revoked-token"
            )

    def _remember(self, token: str, entry: _Cached) -> None:
        with self._lock:
            self._cache[token] = entry
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _keys_for(self, snapshot: Snapshot) -> Mapping[str, _VerifyKey]:
        if snapshot is not self._keys_snapshot:
            keys = _convert_keys(snapshot.signing_keys)
            with self._lock:
                self._keys, self._keys_snapshot = keys, snapshot
        return self._keys

    def _verify_uncached(
        self, token: str, keys: Mapping[str, _VerifyKey], now: float
    ) -> tuple[TokenClaims, str]:
        if len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken("the token is too long", "トークンが長すぎます")
        try:
            obj = jws.extract_compact(token.encode("ascii"))
            header = obj.headers()
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise InvalidToken(
                "the token is not a well-formed JWS", "トークンが正しいJWS形式ではありません"
            ) from exc
        kid = header.get("kid")
        entry = keys.get(kid) if isinstance(kid, str) else None
        if entry is None or (entry.expires_at is not None and entry.expires_at <= now):
            raise InvalidToken(
                "the token is not signed by a known key", "トークンが既知の鍵で署名されていません"
            )
        if header.get("alg") != entry.alg:
            raise InvalidToken(
                "the token's algorithm does not match its key",
                "トークンのアルゴリズムが鍵と一致しません",
            )
        typ = header.get("typ")
        if not isinstance(typ, str) or typ not in ACCEPTED_TYPES:
            raise InvalidToken(
                "the token is not an access token (typ at+jwt)",
                "アクセストークン（typ at+jwt）ではありません",
            )
        try:
            valid = jws.validate_compact(obj, entry.key, registry=self._registries[entry.alg])
        except (JoseError, ValueError, TypeError) as exc:
            raise InvalidToken(
                "the token signature is invalid", "トークンの署名が正しくありません"
            ) from exc
        if not valid:
            raise InvalidToken("the token signature is invalid", "トークンの署名が正しくありません")
        return self._claims(obj.payload or b""), str(kid)

    def _claims(self, payload: bytes) -> TokenClaims:
        try:
            claims = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise InvalidToken(
                "the token payload is not JSON", "トークンのペイロードがJSONではありません"
            ) from exc
        if not isinstance(claims, dict):
            raise InvalidToken(
                "the token payload is not a JSON object",
                "トークンのペイロードがJSONオブジェクトではありません",
            )
        try:
            self._claims_rules.validate(claims)
        except ExpiredTokenError as exc:
            raise InvalidToken(
                "the token has expired", "トークンの有効期限が切れています", "expired-token"
            ) from exc
        except MissingClaimError as exc:
            raise InvalidToken(
                f"the token lacks the claim {exc.claim}",
                f"トークンにクレーム {exc.claim} がありません",
            ) from exc
        except ClaimError as exc:
            raise InvalidToken(
                f"the token has an invalid {exc.claim} claim",
                f"トークンのクレーム {exc.claim} が正しくありません",
            ) from exc
        return self._typed_claims(claims)

    def _typed_claims(self, claims: dict[str, Any]) -> TokenClaims:
        scope, sandbox = claims.get("scope", ""), claims.get("sandbox")
        exp, iat = claims["exp"], claims["iat"]
        if not isinstance(scope, str) or not isinstance(sandbox, bool):
            raise InvalidToken(
                "the token has an invalid scope or sandbox claim",
                "トークンの scope または sandbox クレームが正しくありません",
            )
        if not isinstance(claims["client_id"], str):
            raise InvalidToken(
                "the token has an invalid client_id claim",
                "トークンの client_id クレームが正しくありません",
            )
        if exp - iat > self._max_lifetime:
            raise InvalidToken(
                "the token lifetime is longer than allowed",
                "トークンの有効期間が許容より長すぎます",
            )
        return TokenClaims(
            subject=claims["sub"],
            client_id=claims["client_id"],
            scopes=frozenset(scope.split()),
            sandbox=sandbox,
            jti=claims["jti"],
            expires_at=int(exp),
        )


def _convert_keys(views: tuple[SigningKeyView, ...]) -> dict[str, _VerifyKey]:
    """Public JWKs → key objects, skipping any we cannot use (never failing the request path)."""
    out: dict[str, _VerifyKey] = {}
    for view in views:
        if view.alg not in SUPPORTED_ALGS:
            continue
        try:
            key = load_public_key(view.public_jwk)
        except (JoseError, ValueError, TypeError):
            continue
        if (view.alg == "ES256") != (key.key_type == "EC"):
            continue  # a key serves exactly one algorithm family (RFC 8725 §3.1)
        expires = view.expires_at.timestamp() if view.expires_at is not None else None
        out[view.kid] = _VerifyKey(key, view.alg, expires)
    return out
