"""People, their roles in units, and one-time invites."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.storage.audit import record_event
from bot.storage.models import Invite, Person, Unit
from bot.storage.types import utcnow

__all__ = ["ROLES", "create_invite", "grant_admin", "hash_token"]

ROLES = ("focal", "chair")


def hash_token(token: str) -> str:
    """The stored form of an invite token: its SHA-256, so a leaked database admits nobody."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(
    session: Session,
    *,
    unit: Unit,
    role: str,
    expires_in: timedelta,
    created_by: str,
    now: datetime | None = None,
) -> tuple[str, Invite]:
    """A fresh invite for `unit`; returns the bare token (shown once) and the stored row."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    token = secrets.token_urlsafe(24)  # 192 random bits, and only [A-Za-z0-9_-] as deep links need
    issued = now or utcnow()
    invite = Invite(
        token_hash=hash_token(token),
        unit_id=unit.id,
        role=role,
        created_by=created_by,
        created_at=issued,
        expires_at=issued + expires_in,
    )
    session.add(invite)
    session.flush()
    record_event(
        session,
        actor=created_by,
        action="invite.created",
        entity="unit",
        entity_key=unit.code,
        after={"role": role, "invite_id": invite.id, "expires_at": invite.expires_at.isoformat()},
    )
    return token, invite


def grant_admin(session: Session, *, telegram_id: int, actor: str) -> Person:
    """Make the person with this Telegram id an admin, creating them if need be."""
    person = session.exec(select(Person).where(Person.telegram_id == telegram_id)).first()
    if person is None:
        person = Person(telegram_id=telegram_id)
        session.add(person)
    if not person.is_admin:
        person.is_admin = True
        session.add(person)
        record_event(
            session,
            actor=actor,
            action="role.admin_granted",
            entity="person",
            entity_key=str(telegram_id),
            before={"is_admin": False},
            after={"is_admin": True},
        )
    session.flush()
    return person
