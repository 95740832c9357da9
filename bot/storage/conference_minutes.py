"""Who chaired a conference and who took its minutes, as the chair names them (audited)."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.storage.audit import record_event
from bot.storage.conference_tables import Conference

__all__ = ["MinutesRole", "name_for_minutes"]


class MinutesRole(StrEnum):
    """The two people the minutes name besides the delegates; values are the columns."""

    CHAIR = "chaired_by"  # chủ trì
    SECRETARY = "minutes_by"  # thư ký


def name_for_minutes(
    session: Session, *, conference: Conference, role: MinutesRole, text: str | None, actor: str
) -> None:
    """Store `Nguyễn Văn An, Chủ tịch UBND xã` for the role; None leaves its line blank."""
    before = getattr(conference, role.value)
    setattr(conference, role.value, text)
    session.add(conference)
    record_event(
        session,
        actor=actor,
        action="conference.minutes",
        entity="conference",
        entity_key=conference.code,
        before={role.value: before},
        after={role.value: text},
    )
    session.flush()
