"""Authentication policy: a bearer access token (RFC 6750 §2.1), or an API key on open data.

Missing or bad credentials answer 401 problem+json with `WWW-Authenticate: Bearer …`
(RFC 6750 §3). API keys are accepted only in the `X-API-Key` header and only on routes marked
open data; a key in the query string is refused outright and its value is never echoed, and
so is an `access_token` query parameter (RFC 6750 §2.3 is not supported: the URL would carry
the token upstream and into logs).
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from gateway.oauth.challenge import bearer_challenge
from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.pipeline import Exchange, Reply, TokenClaims
from gateway.problems import ProblemRenderer
from gateway.snapshots import SnapshotHolder
from registry.problems import Text
from registry.secrets import hash_secret

# API-key parameter names refused in the URL everywhere; plain `key` only on open-data APIs,
# the only ones that take API keys (elsewhere `key` may be an ordinary parameter).
QUERY_KEY_NAMES = frozenset({"api_key", "apikey", "x-api-key"})
OPEN_DATA_QUERY_KEY_NAMES = QUERY_KEY_NAMES | {"key"}
_TWO_HEADERS = Text(
    "Authorization ヘッダーはひとつだけ送ってください", "send exactly one Authorization header"
)
QUERY_TOKEN_NAME = "access_token"  # noqa: S105 - a parameter name (RFC 6750 §2.3, unsupported)


def query_names(query_string: bytes) -> frozenset[str]:
    """The lower-cased, decoded parameter names of a query string (one pass per request)."""
    if not query_string:
        return frozenset()
    return frozenset(
        unquote_plus(part.partition("=")[0]).strip().lower()
        for part in query_string.decode("latin-1").split("&")
    )


def bearer_token(authorization: bytes | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.decode("latin-1").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class AuthenticationPolicy:
    name = "auth"

    def __init__(
        self, verifier: TokenVerifier, snapshots: SnapshotHolder, problems: ProblemRenderer
    ) -> None:
        self._verifier = verifier
        self._snapshots = snapshots
        self._problems = problems

    async def on_request(self, exchange: Exchange) -> Reply | None:
        if sum(1 for name, _ in exchange.request_headers if name == b"authorization") > 1:
            return self._two_headers(exchange)
        names = query_names(exchange.query_string)
        if names:
            open_data = exchange.route is not None and exchange.route.open_data
            if names & (OPEN_DATA_QUERY_KEY_NAMES if open_data else QUERY_KEY_NAMES):
                return self._problems.refuse(exchange, "api-key-in-query")
            if QUERY_TOKEN_NAME in names:
                return self._token_in_query(exchange)
        token = bearer_token(exchange.header(b"authorization"))
        if token is not None:
            try:
                exchange.claims = self._verifier.verify(token)
            except InvalidToken as exc:
                headers = bearer_challenge("invalid_token", exc.reason)
                return self._problems.refuse(
                    exchange, exc.code, headers=headers, reason=exc.explanation
                )
            return None
        api_key = exchange.header(b"x-api-key")
        if api_key and exchange.route is not None and exchange.route.open_data:
            return self._api_key(exchange, api_key)
        return self._problems.refuse(exchange, "missing-token", headers=bearer_challenge())

    def _token_in_query(self, exchange: Exchange) -> Reply:
        """Refused even beside valid credentials: the query would carry the token upstream.

        Alone it is a missing token; next to a header it is two methods at once, which
        RFC 6750 §3.1 answers with 400 `invalid_request`."""
        if exchange.header(b"authorization") is None and exchange.header(b"x-api-key") is None:
            return self._problems.refuse(exchange, "missing-token", headers=bearer_challenge())
        description = "Send the access token in the Authorization header only, not in the URL."
        headers = bearer_challenge("invalid_request", description)
        return self._problems.refuse(exchange, "token-in-query", headers=headers)

    def _two_headers(self, exchange: Exchange) -> Reply:
        """RFC 6750 §3.1: more than one way of sending credentials is `invalid_request`."""
        headers = bearer_challenge("invalid_request", "Send exactly one Authorization header.")
        return self._problems.refuse(exchange, "bad-request", headers=headers, reason=_TWO_HEADERS)

    def _api_key(self, exchange: Exchange, raw: bytes) -> Reply | None:
        key = self._snapshots.current.api_keys.get(hash_secret(raw.decode("latin-1").strip()))
        if key is None:
            headers = bearer_challenge("invalid_token", "The API key is not valid.")
            return self._problems.refuse(exchange, "invalid-api-key", headers=headers)
        if exchange.slug not in key.slugs:
            headers = bearer_challenge("insufficient_scope", scope=exchange.slug)
            return self._problems.refuse(
                exchange, "insufficient-scope", headers=headers, scope=exchange.slug
            )
        exchange.claims = TokenClaims(
            subject=key.client_id,
            client_id=key.client_id,
            scopes=frozenset(key.slugs),
            sandbox=False,  # keys belong to production apps; the sandbox takes sandbox tokens
            via_api_key=True,
        )
        return None

    def on_complete(self, exchange: Exchange) -> None:
        """Nothing to record after the response."""
