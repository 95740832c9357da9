"""Notices queued to the outbox for one run (a tick, a `/remind`), counting the new ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.storage.models import GroupChat, Person
from bot.storage.outbox import enqueue

__all__ = ["NoticeQueue"]


class NoticeQueue:
    """Enqueues messages under unique keys; `queued` counts those not queued before."""

    def __init__(self, session: Session, locale: str, now: datetime) -> None:
        self.session = session
        self.locale = locale  # for groups and people without a language of their own
        self.now = now
        self.queued = 0

    def group(
        self,
        key: str,
        group: GroupChat,
        text: str | None,
        *,
        button: bool = False,
        method: str = "sendMessage",
        extra: dict[str, Any] | None = None,
    ) -> bool:
        """A post in a group, in the bot's own language; whether it is new."""
        payload = _payload(text, self.locale if button else None, extra)
        return self._add(key, group.chat_id, payload, method)

    def private(
        self,
        key: str,
        person: Person,
        text_for: Callable[[str], str],
        *,
        button: bool = False,
        not_before: datetime | None = None,
    ) -> bool:
        """A private message in the person's language; whether it is new."""
        locale = person.language or self.locale
        payload = _payload(text_for(locale), locale if button else None, None)
        return self._add(key, person.telegram_id, payload, "sendMessage", not_before)

    def _add(
        self,
        key: str,
        chat_id: int,
        payload: dict[str, Any],
        method: str,
        not_before: datetime | None = None,
    ) -> bool:
        added = enqueue(
            self.session,
            key=key,
            chat_id=chat_id,
            payload=payload,
            method=method,
            not_before=not_before or self.now,
        )
        self.queued += added
        return added


def _payload(
    text: str | None, button_locale: str | None, extra: dict[str, Any] | None
) -> dict[str, Any]:
    # Keys starting with "_" are instructions to the sender, not Bot API parameters.
    payload: dict[str, Any] = {} if text is None else {"text": text}
    if button_locale is not None:
        payload["_submit_button"] = button_locale
    return payload | (extra or {})
