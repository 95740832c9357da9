"""Chats the bot can no longer reach: marked once, and the admins told once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.notices.texts import unreachable_notice
from bot.storage.models import GroupChat, Person
from bot.storage.outbox import enqueue

__all__ = ["admin_chats", "note_unreachable"]


def admin_chats(session: Session, *, configured: frozenset[int]) -> list[tuple[int, str | None]]:
    """Every admin's Telegram id with their language: THIDUA_ADMINS and `thidua admin add`."""
    people = session.exec(select(Person.telegram_id, Person.language)).all()
    languages = dict(people)
    stored = {telegram_id for telegram_id, _language in people}
    admins = set(configured) | set(
        session.exec(select(Person.telegram_id).where(col(Person.is_admin))).all()
    )
    return [(admin, languages.get(admin) if admin in stored else None) for admin in sorted(admins)]


def note_unreachable(
    session: Session, *, chat_id: int, now: datetime, admins: frozenset[int], locale: str
) -> bool:
    """Mark the person or group behind `chat_id` unreachable; True if it was news."""
    title = None
    person = session.exec(select(Person).where(Person.telegram_id == chat_id)).first()
    if person is not None and person.unreachable_at is None:
        person.unreachable_at = now
        session.add(person)
        title = person.full_name or str(chat_id)
    group = session.exec(select(GroupChat).where(GroupChat.chat_id == chat_id)).first()
    if group is not None and group.unreachable_at is None:
        group.unreachable_at = now
        session.add(group)
        title = group.title or str(chat_id)
    if title is None:
        return False
    stamp = now.isoformat(timespec="seconds")
    for admin, language in admin_chats(session, configured=admins):
        if admin != chat_id:
            text = unreachable_notice(title, chat_id, language or locale)
            enqueue(
                session,
                key=f"unreachable:{chat_id}:{stamp}:{admin}",
                chat_id=admin,
                payload={"text": text},
                not_before=now,
            )
    return True
