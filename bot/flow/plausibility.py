"""Checks on a value: a number that reads two ways, a figure far from its target or last period,
a target for next year that asks less than this year's result.

These only ask; what the person answers to them is handled in `bot/flow/answer.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.domain import figures
from bot.domain.callbacks import Callback
from bot.domain.checks import Reference, Unusual, unusual
from bot.domain.replies import Reply
from bot.flow.actions import Action, DraftKind
from bot.flow.context import Context
from bot.flow.drafts import Draft, RegistrationWindow, set_step
from bot.flow.states import Pending
from bot.flow.texts import shown, spec_of
from bot.storage.models import Indicator

__all__ = [
    "EXPLANATION_MAX_LENGTH",
    "as_decimal",
    "ask_ambiguous",
    "ask_confirm",
    "ask_explanation",
    "confirming",
    "unusual_figure",
]

EXPLANATION_MAX_LENGTH = 500


def unusual_figure(
    ctx: Context, draft: Draft, indicator: Indicator, number: Decimal | None
) -> Unusual | None:
    """Why a number deserves a confirmation (far from the target or last period; a target below
    this year's result), if it does."""
    if draft.kind is DraftKind.TARGETS:
        return _low_target(draft, indicator, number)
    if number is None or indicator.kind not in ("number", "percent"):
        return None
    target = draft.targets.get(indicator.id or 0)
    last = draft.last.get(indicator.code)
    return unusual(
        number,
        target=as_decimal(target),
        last=as_decimal(last),
        better=indicator.better,
        factor=ctx.outlier_factor,
    )


def _low_target(draft: Draft, indicator: Indicator, number: Decimal | None) -> Unusual | None:
    """A target that asks less than this year's result: below it when higher is better, above
    it when lower is better."""
    result = draft.last.get(indicator.code)
    if number is None or result is None or indicator.better not in ("higher", "lower"):
        return None
    reached = figures.as_number(figures.from_canonical(result, spec_of(indicator)))
    if reached is None:
        return None
    lower = indicator.better == "lower"
    if (number > reached) if lower else (number < reached):
        return Unusual(Reference.LAST, reached)
    return None


def ask_confirm(
    ctx: Context, draft: Draft, indicator: Indicator, value: figures.Value, odd: Unusual
) -> Reply:
    """Is this unusual figure right? Keep it, or type it again."""
    spec = spec_of(indicator)
    compared = shown(figures.to_canonical(odd.reference_value), indicator, ctx.locale)
    typed = figures.format_value(value, spec, locale=ctx.locale)
    if draft.kind is DraftKind.TARGETS:
        # The result as it was submitted: a ratio shows as 47/53, not as its quotient.
        compared = shown(draft.last.get(indicator.code) or "", indicator, ctx.locale)
        text = _low_target_question(ctx, indicator)
    elif odd.reference == "target":
        text = ctx._(
            "⚠️ {value} chênh lệch nhiều so với chỉ tiêu giao ({reference}). Số này có đúng không?"
        )
    else:
        text = ctx._(
            "⚠️ {value} chênh lệch nhiều so với kỳ trước ({reference}). Số này có đúng không?"
        )
    ids, kind = (draft.submission.id, indicator.id), draft.kind
    buttons = (
        (Action.KEEP_UNUSUAL.button(ctx._("✅ Đúng, giữ số này"), *ids, kind=kind),),
        (Action.RETYPE_UNUSUAL.button(ctx._("✏️ Nhập lại"), *ids, kind=kind),),
    )
    year = draft.period.year - 1 if isinstance(draft.period, RegistrationWindow) else None
    return Reply(text.format(value=typed, reference=compared, year=year), buttons)


def _low_target_question(ctx: Context, indicator: Indicator) -> str:
    """The question for a target that asks less than this year's result."""
    if indicator.better == "lower":
        return ctx._(
            "⚠️ Chỉ tiêu {value} cao hơn kết quả năm {year} của đơn vị ({reference}), trong khi "
            "chỉ tiêu này càng thấp càng tốt. Chỉ tiêu này có đúng không?"
        )
    return ctx._(
        "⚠️ Chỉ tiêu {value} thấp hơn kết quả năm {year} của đơn vị ({reference}). "
        "Chỉ tiêu này có đúng không?"
    )


def ask_explanation(ctx: Context) -> Reply:
    """Why is the kept figure unusual? A short typed reason."""
    return Reply(
        ctx._("Vui lòng giải trình ngắn gọn lý do chênh lệch (tối đa {limit} ký tự).").format(
            limit=figures.count_text(EXPLANATION_MAX_LENGTH, ctx.locale)
        )
    )


def ask_ambiguous(
    ctx: Context, draft: Draft, indicator: Indicator, text: str, result: figures.Ambiguous
) -> Reply:
    """Which of its readings a typed number means; kept pending until one is pressed."""
    spec = spec_of(indicator)
    readings = [figures.to_canonical(v) for v in result.readings]
    pending = {"step": Pending.AMBIGUOUS, "indicator_id": indicator.id, "raw": text}
    cursor = draft.submission.cursor_indicator_id
    set_step(ctx, draft, cursor=cursor, pending=pending | {"readings": readings})
    buttons = tuple(
        (
            Action.READING.button(
                figures.format_clear(value, spec, locale=ctx.locale),
                draft.submission.id,
                indicator.id,
                index,
                kind=draft.kind,
            ),
        )
        for index, value in enumerate(result.readings)
    )
    return Reply(result.message, buttons)


def confirming(pending: dict[str, Any], button: Callback) -> bool:
    """Whether the draft awaits a confirmation of the unusual figure this button is about."""
    same_question = pending.get("indicator_id") == button.int_arg(0)
    return pending.get("step") == Pending.CONFIRM and same_question


def as_decimal(canonical: str | None) -> Decimal | None:
    """A canonical value as a number; None for none, a ratio, or text."""
    if canonical is None or "/" in canonical:
        return None
    try:
        return Decimal(canonical)
    except ArithmeticError:
        return None
