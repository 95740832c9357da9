"""A conference's notices queued to the outbox: invitation, changes, reminders, board, the eve.

The tick (`scheduler/plan.py`) calls `plan_conferences`; the registration conversation asks
for the board again after an answer, under the same keys, so nothing is ever sent twice.
Each chat's invitation or change notice keeps what it said (`_shown`): an edited time, place
or deadline then gets one short notice per chat, keyed by the new times' fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property, partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.conference_due import conference_due, registration_open
from bot.domain.due import QuietHours
from bot.domain.i18n import group_locale
from bot.notices import conference_texts as texts
from bot.notices.conference_board import board_signature, board_text
from bot.notices.queue import NoticeQueue
from bot.notices.recipients import groups_of, members
from bot.reports.conference_papers import invitation_render
from bot.storage.conference_tables import Conference
from bot.storage.conferences import (
    RegistrationState,
    UnitRegistration,
    agenda_of,
    due_conferences,
    registration_states,
)
from bot.storage.models import Cluster, GroupChat, OutboxMessage, Person, Unit
from bot.storage.outbox import SENT, message_by_key
from bot.storage.types import require_id

__all__ = ["ConferenceNotices", "plan_conferences"]

Extra = dict[str, Any]


def plan_conferences(
    session: Session, *, now: datetime, locale: str, quiet: QuietHours | None
) -> int:
    """Queue what every conference between its invitation and its start owes now."""
    queued = 0
    for conference in due_conferences(session, now=now):
        cluster = session.get(Cluster, conference.cluster_id)
        if cluster is not None:
            queued += ConferenceNotices(session, conference, cluster, now, locale).plan(quiet)
    return queued


class ConferenceNotices(NoticeQueue):
    """The notices of one conference, at one moment."""

    def __init__(
        self, session: Session, conference: Conference, cluster: Cluster, now: datetime, locale: str
    ) -> None:
        super().__init__(session, locale, now)
        self.conference, self.cluster = conference, cluster
        self.group_locale = group_locale(cluster.language)
        self.ident = require_id(conference)

    @cached_property
    def states(self) -> list[UnitRegistration]:
        return registration_states(self.session, conference=self.conference)

    @cached_property
    def groups(self) -> list[GroupChat]:
        return groups_of(self.session, self.cluster.id or 0)

    def plan(self, quiet: QuietHours | None) -> int:
        """The invitation (or what changed), the board, a reminder and the eve, as due."""
        tz = ZoneInfo(self.conference.timezone)
        due = conference_due(self.conference, self.now, tz=tz, quiet=quiet)
        if due.invitation is None:
            return self.queued
        self.invite(due.invitation, private=due.private_allowed)
        self.board()
        if due.reminder is not None:
            self.remind(due.reminder.key, private=due.private_allowed)
        if due.day_before is not None and due.private_allowed:
            self.eve(due.day_before)
        return self.queued

    def invite(self, key: str, *, private: bool) -> None:
        """Each group and focal point gets the invitation once, then one notice per change."""
        told = self._told(key)
        for group in self.groups:
            self._tell(key, told, str(group.chat_id), partial(self._to_group, group))
            self._attach_invitation(key, group)
        if not private:
            return
        for unit in self.states:
            for person in members(self.session, unit.unit_id):
                suffix = f"{unit.unit_id}:{person.id}"
                send = partial(self._to_person, person)
                self._tell(key, told, suffix, send, unit=unit.unit_name)

    def _attach_invitation(self, key: str, group: GroupChat) -> None:
        """The giấy mời as a Word file under the group's invitation, once; the sender writes
        it when it sends (scheduler/render.py), so a change made meanwhile is in it."""
        extra = {"_render": invitation_render(self.ident, self.group_locale)}
        self.group(f"{key}:{group.chat_id}:docx", group, None, method="sendDocument", extra=extra)

    def _told(self, key: str) -> dict[str, list[OutboxMessage]]:
        """Chat -> the invitation and change notices queued to it, oldest first."""
        rows = self.session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.key).startswith(f"{key}:")
                | col(OutboxMessage.key).startswith(f"conf-change:{self.ident}:")
            )
            .order_by(col(OutboxMessage.id))
        ).all()
        told: dict[str, list[OutboxMessage]] = {}
        for row in rows:
            told.setdefault(str(row.payload.get("_to")), []).append(row)
        return told

    def _tell(
        self,
        key: str,
        told: dict[str, list[OutboxMessage]],
        suffix: str,
        send: Callable[[str, Callable[[str], str], Extra], bool],
        *,
        unit: str | None = None,
    ) -> None:
        shown = texts.Shown.of(self.conference)
        extra: Extra = {"_to": suffix, "_shown": shown.as_payload()}
        earlier = told.get(suffix, [])
        if not earlier:
            send(f"{key}:{suffix}", partial(self._invitation, unit), extra | {"_button": True})
            return
        before = texts.Shown.from_payload(earlier[-1].payload["_shown"])
        if before != shown:
            changed = f"conf-change:{self.ident}:{shown.fingerprint}:{len(earlier)}:{suffix}"
            send(changed, partial(texts.change_notice, self.conference, before), extra)

    def _invitation(self, unit: str | None, locale: str) -> str:
        host = self.session.get(Unit, self.conference.host_unit_id or 0)
        return texts.invitation(
            self.conference,
            self.cluster,
            host.name if host else None,
            self.agenda(locale),
            locale,
            unit=unit,
        )

    def agenda(self, locale: str) -> list[str]:
        """The agenda's lines, presenting units by name."""
        entries = agenda_of(self.session, conference_id=self.ident)
        ids = [e.presenter_unit_id for e in entries if e.presenter_unit_id is not None]
        units = self.session.exec(select(Unit).where(col(Unit.id).in_(ids))).all() if ids else []
        return texts.agenda_lines(entries, {require_id(u): u.name for u in units}, locale)

    def board(self, *, post: bool = True) -> None:
        """The registration board in each group, edited in place when an answer changes it;
        without `post`, only a board already out is edited (the tick posts it after the
        invitation)."""
        text = board_text(self.conference, self.cluster, self.states, self.now, self.group_locale)
        fingerprint = texts.Shown.of(self.conference).fingerprint
        extra: Extra = {"_signature": f"{fingerprint}/{board_signature(self.states)}"}
        if registration_open(self.conference, self.now):
            extra["_start_button"] = texts.rsvp_button(self.conference, self.group_locale)
        for group in self.groups:
            key = f"conf-board:{self.ident}:{group.chat_id}"
            if not post or not self.group(key, group, text, extra=extra):
                self._edit(key, group, text, extra)

    def _edit(self, key: str, group: GroupChat, text: str, extra: Extra) -> None:
        board = message_by_key(self.session, key)
        if board is None or board.status != SENT or board.telegram_message_id is None:
            return  # not out yet: the edit waits for its message id
        edits = self.session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.key).startswith(f"{key}:edit:"))
            .order_by(col(OutboxMessage.id).desc())
        ).all()
        if (edits[0] if edits else board).payload.get("_signature") == extra["_signature"]:
            return
        self.group(
            f"{key}:edit:{len(edits) + 1}",
            group,
            text,
            method="editMessageText",
            extra=extra | {"message_id": board.telegram_message_id},
        )

    def remind(self, key: str, *, private: bool) -> None:
        """The units without a confirmed answer: named in the group, reminded in private."""
        missing = [unit for unit in self.states if not unit.answered]
        if not missing:
            return
        text = texts.group_missing(self.conference, self.states, self.now, self.group_locale)
        for group in self.groups:
            self._to_group(group, f"{key}:{group.chat_id}", lambda _: text, {"_button": True})
        if not private:
            return
        for unit in missing:
            for person in members(self.session, unit.unit_id):
                reminder = partial(
                    texts.private_reminder, self.conference, unit.unit_name, self.now
                )
                self._to_person(
                    person, f"{key}:{unit.unit_id}:{person.id}", reminder, {"_button": True}
                )

    def eve(self, key: str) -> None:
        """The day before: every attending unit's focal points get time, place and agenda."""
        attending = [u for u in self.states if u.state is RegistrationState.ATTENDING]
        for unit in attending:
            for person in members(self.session, unit.unit_id):
                self._to_person(
                    person, f"{key}:{unit.unit_id}:{person.id}", partial(self._eve, unit), {}
                )

    def _eve(self, unit: UnitRegistration, locale: str) -> str:
        return texts.day_before(self.conference, unit, self.agenda(locale), locale)

    def _to_group(
        self, group: GroupChat, key: str, text_for: Callable[[str], str], extra: Extra
    ) -> bool:
        return self.group(
            key, group, text_for(self.group_locale), extra=self._button(extra, self.group_locale)
        )

    def _to_person(
        self, person: Person, key: str, text_for: Callable[[str], str], extra: Extra
    ) -> bool:
        locale = self.locale_for(person)
        payload = {"text": text_for(locale)} | self._button(extra, locale)
        return self._add(key, person.telegram_id, payload, "sendMessage")

    def _button(self, extra: Extra, locale: str) -> Extra:
        """`_button: True` becomes the «Đăng ký đại biểu» link while registration is open."""
        kept = {key: value for key, value in extra.items() if key != "_button"}
        if extra.get("_button") and registration_open(self.conference, self.now):
            kept["_start_button"] = texts.rsvp_button(self.conference, locale)
        return kept
