"""DeveloperService: sign-up, e-mail verification, log-in sessions, password reset, account
deletion, and a developer's own apps, access requests and usage (ADR 0024, ADR 0025).

Every answer that could tell whether an address is registered is the same for both: sign-up
and reset always "succeed" (the mail says what happened), log-in refuses an unknown address and
a wrong password alike after the same argon2 work. Clear tokens (session, e-mail links, client
secrets) are returned once and stored only as SHA-256 hashes.
"""

from __future__ import annotations

import re
import secrets as random
from datetime import datetime, timedelta

from registry import apps as app_rules
from registry import secrets
from registry.accounts import mail, passwords, throttle
from registry.accounts.ownership import own_app
from registry.accounts.webhooks import DeveloperWebhooks
from registry.clock import Clock, utc_now
from registry.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    Refused,
    Throttled,
)
from registry.models import (
    AccessRequestView,
    AccessState,
    AppView,
    CreatedApp,
    DailyUsage,
    DeveloperView,
    VersionState,
)
from registry.notices.models import Delivery
from registry.problems import Text
from registry.settings import Settings
from registry.store import Store, Unit

TERMS_VERSION = "2026-12-01"
VERIFY_HOURS = 48
RESET_MINUTES = 60
USE_MIN, USE_MAX = 20, 2000
APP_NAME_MAX = 100
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")


def normalise_email(email: str) -> str:
    """Trimmed and lower-cased; refused unless it looks like one address."""
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise InvalidInput("invalid-email")
    return value


def check_password(password: str) -> None:
    if not passwords.acceptable(password):
        raise InvalidInput(
            "weak-password", minimum=passwords.MIN_LENGTH, maximum=passwords.MAX_LENGTH
        )


class DeveloperService(DeveloperWebhooks):
    """The self-service operations; the gateway's developer API and pages call these."""

    def __init__(self, store: Store, settings: Settings, clock: Clock = utc_now) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock

    # accounts -----------------------------------------------------------------------------------
    def sign_up(
        self, email: str, password: str, accepted_terms: bool, client: str | None = None
    ) -> None:
        """Create an unverified account and mail its link; a known address gets a notice
        instead (or a fresh link while it is unverified). The caller sees no difference.
        `client` (the caller's network address) is slowed down after many requests."""
        address = normalise_email(email)
        check_password(password)
        if not accepted_terms:
            raise InvalidInput("terms-not-accepted", version=TERMS_VERSION)
        now = self.clock()
        self._pace("sign-up", client, now)
        with self.store.read() as unit:
            known = unit.developer_by_email(address)
        if known is not None:
            passwords.burn(password)
            self._mail_known(known, now)
            return
        developer = DeveloperView(
            id="dev_" + random.token_hex(12),
            email=address,
            terms_version=TERMS_VERSION,
            terms_accepted_at=now,
            created_at=now,
        )
        hashed = passwords.hash_password(password)
        with self.store.write() as unit:
            if unit.developer_by_email(address) is not None:
                return  # a concurrent sign-up of the same address won; it sent the mail
            unit.add_developer(developer, hashed)
            self._send_verification(unit, developer, now)

    def _pace(self, kind: str, client: str | None, now: datetime) -> None:
        """Count a sign-up or reset request from `client`; refuse it while it must wait."""
        if client is None:
            return
        with self.store.write() as unit:
            free = self.settings.account_requests_per_hour
            wait = throttle.request_wait(unit, kind, client, now, free)
            if not wait:
                throttle.record_request(unit, kind, client, now)
        if wait:
            per_hour = self.settings.account_requests_per_hour
            limit = Text(f"1 時間に {per_hour} 回", f"{per_hour} an hour")
            raise Throttled("too-many-requests", limit=limit, seconds=wait)

    def _mail_known(self, known: DeveloperView, now: datetime) -> None:
        with self.store.write() as unit:
            if known.verified_at is None:
                self._send_verification(unit, known, now)
            else:
                key = mail.hourly_key("exists", known.id, now)
                mail.already_registered(unit, known.email, self.settings.public_url, key)

    def _send_verification(self, unit: Unit, developer: DeveloperView, now: datetime) -> None:
        token = self._new_token(unit, developer.id, "verify", now + timedelta(hours=VERIFY_HOURS))
        key = mail.hourly_key("verify", developer.id, now)
        public = self.settings.public_url
        mail.verification(unit, developer.email, public, token, hours=VERIFY_HOURS, key=key)

    def _new_token(self, unit: Unit, developer_id: str, purpose: str, until: datetime) -> str:
        token = random.token_urlsafe(32)
        unit.add_token(secrets.hash_secret(token), developer_id, purpose, until)
        return token

    def verify_email(self, token: str) -> None:
        now = self.clock()
        with self.store.write() as unit:
            owner = unit.use_token(secrets.hash_secret(token), "verify", now)
            if owner is None:
                raise InvalidInput("invalid-link")
            unit.set_verified(owner, now)

    def log_in(self, email: str, password: str, address: str) -> str:
        """A new session token for the account, or `login-failed` / `login-throttled`."""
        now = self.clock()
        try:
            email = normalise_email(email)
        except InvalidInput:
            passwords.burn(password)
            raise NotAuthenticated("login-failed") from None
        with self.store.read() as unit:
            wait = throttle.wait_needed(unit, email, address, now)
            known = unit.developer_by_email(email)
            stored = unit.password_hash(known.id) if known else None
        if wait:
            raise Throttled("login-throttled", seconds=wait)
        if known is None or not passwords.verify(password, stored):
            with self.store.write() as unit:
                throttle.record_failure(unit, email, address, now)
            raise NotAuthenticated("login-failed")
        if known.verified_at is None:
            raise Forbidden("account-not-verified")
        session = random.token_urlsafe(32)
        until = now + timedelta(hours=self.settings.session_hours)
        with self.store.write() as unit:
            throttle.record_success(unit, email, address)
            unit.add_session(secrets.hash_secret(session), known.id, now, until)
        return session

    def log_in_external(self, email: str, accepted_terms: bool) -> str:
        """A session for the account of an address an OpenID provider has verified; a new
        account (with no password) needs the terms accepted on the way out."""
        address = normalise_email(email)
        now = self.clock()
        session = random.token_urlsafe(32)
        until = now + timedelta(hours=self.settings.session_hours)
        with self.store.write() as unit:
            known = unit.developer_by_email(address)
            if known is None:
                if not accepted_terms:
                    raise InvalidInput("terms-not-accepted", version=TERMS_VERSION)
                known = DeveloperView(
                    id="dev_" + random.token_hex(12),
                    email=address,
                    terms_version=TERMS_VERSION,
                    terms_accepted_at=now,
                    created_at=now,
                    verified_at=now,
                )
                unit.add_developer(known, None)
            unit.set_verified(known.id, now)
            unit.add_session(secrets.hash_secret(session), known.id, now, until)
        return session

    def session_developer(self, session: str) -> DeveloperView | None:
        with self.store.read() as unit:
            owner = unit.session_owner(secrets.hash_secret(session), self.clock())
            return unit.developer(owner) if owner else None

    def log_out(self, session: str) -> None:
        with self.store.write() as unit:
            unit.end_session(secrets.hash_secret(session))

    def request_reset(self, email: str, client: str | None = None) -> None:
        """Mail a reset link if the address has an account; the same answer either way."""
        now = self.clock()
        self._pace("reset", client, now)
        try:
            address = normalise_email(email)
        except InvalidInput:
            return
        with self.store.write() as unit:
            known = unit.developer_by_email(address)
            if known is not None:
                until = now + timedelta(minutes=RESET_MINUTES)
                token = self._new_token(unit, known.id, "reset", until)
                public = self.settings.public_url
                key = mail.hourly_key("reset", known.id, now)
                mail.password_reset(
                    unit, known.email, public, token, minutes=RESET_MINUTES, key=key
                )

    def reset_password(self, token: str, password: str) -> None:
        """Set a new password from a reset link; every open session of the account ends."""
        check_password(password)
        hashed = passwords.hash_password(password)
        now = self.clock()
        with self.store.write() as unit:
            owner = unit.use_token(secrets.hash_secret(token), "reset", now)
            if owner is None:
                raise InvalidInput("invalid-link")
            unit.set_password_hash(owner, hashed)
            unit.set_verified(owner, now)  # the link proved the address too
            unit.end_sessions_of(owner)

    def delete_account(self, developer: DeveloperView) -> None:
        """Remove the person; apps are disabled (their tokens stop with the next snapshot)."""
        with self.store.write() as unit:
            unit.delete_developer(developer.id, self.clock())
            unit.bump_generation(routes=False)

    # apps ----------------------------------------------------------------------------------------
    def apps(self, developer: DeveloperView) -> list[AppView]:
        with self.store.read() as unit:
            return unit.apps_of(developer.id)

    def app(self, developer: DeveloperView, client_id: str) -> AppView:
        """The developer's own app; another's reads as not found (existence does not leak)."""
        with self.store.read() as unit:
            return own_app(unit, developer, client_id)

    def create_app(self, developer: DeveloperView, name: str, sandbox: bool) -> CreatedApp:
        """A sandbox app may call every published API's sandbox at once; a production app
        starts with no API and gains each one when its provider approves a request."""
        name = name.strip()
        if not name or len(name) > APP_NAME_MAX:
            raise InvalidInput("app-incomplete")
        now = self.clock()
        with self.store.write() as unit:
            scopes = _sandbox_scopes(unit) if sandbox else ()
            stored, created = app_rules.new_app(name, developer.email, scopes, sandbox, now)
            unit.add_app(stored.model_copy(update={"developer_id": developer.id}))
        return created

    def rotate_secret(self, developer: DeveloperView, client_id: str) -> CreatedApp:
        """A new secret; the old one keeps working for `TSUNAGU_SECRET_OVERLAP_HOURS`."""
        secret = secrets.new_client_secret()
        overlap = timedelta(hours=self.settings.secret_overlap_hours)
        with self.store.write() as unit:
            app = own_app(unit, developer, client_id)
            if app.disabled:
                raise Refused("app-disabled", client_id=client_id)
            until = self.clock() + overlap if overlap else None
            unit.set_app_secret(client_id, secrets.hash_secret(secret), until)
        return CreatedApp(
            client_id=client_id, client_secret=secret, scopes=app.scopes, sandbox=app.sandbox
        )

    def delete_app(self, developer: DeveloperView, client_id: str) -> None:
        with self.store.write() as unit:
            own_app(unit, developer, client_id)
            unit.disable_app(client_id, deleted_at=self.clock())
            unit.bump_generation(routes=False)

    def usage(self, developer: DeveloperView, client_id: str, days: int = 30) -> list[DailyUsage]:
        with self.store.read() as unit:
            own_app(unit, developer, client_id)
            return unit.daily_usage(client_id, self.clock() - timedelta(days=days))

    # production access ------------------------------------------------------------------------
    def request_access(
        self, developer: DeveloperView, client_id: str, slug: str, use: str
    ) -> AccessRequestView:
        use = use.strip()
        if not USE_MIN <= len(use) <= USE_MAX:
            raise InvalidInput("use-description-needed", minimum=USE_MIN, maximum=USE_MAX)
        with self.store.write() as unit:
            app = own_app(unit, developer, client_id)
            if app.sandbox:
                raise Refused("sandbox-app-access", client_id=client_id)
            if app.disabled:
                raise Refused("app-disabled", client_id=client_id)
            if slug not in _published_slugs(unit):
                raise InvalidInput("unknown-scopes", scopes=slug)
            for earlier in unit.access_requests(client_ids=[client_id]):
                if earlier.slug == slug and earlier.state is not AccessState.DENIED:
                    raise Refused(
                        "access-request-exists", client_id=client_id, api=slug, state=earlier.state
                    )
            request_id = unit.add_access_request(client_id, slug, developer.id, use, self.clock())
            found = unit.access_request(request_id)
        if found is None:  # cannot happen: written in this very transaction
            raise NotFound("access-request-not-found", id=request_id)
        return found

    def access_requests(self, developer: DeveloperView) -> list[AccessRequestView]:
        with self.store.read() as unit:
            own = [a.client_id for a in unit.apps_of(developer.id)]
            return unit.access_requests(client_ids=own)

    def notices(self, developer: DeveloperView, limit: int = 50) -> list[Delivery]:
        """Change notices, reminders and access decisions mailed to the developer."""
        with self.store.read() as unit:
            ids = unit.mail_notice_ids(developer.email, limit)
            found = [unit.delivery(i) for i in ids]
        return [d for d in found if d is not None]

    def published_slugs(self) -> list[str]:
        with self.store.read() as unit:
            return sorted(_published_slugs(unit))


def _published_slugs(unit: Unit) -> set[str]:
    served = (VersionState.PUBLISHED, VersionState.DEPRECATED)
    return {s.slug for s in unit.summaries() if s.state in served}


def _sandbox_scopes(unit: Unit) -> tuple[str, ...]:
    """Every published API, with its write scope where writes need one."""
    scopes: list[str] = []
    for (slug, _), route in sorted(unit.routes().items()):
        if route.state in (VersionState.PUBLISHED, VersionState.DEPRECATED):
            scopes.append(slug)
            if route.write_scope:
                scopes.append(slug + ":write")
    return app_rules.normalise_scopes(scopes)
