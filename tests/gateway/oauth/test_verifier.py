"""Token verification against the JWT attacks of SECURITY-TESTS.md A02–A19 (RFC 8725, RFC 9068)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

import gateway.oauth.verifier as verifier_module
from gateway.oauth.keys import KeyRing, generate_signing_key
from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.snapshots import SnapshotHolder
from registry.models import Snapshot
from registry.settings import Settings
from registry.store import Store
from tests.gateway.oauth.conftest import load_snapshot

NOW = 1_900_000_000


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(
    header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]
) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return signing_input + "." + b64(sign(signing_input.encode()))


class Forge:
    """Mints tokens with our real key (or others) so each test changes exactly one thing."""

    def __init__(self, ring: KeyRing, settings: Settings) -> None:
        self.view, self.key = ring.signer()
        self.issuer = settings.public_url
        self.header: dict[str, Any] = {"alg": self.view.alg, "kid": self.view.kid, "typ": "at+jwt"}

    def claims(self, **changes: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.issuer + "/api",
            "sub": "tsu_client",
            "client_id": "tsu_client",
            "iat": NOW,
            "exp": NOW + 600,
            "jti": "jti-1",
            "scope": "jusho",
            "sandbox": False,
        }
        base.update(changes)
        return {k: v for k, v in base.items() if v is not None}

    def token(self, header: dict[str, Any] | None = None, **changes: Any) -> str:
        head = {**self.header, **(header or {})}
        return jwt.encode(head, self.claims(**changes), self.key, algorithms=[head["alg"]])


@pytest.fixture
def clock() -> list[float]:
    return [float(NOW + 10)]


@pytest.fixture
def fixed_verifier(holder: SnapshotHolder, settings: Settings, clock: list[float]) -> TokenVerifier:
    return TokenVerifier(holder, settings, clock=lambda: clock[0])


@pytest.fixture
def forge(ring: KeyRing, settings: Settings) -> Forge:
    return Forge(ring, settings)


def test_valid_token(fixed_verifier: TokenVerifier, forge: Forge) -> None:
    claims = fixed_verifier.verify(forge.token())
    assert (claims.client_id, claims.subject, claims.jti) == ("tsu_client", "tsu_client", "jti-1")
    assert claims.scopes == {"jusho"}
    assert claims.expires_at == NOW + 600
    assert claims.sandbox is False


def test_alg_none_is_refused(fixed_verifier: TokenVerifier, forge: Forge) -> None:
    token = raw_token({**forge.header, "alg": "none"}, forge.claims(), lambda _: b"")
    with pytest.raises(InvalidToken):
        fixed_verifier.verify(token)
    with pytest.raises(InvalidToken):
        fixed_verifier.verify(token.rstrip("."))


def test_hmac_with_the_public_key_as_secret(fixed_verifier: TokenVerifier, forge: Forge) -> None:
    private = serialization.load_pem_private_key((forge.view.private_pem or "").encode(), None)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk_json = json.dumps(forge.view.public_jwk).encode()
    for secret in (pem, jwk_json):
        token = raw_token(
            {**forge.header, "alg": "HS256"},
            forge.claims(),
            lambda data, s=secret: hmac.new(s, data, hashlib.sha256).digest(),
        )
        with pytest.raises(InvalidToken, match="algorithm"):
            fixed_verifier.verify(token)


def test_rsa_ec_swap_is_refused(fixed_verifier: TokenVerifier, forge: Forge) -> None:
    attacker = RSAKey.generate_key(2048)
    token = jwt.encode({**forge.header, "alg": "RS256"}, forge.claims(), attacker, ["RS256"])
    with pytest.raises(InvalidToken, match="algorithm"):
        fixed_verifier.verify(token)


def test_rs256_ring_refuses_es256_headers(store: Store, settings: Settings) -> None:
    ring = KeyRing(store, settings, alg="RS256")
    ring.ensure()
    forge = Forge(ring, settings)
    verifier = TokenVerifier(SnapshotHolder(load_snapshot(store)), settings, clock=lambda: NOW)
    assert verifier.verify(forge.token()).client_id == "tsu_client"
    attacker = ECKey.generate_key("P-256")
    swapped = jwt.encode({**forge.header, "alg": "ES256"}, forge.claims(), attacker, ["ES256"])
    with pytest.raises(InvalidToken, match="algorithm"):
        verifier.verify(swapped)


def test_right_alg_wrong_key_same_kid(fixed_verifier: TokenVerifier, forge: Forge) -> None:
    attacker = ECKey.generate_key("P-256")
    token = jwt.encode(forge.header, forge.claims(), attacker, ["ES256"])
    with pytest.raises(InvalidToken, match="signature"):
        fixed_verifier.verify(token)


@pytest.mark.parametrize("kid", ["unknown", "../../etc/passwd", "' OR 1=1 --", "http://127.0.0.1/"])
def test_unknown_or_hostile_kid(fixed_verifier: TokenVerifier, forge: Forge, kid: str) -> None:
    with pytest.raises(InvalidToken, match="known key"):
        fixed_verifier.verify(forge.token({"kid": kid}))
    numeric = raw_token({**forge.header, "kid": 7}, forge.claims(), lambda _: b"x" * 64)
    with pytest.raises(InvalidToken, match="known key"):
        fixed_verifier.verify(numeric)
    no_kid = {k: v for k, v in forge.header.items() if k != "kid"}
    token = jwt.encode(no_kid, forge.claims(), forge.key, ["ES256"])
    with pytest.raises(InvalidToken, match="known key"):
        fixed_verifier.verify(token)


def test_jku_x5u_and_embedded_jwk_are_never_used(
    fixed_verifier: TokenVerifier, forge: Forge
) -> None:
    attacker = ECKey.generate_key("P-256")
    attacker_jwk = attacker.as_dict(private=False)
    with socket.socket() as canary:
        canary.bind(("127.0.0.1", 0))
        canary.listen()
        canary.setblocking(False)
        url = f"http://127.0.0.1:{canary.getsockname()[1]}/jwks"
        for kid in (forge.view.kid, attacker.thumbprint()):
            for extra in ({"jku": url}, {"x5u": url}, {"jwk": attacker_jwk}):
                header = {**forge.header, "kid": kid, **extra}
                token = jwt.encode(header, forge.claims(), attacker, ["ES256"])
                with pytest.raises(InvalidToken):
                    fixed_verifier.verify(token)
        with pytest.raises(BlockingIOError):
            canary.accept()  # nobody fetched the attacker's URL


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "http://127.0.0.1:1/api"}, "aud"),
        ({"aud": ["other"]}, "aud"),
        ({"iss": "http://evil.example"}, "iss"),
        ({"exp": NOW - 60}, "expired"),
        ({"iat": NOW + 3600, "exp": NOW + 3900}, "iat"),
        ({"nbf": NOW + 3600}, "nbf"),
        ({"jti": None}, "jti"),
        ({"exp": None}, "exp"),
        ({"aud": None}, "aud"),
        ({"iss": None}, "iss"),
        ({"iat": None}, "iat"),
        ({"client_id": None}, "client_id"),
        ({"sub": None}, "sub"),
        ({"sandbox": "no"}, "sandbox"),
        ({"exp": NOW + 86_400}, "lifetime"),
    ],
)
def test_claims_are_checked(
    fixed_verifier: TokenVerifier, forge: Forge, changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidToken, match=reason):
        fixed_verifier.verify(forge.token(**changes))


def test_exp_inside_the_leeway_passes(
    fixed_verifier: TokenVerifier, forge: Forge, clock: list[float]
) -> None:
    clock[0] = NOW + 600 + 20  # 20 s late, leeway 30 s
    assert fixed_verifier.verify(forge.token()).jti == "jti-1"
    clock[0] = NOW + 600 + 31
    with pytest.raises(InvalidToken, match="expired"):
        fixed_verifier.verify(forge.token(jti="jti-2"))


@pytest.mark.parametrize("typ", ["JWT", "jwt", "id_token+jwt", None])
def test_wrong_typ(fixed_verifier: TokenVerifier, forge: Forge, typ: str | None) -> None:
    header = {k: v for k, v in forge.header.items() if k != "typ"}
    if typ is not None:
        header["typ"] = typ
    token = jwt.encode(header, forge.claims(), forge.key, ["ES256"], default_type=None)
    with pytest.raises(InvalidToken, match="typ"):
        fixed_verifier.verify(token)


@pytest.mark.parametrize("typ", [[], ["at+jwt"], {}, {"at+jwt": 1}, 1])
def test_a_non_string_typ_is_refused_not_a_crash(
    fixed_verifier: TokenVerifier, forge: Forge, typ: object
) -> None:
    """The header is read before the signature: an unhashable typ must not raise TypeError."""
    token = raw_token({**forge.header, "typ": typ}, forge.claims(), lambda _: b"x" * 64)
    with pytest.raises(InvalidToken, match="typ"):
        fixed_verifier.verify(token)


def test_tampered_payload(fixed_verifier: TokenVerifier, forge: Forge) -> None:
    head, _, signature = forge.token().split(".")
    raised = b64(json.dumps(forge.claims(scope="jusho jusho:write tsunagu:admin")).encode())
    with pytest.raises(InvalidToken, match="signature"):
        fixed_verifier.verify(f"{head}.{raised}.{signature}")


@pytest.mark.parametrize(
    "token",
    [
        "abc.def",
        "a.b.c.d",
        "!!!.???.***",
        b64(b"not json") + ".e30.",
        "x" * 20_000,
        "日本.語.トークン",
        "",
    ],
)
def test_malformed_tokens(fixed_verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(InvalidToken):
        fixed_verifier.verify(token)


def test_a_rotated_out_expired_key_no_longer_verifies(
    store: Store, settings: Settings, forge: Forge
) -> None:
    past = datetime.fromtimestamp(NOW, UTC) - timedelta(hours=2)
    store.set_key_times(forge.view.kid, past, past + timedelta(minutes=11))
    verifier = TokenVerifier(SnapshotHolder(load_snapshot(store)), settings, clock=lambda: NOW)
    with pytest.raises(InvalidToken, match="known key"):
        verifier.verify(forge.token())


def test_revocation_cached_and_uncached(
    fixed_verifier: TokenVerifier, forge: Forge, holder: SnapshotHolder
) -> None:
    cached, fresh = forge.token(jti="a"), forge.token(jti="b")
    assert fixed_verifier.verify(cached).jti == "a"  # now in the cache
    fixed_verifier.revoke(None, "a", NOW + 600)  # local, without purging the cache entry
    with pytest.raises(InvalidToken, match="revoked"):
        fixed_verifier.verify(cached)
    holder.replace(holder.current.model_copy(update={"generation": 9, "revoked_jtis": {"b"}}))
    with pytest.raises(InvalidToken, match="revoked"):
        fixed_verifier.verify(fresh)  # refused through the snapshot (another instance revoked)


def test_cache_never_outlives_the_token(
    fixed_verifier: TokenVerifier, forge: Forge, clock: list[float]
) -> None:
    token = forge.token()
    fixed_verifier.verify(token)
    clock[0] = NOW + 600 + 31
    with pytest.raises(InvalidToken, match="expired"):
        fixed_verifier.verify(token)


def test_keys_are_converted_once_per_snapshot(
    holder: SnapshotHolder, settings: Settings, forge: Forge, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = verifier_module._convert_keys

    def counting(views: Any) -> Any:
        calls.append(1)
        return real(views)

    monkeypatch.setattr(verifier_module, "_convert_keys", counting)
    verifier = TokenVerifier(holder, settings, clock=lambda: NOW)
    for jti in ("1", "2", "3"):
        verifier.verify(forge.token(jti=jti))
    assert len(calls) == 1
    holder.replace(holder.current.model_copy(update={"generation": 5}))
    verifier.verify(forge.token(jti="4"))
    assert len(calls) == 2


def test_a_key_dropped_from_the_snapshot_drops_cached_tokens(
    fixed_verifier: TokenVerifier, forge: Forge, holder: SnapshotHolder
) -> None:
    token = forge.token()
    fixed_verifier.verify(token)
    holder.replace(holder.current.model_copy(update={"generation": 7, "signing_keys": ()}))
    with pytest.raises(InvalidToken, match="known key"):
        fixed_verifier.verify(token)


def test_a_key_labelled_with_the_wrong_alg_family_is_skipped(settings: Settings) -> None:
    now = datetime.fromtimestamp(NOW, UTC)
    rsa_view = generate_signing_key("RS256", now, now)
    mislabelled = rsa_view.model_copy(update={"alg": "ES256"})
    snapshot = Snapshot(generation=1, routes={}, signing_keys=(mislabelled,), loaded_at=now)
    verifier = TokenVerifier(SnapshotHolder(snapshot), settings, clock=lambda: NOW)
    header = {"alg": "ES256", "kid": rsa_view.kid, "typ": "at+jwt"}
    forged = raw_token(header, {"iss": "x"}, lambda _: b"sig")
    with pytest.raises(InvalidToken, match="known key"):
        verifier.verify(forged)


def test_a_cached_verification_returns_the_same_claims(
    fixed_verifier: TokenVerifier, forge: Forge
) -> None:
    token = forge.token()
    first = fixed_verifier.verify(token)
    assert fixed_verifier.verify(token) is first
