"""Production access decisions (ADR 0025) and app disabling: the provider and operator side.

A provider sees and decides only the requests for its own APIs; operators see all. Approval adds
the API (and its write scope where the API has one) to the app's grants; the next access token
the app obtains carries it. Each decision is in the change log (without personal data) and
mails the developer through the outbox in the same transaction.
"""

from __future__ import annotations

from registry.accounts import mail
from registry.clock import Clock, utc_now
from registry.errors import Forbidden, NotFound, Refused
from registry.models import AccessRequestView, AccessState
from registry.principal import Principal, Role
from registry.problems import Text
from registry.settings import Settings
from registry.store import Store, Unit

REASON_MAX = 1000


class AccessService:
    """`tsunagu access …`, `tsunagu app disable` and their admin API routes."""

    def __init__(self, store: Store, settings: Settings, clock: Clock = utc_now) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock

    def list_requests(
        self, principal: Principal, state: AccessState | None = AccessState.PENDING
    ) -> list[AccessRequestView]:
        with self.store.read() as unit:
            return unit.access_requests(slugs=_visible_slugs(unit, principal), state=state)

    def decide(
        self, principal: Principal, request_id: int, approve: bool, reason: str | None = None
    ) -> AccessRequestView:
        state = AccessState.APPROVED if approve else AccessState.DENIED
        reason = (reason or "").strip()[:REASON_MAX] or None
        now = self.clock()
        with self.store.write() as unit:
            request = _decidable(unit, principal, request_id)
            unit.decide_access_request(request_id, state, principal.subject, reason, now)
            if approve:
                app = unit.app(request.client_id)
                if app is not None:
                    unit.set_app_scopes(app.client_id, (*app.scopes, *_grants(unit, request)))
            unit.record_change(
                now,
                principal.subject,
                f"access.{state.value}",
                f"app:{request.client_id}",
                {"request": request_id, "api": request.slug},
                routes=False,
            )
            decided = unit.access_request(request_id)
            owner = unit.request_owner(request_id)
            developer = unit.developer(owner) if owner else None
            if decided is not None and developer is not None:
                mail.access_decision(unit, developer.email, self.settings.public_url, decided)
        if decided is None:  # cannot happen: the row was updated in this transaction
            raise NotFound("access-request-not-found", id=request_id)
        return decided

    def disable_app(self, principal: Principal, client_id: str) -> None:
        """Operators only: the app gets no new token, and every gateway refuses its current
        tokens once it has the next snapshot (the generation bump wakes them)."""
        if principal.role is not Role.OPERATOR:
            raise Forbidden("operators-only", action=Text("アプリの無効化", "disable apps"))
        with self.store.write() as unit:
            if unit.app(client_id) is None:
                raise NotFound("app-not-found", client_id=client_id)
            unit.disable_app(client_id)
            unit.record_change(
                self.clock(), principal.subject, "app.disable", f"app:{client_id}", {}, routes=False
            )


def _visible_slugs(unit: Unit, principal: Principal) -> list[str] | None:
    """None (all) for operators, the provider's own slugs for a provider."""
    if principal.role is Role.OPERATOR:
        return None
    if principal.role is Role.PROVIDER and principal.provider_id:
        return unit.slugs_of(principal.provider_id)
    raise Forbidden("access-forbidden")


def _decidable(unit: Unit, principal: Principal, request_id: int) -> AccessRequestView:
    request = unit.access_request(request_id)
    visible = _visible_slugs(unit, principal)
    if request is None or (visible is not None and request.slug not in visible):
        raise NotFound("access-request-not-found", id=request_id)
    if request.state is not AccessState.PENDING:
        raise Refused("access-request-decided", id=request_id, state=request.state.value)
    return request


def _grants(unit: Unit, request: AccessRequestView) -> tuple[str, ...]:
    writes = any(r.write_scope for (slug, _), r in unit.routes().items() if slug == request.slug)
    return (request.slug, request.slug + ":write") if writes else (request.slug,)
