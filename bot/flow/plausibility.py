"""Checks on a value: a number that reads two ways, a figure far from its target or last period.

These only ask; what the person answers to them is handled in `bot/flow/answer.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.domain import figures
from bot.domain.callbacks import Callback
from bot.domain.checks import Unusual, unusual
from bot.domain.replies import Reply
from bot.flow.actions import Action
from bot.flow.context import Context
from bot.flow.drafts import Draft
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
    """Why a number deserves a confirmation (far from the target or last period), if it does."""
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


def ask_confirm(
    ctx: Context, draft: Draft, indicator: Indicator, value: figures.Value, odd: Unusual
) -> Reply:
    """Is this unusual figure right? Keep it, or type it again."""
    spec = spec_of(indicator)
    compared = shown(figures.to_canonical(odd.reference_value), indicator, ctx.locale)
    typed = figures.format_value(value, spec, locale=ctx.locale)
    if odd.reference == "target":
        text = ctx._(
            "⚠️ {value} chênh lệch nhiều so với chỉ tiêu giao ({reference}). Số này có đúng không?"
        )
    else:
        text = ctx._(
            "⚠️ {value} chênh lệch nhiều so với kỳ trước ({reference}). Số này có đúng không?"
        )
    draft_id = draft.submission.id
    buttons = (
        (Action.KEEP_UNUSUAL.button(ctx._("✅ Đúng, giữ số này"), draft_id, indicator.id),),
        (Action.RETYPE_UNUSUAL.button(ctx._("✏️ Nhập lại"), draft_id, indicator.id),),
    )
    return Reply(text.format(value=typed, reference=compared), buttons)


def ask_explanation(ctx: Context) -> Reply:
    """Why is the kept figure unusual? A short typed reason."""
    return Reply(
        ctx._("Vui lòng giải trình ngắn gọn lý do chênh lệch (tối đa {limit} ký tự).").format(
            limit=EXPLANATION_MAX_LENGTH
        )
    )


def ask_ambiguous(
    ctx: Context, draft: Draft, indicator: Indicator, text: str, result: figures.Ambiguous
) -> Reply:
    """Which of its readings a typed number means; kept pending until one is pressed."""
    spec = spec_of(indicator)
    draft.submission.pending = {
        "step": Pending.AMBIGUOUS,
        "indicator_id": indicator.id,
        "raw": text,
        "readings": [figures.to_canonical(v) for v in result.readings],
    }
    ctx.session.add(draft.submission)
    buttons = tuple(
        (
            Action.READING.button(
                figures.format_clear(value, spec, locale=ctx.locale),
                draft.submission.id,
                indicator.id,
                index,
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
