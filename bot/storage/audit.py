"""The audit log: who changed what, when, before and after."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.storage.models import AuditEvent

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
    """Add one audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        actor=actor, action=action, entity=entity, entity_key=entity_key, before=before, after=after
    )
    session.add(event)
    return event
