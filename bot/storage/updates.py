"""Exactly-once handling of Telegram updates, which are delivered again after a crash."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete

from bot.storage.models import HandledUpdate

__all__ = ["claim_update", "forget_old_updates"]


def claim_update(session: Session, update_id: int) -> bool:
    """Mark the update handled in this transaction; False if it already was."""
    if session.get(HandledUpdate, update_id) is not None:
        return False
    session.add(HandledUpdate(update_id=update_id))
    session.flush()
    return True


def forget_old_updates(
    session: Session, *, now: datetime, keep: timedelta = timedelta(days=2)
) -> None:
    """Drop marks older than any redelivery Telegram would make (it keeps updates 24 hours)."""
    session.exec(delete(HandledUpdate).where(col(HandledUpdate.handled_at) < now - keep))
