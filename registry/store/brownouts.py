"""Brownout windows: reading them per version and adding one, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Brownout
from registry.store.tables import BrownoutRow


def windows(
    session: Session, version_ids: Collection[int] | None = None
) -> dict[int, tuple[Brownout, ...]]:
    """Each version's windows in start order (all versions when `version_ids` is None)."""
    stmt = select(BrownoutRow).order_by(BrownoutRow.starts_at)
    if version_ids is not None:
        stmt = stmt.where(BrownoutRow.version_id.in_(version_ids))
    found: dict[int, list[Brownout]] = {}
    for row in session.scalars(stmt):
        found.setdefault(row.version_id, []).append(Brownout(start=row.starts_at, end=row.ends_at))
    return {version_id: tuple(rows) for version_id, rows in found.items()}


def add(session: Session, version_id: int, window: Brownout, at: datetime, actor: str) -> None:
    session.add(
        BrownoutRow(
            version_id=version_id,
            starts_at=window.start,
            ends_at=window.end,
            created_at=at,
            created_by=actor,
        )
    )
    session.flush()
