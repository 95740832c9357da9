"""The states of a draft, named in one place; each is read from the draft's row, never kept.

A draft is a `Submission` with status "draft". What the person is asked follows from its
answers, its `cursor_indicator_id` (a question chosen again) and its `pending` step:

    state      the draft                        asked               left by (`Action`)
    question   a question unanswered or chosen  that question       an answer → what it leads to;
               again, nothing pending                               BACK → the question before
    AMBIGUOUS  a number typed that reads two    which reading       READING → checked as typed
               ways
    CONFIRM    an unusual figure saved          is it right?        KEEP_UNUSUAL → EXPLAIN;
                                                                    RETYPE_UNUSUAL → question
    EXPLAIN    an unusual figure kept           why                 a typed reason → next
    REASK      a self-score chosen again        that question       an answer → what it leads to
    review     every question answered          check and confirm   EDIT → question;
                                                                    SUBMIT → submitted

A pending step names its question (`indicator_id`); AMBIGUOUS also keeps the typed text (`raw`)
and its readings (`readings`, canonical strings). A self-score question (`bot/flow/questions.py`)
has no indicator row for `cursor_indicator_id` to point to: chosen again, it is REASK instead.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Pending"]


class Pending(StrEnum):
    """What a question waits on (`Submission.pending["step"]`); stored, so never renamed."""

    AMBIGUOUS = "ambiguous"
    CONFIRM = "confirm"
    EXPLAIN = "explain"
    REASK = "reask"
