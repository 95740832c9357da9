"""A pledge's notices queued to the outbox: registration opened, reminders, the board, signing.

The tick (`scheduler/plan.py`) calls `plan_registrations`; the chair's `/pledge` and the
conversation queue the same notices under the same keys, so nothing is ever sent twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from bot.domain.callbacks import encode
from bot.domain.due import QuietHours, due_now
from bot.domain.i18n import gettext_for, group_locale
from bot.notices import pledge_texts as texts
from bot.notices.queue import NoticeQueue
from bot.notices.recipients import chair_people, groups_of, members
from bot.storage.models import Cluster, Person, Pledge, Unit
from bot.storage.pledge_progress import UnitTargets, registered_answers, registration_progress
from bot.storage.pledge_tables import PledgeWindow, TargetRegistration
from bot.storage.pledges import target_indicators
from bot.storage.types import require_id

__all__ = [
    "PledgeNotices",
    "plan_registrations",
    "running_windows",
]


def running_windows(session: Session, now: datetime) -> list[tuple[PledgeWindow, Pledge, Cluster]]:
    """Registrations that have opened and whose pledge is not signed yet."""
    rows = session.exec(
        select(PledgeWindow, Pledge, Cluster)
        .join(Pledge, col(Pledge.id) == PledgeWindow.pledge_id)
        .join(Cluster, col(Cluster.id) == Pledge.cluster_id)
        .where(
            col(PledgeWindow.signed_at).is_(None),
            or_(col(PledgeWindow.opens_at) <= now, col(PledgeWindow.state) == "open"),
        )
        .order_by(col(PledgeWindow.id))
    ).all()
    return [(window, pledge, cluster) for window, pledge, cluster in rows]


def plan_registrations(
    session: Session, *, now: datetime, locale: str, quiet: QuietHours | None
) -> int:
    """Queue what every running registration owes now; the number newly queued."""
    queued = 0
    for window, pledge, cluster in running_windows(session, now):
        notices = PledgeNotices(session, pledge, cluster, window, now, locale)
        queued += notices.plan(quiet)
    return queued


class PledgeNotices(NoticeQueue):
    """The notices of one pledge's registration, at one moment."""

    def __init__(
        self,
        session: Session,
        pledge: Pledge,
        cluster: Cluster,
        window: PledgeWindow,
        now: datetime,
        locale: str,
    ) -> None:
        super().__init__(session, locale, now)
        self.pledge, self.cluster, self.window = pledge, cluster, window
        self.group_locale = group_locale(cluster.language)
        self.key = f"pledge:{pledge.id}"
        self._progress: list[UnitTargets] | None = None

    @property
    def progress(self) -> list[UnitTargets]:
        if self._progress is None:
            self._progress = registration_progress(self.session, self.pledge)
        return self._progress

    def plan(self, quiet: QuietHours | None) -> int:
        """Announce, remind the units that owe, post the day's board; signing waits for none."""
        if self.window.signing_at is not None:
            return self.queued
        owing = [unit for unit in self.progress if unit.owes]
        tz = ZoneInfo(self.window.timezone)
        due = due_now(self.window, self.now, tz=tz, quiet=quiet, all_submitted=not owing)
        if due.announce:
            self.announce(private=due.private_allowed)
        if due.reminder_offset is not None and owing:
            self.remind(
                owing,
                f"{int(self.window.deadline_at.timestamp())}:{due.reminder_offset}",
                private=due.private_allowed,
            )
        if due.board_day is not None:
            self.board(due.board_day.isoformat())
        return self.queued

    def announce(self, *, private: bool = True) -> None:
        """The group is told registration is open; each unit's people get «Đăng ký chỉ tiêu»."""
        for group in groups_of(self.session, self.cluster.id or 0):
            text = texts.opened(self.pledge, self.cluster, self.window, self.now, self.group_locale)
            self.group(f"{self.key}:open:{group.chat_id}", group, text)
        if not private:
            return
        for unit in self.progress:
            for person in members(self.session, require_id(unit.unit)):
                self.with_button(
                    f"{self.key}:invite:{unit.unit.id}:{person.id}",
                    person,
                    partial(
                        texts.private_invitation, self.pledge, unit.unit, self.window, self.now
                    ),
                    partial(texts.register_button, unit.unit),
                )

    def remind(self, owing: Sequence[UnitTargets], stamp: str, *, private: bool = True) -> None:
        """The group's list of units that owe, and a private reminder to each of their people."""
        for group in groups_of(self.session, self.cluster.id or 0):
            text = texts.group_missing(
                self.pledge, self.progress, self.window, self.now, self.group_locale
            )
            self.group(f"{self.key}:missing:{stamp}:{group.chat_id}", group, text)
        if not private:
            return
        for unit in owing:
            for person in members(self.session, require_id(unit.unit)):
                self.with_button(
                    f"{self.key}:remind:{stamp}:{unit.unit.id}:{person.id}",
                    person,
                    partial(texts.private_reminder, self.pledge, unit, self.window, self.now),
                    partial(texts.register_button, unit.unit),
                )

    def board(self, day: str) -> None:
        """The day's registration board in each group."""
        text = texts.board_text(
            self.pledge, self.cluster, self.progress, self.window, self.now, self.group_locale
        )
        for group in groups_of(self.session, self.cluster.id or 0):
            self.group(f"{self.key}:board:{day}:{group.chat_id}", group, text)

    def all_registered(self) -> None:
        """The chair's people are told every unit registered: the pledge can go for signing."""
        total = len(self.progress)
        for person in chair_people(self.session, self.cluster.id or 0, self.pledge.year - 1):
            self.private(
                f"{self.key}:all-registered:{self.signature()}:{person.id}",
                person,
                partial(texts.all_registered, self.pledge, self.cluster, total),
            )

    def send_for_signing(self) -> None:
        """The group is told; each unit's people get its targets and «Ký giao ước»."""
        for group in groups_of(self.session, self.cluster.id or 0):
            text = texts.sent_for_signing(self.pledge, self.cluster, self.group_locale)
            self.group(f"{self.key}:signing:{group.chat_id}", group, text)
        for unit in self.progress:
            if unit.latest is not None and unit.latest.returned_at is None:
                self.ask_to_sign(unit.unit, unit.latest)

    def ask_to_sign(self, unit: Unit, registration: TargetRegistration) -> None:
        """One unit's people get its registered targets and the button that signs them."""
        lines = self.target_lines(registration)
        for person in members(self.session, require_id(unit)):
            self.with_button(
                f"{self.key}:sign:{registration.id}:{person.id}",
                person,
                lambda locale: texts.sign_request(self.pledge, unit, lines(locale), locale),
                lambda locale: _sign_button(unit, registration, locale),
            )

    def target_lines(self, registration: TargetRegistration) -> Callable[[str], list[str]]:
        """The registration's targets, one a line, in a given language."""
        indicators = target_indicators(self.session, self.pledge.id or 0)
        given = registered_answers(self.session, [require_id(registration)])[
            require_id(registration)
        ]

        def lines(locale: str) -> list[str]:
            found = []
            for indicator in indicators:
                answer = given.get(indicator.id or 0)
                if answer is not None and answer.value is not None:
                    shown = texts.target_text(answer.value, indicator, locale)
                    found.append(f"• {indicator.name}: {shown}")
            return found

        return lines

    def all_signed(self) -> None:
        """The group's news when the last unit signed."""
        total = len(self.progress)
        for group in groups_of(self.session, self.cluster.id or 0):
            text = texts.all_signed(self.pledge, self.cluster, total, self.group_locale)
            self.group(f"{self.key}:signed:{group.chat_id}", group, text)

    def returned(self, unit: Unit, registration: TargetRegistration, reason: str, by: str) -> int:
        """The unit's people are told their registration came back; how many."""
        before = self.queued
        for person in members(self.session, require_id(unit)):
            self.private(
                f"{self.key}:returned:{registration.id}:{person.id}",
                person,
                partial(
                    texts.returned_to_unit, self.pledge, unit, registration.revision, reason, by
                ),
            )
        return self.queued - before

    def signature(self) -> str:
        return texts.board_signature(self.progress)

    def with_button(
        self,
        key: str,
        person: Person,
        text_for: Callable[[str], str],
        markup_for: Callable[[str], dict[str, Any]],
    ) -> bool:
        """A private message with an inline button, both in the person's language."""
        locale = self.locale_for(person)
        payload = {"text": text_for(locale), "reply_markup": markup_for(locale)}
        return self._add(key, person.telegram_id, payload, "sendMessage")


def _sign_button(unit: Unit, registration: TargetRegistration, locale: str) -> dict[str, Any]:
    """«Ký giao ước» for one registration: the focal point's `/sign`, pressed."""
    _ = gettext_for(locale)
    return texts.inline_button(
        _("✍️ Ký giao ước"), encode("c", "sign", f"#u{unit.id}", registration.id)
    )
