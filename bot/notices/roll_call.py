"""The conference's roll-call and agenda posts: posted in the cluster's groups, kept current."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.notices.conference_posts import agenda_text, roll_call_markup, roll_call_text
from bot.storage.checkin import attendance_of
from bot.storage.conference_tables import Conference
from bot.storage.conferences import agenda_of, registration_states
from bot.storage.models import Cluster, Unit
from bot.storage.posts import latest_posts, post, refresh
from bot.storage.types import require_id

__all__ = ["post_agenda", "post_roll_call", "refresh_agenda", "refresh_roll_call"]


def _roll_call(session: Session, conference: Conference, locale: str) -> tuple[str, dict[str, Any]]:
    cluster = session.get(Cluster, conference.cluster_id)
    assert cluster is not None  # a conference's cluster is a foreign key
    text = roll_call_text(
        conference=conference,
        cluster=cluster,
        units=registration_states(session, conference=conference),
        attendance=attendance_of(session, conference=conference),
        locale=locale,
    )
    return text, roll_call_markup(conference, locale)


def post_roll_call(
    session: Session,
    *,
    conference: Conference,
    chat_ids: Iterable[int],
    locale: str,
    now: datetime | None = None,
) -> None:
    """A new roll-call with its «Có mặt» button in each chat."""
    text, markup = _roll_call(session, conference, locale)
    prefix = f"checkin:{conference.id}"
    for chat_id in chat_ids:
        post(session, prefix=prefix, chat_id=chat_id, text=text, markup=markup, now=now)


def refresh_roll_call(
    session: Session,
    *,
    conference: Conference,
    locale: str,
    pressed: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> int:
    """The roll-calls (and the pressed one) show who is present now; edits queued."""
    text, markup = _roll_call(session, conference, locale)
    prefix = f"checkin:{conference.id}"
    return refresh(session, prefix=prefix, text=text, markup=markup, pressed=pressed, now=now)


def _agenda(session: Session, conference: Conference, locale: str) -> str:
    entries = agenda_of(session, conference_id=require_id(conference))
    ids = {e.presenter_unit_id for e in entries if e.presenter_unit_id is not None}
    presenters = {i: unit.name for i in ids if (unit := session.get(Unit, i)) is not None}
    return agenda_text(conference=conference, entries=entries, presenters=presenters, locale=locale)


def post_agenda(
    session: Session,
    *,
    conference: Conference,
    chat_ids: Iterable[int],
    locale: str,
    now: datetime | None = None,
) -> None:
    """The agenda, as it stands, posted in each chat."""
    text = _agenda(session, conference, locale)
    prefix = f"agenda:{conference.id}"
    for chat_id in chat_ids:
        post(session, prefix=prefix, chat_id=chat_id, text=text, markup=None, now=now)


def refresh_agenda(
    session: Session, *, conference: Conference, locale: str, now: datetime | None = None
) -> bool:
    """Edit the agenda posts to show the item under way; False when none was posted yet."""
    prefix = f"agenda:{conference.id}"
    if not latest_posts(session, prefix=prefix):
        return False
    text = _agenda(session, conference, locale)
    refresh(session, prefix=prefix, text=text, markup=None, now=now)
    return True
