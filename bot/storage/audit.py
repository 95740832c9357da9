"""The audit log: who changed what, when, before and after."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.storage.models import AuditEvent
from bot.storage.row_writes import insert_row
from bot.storage.types import utcnow

__all__ = ["record_event"]


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event in the session's transaction (committed with the change it
    describes): one INSERT now, not a unit of work at the next flush."""
    return insert_row(
        session,
        AuditEvent,
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_key=entity_key,
        before=before,
        after=after,
    )
