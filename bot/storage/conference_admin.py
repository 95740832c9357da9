"""Conferences set up and changed in the chat: created, edited field by field, agenda replaced,
the item under way moved; every change audited with what it was before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.agenda import AgendaItem
from bot.storage.audit import record_event
from bot.storage.conference_tables import AgendaEntry, Conference
from bot.storage.conferences import agenda_of
from bot.storage.models import Cluster, Unit
from bot.storage.types import require_id

__all__ = [
    "EDITABLE",
    "NewConference",
    "change_conference",
    "create_conference",
    "move_current_item",
    "replace_agenda",
]

# The columns the chat may change, by the word its buttons and prompts use.
EDITABLE = {
    "name": "name",
    "kind": "kind",
    "when": "starts_at",
    "place": "place",
    "rsvp": "rsvp_by",
    "delegates": "max_delegates",
    "invite": "invite_at",
}


@dataclass(frozen=True)
class NewConference:
    """What the guided conversation gathered, with the defaults it chose."""

    cluster: Cluster
    kind: str
    name: str
    starts_at: datetime
    place: str
    rsvp_by: datetime
    max_delegates: int
    invite_at: datetime
    reminder_offsets: tuple[int, ...]
    timezone: str
    host_unit_id: int | None
    period_id: int | None


def create_conference(
    session: Session, *, new: NewConference, agenda: Sequence[AgendaItem], actor: str
) -> Conference:
    """Store the conference and its agenda under a code of its own; audited."""
    conference = Conference(
        code=_free_code(session, new),
        name=new.name,
        cluster_id=require_id(new.cluster),
        period_id=new.period_id,
        kind=new.kind,
        host_unit_id=new.host_unit_id,
        starts_at=new.starts_at,
        place=new.place,
        invite_at=new.invite_at,
        rsvp_by=new.rsvp_by,
        reminder_offsets=list(new.reminder_offsets),
        max_delegates=new.max_delegates,
        timezone=new.timezone,
    )
    session.add(conference)
    session.flush()
    _add_items(session, conference, agenda)
    record_event(
        session,
        actor=actor,
        action="conference.created",
        entity="conference",
        entity_key=conference.code,
        after=_shown(conference, EDITABLE.values()) | {"agenda": [i.title for i in agenda]},
    )
    return conference


def change_conference(
    session: Session, *, conference: Conference, changes: dict[str, Any], actor: str
) -> None:
    """Set the given columns (by their `EDITABLE` word); audited with the values before."""
    columns = {EDITABLE[word]: value for word, value in changes.items()}
    before = _shown(conference, columns)
    for column, value in columns.items():
        setattr(conference, column, value)
    session.add(conference)
    record_event(
        session,
        actor=actor,
        action="conference.changed",
        entity="conference",
        entity_key=conference.code,
        before=before,
        after=_shown(conference, columns),
    )
    session.flush()


def replace_agenda(
    session: Session, *, conference: Conference, items: Sequence[AgendaItem], actor: str
) -> None:
    """The agenda becomes `items`; nothing is under way any more. Audited."""
    before = [entry.title for entry in agenda_of(session, conference_id=require_id(conference))]
    for entry in agenda_of(session, conference_id=require_id(conference)):
        session.delete(entry)
    session.flush()  # the positions are free again before the new items take them
    conference.current_item_id = None
    session.add(conference)
    _add_items(session, conference, items)
    record_event(
        session,
        actor=actor,
        action="conference.agenda",
        entity="conference",
        entity_key=conference.code,
        before={"agenda": before},
        after={"agenda": [item.title for item in items]},
    )


def move_current_item(
    session: Session, *, conference: Conference, entry: AgendaEntry, actor: str
) -> None:
    """The item under way becomes `entry` (`/next`); audited."""
    before = conference.current_item_id
    conference.current_item_id = require_id(entry)
    session.add(conference)
    record_event(
        session,
        actor=actor,
        action="conference.next",
        entity="conference",
        entity_key=conference.code,
        before={"item": before},
        after={"item": entry.position + 1, "title": entry.title},
    )
    session.flush()


def _add_items(session: Session, conference: Conference, items: Sequence[AgendaItem]) -> None:
    for position, item in enumerate(items):
        presenter = None
        if item.by:
            unit = session.exec(select(Unit).where(Unit.code == item.by)).first()
            presenter = unit.id if unit else None
        session.add(
            AgendaEntry(
                conference_id=require_id(conference),
                position=position,
                at=item.at,
                title=item.title,
                presenter_unit_id=presenter,
                kind=item.kind,
            )
        )
    session.flush()


def _free_code(session: Session, new: NewConference) -> str:
    """`kt-cum2-so-ket-20260710`, with `-2`, `-3`… when that is taken."""
    local = new.starts_at.astimezone(ZoneInfo(new.timezone))
    stem = f"{new.cluster.code}-{new.kind}-{local:%Y%m%d}"
    stem = re.sub(r"[^a-z0-9-]+", "-", stem.lower())[:56]
    taken = set(
        session.exec(select(Conference.code).where(col(Conference.code).startswith(stem))).all()
    )
    if stem not in taken:
        return stem
    return next(f"{stem}-{n}" for n in range(2, len(taken) + 3) if f"{stem}-{n}" not in taken)


def _shown(conference: Conference, columns: Any) -> dict[str, Any]:
    """Columns as the audit log keeps them (moments in ISO form)."""
    values = {column: getattr(conference, column) for column in columns}
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
