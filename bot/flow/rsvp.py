"""Registering a unit's delegates (đăng ký đại biểu), the surface the handlers call.

`/rsvp` or the invitation's «Đăng ký đại biểu» opens the unit's draft (bot/storage/
registrations.py) and gives it the person's focus, so that what they type goes to it;
`rsvp_steps` asks and keeps each answer (bot/flow/rsvp_states.py names the states). A focal
point may answer until `rsvp_by`; the chair, the vice-chair or an admin until the start.
"""

from __future__ import annotations

from sqlmodel import select

from bot.domain.callbacks import Callback
from bot.domain.replies import Reply
from bot.flow import rsvp_steps as steps
from bot.flow import rsvp_texts as texts
from bot.flow.rsvp_draft import Open, Registering, ask, focus, invited_now, load, refused, release
from bot.flow.rsvp_states import RsvpAction, RsvpStep
from bot.storage.conference_tables import Conference, Registration
from bot.storage.models import Unit
from bot.storage.registrations import (
    answer_of,
    delegates_of,
    draft_of,
    held_by,
    invited,
    open_draft,
)
from bot.storage.types import require_id

__all__ = ["Registering", "begin", "begin_for_unit", "cancel", "choose", "press", "typed"]


def begin(r: Registering, conference_id: int | None = None) -> list[Reply]:
    """`/rsvp` (or its link): the one conference and unit to register, or a choice."""
    units = [require_id(unit) for _membership, unit in r.ctx.member_units()]
    pairs = invited(r.session, unit_ids=units, now=r.now)
    if conference_id is not None:
        pairs = [(c, u) for c, u in pairs if c.id == conference_id]
    return _choose_among(r, pairs)


def begin_for_unit(r: Registering, unit_code: str) -> list[Reply]:
    """`/rsvp <unit>`: a leader registers (or changes) a unit of a cluster they lead."""
    unit = r.session.exec(select(Unit).where(Unit.code == unit_code.strip().lower())).first()
    if unit is None:
        return [Reply(r.ctx._("Không có đơn vị mã «{code}».").format(code=unit_code[:64]))]
    found = invited(r.session, unit_ids=[require_id(unit)], now=r.now)
    return _choose_among(r, [(c, u) for c, u in found if r.leads(c)])


def _choose_among(r: Registering, pairs: list[tuple[Conference, Unit]]) -> list[Reply]:
    if not pairs:
        return [texts.nothing_to_register(r.locale)]
    if len(pairs) == 1:
        conference, unit = pairs[0]
        return choose(r, require_id(conference), require_id(unit))
    return [texts.pick([(c, require_id(u), u.name) for c, u in pairs], r.locale)]


def choose(
    r: Registering, conference_id: int, unit_id: int, *, change: bool = False
) -> list[Reply]:
    """Open the unit's draft, or show its confirmed answer unless it is to be changed."""
    conference, unit = r.session.get(Conference, conference_id), r.session.get(Unit, unit_id)
    if conference is None or unit is None or not invited_now(r, conference):
        return [texts.nothing_to_register(r.locale)]
    if (refusal := refused(r, conference, unit)) is not None:
        return [refusal]
    row = draft_of(r.session, conference_id=conference_id, unit_id=unit_id)
    resumed = row is not None and row.attends is not None
    if row is None:
        answer = answer_of(r.session, conference=conference, unit_id=unit_id)
        if answer is not None and not change:
            pairs = tuple((d.full_name, d.job_title) for d in answer.delegates)
            said = texts.Said(answer.state == "attending", pairs, answer.reason)
            revision = answer.revision or 0
            return [texts.current_answer(conference, unit_id, unit.name, said, revision, r.locale)]
        pending = {"step": RsvpStep.ATTENDS.value, "holder": r.person.id}
        row = open_draft(
            r.session, conference=conference, unit_id=unit_id, pending=pending, now=r.now
        )
    opened = Open(row, conference, unit, delegates_of(r.session, require_id(row)))
    focus(r, opened)
    if resumed:
        note = r.ctx._("Tiếp tục bản nháp đăng ký đại biểu của {unit}.").format(unit=unit.name)
        return [Reply(note), ask(r, opened)]
    return [ask(r, opened)]


def held(r: Registering) -> Registration | None:
    """The draft the person's typed messages go to: theirs, unless a submission is open."""
    person = r.person
    if person.active_submission_id is not None or person.active_registration_id is not None:
        return None
    return held_by(r.session, person_id=person.id or 0)


def typed(r: Registering, text: str) -> list[Reply] | None:
    """A typed message, if a registration draft holds the person's focus (else None)."""
    row = held(r)
    if row is None:
        return None
    opened = load(r, row)
    return opened if isinstance(opened, list) else steps.typed(r, opened, text)


def cancel(r: Registering) -> list[Reply] | None:
    """`/cancel` while registering: the draft is kept for `/rsvp` (None: not registering)."""
    row = held(r)
    if row is None:
        return None
    release(r, row)
    text = r.ctx._("Đã tạm dừng đăng ký đại biểu; bản nháp được giữ. Gõ /rsvp để tiếp tục.")
    return [Reply(text)]


def press(r: Registering, callback: Callback) -> list[Reply]:
    """A registration button, however old."""
    first = callback.int_arg(0) or 0
    if callback.action in (RsvpAction.CHOOSE, RsvpAction.CHANGE):
        change = callback.action == RsvpAction.CHANGE
        return choose(r, first, callback.int_arg(1) or 0, change=change)
    opened = load(r, r.session.get(Registration, first))
    if isinstance(opened, list):
        return opened
    focus(r, opened)
    if callback.action in (RsvpAction.YES, RsvpAction.NO):
        return steps.attends(r, opened, callback.action == RsvpAction.YES)
    if callback.action == RsvpAction.DONE:
        return steps.done(r, opened, callback.int_arg(1))
    if callback.action == RsvpAction.CONFIRM:
        return steps.confirm(r, opened, callback.args[1] if len(callback.args) > 1 else None)
    if callback.action == RsvpAction.RESTART:
        return steps.restart(r, opened)
    return [texts.stale(r.locale)]
