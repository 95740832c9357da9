"""Loading a draft and guarding it: whose it is, whether its period still takes figures.

A draft is a submission's figures or a pledge's targets (`DraftKind`); the targets' own loading
and guarding live in `bot/flow/registration.py`, and both share everything else here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.domain.admin_body import admin_body
from bot.domain.callbacks import Callback
from bot.domain.formatting import format_moment
from bot.domain.periods import Phase
from bot.domain.replies import Reply
from bot.domain.terms import cluster_terms
from bot.flow.actions import DraftKind
from bot.flow.context import Context
from bot.flow.questions import is_self_score, self_score_answer
from bot.flow.setup_cache import Asked, asked_of
from bot.storage import submissions as store
from bot.storage.draft_state import AnswerRow
from bot.storage.models import Answer, Cluster, Indicator, Period, Submission, Unit
from bot.storage.pledge_tables import TargetAnswer, TargetRegistration
from bot.storage.row_writes import update_row
from bot.storage.self_scores import self_scores_of

__all__ = [
    "Draft",
    "DraftAnswer",
    "DraftRow",
    "RegistrationWindow",
    "Window",
    "activate",
    "active",
    "active_submission",
    "already_submitted",
    "expected",
    "fingerprint",
    "for_button",
    "latest_submitted",
    "load",
    "locked_reply",
    "not_member",
    "refuse_if_closed",
    "reported_period",
    "set_step",
    "shows_current",
    "stale",
]


class Window(Protocol):
    """What a draft shows of the time it is answered in: a period, or a registration."""

    @property
    def name(self) -> str: ...

    @property
    def timezone(self) -> str: ...

    @property
    def deadline_at(self) -> datetime: ...


@dataclass(frozen=True)
class RegistrationWindow:
    """What a targets draft shows of its pledge: its name, year, timezone and deadline."""

    name: str
    year: int
    timezone: str
    deadline_at: datetime


DraftRow = Submission | TargetRegistration  # a draft's row: the same conversation columns
DraftAnswer = Answer | AnswerRow | TargetAnswer


@dataclass
class Draft:
    """A draft with everything needed to ask its next question."""

    submission: DraftRow
    period: Window
    asked: Asked  # shared with other steps: never changed
    answers: dict[int, DraftAnswer]
    returned_id: int | None  # the unit's newest submitted revision, if a chair returned it
    kind: DraftKind = DraftKind.FIGURES

    @property
    def unit(self) -> Unit:
        return self.asked.unit

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.asked.indicators

    @property
    def targets(self) -> dict[int, str]:
        return self.asked.targets

    @property
    def last(self) -> dict[str, str]:
        return self.asked.last

    def indicator(self, indicator_id: int | None) -> Indicator | None:
        number = self.asked.positions.get(indicator_id or 0)
        return None if number is None else self.indicators[number - 1]

    def number_of(self, indicator: Indicator) -> int:
        return self.asked.positions[indicator.id or 0]

    def first_unanswered(self) -> Indicator | None:
        return next((i for i in self.indicators if i.id not in self.answers), None)

    def current(self) -> Indicator | None:
        """The question being asked: a pending one, an edited one, or the first unanswered."""
        pending = self.submission.pending or {}
        chosen = pending.get("indicator_id") or self.submission.cursor_indicator_id
        return self.indicator(chosen) or self.first_unanswered()


def load(
    ctx: Context,
    submission: Submission,
    period: Period,
    *,
    history: int,
    returned_id: int | None,
    answers: dict[int, AnswerRow] | dict[int, Answer] | None = None,
) -> Draft | None:
    """The draft with its questions (cached while the set-up is unchanged) and answers
    (read here unless given, as read in this transaction)."""
    asked = asked_of(ctx.session, period=period, unit_id=submission.unit_id, history=history)
    if asked is None:
        return None
    if answers is None:
        answers = store.answers_of(ctx.session, submission.id or 0)
    kept: dict[int, DraftAnswer] = {k: v for k, v in answers.items() if k in asked.positions}
    if asked.self_scored:
        kept |= _self_score_answers(ctx, submission.id or 0, asked)
    return Draft(
        submission=submission, period=period, asked=asked, answers=kept, returned_id=returned_id
    )


def _self_score_answers(ctx: Context, submission_id: int, asked: Asked) -> dict[int, Answer]:
    """Question id -> the self-score kept for it in this revision."""
    questions = {q.code: q for q in asked.indicators if is_self_score(q)}
    scores = self_scores_of(ctx.session, submission_id=submission_id, cluster_id=asked.cluster_id)
    return {
        questions[s.criterion_key].id or 0: self_score_answer(s, questions[s.criterion_key])
        for s in scores
        if s.criterion_key in questions
    }


def activate(ctx: Context, row: DraftRow) -> None:
    """Make `row` the draft the person's typed answers go to (a submission or a registration)."""
    person = ctx.person
    wanted = (row.id, None) if isinstance(row, Submission) else (None, row.id)
    if (person.active_submission_id, person.active_registration_id) != wanted:
        active_submission_id, active_registration_id = wanted
        update_row(
            ctx.session,
            person,
            active_submission_id=active_submission_id,
            active_registration_id=active_registration_id,
        )


def set_step(
    ctx: Context, draft: Draft, *, cursor: int | None, pending: dict[str, Any] | None
) -> None:
    """Point the draft at the question it asks again (`cursor`) and its pending step, written
    now by one UPDATE, and only when either changes."""
    row = draft.submission
    if (row.cursor_indicator_id, row.pending) != (cursor, pending):
        update_row(ctx.session, row, cursor_indicator_id=cursor, pending=pending)


def active_submission(ctx: Context) -> Submission | None:
    """The draft the person's typed answers go to, if it is still a draft."""
    if ctx.person.active_submission_id is None:
        return None
    submission = ctx.session.get(Submission, ctx.person.active_submission_id)
    return submission if submission is not None and submission.status == "draft" else None


def active(ctx: Context) -> Draft | list[Reply]:
    """The draft being answered, or the replies explaining why there is none."""
    state = (
        store.draft_state(
            ctx.session,
            submission_id=ctx.person.active_submission_id,
            person_id=ctx.person.id or 0,
        )
        if ctx.person.active_submission_id is not None
        else None
    )
    if state is None or state.submission.status != "draft":
        return [
            Reply(
                ctx._(
                    "Anh/chị chưa mở bản nộp số liệu nào. Gõ /submit hoặc bấm «Nộp số liệu» "
                    "để bắt đầu; /help để xem hướng dẫn."
                ),
                main_keyboard=True,
            )
        ]
    if not state.member:
        return [not_member(ctx)]
    return _writable(ctx, state)


def for_button(ctx: Context, submission_id: int | None) -> Draft | list[Reply]:
    """The draft a button is about, made the active one, or why it cannot be answered."""
    state = (
        store.draft_state(ctx.session, submission_id=submission_id, person_id=ctx.person.id or 0)
        if submission_id
        else None
    )
    # Another unit's draft is answered as no draft at all: nothing said reveals that it exists.
    if state is None or not state.member:
        return [stale(ctx)]
    if state.submission.status != "draft":
        return [already_submitted(ctx, state.submission)]
    activate(ctx, state.submission)
    return _writable(ctx, state)


def _writable(ctx: Context, state: store.DraftState) -> Draft | list[Reply]:
    ctx.known_phase(state.period, state.submission.unit_id, state.lock)
    refusal = refuse_if_closed(ctx, state.period, state.submission.unit_id)
    if refusal is not None:
        return [refusal]
    draft = load(
        ctx,
        state.submission,
        state.period,
        history=state.history,
        returned_id=state.returned_id,
        answers=state.answers,
    )
    return [stale(ctx)] if draft is None else draft


def reported_period(ctx: Context, unit_id: int, period_id: int) -> Period | None:
    """The period, if the unit reports in it: another cluster's period is as good as none,
    and no draft of the unit is started there."""
    period = ctx.session.get(Period, period_id) if period_id else None
    if period is None:
        return None
    reports = store.cluster_in_period(ctx.session, period_id=period_id, unit_id=unit_id)
    return period if reports is not None else None


def refuse_if_closed(ctx: Context, period: Period, unit_id: int) -> Reply | None:
    """Why the unit cannot submit for the period now (not open yet, locked), if it cannot."""
    stage = ctx.phase(period, unit_id)
    if stage is Phase.UPCOMING:
        return Reply(
            ctx._("Kỳ «{period}» chưa mở; kỳ mở lúc {opens}.").format(
                period=period.name,
                opens=format_moment(period.opens_at, period.timezone, ctx.locale),
            )
        )
    if stage is Phase.LOCKED:
        cluster = store.cluster_of_unit(ctx.session, unit_id)
        return locked_reply(ctx, period, cluster)
    return None


def locked_reply(ctx: Context, period: Period, cluster: Cluster | None) -> Reply:
    """The period is locked: whom to ask for an exception."""
    chair = store.chair_unit(ctx.session, cluster.id or 0, period.year) if cluster else None
    # A Khối's chair is «khối trưởng»: the word follows the cluster's kind.
    word = cluster_terms(cluster.kind if cluster else None, ctx.locale).mid_sentence().chair
    contact = f"{word} ({chair.name})" if chair else word
    return Reply(
        ctx._(
            "🔒 Kỳ «{period}» đã khóa sổ, không nhận thêm số liệu. Nếu cần bổ sung, "
            "vui lòng liên hệ {contact} hoặc {body}."
        ).format(period=period.name, contact=contact, body=admin_body()),
        main_keyboard=True,
    )


def expected(draft: Draft, args: Callback) -> Indicator | None:
    """The indicator a button is about, if it is still the question being asked."""
    current = draft.current()
    return current if current is not None and current.id == args.int_arg(0) else None


def already_submitted(ctx: Context, submission: Submission) -> Reply:
    """A button of a draft that has been submitted since."""
    return Reply(
        ctx._("Bản số liệu này đã được nộp (lần {n}). Gõ /submit nếu cần sửa và nộp lại.").format(
            n=submission.revision
        ),
        main_keyboard=True,
    )


def not_member(ctx: Context) -> Reply:
    """The person does not belong to the unit (any longer)."""
    return Reply(
        ctx._(
            "Anh/chị không phải thành viên của đơn vị này nên không thể nộp số liệu cho "
            "đơn vị. Nếu có nhầm lẫn, hãy liên hệ quản trị viên."
        )
    )


def stale(ctx: Context, kind: DraftKind = DraftKind.FIGURES) -> Reply:
    """A button whose draft or question is gone."""
    if kind is DraftKind.TARGETS:
        return Reply(ctx._("Nút này đã cũ. Gõ /targets để tiếp tục từ chỗ đang dừng."))
    return Reply(
        ctx._("Nút này đã cũ. Gõ /submit để tiếp tục từ chỗ đang dừng."), main_keyboard=True
    )


def fingerprint(draft: Draft) -> str:
    """A short digest of the answers a message shows, so a button on an older view is known."""
    digest = hashlib.blake2b(digest_size=4)
    for indicator in draft.indicators:
        answer = draft.answers.get(indicator.id or 0)
        if answer is not None:
            shown = (indicator.id, answer.value, answer.skipped, answer.file_id, answer.explanation)
            digest.update(repr(shown).encode())
    return digest.hexdigest()


def shows_current(draft: Draft, button: Callback) -> bool:
    """Whether the button's message showed the draft's answers as they are now.

    Buttons from before fingerprints existed carry none and are taken as current.
    """
    shown = button.args[0] if button.args else None
    return shown is None or shown == fingerprint(draft)


Row = TypeVar("Row", Submission, TargetRegistration)


def latest_submitted(revisions: list[Row]) -> Row | None:
    """The newest submitted (registered) revision among a unit's revisions."""
    submitted = [s for s in revisions if s.status == "submitted"]
    return max(submitted, key=lambda s: s.revision) if submitted else None
