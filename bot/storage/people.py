"""People, their roles in units, and one-time invites."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from bot.storage.audit import record_event
from bot.storage.models import Cluster, GroupChat, Invite, Membership, Person, Unit
from bot.storage.types import require_id, utcnow

__all__ = [
    "ROLES",
    "InviteOutcome",
    "cluster_language_of_group",
    "create_invite",
    "grant_admin",
    "hash_token",
    "person_for",
    "redeem_invite",
    "units_of",
]

ROLES = ("focal", "chair")

# Every update looks its sender up, most steps their units: the statements are built once.
_PERSON = select(Person).where(col(Person.telegram_id) == bindparam("telegram_id"))
_UNITS_OF = (
    select(Membership, Unit)
    .join(Unit, col(Unit.id) == Membership.unit_id)
    .where(
        col(Membership.person_id) == bindparam("person_id"), col(Membership.revoked_at).is_(None)
    )
    .order_by(col(Membership.id))
)
_GROUP_LANGUAGE = (
    select(Cluster.language)
    .join(GroupChat, col(GroupChat.cluster_id) == Cluster.id)
    .where(col(GroupChat.chat_id) == bindparam("chat_id"))
)
_INVITES: Any = Invite.__table__  # type: ignore[attr-defined]
# Check and mark in one statement: two people sending the same token in one batch (or two
# processes) both read `used_at` empty, but only one UPDATE finds it still empty, because
# PostgreSQL re-checks the condition on the row the other one committed.
_CLAIM_INVITE = (
    update(_INVITES)
    .where(
        _INVITES.c.id == bindparam("invite_id"),
        _INVITES.c.used_at.is_(None),
        _INVITES.c.expires_at > bindparam("now"),
    )
    .values(used_at=bindparam("used_at"), used_by_person_id=bindparam("person_id"))
    # psycopg forgets a row count once a result's cursor is closed, as updates.py says.
    .execution_options(preserve_rowcount=True)
)


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
        unit_id=require_id(unit),
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


def person_for(
    session: Session,
    *,
    telegram_id: int,
    full_name: str,
    username: str | None,
    language: str | None,
) -> Person:
    """The person behind a Telegram account, created on first contact, name kept current."""
    person = session.exec(_PERSON, params={"telegram_id": telegram_id}).first()
    if person is None:
        person = Person(
            telegram_id=telegram_id, language=language, full_name=full_name, username=username
        )
        session.add(person)
        session.flush()  # a new person needs an id at once
        return person
    # Assigned only when changed: most steps come from someone already known and reachable,
    # and an untouched row costs neither a flush nor an UPDATE. A name given with /profile
    # wins over Telegram's, in every list and paper.
    full_name = person.official_name or full_name
    if person.full_name != full_name:
        person.full_name = full_name
    if person.username != username:
        person.username = username
    if person.unreachable_at is not None:
        person.unreachable_at = None  # they just wrote to us
    return person


def cluster_language_of_group(session: Session, chat_id: int) -> str | None:
    """The language of the cluster a group is bound to (None for an unbound group)."""
    return session.exec(_GROUP_LANGUAGE, params={"chat_id": chat_id}).first()


def units_of(session: Session, person: Person) -> list[tuple[Membership, Unit]]:
    """The units a person belongs to now, in the order they joined."""
    rows = session.execute(_UNITS_OF, {"person_id": person.id}).all()
    return [(membership, unit) for membership, unit in rows]


class InviteOutcome(StrEnum):
    JOINED = "joined"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def redeem_invite(
    session: Session, *, token: str, person: Person, now: datetime
) -> tuple[InviteOutcome, Unit | None, str]:
    """Use an invite: make the person a member of its unit, once, before it expires."""
    invite = session.exec(select(Invite).where(Invite.token_hash == hash_token(token))).first()
    if invite is None:
        return InviteOutcome.UNKNOWN, None, ""
    unit = session.get(Unit, invite.unit_id)
    if invite.used_at is not None:
        return InviteOutcome.USED, unit, invite.role
    if invite.expires_at <= now:
        return InviteOutcome.EXPIRED, unit, invite.role
    if not _claim_invite(session, invite, person, now):
        return InviteOutcome.USED, unit, invite.role  # someone else's redemption came first
    _join(session, invite, person, unit)
    return InviteOutcome.JOINED, unit, invite.role


def _claim_invite(session: Session, invite: Invite, person: Person, now: datetime) -> bool:
    """Mark the invite used by `person` unless it is used or expired by now; True if marked."""
    result = session.connection().execute(
        _CLAIM_INVITE,
        {"invite_id": invite.id, "now": now, "used_at": now, "person_id": person.id},
    )
    if result.rowcount != 1:
        return False
    # The Core statement bypassed the ORM: keep the loaded row in step without another write.
    session.expire(invite, ["used_at", "used_by_person_id"])
    return True


def _join(session: Session, invite: Invite, person: Person, unit: Unit | None) -> None:
    """Make the person a member of the invite's unit in its role, and record it."""
    membership = session.exec(
        select(Membership).where(
            Membership.person_id == person.id, Membership.unit_id == invite.unit_id
        )
    ).first()
    before = (
        None
        if membership is None
        else {"role": membership.role, "revoked": membership.revoked_at is not None}
    )
    membership = membership or Membership(person_id=require_id(person), unit_id=invite.unit_id)
    membership.role, membership.revoked_at = invite.role, None
    session.add(membership)
    record_event(
        session,
        actor=f"telegram:{person.telegram_id}",
        action="role.joined",
        entity="unit",
        entity_key=unit.code if unit else str(invite.unit_id),
        before=before,
        after={"person": person.telegram_id, "role": invite.role, "invite_id": invite.id},
    )
    session.flush()
