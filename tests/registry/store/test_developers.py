"""Developer accounts in the registry (ADR 0024, 0025): links, sessions, back-off, deletion,
own apps, rotation overlap, access decisions and the disabled apps in the snapshot."""

from __future__ import annotations

import re

import pytest

from registry.accounts.access import AccessService
from registry.accounts.service import DeveloperService
from registry.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound, Refused, Throttled
from registry.models import AccessState, DeveloperView
from registry.notices.models import Delivery
from registry.service import RegistryService
from registry.settings import Settings
from registry.snapshot import RegistryReader
from registry.store import Store
from tests.registry.store.conftest import OPERATOR, PROVIDER_A, PROVIDER_B, FakeClock
from tests.registry.store.documents import as_yaml, openapi

pytestmark = pytest.mark.usefixtures("providers")
UP = "https://upstream.example.go.jp/x"
PASSWORD = "a long enough passphrase"
EMAIL = "Dev@Example.jp"
HOME, AWAY = "192.0.2.10", "198.51.100.7"
USE = "法人番号から所在地を引き、窓口案内に表示するために使います。"


@pytest.fixture
def dev(store: Store, settings: Settings, clock: FakeClock) -> DeveloperService:
    return DeveloperService(store, settings, clock=clock)


@pytest.fixture
def access(store: Store, settings: Settings, clock: FakeClock) -> AccessService:
    return AccessService(store, settings, clock=clock)


@pytest.fixture
def apis(svc: RegistryService, providers: None) -> None:
    svc.register(PROVIDER_A, "digital", as_yaml(openapi(slug="libraries")), UP)
    svc.publish(PROVIDER_A, "libraries", "v1")


def mails(store: Store, kind: str) -> list[Delivery]:
    with store.read() as unit:
        return [d for d in unit.deliveries(None, 1000) if d.kind == kind]


def token_of(delivery: Delivery) -> str:
    found = re.search(r"token=([A-Za-z0-9_-]+)", delivery.body)
    assert found
    return found.group(1)


def verified(dev: DeveloperService, store: Store) -> DeveloperView:
    dev.sign_up(EMAIL, PASSWORD, True)
    dev.verify_email(token_of(mails(store, "account.verify")[0]))
    found = dev.session_developer(dev.log_in(EMAIL, PASSWORD, HOME))
    assert found is not None
    return found


def test_sign_up_records_the_terms_and_mails_a_single_use_link(
    dev: DeveloperService, store: Store
) -> None:
    with pytest.raises(InvalidInput, match="terms"):
        dev.sign_up(EMAIL, PASSWORD, False)
    with pytest.raises(InvalidInput) as short:
        dev.sign_up(EMAIL, "short", True)
    assert short.value.code == "weak-password"
    dev.sign_up(EMAIL, PASSWORD, True)
    (mail,) = mails(store, "account.verify")
    assert mail.recipient == "dev@example.jp" and PASSWORD not in mail.body
    with pytest.raises(Forbidden):  # not verified yet
        dev.log_in(EMAIL, PASSWORD, HOME)
    token = token_of(mail)
    assert token not in mail.key
    dev.verify_email(token)
    with pytest.raises(InvalidInput) as spent:
        dev.verify_email(token)
    assert spent.value.code == "invalid-link"
    developer = dev.session_developer(dev.log_in(EMAIL, PASSWORD, HOME))
    assert developer is not None and developer.terms_version and developer.verified_at


def test_links_expire(dev: DeveloperService, store: Store, clock: FakeClock) -> None:
    dev.sign_up(EMAIL, PASSWORD, True)
    clock.advance(hours=49)
    with pytest.raises(InvalidInput):
        dev.verify_email(token_of(mails(store, "account.verify")[0]))


def test_a_known_address_gets_a_notice_not_a_second_account(
    dev: DeveloperService, store: Store
) -> None:
    verified(dev, store)
    dev.sign_up(EMAIL, "another passphrase", True)  # the same (silent) answer
    assert len(mails(store, "account.exists")) == 1
    dev.log_in(EMAIL, PASSWORD, HOME)  # the password did not change


def test_back_off_is_per_account_and_address(
    dev: DeveloperService, store: Store, clock: FakeClock
) -> None:
    verified(dev, store)
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            dev.log_in(EMAIL, "wrong guess!!", AWAY)
    with pytest.raises(Throttled) as waiting:
        dev.log_in(EMAIL, PASSWORD, AWAY)
    assert int(waiting.value.params["seconds"]) >= 1
    assert dev.log_in(EMAIL, PASSWORD, HOME)  # the stranger did not lock the owner out
    clock.advance(hours=1, seconds=1)
    assert dev.log_in(EMAIL, PASSWORD, AWAY)  # an hour without failures forgets the count
    with pytest.raises(Throttled):  # an unknown account backs off the same way
        for _ in range(6):
            try:
                dev.log_in("nobody@example.jp", "wrong guess!!", AWAY)
            except NotAuthenticated:
                continue


def test_reset_ends_every_session(dev: DeveloperService, store: Store) -> None:
    verified(dev, store)
    session = dev.log_in(EMAIL, PASSWORD, HOME)
    dev.request_reset("nobody@example.jp")  # silently nothing
    dev.request_reset(EMAIL)
    (mail,) = mails(store, "account.reset")
    dev.reset_password(token_of(mail), "the new passphrase")
    assert dev.session_developer(session) is None
    with pytest.raises(NotAuthenticated):
        dev.log_in(EMAIL, PASSWORD, HOME)
    dev.log_in(EMAIL, "the new passphrase", HOME)


@pytest.mark.usefixtures("apis")
def test_apps_belong_to_their_developer_and_rotation_overlaps(
    dev: DeveloperService, store: Store, clock: FakeClock, settings: Settings
) -> None:
    owner = verified(dev, store)
    sandbox = dev.create_app(owner, "試験", True)
    assert sandbox.scopes == ("libraries",) and sandbox.sandbox
    stranger = DeveloperView.model_validate({**owner.model_dump(), "id": "dev_other"})
    with pytest.raises(NotFound):
        dev.app(stranger, sandbox.client_id)
    rotated = dev.rotate_secret(owner, sandbox.client_id)
    app = dev.app(owner, sandbox.client_id)
    assert len(app.secret_hashes(clock())) == 2
    clock.advance(hours=settings.secret_overlap_hours + 1)
    assert len(app.secret_hashes(clock())) == 1 and rotated.client_secret
    dev.delete_app(owner, sandbox.client_id)
    assert dev.apps(owner) == []


@pytest.mark.usefixtures("apis")
def test_production_access_is_decided_by_the_apis_provider(
    dev: DeveloperService, access: AccessService, store: Store
) -> None:
    owner = verified(dev, store)
    sandbox = dev.create_app(owner, "試験", True)
    with pytest.raises(Refused):
        dev.request_access(owner, sandbox.client_id, "libraries", USE)
    production = dev.create_app(owner, "本番", False)
    assert production.scopes == ()
    with pytest.raises(InvalidInput):
        dev.request_access(owner, production.client_id, "libraries", "short")
    request = dev.request_access(owner, production.client_id, "libraries", USE)
    with pytest.raises(Refused):
        dev.request_access(owner, production.client_id, "libraries", USE)
    assert access.list_requests(PROVIDER_B) == []
    with pytest.raises(NotFound):
        access.decide(PROVIDER_B, request.id, True)
    decided = access.decide(PROVIDER_A, request.id, True, "ok")
    assert decided.state is AccessState.APPROVED
    assert dev.app(owner, production.client_id).scopes == ("libraries",)
    (mail,) = mails(store, "access.decision")
    assert mail.recipient == "dev@example.jp" and "libraries" in mail.body
    with pytest.raises(Refused):
        access.decide(OPERATOR, request.id, False)


@pytest.mark.usefixtures("apis")
def test_disable_and_deletion_reach_the_snapshot(
    dev: DeveloperService, access: AccessService, store: Store
) -> None:
    owner = verified(dev, store)
    first = dev.create_app(owner, "一", True)
    second = dev.create_app(owner, "二", True)
    with pytest.raises(Forbidden):
        access.disable_app(PROVIDER_A, first.client_id)
    access.disable_app(OPERATOR, first.client_id)
    assert RegistryReader(store).snapshot().disabled_clients == {first.client_id}
    dev.delete_account(owner)
    assert RegistryReader(store).snapshot().disabled_clients == {
        first.client_id,
        second.client_id,
    }
    with store.read() as unit:
        assert unit.developer_by_email("dev@example.jp") is None
        assert unit.deliveries(None, 1000) == []
        app = unit.app(second.client_id)
    assert app is not None and app.owner == "deleted-account" and app.developer_id is None


def test_sign_ups_and_resets_are_paced_per_address(
    dev: DeveloperService, settings: Settings
) -> None:
    for n in range(settings.account_requests_per_hour):
        dev.sign_up(f"n{n}@example.jp", PASSWORD, True, AWAY)
    with pytest.raises(Throttled) as waiting:
        dev.sign_up("one-more@example.jp", PASSWORD, True, AWAY)
    assert waiting.value.code == "too-many-requests"
    dev.sign_up("one-more@example.jp", PASSWORD, True, HOME)  # another address goes on
    for _ in range(settings.account_requests_per_hour):
        dev.request_reset("n0@example.jp", AWAY)
    with pytest.raises(Throttled):
        dev.request_reset("n0@example.jp", AWAY)
