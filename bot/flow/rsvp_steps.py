"""The registration's steps: each answer checked, kept in the draft, and the next question."""

from __future__ import annotations

from bot.domain.delegates import name_problem, reason_problem, tidy, title_problem, yes_or_no
from bot.domain.replies import Reply
from bot.flow import rsvp_texts as texts
from bot.flow.rsvp_draft import Open, Registering, ask, goto
from bot.flow.rsvp_states import RsvpStep
from bot.notices.conference import ConferenceNotices
from bot.storage.models import Cluster
from bot.storage.registrations import add_delegate, clear_draft, confirm_draft

__all__ = ["attends", "confirm", "done", "restart", "typed"]


def typed(r: Registering, opened: Open, text: str) -> list[Reply]:
    """A typed message: the answer to the draft's question, or why it is not one."""
    step = opened.step
    if step is RsvpStep.ATTENDS:
        answer = yes_or_no(text)
        if answer is None:
            hint = r.ctx._("Anh/chị bấm «Có» hoặc «Không» (hoặc gõ «có» / «không»).")
            return [Reply(hint), ask(r, opened)]
        return attends(r, opened, answer)
    if step is RsvpStep.NAME:
        return _name(r, opened, text)
    if step is RsvpStep.TITLE:
        return _title(r, opened, text)
    if step is RsvpStep.REASON:
        return _reason(r, opened, text)
    hint = r.ctx._("Bản đăng ký đã đủ: bấm «Xác nhận» để gửi, hoặc «Làm lại» để trả lời lại.")
    return [Reply(hint), ask(r, opened)]


def attends(r: Registering, opened: Open, yes: bool) -> list[Reply]:
    """Có or Không; pressed again on an old message, the same answer changes nothing."""
    if opened.row.attends is yes and opened.step is not RsvpStep.ATTENDS:
        return [ask(r, opened)]
    clear_draft(r.session, opened.row)
    opened.delegates = []
    opened.row.attends = yes
    return [goto(r, opened, RsvpStep.NAME if yes else RsvpStep.REASON)]


def _name(r: Registering, opened: Open, text: str) -> list[Reply]:
    limit = opened.conference.max_delegates
    if len(opened.delegates) >= limit:
        return [texts.too_many(limit, r.locale), goto(r, opened, RsvpStep.REVIEW)]
    if (problem := name_problem(text, locale=r.locale)) is not None:
        return [Reply(problem)]
    opened.delegates.append(add_delegate(r.session, opened.row, tidy(text)))
    return [goto(r, opened, RsvpStep.TITLE)]


def _title(r: Registering, opened: Open, text: str) -> list[Reply]:
    if not opened.delegates:
        return [goto(r, opened, RsvpStep.NAME)]
    if (problem := title_problem(text, locale=r.locale)) is not None:
        return [Reply(problem)]
    delegate = opened.delegates[-1]
    delegate.job_title = tidy(text)
    r.session.add(delegate)
    full = len(opened.delegates) >= opened.conference.max_delegates
    return [goto(r, opened, RsvpStep.REVIEW if full else RsvpStep.NAME)]


def _reason(r: Registering, opened: Open, text: str) -> list[Reply]:
    if (problem := reason_problem(text, locale=r.locale)) is not None:
        return [Reply(problem)]
    opened.row.reason = tidy(text)
    return [goto(r, opened, RsvpStep.REVIEW)]


def done(r: Registering, opened: Open, count: int | None) -> list[Reply]:
    """«Xong»: no more delegates, if pressed where it was shown."""
    if opened.step is RsvpStep.NAME and opened.delegates and count == len(opened.delegates):
        return [goto(r, opened, RsvpStep.REVIEW)]
    return [ask(r, opened)]


def restart(r: Registering, opened: Open) -> list[Reply]:
    """«Làm lại»: the draft's answers cleared, from the first question."""
    clear_draft(r.session, opened.row)
    opened.delegates = []
    return [goto(r, opened, RsvpStep.ATTENDS)]


def confirm(r: Registering, opened: Open, fingerprint: str | None) -> list[Reply]:
    """«Xác nhận»: the answer the review showed becomes the unit's; the board follows."""
    if opened.step is not RsvpStep.REVIEW or fingerprint != opened.fingerprint():
        changed = r.ctx._("Bản đăng ký đã thay đổi sau lần xem lại đó; đây là bản mới nhất.")
        return [Reply(changed), ask(r, opened)]
    limit = opened.conference.max_delegates
    if opened.row.attends and len(opened.delegates) > limit:
        return [texts.too_many(limit, r.locale), ask(r, opened)]
    said = opened.said()
    row = confirm_draft(
        r.session,
        draft=opened.row,
        conference=opened.conference,
        person_id=r.person.id or 0,
        actor=r.actor,
        now=r.now,
    )
    cluster = r.session.get(Cluster, opened.conference.cluster_id)
    if cluster is not None:
        notices = ConferenceNotices(
            r.session, opened.conference, cluster, r.now, r.ctx.default_locale
        )
        notices.board(post=False)
    unit = opened.unit.name
    return [texts.receipt(opened.conference, unit, said, row.revision, r.now, r.locale)]
