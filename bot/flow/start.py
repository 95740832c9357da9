"""Starting: `/submit` picks the unit, then the period, then continues, starts or revises."""

from __future__ import annotations

from bot.domain.periods import Phase
from bot.domain.replies import Reply
from bot.flow.actions import Action
from bot.flow.context import Context
from bot.flow.drafts import (
    Draft,
    activate,
    fingerprint,
    latest_submitted,
    load,
    locked_reply,
    not_member,
    refuse_if_closed,
    reported_period,
    stale,
)
from bot.flow.review import ask_next, review
from bot.flow.texts import returned_notice
from bot.storage import submissions as store
from bot.storage.models import Period, Submission
from bot.storage.self_scores import copy_self_scores

__all__ = ["begin", "choose_period", "choose_unit", "offer_resume"]


def begin(ctx: Context) -> list[Reply]:
    """`/submit`: pick the unit, then the period, then continue or start."""
    units = ctx.member_units()
    if not units:
        return [
            Reply(
                ctx._(
                    "Anh/chị chưa thuộc đơn vị nào nên chưa thể nộp số liệu. Đề nghị liên hệ quản "
                    "trị viên hoặc cụm trưởng để được cấp đường dẫn mời cho đơn vị."
                )
            )
        ]
    if len(units) == 1:
        return choose_unit(ctx, units[0][1].id or 0)
    buttons = tuple((Action.UNIT.button(unit.name, unit.id),) for _m, unit in units)
    return [Reply(ctx._("Anh/chị nộp số liệu cho đơn vị nào?"), buttons)]


def choose_unit(ctx: Context, unit_id: int) -> list[Reply]:
    """The unit is known: pick among its periods that accept figures."""
    unit = ctx.member_unit(unit_id)
    if unit is None:
        return [not_member(ctx)]
    accepting, locked = [], []
    for period, cluster, lock in store.periods_of_unit(ctx.session, unit_id):
        stage = ctx.known_phase(period, unit_id, lock)
        if stage in (Phase.OPEN, Phase.LATE):
            accepting.append(period)
        elif stage is Phase.LOCKED:
            locked.append((period, cluster))
    if not accepting:
        if locked:
            return [locked_reply(ctx, *locked[-1])]
        text = ctx._("Hiện chưa có kỳ báo cáo nào đang mở cho {unit}.").format(unit=unit.name)
        return [Reply(text, main_keyboard=True)]
    if len(accepting) == 1:
        # Read with the unit's clusters and found open: what `choose_period` checks first.
        return _open_draft(ctx, accepting[0], unit_id)
    buttons = tuple((Action.PERIOD.button(p.name, unit_id, p.id),) for p in accepting)
    return [Reply(ctx._("Anh/chị nộp số liệu cho kỳ báo cáo nào?"), buttons)]


def choose_period(ctx: Context, unit_id: int, period_id: int) -> list[Reply]:
    """Open the unit's draft for the period: continue, start, or revise the last revision."""
    unit = ctx.member_unit(unit_id)
    period = reported_period(ctx, unit_id, period_id)
    if unit is None or period is None:
        return [not_member(ctx) if unit is None else stale(ctx)]
    if (refusal := refuse_if_closed(ctx, period, unit_id)) is not None:
        return [refusal]
    return _open_draft(ctx, period, unit_id)


def _open_draft(ctx: Context, period: Period, unit_id: int) -> list[Reply]:
    """Offer to resume a draft with answers; else start one (copying the last revision)."""
    revisions, history = store.newest_revisions_with_history(
        ctx.session, period_id=period.id or 0, unit_id=unit_id
    )
    existing = next((s for s in revisions if s.status == "draft"), None)
    revising = latest_submitted(revisions)
    returned = revising if revising is not None and revising.returned_at else None
    returned_id = returned.id if returned else None
    draft: Draft | None
    if existing is not None:
        draft = load(ctx, existing, period, history=history, returned_id=returned_id)
        if draft is not None and draft.answers:
            activate(ctx, existing)
            notice = returned_notice(returned, period.timezone, ctx.locale) if returned else None
            return [offer_resume(ctx, draft, notice)]
    else:
        draft = _start_draft(ctx, period, unit_id, revisions, history, returned_id)
    if draft is None:
        return [stale(ctx)]
    activate(ctx, draft.submission)
    if revising is None:
        return ask_next(ctx, draft)
    # One message: the intro sits right above the figures it speaks of.
    return review(ctx, draft, intro=_revising_intro(ctx, draft, revising, returned))


def _start_draft(
    ctx: Context,
    period: Period,
    unit_id: int,
    revisions: list[Submission],
    history: int,
    returned_id: int | None,
) -> Draft | None:
    """A new draft, with the answers of the unit's last submitted revision copied into it."""
    submission, answers = store.start_draft_with_answers(
        ctx.session,
        period_id=period.id or 0,
        unit_id=unit_id,
        person=ctx.person,
        revisions=revisions,
    )
    previous = latest_submitted(revisions)
    if previous is not None:
        copy_self_scores(ctx.session, from_id=previous.id or 0, to_id=submission.id or 0)
    return load(ctx, submission, period, history=history, returned_id=returned_id, answers=answers)


def _revising_intro(
    ctx: Context, draft: Draft, revising: Submission, returned: Submission | None
) -> str:
    """A new revision: which one was submitted, why it is shown, and if a chair returned it."""
    intro = ctx._(
        "Đơn vị đã nộp lần {n}. Dưới đây là số liệu đã nộp: sửa câu cần thay "
        "đổi rồi bấm «Xác nhận nộp» để nộp lần {next}."
    ).format(n=revising.revision, next=draft.submission.revision)
    if returned is None:
        return intro
    return f"{returned_notice(returned, draft.period.timezone, ctx.locale)}\n\n{intro}"


def offer_resume(ctx: Context, draft: Draft, notice: str | None) -> Reply:
    """A draft with answers: continue where it stopped, or start again (after a notice)."""
    current = draft.current()
    where = (
        ctx._("tiếp tục từ câu {n}").format(n=draft.number_of(current))
        if current
        else ctx._("xem lại và xác nhận")
    )
    text = ctx._("Anh/chị có bản nháp cho {period} (đã trả lời {done}/{total} câu).").format(
        period=draft.period.name, done=len(draft.answers), total=len(draft.indicators)
    )
    if notice is not None:
        text = f"{notice}\n\n{text}"
    draft_id, kind = draft.submission.id, draft.kind
    buttons = (
        (Action.CONTINUE.button("▶️ " + where.capitalize(), draft_id, kind=kind),),
        (
            Action.RESTART.button(
                ctx._("🔄 Làm lại từ đầu"), draft_id, fingerprint(draft), kind=kind
            ),
        ),
    )
    return Reply(text, buttons)
