"""The self-scores of a submission: kept per answer, and shown with the receipt."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.domain import figures
from bot.domain.scoring import SELF
from bot.flow.context import Context
from bot.flow.drafts import Draft
from bot.flow.questions import is_self_score, self_score_answer
from bot.flow.texts import shown
from bot.storage.models import Answer, Indicator, Submission
from bot.storage.scoring import load_scores
from bot.storage.scoring_reviews import record_self_score

__all__ = ["save_self_score", "self_score_lines"]

_POINTS = figures.Spec(kind="number")


def save_self_score(ctx: Context, draft: Draft, question: Indicator, **values: Any) -> Answer:
    """Keep the unit's own score on the question's criterion in this revision (flushed now)."""
    score = record_self_score(
        ctx.session,
        submission_id=draft.submission.id or 0,
        cluster_id=draft.asked.cluster_id,
        criterion_key=question.code,
        value=Decimal(values["value"]),
        person_id=ctx.person.id,
    )
    answer = self_score_answer(score, question)
    answer.raw_text = values.get("raw_text")
    return answer


def self_score_lines(ctx: Context, draft: Draft) -> list[str]:
    """The receipt's self-scores: each criterion's, then the unit's total so far."""
    _ = ctx._
    lines = [_("Tự chấm:")]
    for question in draft.indicators:
        answer = draft.answers.get(question.id or 0)
        if is_self_score(question) and answer is not None and answer.value is not None:
            line = _("• {title}: {score}/{max} điểm").format(
                title=question.name,
                score=shown(answer.value, question, ctx.locale),
                max=shown(question.max_value or "0", question, ctx.locale),
            )
            lines.append(line)
    total = _total(ctx, draft)
    if total is not None:
        lines.append(
            _(
                "Tổng điểm tự chấm (tạm tính, theo số liệu các đơn vị đã nộp đến lúc này): "
                "{total}/{max} điểm"
            ).format(total=_points(total[0], ctx.locale), max=_points(total[1], ctx.locale))
        )
    return lines


def _total(ctx: Context, draft: Draft) -> tuple[Decimal, Decimal] | None:
    """The unit's self-score total by the engine, and the table's base maximum."""
    cluster_id, submission = draft.asked.cluster_id, draft.submission
    assert isinstance(submission, Submission)  # only a period's figures have self-scores
    scores = load_scores(ctx.session, period_id=submission.period_id, cluster_ids=[cluster_id]).get(
        cluster_id
    )
    layer = scores.layer(SELF) if scores is not None else None
    standing = layer.of(draft.unit.code) if layer is not None else None
    if scores is None or standing is None:
        return None
    return standing.total, scores.table.base_max


def _points(value: Decimal, locale: str) -> str:
    return figures.format_value(value, _POINTS, locale=locale)
