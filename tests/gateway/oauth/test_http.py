"""The OAuth endpoints over real HTTP (uvicorn on loopback), driven by third-party clients."""

from __future__ import annotations

import base64
import pathlib
from collections.abc import Callable

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session

from gateway.oauth.verifier import InvalidToken, TokenVerifier
from gateway.snapshots import SnapshotHolder
from registry.settings import Settings
from tests.gateway.oauth.conftest import Credentials, OAuthServerUnderTest, load_snapshot

Server = OAuthServerUnderTest
MakeApp = Callable[..., Credentials]


def _token(server: Server, creds: Credentials, **form: str) -> requests.Response:
    data = {"grant_type": "client_credentials", **form}
    return requests.post(
        server.base_url + "/oauth/token",
        data=data,
        auth=(creds.client_id, creds.client_secret),
        timeout=5,
    )


def test_requests_oauthlib_backend_client_basic_and_post(
    oauth_server: Server, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback only
    creds = make_app(("jusho", "jusho:write"))
    url = oauth_server.base_url + "/oauth/token"
    for include_client_id in (False, True):  # False: HTTP Basic; True: form (client_secret_post)
        session = OAuth2Session(client=BackendApplicationClient(client_id=creds.client_id))
        token = session.fetch_token(
            token_url=url,
            client_id=creds.client_id,
            client_secret=creds.client_secret,
            include_client_id=include_client_id,
            timeout=5,
        )
        assert token["token_type"] == "Bearer"
        assert token["expires_in"] == 600
        assert set(token["scope"]) == {"jusho", "jusho:write"}
        claims = oauth_server.verifier.verify(token["access_token"])
        assert claims.client_id == creds.client_id
        assert claims.scopes == {"jusho", "jusho:write"}
        assert claims.sandbox is False


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_authlib_client_session(oauth_server: Server, make_app: MakeApp, method: str) -> None:
    creds = make_app(("jusho", "kokudo"), sandbox=True)
    with AuthlibSession(
        creds.client_id, creds.client_secret, token_endpoint_auth_method=method, scope="kokudo"
    ) as session:
        token = session.fetch_token(
            oauth_server.base_url + "/oauth/token", grant_type="client_credentials", timeout=5
        )
    assert token["scope"] == "kokudo"
    claims = oauth_server.verifier.verify(token["access_token"])
    assert claims.scopes == {"kokudo"}
    assert claims.sandbox is True


def test_token_response_shape_and_no_refresh_token(oauth_server: Server, make_app: MakeApp) -> None:
    response = _token(oauth_server, make_app())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert response.headers["cache-control"] == "no-store"


def test_scope_must_be_a_subset_of_the_grants(oauth_server: Server, make_app: MakeApp) -> None:
    creds = make_app(("jusho",))
    response = _token(oauth_server, creds, scope="jusho kokudo")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    narrowed = _token(oauth_server, creds, scope="jusho")
    assert narrowed.json()["scope"] == "jusho"


def test_wrong_secret_and_unknown_client_look_the_same(
    oauth_server: Server, make_app: MakeApp
) -> None:
    creds = make_app()
    wrong = _token(oauth_server, Credentials(creds.client_id, "not-the-secret"))
    unknown = _token(oauth_server, Credentials("tsu_nobody", "not-the-secret"))
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
        "Bearer something",
    ],
)
def test_malformed_basic_header_is_invalid_client(oauth_server: Server, header: str) -> None:
    response = requests.post(
        oauth_server.base_url + "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": header},
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("grant", ["password", "implicit", "authorization_code", "urn:x"])
def test_other_grant_types_are_unsupported(
    oauth_server: Server, make_app: MakeApp, grant: str
) -> None:
    response = _token(oauth_server, make_app(), grant_type=grant)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_repeated_parameter_and_wrong_content_type(oauth_server: Server, make_app: MakeApp) -> None:
    creds = make_app()
    url = oauth_server.base_url + "/oauth/token"
    auth = (creds.client_id, creds.client_secret)
    twice = requests.post(
        url,
        data="grant_type=client_credentials&scope=a&scope=b",
        auth=auth,
        timeout=5,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    as_json = requests.post(url, json={"grant_type": "client_credentials"}, auth=auth, timeout=5)
    assert twice.status_code == as_json.status_code == 400
    assert twice.json()["error"] == as_json.json()["error"] == "invalid_request"


def test_disabled_app_is_refused(oauth_server: Server, make_app: MakeApp) -> None:
    from sqlalchemy import update

    from registry.store.tables import AppRow

    creds = make_app()
    with oauth_server.store.write() as unit:
        unit.session.execute(
            update(AppRow).where(AppRow.client_id == creds.client_id).values(disabled=True)
        )
    assert _token(oauth_server, creds).json()["error"] == "invalid_client"


def test_brute_force_is_slowed_per_client_and_ip(oauth_server: Server, make_app: MakeApp) -> None:
    creds = make_app()
    bad = Credentials(creds.client_id, "guess")
    statuses = [_token(oauth_server, bad).status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]
    blocked = _token(oauth_server, bad)
    assert blocked.json()["error"] == "invalid_client"
    assert int(blocked.headers["retry-after"]) >= 1
    # the right secret from this address waits too; another client from here is not blocked
    assert _token(oauth_server, creds).status_code == 429
    assert _token(oauth_server, make_app()).status_code == 200


def test_metadata_and_jwks(oauth_server: Server) -> None:
    meta = requests.get(
        oauth_server.base_url + "/.well-known/oauth-authorization-server", timeout=5
    )
    body = meta.json()
    assert body["issuer"] == oauth_server.base_url
    assert body["token_endpoint"] == oauth_server.base_url + "/oauth/token"
    assert body["grant_types_supported"] == ["client_credentials"]
    assert set(body["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }
    assert body["scopes_supported"] == ["jusho", "jusho:write"]
    jwks = requests.get(body["jwks_uri"], timeout=5).json()
    (key,) = jwks["keys"]
    assert key["use"] == "sig" and key["alg"] == "ES256" and key["kid"]
    assert "d" not in key


def _introspect(server: Server, caller: Credentials, token: str) -> dict[str, object]:
    response = requests.post(
        server.base_url + "/oauth/introspect",
        data={"token": token},
        auth=(caller.client_id, caller.client_secret),
        timeout=5,
    )
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_introspection(oauth_server: Server, make_app: MakeApp) -> None:
    creds, other, operator = make_app(), make_app(), make_app(("tsunagu:admin",))
    token = _token(oauth_server, creds).json()["access_token"]
    own = _introspect(oauth_server, creds, token)
    assert own["active"] is True
    assert own["client_id"] == creds.client_id
    assert own["scope"] == "jusho"
    assert _introspect(oauth_server, operator, token)["active"] is True
    assert _introspect(oauth_server, other, token) == {"active": False}
    assert _introspect(oauth_server, creds, "not.a.token") == {"active": False}
    anonymous = requests.post(
        oauth_server.base_url + "/oauth/introspect", data={"token": token}, timeout=5
    )
    assert anonymous.status_code == 401


def test_revocation(oauth_server: Server, make_app: MakeApp, settings: Settings) -> None:
    creds, other = make_app(), make_app()
    token = _token(oauth_server, creds).json()["access_token"]
    oauth_server.verifier.verify(token)  # now cached
    url = oauth_server.base_url + "/oauth/revoke"
    refused = requests.post(
        url, data={"token": token}, auth=(other.client_id, other.client_secret), timeout=5
    )
    assert refused.status_code == 400  # RFC 7009 §2.1: not this client's token
    assert _introspect(oauth_server, creds, token)["active"] is True
    auth = (creds.client_id, creds.client_secret)
    assert requests.post(url, data={"token": token}, auth=auth, timeout=5).status_code == 200
    with pytest.raises(InvalidToken, match="revoked"):
        oauth_server.verifier.verify(token)
    assert _introspect(oauth_server, creds, token) == {"active": False}
    assert requests.post(url, data={"token": "unknown"}, auth=auth, timeout=5).status_code == 200
    other_instance = TokenVerifier(SnapshotHolder(load_snapshot(oauth_server.store)), settings)
    with pytest.raises(InvalidToken, match="revoked"):  # persisted: every instance refuses it
        other_instance.verify(token)


def test_secret_is_never_stored_in_clear(
    oauth_server: Server, make_app: MakeApp, sqlite_url: str
) -> None:
    creds = make_app()
    assert _token(oauth_server, creds).status_code == 200
    path = sqlite_url.removeprefix("sqlite:///")
    oauth_server.store.dispose()  # flush the WAL into the file

    stored = b"".join(p.read_bytes() for p in pathlib.Path(path).parent.glob("tsunagu.db*"))
    assert creds.client_id.encode() in stored
    assert creds.client_secret.encode() not in stored


def test_an_unknown_token_type_hint_is_ignored(oauth_server: Server, make_app: MakeApp) -> None:
    """RFC 7662 §2.1 / RFC 7009 §2.1: the hint only narrows the search; the server must look
    further, so an unfamiliar hint never turns a well-authenticated call into an error."""
    creds = make_app()
    auth = (creds.client_id, creds.client_secret)
    token = _token(oauth_server, creds).json()["access_token"]
    for hint in ("access_token", "refresh_token", "urn:example:unknown"):
        response = requests.post(
            oauth_server.base_url + "/oauth/introspect",
            data={"token": token, "token_type_hint": hint},
            auth=auth,
            timeout=5,
        )
        assert (response.status_code, response.json()["active"]) == (200, True)
    revoked = requests.post(
        oauth_server.base_url + "/oauth/revoke",
        data={"token": token, "token_type_hint": "urn:example:unknown"},
        auth=auth,
        timeout=5,
    )
    assert revoked.status_code == 200
    with pytest.raises(InvalidToken, match="revoked"):
        oauth_server.verifier.verify(token)
