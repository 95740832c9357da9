"""A focal point's submission, step by step; every state lives in the database.

`Conversation` is the surface the handlers call. The steps live by concern: `start` (unit,
period, draft), `answer` (typed, filed and pressed answers), `plausibility` (a value's checks),
`review` (the next question, the review, submitting), `standing` (`/status`, `/cancel`,
welcome) and `drafts` (loading and guarding), each taking the turn's `Context` first. The same
steps ask a pledge's targets: `registration` starts and guards those, `registering` ends them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from bot.domain.callbacks import Callback
from bot.domain.replies import Reply
from bot.flow import answer, registration, standing, start
from bot.flow.answer import Document
from bot.flow.context import Context
from bot.storage.models import Person

__all__ = ["Conversation"]


class Conversation:
    """One person's submission steps; every method returns the replies to send."""

    def __init__(
        self,
        session: Session,
        *,
        person: Person,
        locale: str,
        now: datetime,
        outlier_factor: Decimal = Decimal(3),
        default_locale: str = "vi",
    ) -> None:
        self.context = Context(session, person, locale, now, outlier_factor, default_locale)

    @property
    def locale(self) -> str:
        """The person's locale, as the replies are written in."""
        return self.context.locale

    def begin(self) -> list[Reply]:
        """`/submit`: pick the unit, then the period, then continue or start."""
        return start.begin(self.context)

    def begin_targets(self) -> list[Reply]:
        """`/targets` or «Đăng ký chỉ tiêu»: register the unit's targets for next year's pledge."""
        return registration.begin(self.context)

    def choose_unit(self, unit_id: int) -> list[Reply]:
        """The unit is known: pick among its periods that accept figures."""
        return start.choose_unit(self.context, unit_id)

    def choose_period(self, unit_id: int, period_id: int) -> list[Reply]:
        """Open the unit's draft for the period: continue, start, or revise the last revision."""
        return start.choose_period(self.context, unit_id, period_id)

    def answer_text(self, text: str) -> list[Reply]:
        """A typed message while a draft is open: an answer, a correction or an explanation."""
        return answer.answer_text(self.context, text)

    def answer_document(self, document: Document) -> list[Reply]:
        """A file sent while a draft is open: the answer to a file question, if it fits."""
        return answer.answer_document(self.context, document)

    def press(self, callback: Callback) -> list[Reply]:
        """A button of a submission message."""
        return answer.press(self.context, callback)

    def cancel(self) -> list[Reply]:
        """`/cancel`: stop asking, keep the draft, say how to resume."""
        return standing.cancel(self.context)

    def status(self) -> list[Reply]:
        """`/status`: for each unit and period that accepts figures, where it stands."""
        return standing.status(self.context)

    def welcome(self, first_name: str) -> list[Reply]:
        """`/start` by a member: their units, where each stands, and what to do next."""
        return standing.welcome(self.context, first_name)

    def is_member(self) -> bool:
        """Whether the person belongs to any unit now."""
        return bool(self.context.member_units())
