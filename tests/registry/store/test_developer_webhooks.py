"""A developer's own app's webhook and subscriptions in the registry: the notice operations'
URL policy, only the owner's live apps, idempotent removal, the change log naming the account
(not its e-mail address), and subscribed apps among an API's recipients."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registry.accounts.service import DeveloperService
from registry.errors import InvalidInput, NotFound, Refused
from registry.models import DeveloperView
from registry.service import RegistryService
from registry.settings import Settings
from registry.store import Store
from tests.registry.store.conftest import PROVIDER_A, FakeClock
from tests.registry.store.documents import as_yaml, openapi
from tests.registry.store.test_developers import EMAIL, PASSWORD, mails, token_of

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/x"
HOOK = "https://hooks.example.jp/notices"


@pytest.fixture
def dev(store: Store, settings: Settings, clock: FakeClock) -> DeveloperService:
    return DeveloperService(store, settings, clock=clock)


@pytest.fixture
def libraries(svc: RegistryService, providers: None) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="libraries")), UP)
    svc.publish(PROVIDER_A, "libraries", "v1")


def account(dev: DeveloperService, store: Store, email: str = EMAIL) -> DeveloperView:
    dev.sign_up(email, PASSWORD, True)
    sent = [m for m in mails(store, "account.verify") if m.recipient == email.lower()]
    dev.verify_email(token_of(sent[0]))
    found = dev.session_developer(dev.log_in(email, PASSWORD, "192.0.2.10"))
    assert found is not None
    return found


def test_the_owner_sets_replaces_and_removes_the_webhook(
    dev: DeveloperService, store: Store
) -> None:
    me = account(dev, store)
    app = dev.create_app(me, "通知", sandbox=True).client_id
    assert dev.webhook_url(me, app) is None
    first = dev.set_webhook(me, app, HOOK)
    second = dev.set_webhook(me, app, HOOK + "/v2")
    assert first.secret.startswith("whsec_") and second.secret != first.secret
    assert dev.webhook_url(me, app) == HOOK + "/v2"
    with store.read() as unit:
        stored = unit.webhook(app)
        logged = unit.changes_of(f"app:{app}", "app.webhook")
    assert stored is not None and stored.secret == second.secret
    assert [c.actor for c in logged] == [me.id, me.id]  # the account, not the address
    assert dev.remove_webhook(me, app) is True
    assert dev.remove_webhook(me, app) is False
    assert dev.webhook_url(me, app) is None


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.jp/x", "invalid-webhook-url"),
        ("https://user:pw@hooks.example.jp/x", "invalid-webhook-url"),
        ("https://127.0.0.1/x", "webhook-not-allowed"),
        ("https://169.254.169.254/latest", "webhook-not-allowed"),
        ("https://printer.local/x", "webhook-not-allowed"),
    ],
)
def test_the_cli_url_policy_applies(
    dev: DeveloperService, store: Store, url: str, code: str
) -> None:
    me = account(dev, store)
    app = dev.create_app(me, "通知", sandbox=True).client_id
    with pytest.raises(InvalidInput) as refused:
        dev.set_webhook(me, app, url)
    assert refused.value.code == code
    assert dev.webhook_url(me, app) is None


@pytest.mark.usefixtures("libraries")
def test_subscriptions_make_the_app_a_recipient_until_it_unsubscribes(
    dev: DeveloperService, store: Store, clock: FakeClock
) -> None:
    me = account(dev, store)
    app = dev.create_app(me, "通知", sandbox=False).client_id  # never called the API
    assert dev.subscribe(me, app, "libraries") is True
    assert dev.subscribe(me, app, "libraries") is False
    with pytest.raises(NotFound):
        dev.subscribe(me, app, "no-such-api")
    assert [s.slug for s in dev.subscriptions(me, app)] == ["libraries"]
    since = clock() - timedelta(days=90)
    with store.read() as unit:
        assert [c.client_id for c in unit.callers("libraries", ["v1"], since)] == [app]
    assert dev.unsubscribe(me, app, "libraries") is True
    assert dev.unsubscribe(me, app, "libraries") is False
    with store.read() as unit:
        assert unit.callers("libraries", ["v1"], since) == []
        actions = [c.action for c in unit.changes_of(f"app:{app}", "app.unsubscribe")]
    assert actions == ["app.unsubscribe"]


@pytest.mark.usefixtures("libraries")
def test_only_the_owners_live_apps(dev: DeveloperService, store: Store) -> None:
    owner = account(dev, store)
    other = account(dev, store, "other@example.jp")
    app = dev.create_app(owner, "他人の", sandbox=True).client_id
    for attempt in (
        lambda: dev.set_webhook(other, app, HOOK),
        lambda: dev.remove_webhook(other, app),
        lambda: dev.webhook_url(other, app),
        lambda: dev.subscribe(other, app, "libraries"),
        lambda: dev.unsubscribe(other, app, "libraries"),
        lambda: dev.subscriptions(other, app),
    ):
        with pytest.raises(NotFound) as missing:
            attempt()
        assert missing.value.code == "app-not-yours"
    with store.write() as unit:
        unit.disable_app(app)
    with pytest.raises(Refused):
        dev.set_webhook(owner, app, HOOK)
    with pytest.raises(Refused):
        dev.subscribe(owner, app, "libraries")
    dev.delete_app(owner, app)
    with pytest.raises(NotFound):
        dev.webhook_url(owner, app)
