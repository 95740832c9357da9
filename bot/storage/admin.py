"""What admins and chairs change: periods, unit locks, leaders, roles, groups, returns, imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.storage.audit import record_event
from bot.storage.directory import LEADER_COLUMNS, leadership, unit_lock
from bot.storage.models import (
    Cluster,
    ClusterLeadership,
    GroupChat,
    Membership,
    PendingImport,
    Period,
    Person,
    Submission,
    Unit,
    UnitLock,
)
from bot.storage.types import require_id

__all__ = [
    "bind_group",
    "drop_pending_import",
    "keep_pending_import",
    "return_submission",
    "revoke_person",
    "set_leader",
    "set_period_state",
    "set_unit_lock",
    "unbind_group",
]


def set_period_state(session: Session, *, period: Period, state: str, actor: str) -> bool:
    """Open or lock a period by an admin's decision; False if it already was."""
    if period.state == state:
        return False
    before = period.state
    period.state = state
    session.add(period)
    record_event(
        session,
        actor=actor,
        action=f"period.{'opened' if state == 'open' else state}",
        entity="period",
        entity_key=period.code,
        before={"state": before},
        after={"state": state},
    )
    session.flush()
    return True


def set_unit_lock(
    session: Session, *, period: Period, unit: Unit, state: str, actor: str, now: datetime
) -> bool:
    """Lock one unit early or unlock it late (DHIS2's lock exception); False if it was."""
    row = unit_lock(session, period_id=require_id(period), unit_id=require_id(unit))
    if row is not None and row.state == state:
        return False
    before = {"period": period.code, "state": row.state} if row else None
    row = row or UnitLock(period_id=require_id(period), unit_id=require_id(unit), state=state)
    row.state, row.set_by, row.set_at = state, actor[:64], now
    session.add(row)
    record_event(
        session,
        actor=actor,
        action=f"unit.{state}",
        entity="unit",
        entity_key=unit.code,
        before=before,
        after={"period": period.code, "state": state},
    )
    session.flush()
    return True


def set_leader(
    session: Session, *, cluster: Cluster, year: int, role: str, unit: Unit, actor: str
) -> bool:
    """Make `unit` the cluster's chair or vice-chair for `year`; False if it already was."""
    column = LEADER_COLUMNS[role]
    row = leadership(session, require_id(cluster), year)
    if row is None:
        row = ClusterLeadership(cluster_id=require_id(cluster), year=year)
    old_id = getattr(row, column)
    if old_id == unit.id:
        return False
    old = session.get(Unit, old_id) if old_id is not None else None
    setattr(row, column, unit.id)
    session.add(row)
    record_event(
        session,
        actor=actor,
        action=f"role.{role}_set",
        entity="leadership",
        entity_key=f"{cluster.code}/{year}",
        before={role: old.code if old else None},
        after={role: unit.code},
    )
    session.flush()
    return True


def revoke_person(
    session: Session, *, person: Person, unit_id: int | None, actor: str, now: datetime
) -> tuple[list[Unit], bool]:
    """End the person's roles (in one unit, or all and the admin flag); returns what ended."""
    query = select(Membership, Unit).join(Unit, col(Unit.id) == Membership.unit_id)
    query = query.where(Membership.person_id == person.id, col(Membership.revoked_at).is_(None))
    if unit_id is not None:
        query = query.where(Membership.unit_id == unit_id)
    ended = []
    for membership, unit in session.exec(query).all():
        membership.revoked_at = now
        session.add(membership)
        ended.append(unit)
        record_event(
            session,
            actor=actor,
            action="role.revoked",
            entity="unit",
            entity_key=unit.code,
            before={"person": person.telegram_id, "role": membership.role},
            after={"person": person.telegram_id, "revoked": True},
        )
    was_admin = unit_id is None and person.is_admin
    if was_admin:
        person.is_admin = False
        record_event(
            session,
            actor=actor,
            action="role.admin_revoked",
            entity="person",
            entity_key=str(person.telegram_id),
            before={"is_admin": True},
            after={"is_admin": False},
        )
    draft = session.get(Submission, person.active_submission_id or 0)
    if draft is not None and draft.unit_id in {require_id(unit) for unit in ended}:
        person.active_submission_id = None  # a draft of a unit they left is not theirs to go on
    session.add(person)
    session.flush()
    return ended, was_admin


def return_submission(
    session: Session, *, submission: Submission, unit: Unit, reason: str, by: Person, now: datetime
) -> bool:
    """Send a submitted revision back to its unit with a reason; False if it already was."""
    if submission.returned_at is not None or submission.status != "submitted":
        return False
    submission.returned_reason = reason
    submission.returned_at = now
    submission.returned_by_person_id = by.id
    session.add(submission)
    record_event(
        session,
        actor=f"telegram:{by.telegram_id}",
        action="submission.returned",
        entity="unit",
        entity_key=unit.code,
        before={"period_id": submission.period_id, "revision": submission.revision},
        after={
            "period_id": submission.period_id,
            "revision": submission.revision,
            "returned": True,
            "reason": reason,
        },
    )
    session.flush()
    return True


def bind_group(
    session: Session, *, chat_id: int, title: str, cluster: Cluster, actor: str, now: datetime
) -> bool:
    """Bind a group to a cluster (its reminders and boards go there); False if it already was."""
    group = session.exec(select(GroupChat).where(GroupChat.chat_id == chat_id)).first()
    group = group or GroupChat(chat_id=chat_id)
    if group.cluster_id == cluster.id and group.unreachable_at is None:
        return False
    before = _group_state(session, group)
    group.title, group.cluster_id, group.bound_at, group.unreachable_at = (
        title,
        cluster.id,
        now,
        None,
    )
    session.add(group)
    record_event(
        session,
        actor=actor,
        action="group.bound",
        entity="group",
        entity_key=str(chat_id),
        before=before,
        after={"cluster": cluster.code, "title": title},
    )
    session.flush()
    return True


def unbind_group(session: Session, *, chat_id: int, actor: str) -> Cluster | None:
    """Unbind a group; returns the cluster it was bound to, if any."""
    group = session.exec(select(GroupChat).where(GroupChat.chat_id == chat_id)).first()
    if group is None or group.cluster_id is None:
        return None
    cluster = session.get(Cluster, group.cluster_id)
    record_event(
        session,
        actor=actor,
        action="group.unbound",
        entity="group",
        entity_key=str(chat_id),
        before=_group_state(session, group),
        after={"cluster": None},
    )
    group.cluster_id = None
    session.add(group)
    session.flush()
    return cluster


def _group_state(session: Session, group: GroupChat) -> dict[str, Any] | None:
    if group.cluster_id is None:
        return None
    cluster = session.get(Cluster, group.cluster_id)
    return {"cluster": cluster.code if cluster else None, "title": group.title}


def keep_pending_import(
    session: Session, *, person_id: int, file_name: str, content: bytes
) -> PendingImport:
    """Keep a checked set-up file until its sender confirms; an older one is replaced."""
    for older in session.exec(select(PendingImport).where(PendingImport.person_id == person_id)):
        session.delete(older)
    pending = PendingImport(person_id=person_id, file_name=file_name[:255], content=content)
    session.add(pending)
    session.flush()
    return pending


def drop_pending_import(session: Session, pending: PendingImport) -> None:
    """Forget a set-up file once applied or cancelled."""
    session.delete(pending)
    session.flush()
