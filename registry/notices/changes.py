"""Notices for a change: called inside the transaction that appends the change-log entry.

Recipients are the apps that called the version in the last 90 days (the usage roll-ups) and
the apps subscribed to the API, nobody else: one e-mail per owner (listing their apps) and one
webhook per app that registered one. A publication has no callers yet, so for it the callers
of the API's other versions are told. Every delivery's key names the entry and the recipient,
so re-running the composition adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from registry.models import ChangeLogEntry
from registry.notices.events import event_kind, version_target
from registry.notices.facts import ChangeFacts, change_facts
from registry.notices.mail import change_body, change_subject
from registry.notices.models import Caller, Channel
from registry.notices.payload import change_payload

if TYPE_CHECKING:
    from registry.store.store import Unit

CALLER_WINDOW = timedelta(days=90)


class ChangeNotices:
    """The store's change listener: writes the deliveries one change-log entry causes."""

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url

    def __call__(self, unit: Unit, entry: ChangeLogEntry) -> int:
        """Enqueue the entry's notices; returns how many deliveries it wrote (0: none due)."""
        kind, target = event_kind(entry.action), version_target(entry.target)
        if kind is None or target is None:
            return 0
        view = unit.version(*target)
        if view is None:
            return 0
        facts = change_facts(entry, kind, view, self.public_url)
        versions = [view.version]
        if entry.action == "api.publish":
            versions = [s.version for s in unit.summaries() if s.slug == view.slug]
        callers = unit.callers(view.slug, versions, entry.at - CALLER_WINDOW)
        return _enqueue_mails(unit, facts, callers) + _enqueue_webhooks(unit, facts, callers)


def _enqueue_mails(unit: Unit, facts: ChangeFacts, callers: list[Caller]) -> int:
    by_owner: dict[str, list[Caller]] = defaultdict(list)
    for caller in callers:
        if "@" in caller.owner:
            by_owner[caller.owner].append(caller)
    for owner, apps in sorted(by_owner.items()):
        unit.enqueue_notice(
            channel=Channel.EMAIL,
            recipient=owner,
            subject=change_subject(facts),
            body=change_body(facts, owner, apps),
            kind=facts.kind.type,
            key=f"change:{facts.change_id}:email:{owner}",
            change_id=facts.change_id,
        )
    return len(by_owner)


def _enqueue_webhooks(unit: Unit, facts: ChangeFacts, callers: list[Caller]) -> int:
    hooks = unit.webhooks_of([c.client_id for c in callers])
    for caller in callers:
        if caller.client_id in hooks:
            unit.enqueue_notice(
                channel=Channel.WEBHOOK,
                recipient=caller.client_id,
                subject=facts.kind.type,
                body=change_payload(facts, caller),
                kind=facts.kind.type,
                key=f"change:{facts.change_id}:webhook:{caller.client_id}",
                change_id=facts.change_id,
            )
    return len(hooks)
