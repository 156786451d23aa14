"""The webhook body of a change notice: Standard Webhooks' `{type, timestamp, data}` shape."""

from __future__ import annotations

import json

from registry.notices.events import jst
from registry.notices.facts import ChangeFacts
from registry.notices.models import Caller


def change_payload(facts: ChangeFacts, app: Caller) -> str:
    """Compact JSON with stable keys; times in Japan time with the offset."""
    data = {
        "change_id": facts.change_id,
        "action": facts.action,
        "api": {"slug": facts.slug, "title": facts.title},
        "version": facts.version,
        "state": facts.state,
        "sunset": jst(facts.sunset) if facts.sunset else None,
        "successor": facts.successor,
        "note": facts.note,
        "detail": dict(facts.detail),
        "app": {
            "client_id": app.client_id,
            "last_call": jst(app.last_call) if app.last_call else None,
        },
        "links": {"page": facts.page_url, "feed": facts.feed_url},
    }
    body = {"type": facts.kind.type, "timestamp": jst(facts.at), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
