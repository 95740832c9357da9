"""A registration draft as the steps see it: who answers, may they, and what it asks now."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.domain.conference_due import registration_open
from bot.domain.replies import Reply
from bot.flow import rsvp_texts as texts
from bot.flow.context import Context
from bot.flow.rsvp_states import RsvpStep
from bot.storage.conference_tables import Conference, Delegate, Registration
from bot.storage.models import Cluster, Person, Unit
from bot.storage.registrations import delegates_of
from bot.storage.types import require_id

__all__ = [
    "Open",
    "Registering",
    "ask",
    "focus",
    "goto",
    "invited_now",
    "load",
    "refused",
    "release",
]


@dataclass(frozen=True)
class Registering:
    """One person's turn at registering: the conversation's context and their leadership."""

    ctx: Context
    leads: Callable[[Conference], bool]  # chair, vice-chair or admin of its cluster

    @property
    def session(self) -> Session:
        return self.ctx.session

    @property
    def person(self) -> Person:
        return self.ctx.person

    @property
    def now(self) -> datetime:
        return self.ctx.now

    @property
    def locale(self) -> str:
        return self.ctx.locale

    @property
    def actor(self) -> str:
        return f"telegram:{self.person.telegram_id}"


@dataclass
class Open:
    """A draft being answered, with its conference, unit and the delegates typed so far."""

    row: Registration
    conference: Conference
    unit: Unit
    delegates: list[Delegate]

    @property
    def step(self) -> RsvpStep:
        return RsvpStep((self.row.pending or {}).get("step", RsvpStep.ATTENDS))

    @property
    def ident(self) -> int:
        return require_id(self.row)

    def said(self) -> texts.Said:
        pairs = tuple((d.full_name, d.job_title) for d in self.delegates)
        return texts.Said(self.row.attends, pairs, self.row.reason)

    def fingerprint(self) -> str:
        """Changes whenever what the review shows changes: a stale «Xác nhận» is refused."""
        said = self.said()
        text = repr((said.attends, said.delegates, said.reason))
        return hashlib.sha256(text.encode()).hexdigest()[:8]


def load(r: Registering, row: Registration | None) -> Open | list[Reply]:
    """The draft with its conference and unit, if the person may answer it now."""
    if row is None:
        return [texts.stale(r.locale)]
    if row.confirmed_at is not None:
        return [texts.already_confirmed(row.revision, r.locale)]
    conference = r.session.get(Conference, row.conference_id)
    unit = r.session.get(Unit, row.unit_id)
    if conference is None or unit is None or not invited_now(r, conference):
        return [texts.nothing_to_register(r.locale)]
    if (refusal := refused(r, conference, unit)) is not None:
        release(r, row)
        return [refusal]
    return Open(row, conference, unit, delegates_of(r.session, require_id(row)))


def invited_now(r: Registering, conference: Conference) -> bool:
    """The invitation has gone out and the conference has not begun."""
    return conference.state == "scheduled" and conference.invite_at <= r.now < conference.starts_at


def refused(r: Registering, conference: Conference, unit: Unit) -> Reply | None:
    """Why the person may not answer for the unit now; None when they may."""
    if r.leads(conference):
        return None
    if r.ctx.member_unit(require_id(unit)) is None:
        return Reply(r.ctx._("Anh/chị không phải là đầu mối của {unit}.").format(unit=unit.name))
    if not registration_open(conference, r.now):
        cluster = r.session.get(Cluster, conference.cluster_id)
        return texts.closed(conference, cluster.kind if cluster else "cum", r.locale)
    return None


def focus(r: Registering, opened: Open) -> None:
    """The person's typed messages go to this draft, not to a submission left open."""
    if (opened.row.pending or {}).get("holder") != r.person.id:
        opened.row.pending = {**(opened.row.pending or {}), "holder": r.person.id}
        r.session.add(opened.row)
    if r.person.active_submission_id is not None or r.person.active_registration_id is not None:
        r.person.active_submission_id, r.person.active_registration_id = None, None
        r.session.add(r.person)


def release(r: Registering, row: Registration) -> None:
    """The draft stays as it is, but the person's typed messages no longer go to it."""
    if (row.pending or {}).get("holder") is not None:
        row.pending = {**(row.pending or {}), "holder": None}
        r.session.add(row)


def goto(r: Registering, opened: Open, step: RsvpStep) -> Reply:
    """Save the step the draft waits for, and ask it."""
    opened.row.pending = {"step": step.value, "holder": r.person.id}
    r.session.add(opened.row)
    return ask(r, opened)


def ask(r: Registering, opened: Open) -> Reply:
    """The question of the draft's step."""
    unit, ident, locale = opened.unit.name, opened.ident, r.locale
    step = opened.step
    if step is RsvpStep.ATTENDS:
        return texts.ask_attends(opened.conference, unit, ident, locale)
    if step is RsvpStep.NAME:
        return texts.ask_name(opened.conference, unit, ident, len(opened.delegates), locale)
    if step is RsvpStep.TITLE and opened.delegates:
        return texts.ask_title(opened.delegates[-1].full_name, locale)
    if step is RsvpStep.REASON:
        return texts.ask_reason(unit, locale)
    said = opened.said()
    return texts.review(opened.conference, unit, said, ident, opened.fingerprint(), locale)
