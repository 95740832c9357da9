"""Notices queued to the outbox for one run (a tick, a `/remind`), counting the new ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from bot.domain.i18n import person_locale
from bot.storage.models import GroupChat
from bot.storage.outbox import enqueue, enqueue_many, message_by_key, outbox_row, queued_keys

__all__ = ["NoticeQueue", "Recipient"]


class Recipient(Protocol):
    """Who a private message goes to: a `Person`, or just what a message needs of one."""

    @property
    def telegram_id(self) -> int: ...

    @property
    def language(self) -> str | None: ...


class NoticeQueue:
    """Enqueues messages under unique keys; `queued` counts those not queued before.

    With `batch`, for a whole tick: the keys queued before are read once per kind and period
    (`remind:12:…`), a message already queued costs no statement (nor its text), and the new
    ones are inserted together at `flush()` — at national scale a tick queues thousands.
    """

    def __init__(
        self, session: Session, locale: str, now: datetime, *, batch: bool = False
    ) -> None:
        self.session = session
        self.locale = locale  # for people without a language of their own (THIDUA_LOCALE)
        self.now = now
        self.queued = 0
        self._batch: list[dict[str, Any]] | None = [] if batch else None
        self._known: dict[str, set[str]] = {}

    def flush(self) -> None:
        """Insert the batched messages (a no-op without `batch`)."""
        if self._batch:
            enqueue_many(self.session, self._batch)
            self._batch.clear()

    def group(
        self,
        key: str,
        group: GroupChat,
        text: str | None,
        *,
        button: str | None = None,
        method: str = "sendMessage",
        extra: dict[str, Any] | None = None,
    ) -> bool:
        """A post in a group, written in the group's language (`button`: the language of a
        «Nộp số liệu» button under it); whether it is new."""
        payload = _payload(text, button, extra)
        return self._add(key, group.chat_id, payload, method)

    def private(
        self,
        key: str,
        person: Recipient,
        text_for: Callable[[str], str],
        *,
        button: bool = False,
        not_before: datetime | None = None,
    ) -> bool:
        """A private message in the person's language; whether it is new."""
        if self._queued_before(key):
            return False
        locale = self.locale_for(person)
        payload = _payload(text_for(locale), locale if button else None, None)
        return self._add(key, person.telegram_id, payload, "sendMessage", not_before)

    def known(self, key: str) -> bool:
        """Whether a message is queued under `key`, before or in this run."""
        if self._batch is None:
            return message_by_key(self.session, key) is not None
        return self._queued_before(key)

    def locale_for(self, person: Recipient) -> str:
        """The person's language: their choice, else the default."""
        return person_locale(person.language, self.locale)

    def _add(
        self,
        key: str,
        chat_id: int,
        payload: dict[str, Any],
        method: str,
        not_before: datetime | None = None,
    ) -> bool:
        if self._batch is None:
            added = enqueue(
                self.session,
                key=key,
                chat_id=chat_id,
                payload=payload,
                method=method,
                not_before=not_before or self.now,
            )
        elif added := not self._queued_before(key):
            row = outbox_row(
                key=key, chat_id=chat_id, payload=payload, method=method, not_before=not_before
            )
            self._batch.append(row | {"not_before": not_before or self.now})
            self._known[_kind_and_period(key)].add(key)
        self.queued += added
        return added

    def _queued_before(self, key: str) -> bool:
        """In a batch, whether `key` was queued before (read once per kind and period)."""
        if self._batch is None:
            return False  # one statement per message tells, in `enqueue`
        prefix = _kind_and_period(key)
        if prefix not in self._known:
            self._known[prefix] = queued_keys(self.session, prefix)
        return key in self._known[prefix]


def _kind_and_period(key: str) -> str:
    """`remind:12:` of `remind:12:1750000000:4320:7:9`: the keys one query reads together."""
    kind, _, rest = key.partition(":")
    return f"{kind}:{rest.partition(':')[0]}:"


def _payload(
    text: str | None, button_locale: str | None, extra: dict[str, Any] | None
) -> dict[str, Any]:
    # Keys starting with "_" are instructions to the sender, not Bot API parameters.
    payload: dict[str, Any] = {} if text is None else {"text": text}
    if button_locale is not None:
        payload["_submit_button"] = button_locale
    return payload | (extra or {})
