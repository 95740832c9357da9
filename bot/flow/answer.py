"""Answering: a typed figure, a file, a pressed answer, and the answers to a value's checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.domain import figures
from bot.domain.callbacks import Callback
from bot.domain.checks import evidence_refusal
from bot.domain.replies import Reply
from bot.flow import registration
from bot.flow.actions import Action, DraftKind, read_action
from bot.flow.context import Context
from bot.flow.drafts import Draft, active, expected, for_button, set_step, shows_current, stale
from bot.flow.plausibility import (
    EXPLANATION_MAX_LENGTH,
    ask_ambiguous,
    ask_confirm,
    ask_explanation,
    confirming,
    unusual_figure,
)
from bot.flow.questions import is_self_score
from bot.flow.registering import register
from bot.flow.review import advance, ask_next, moved_on, question, review, save, submit
from bot.flow.start import choose_period, choose_unit
from bot.flow.states import Pending
from bot.flow.texts import spec_of
from bot.storage import submissions as store
from bot.storage.models import Indicator
from bot.storage.pledges import delete_target_answers
from bot.storage.row_writes import update_row
from bot.storage.self_scores import delete_self_scores

__all__ = ["Document", "answer_document", "answer_text", "current_draft", "press"]


@dataclass(frozen=True)
class Document:
    """A file a person sent."""

    file_id: str
    file_name: str | None
    file_size: int | None
    mime_type: str | None


def current_draft(ctx: Context) -> Draft | list[Reply]:
    """The draft the person's typed answers go to: a registration's targets or a submission's."""
    if ctx.person.active_registration_id is not None:
        return registration.active(ctx)
    return active(ctx)


def answer_text(ctx: Context, text: str) -> list[Reply]:
    """A typed message while a draft is open: an answer, a correction or an explanation."""
    draft = current_draft(ctx)
    if isinstance(draft, list):
        return draft
    pending = draft.submission.pending or {}
    if pending.get("step") == Pending.EXPLAIN:
        return _explain(ctx, draft, pending, text)
    indicator = draft.current()
    if indicator is None:
        notice = ctx._(
            "Anh/chị đã trả lời đủ các câu. Hãy xem lại rồi bấm «Xác nhận nộp», "
            "hoặc chọn số câu cần sửa."
        )
        return [Reply(notice), *review(ctx, draft)]
    result = figures.parse(text, spec_of(indicator), locale=ctx.locale)
    if isinstance(result, figures.Invalid):
        return [question(ctx, draft, indicator, notice=result.message)]
    if isinstance(result, figures.Ambiguous):
        return [ask_ambiguous(ctx, draft, indicator, text, result)]
    return _accept(ctx, draft, indicator, result.value, raw=text)


def answer_document(ctx: Context, document: Document) -> list[Reply]:
    """A file sent while a draft is open: the answer to a file question, if it fits."""
    draft = current_draft(ctx)
    if isinstance(draft, list):
        return draft
    indicator = draft.current()
    if indicator is None or indicator.kind != "file":
        message = ctx._("Câu hỏi hiện tại không cần tệp đính kèm; vui lòng trả lời bằng chữ.")
        if indicator is None:
            return [Reply(message), *review(ctx, draft)]
        return [question(ctx, draft, indicator, notice=message)]
    if refusal := evidence_refusal(document.file_name, document.file_size, ctx.locale):
        return [question(ctx, draft, indicator, notice=refusal)]
    save(
        ctx,
        draft,
        indicator,
        raw_text=document.file_name,
        value=document.file_name,
        file_id=document.file_id,
        file_name=document.file_name,
        file_size=document.file_size,
    )
    return advance(ctx, draft)


def press(ctx: Context, callback: Callback) -> list[Reply]:
    """A button of a submission's or a registration's message, however old."""
    read = read_action(callback.action)
    if read is None:
        return [stale(ctx)]
    kind, action = read
    targets = kind is DraftKind.TARGETS
    first, second = callback.int_arg(0) or 0, callback.int_arg(1) or 0
    if action == Action.UNIT:
        return registration.choose_unit(ctx, first) if targets else choose_unit(ctx, first)
    if action == Action.PERIOD:
        if targets:
            return registration.choose_pledge(ctx, first, second)
        return choose_period(ctx, first, second)
    draft = registration.for_button(ctx, first) if targets else for_button(ctx, first)
    if isinstance(draft, list):
        return draft
    step = _DRAFT_BUTTONS.get(action)
    if step is None:
        return [stale(ctx, kind)]
    # The draft's id is read: each step gets the arguments after it.
    return step(ctx, draft, Callback(action, callback.args[1:]))


def _continue(ctx: Context, draft: Draft, _args: Callback) -> list[Reply]:
    return ask_next(ctx, draft)


def _restart(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    if not shows_current(draft, args):
        return moved_on(ctx, draft)
    if draft.kind is DraftKind.TARGETS:
        delete_target_answers(ctx.session, draft.submission.id or 0)
    else:
        store.delete_answers(ctx.session, draft.submission.id or 0)
    if draft.asked.self_scored:
        delete_self_scores(ctx.session, submission_id=draft.submission.id or 0)
    set_step(ctx, draft, cursor=None, pending=None)
    draft.answers = {}
    return ask_next(ctx, draft)


def _button_answer(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    indicator = expected(draft, args)
    if indicator is None:
        return moved_on(ctx, draft)
    choice = args.args[1] if len(args.args) > 1 else ""
    if choice == "s" and not indicator.required:
        save(ctx, draft, indicator, skipped=True)
        return advance(ctx, draft)
    if indicator.kind == "yesno" and choice in ("y", "n"):
        return _accept(ctx, draft, indicator, choice == "y", raw=choice)
    if indicator.kind == "choice" and choice.isdigit() and int(choice) < len(indicator.options):
        option = indicator.options[int(choice)]
        return _accept(ctx, draft, indicator, option, raw=option)
    return [stale(ctx, draft.kind)]


def _back(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    indicator = expected(draft, args)
    if indicator is None:
        return moved_on(ctx, draft)
    previous = draft.indicators[max(0, draft.number_of(indicator) - 2)]
    return [_ask_again(ctx, draft, previous)]


def _edit(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    indicator = draft.indicator(args.int_arg(0))
    return [stale(ctx, draft.kind) if indicator is None else _ask_again(ctx, draft, indicator)]


def _ask_again(ctx: Context, draft: Draft, indicator: Indicator) -> Reply:
    """Point the draft at an answered question and ask it again."""
    if is_self_score(indicator):
        reask = {"step": Pending.REASK, "indicator_id": indicator.id}
        set_step(ctx, draft, cursor=None, pending=reask)
    else:
        set_step(ctx, draft, cursor=indicator.id, pending=None)
    return question(ctx, draft, indicator)


def _accept(
    ctx: Context, draft: Draft, indicator: Indicator, value: figures.Value, *, raw: str
) -> list[Reply]:
    """Save a valid value; an unusual figure is saved too, then confirmed."""
    number = figures.as_number(value)
    odd = unusual_figure(ctx, draft, indicator, number)
    save(
        ctx,
        draft,
        indicator,
        raw_text=raw,
        value=figures.to_canonical(value),
        value_number=None if number is None else float(number),
        flags=["unusual"] if odd else [],
    )
    if odd is None:
        return advance(ctx, draft)
    confirm = {"step": Pending.CONFIRM, "indicator_id": indicator.id}
    set_step(ctx, draft, cursor=draft.submission.cursor_indicator_id, pending=confirm)
    return [ask_confirm(ctx, draft, indicator, value, odd)]


def _keep_unusual(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    pending = draft.submission.pending or {}
    if not confirming(pending, args):
        return moved_on(ctx, draft)
    explain = {**pending, "step": Pending.EXPLAIN}
    set_step(ctx, draft, cursor=draft.submission.cursor_indicator_id, pending=explain)
    return [ask_explanation(ctx)]


def _retype_unusual(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    pending = draft.submission.pending or {}
    if not confirming(pending, args):
        return moved_on(ctx, draft)
    indicator = draft.indicator(pending.get("indicator_id"))
    set_step(ctx, draft, cursor=indicator.id if indicator else None, pending=None)
    return ask_next(ctx, draft)


def _explain(ctx: Context, draft: Draft, pending: dict[str, Any], text: str) -> list[Reply]:
    explanation = text.strip()
    if not explanation or len(explanation) > EXPLANATION_MAX_LENGTH:
        retry = ctx._(
            "Giải trình cần từ 1 đến {limit} ký tự (anh/chị đã gõ {count}). "
            "Vui lòng gõ lại ngắn gọn hơn."
        )
        limit, count = (
            figures.count_text(n, ctx.locale) for n in (EXPLANATION_MAX_LENGTH, len(explanation))
        )
        return [Reply(retry.format(limit=limit, count=count))]
    answer = draft.answers.get(pending.get("indicator_id") or 0)
    if answer is not None:
        update_row(ctx.session, answer, explanation=explanation)
    return advance(ctx, draft)


def _pick_reading(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    pending = draft.submission.pending or {}
    readings = pending.get("readings") or []
    index = args.int_arg(1)
    indicator = draft.indicator(pending.get("indicator_id"))
    if (
        pending.get("step") != Pending.AMBIGUOUS
        or indicator is None
        or indicator.id != args.int_arg(0)
        or index is None
        or index >= len(readings)
    ):
        return moved_on(ctx, draft)
    value = figures.from_canonical(readings[index], spec_of(indicator))
    set_step(ctx, draft, cursor=draft.submission.cursor_indicator_id, pending=None)
    return _accept(ctx, draft, indicator, value, raw=str(pending.get("raw", "")))


# What each button of an open draft does, given the arguments after the draft's id.
_DRAFT_BUTTONS: dict[str, Callable[[Context, Draft, Callback], list[Reply]]] = {
    Action.CONTINUE: _continue,
    Action.RESTART: _restart,
    Action.ANSWER: _button_answer,
    Action.BACK: _back,
    Action.READING: _pick_reading,
    Action.KEEP_UNUSUAL: _keep_unusual,
    Action.RETYPE_UNUSUAL: _retype_unusual,
    Action.EDIT: _edit,
    Action.SUBMIT: lambda ctx, draft, args: (
        register(ctx, draft, args) if draft.kind is DraftKind.TARGETS else submit(ctx, draft, args)
    ),
}
