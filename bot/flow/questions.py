"""The self-score questions (tự chấm): a people-scored criterion asked like a figure (pure).

Such a criterion of the cluster's scoring table (a leaf with a code and a title, no indicator)
is asked at the end of the submission as a number from 0 to its maximum, so it gets every check
a figure gets. It stands in the questions as an `Indicator` that is never stored: its id is the
criterion's id negated (no indicator has a negative id), its code the criterion's key. Its
answer is kept as a `SelfScore` row, never as an `Answer`.
"""

from __future__ import annotations

from bot.domain import figures
from bot.storage.models import Answer, Indicator
from bot.storage.scoring_tables import ScoringCriterion, SelfScore

__all__ = ["SELF_SCORE_POSITION", "is_self_score", "self_score_answer", "self_score_question"]

SELF_SCORE_POSITION = 1_000_000  # after every indicator of the pledge


def self_score_question(criterion: ScoringCriterion) -> Indicator:
    """The question that asks the unit's own score on a people-scored criterion."""
    return Indicator(
        id=-(criterion.id or 0),
        pledge_id=criterion.pledge_id,
        position=SELF_SCORE_POSITION + criterion.position,
        code=criterion.key,
        name=criterion.title,
        kind="number",
        min_value="0",
        max_value=criterion.max_points or "0",
        required=True,
    )


def is_self_score(indicator: Indicator) -> bool:
    """Whether the question asks a self-score rather than an indicator's figure."""
    return (indicator.id or 0) < 0


def self_score_answer(score: SelfScore, question: Indicator) -> Answer:
    """A kept self-score as the answer to its question; never added to a session."""
    value = figures.from_canonical(score.value, figures.Spec(kind="number"))
    number = figures.as_number(value)
    return Answer(
        submission_id=score.submission_id,
        indicator_id=question.id or 0,
        value=score.value,
        value_number=None if number is None else float(number),
        answered_by_person_id=score.answered_by_person_id,
        answered_at=score.answered_at,
    )
