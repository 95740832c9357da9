"""Moving on: save an answer, ask what comes next, review the answers, submit, and the receipt."""

from __future__ import annotations

from typing import Any, cast

from bot.domain import figures
from bot.domain.callbacks import Callback
from bot.domain.formatting import data_window, format_moment
from bot.domain.i18n import gettext_for
from bot.domain.replies import Button, Reply, split_text
from bot.flow.actions import Action, DraftKind
from bot.flow.context import Context
from bot.flow.drafts import (
    Draft,
    DraftAnswer,
    RegistrationWindow,
    already_submitted,
    fingerprint,
    set_step,
    shows_current,
)
from bot.flow.plausibility import (
    as_decimal,
    ask_ambiguous,
    ask_confirm,
    ask_explanation,
    unusual_figure,
)
from bot.flow.questions import is_self_score
from bot.flow.self_scoring import save_self_score, self_score_lines
from bot.flow.states import Pending
from bot.flow.texts import Question, answer_line, name_of, question_text, spec_of
from bot.storage import submissions as store
from bot.storage.models import Indicator, Period, Person, Submission
from bot.storage.outbox import enqueue
from bot.storage.pledge_tables import TargetAnswer, TargetRegistration
from bot.storage.pledges import save_target_answer
from bot.storage.row_writes import update_row

__all__ = [
    "advance",
    "ask_next",
    "moved_on",
    "not_ready",
    "question",
    "review",
    "save",
    "submit",
]


def save(ctx: Context, draft: Draft, indicator: Indicator, **values: Any) -> None:
    """Save one answer (written now) and keep the draft's answers current."""
    if is_self_score(indicator):
        draft.answers[indicator.id or 0] = save_self_score(ctx, draft, indicator, **values)
        return
    row, kept = draft.submission, draft.answers
    answer: DraftAnswer
    if isinstance(row, TargetRegistration):
        targets = cast(dict[int, TargetAnswer], kept)  # a registration's answers are targets
        answer = save_target_answer(
            ctx.session,
            draft=row,
            indicator_id=indicator.id or 0,
            person=ctx.person,
            answers=targets,
            **values,
        )
    else:
        figures_given = cast(dict[int, store.StoredAnswer], kept)  # a submission's are figures
        answer = store.save_answer(
            ctx.session,
            draft=row,
            indicator_id=indicator.id or 0,
            person=ctx.person,
            answers=figures_given,
            **values,
        )
    draft.answers[answer.indicator_id] = answer


def advance(ctx: Context, draft: Draft) -> list[Reply]:
    """After an answer: clear the cursor and pending step, then the next question."""
    set_step(ctx, draft, cursor=None, pending=None)  # written only when either was set
    return ask_next(ctx, draft)


def ask_next(ctx: Context, draft: Draft) -> list[Reply]:
    """What the draft waits on: a pending check, the current question, or the review."""
    pending = draft.submission.pending or {}
    indicator = draft.current()
    if pending.get("step") == Pending.EXPLAIN:
        return [ask_explanation(ctx)]
    if pending.get("step") in (Pending.CONFIRM, Pending.AMBIGUOUS) and indicator is not None:
        return [_resume_pending(ctx, draft, indicator, pending)]
    if indicator is None:
        return review(ctx, draft)
    return [question(ctx, draft, indicator)]


def moved_on(ctx: Context, draft: Draft) -> list[Reply]:
    """A button of an earlier question: say so and show the current step."""
    return [
        Reply(ctx._("Nút này thuộc một câu hỏi trước. Đây là bước hiện tại:")),
        *ask_next(ctx, draft),
    ]


def _resume_pending(
    ctx: Context, draft: Draft, indicator: Indicator, pending: dict[str, Any]
) -> Reply:
    """Ask a pending check again, or the question if the check no longer holds."""
    if pending.get("step") == Pending.AMBIGUOUS:
        raw = str(pending.get("raw", ""))
        result = figures.parse(raw, spec_of(indicator), locale=ctx.locale)
        if isinstance(result, figures.Ambiguous):
            return ask_ambiguous(ctx, draft, indicator, str(pending.get("raw")), result)
    answer = draft.answers.get(indicator.id or 0)
    odd = unusual_figure(ctx, draft, indicator, as_decimal(answer.value if answer else None))
    if answer is not None and answer.value is not None and odd is not None:
        value = figures.from_canonical(answer.value, spec_of(indicator))
        return ask_confirm(ctx, draft, indicator, value, odd)
    set_step(ctx, draft, cursor=draft.submission.cursor_indicator_id, pending=None)
    return question(ctx, draft, indicator)


def question(
    ctx: Context, draft: Draft, indicator: Indicator, *, notice: str | None = None
) -> Reply:
    """Question `indicator`, with its buttons, after a notice about the last answer if any."""
    asked = Question(
        number=draft.number_of(indicator),
        total=len(draft.indicators),
        indicator=indicator,
        target=draft.targets.get(indicator.id or 0),
        last=None if is_self_score(indicator) else draft.last.get(indicator.code),
        current=draft.answers.get(indicator.id or 0),
        year=_reference_year(draft),
        lineage=draft.asked.lineage,
        inherited=indicator.code in draft.asked.inherited,
    )
    text = question_text(asked, ctx.locale)
    window = _data_window(draft, ctx.locale) if asked.number == 1 else None
    if window:
        text = f"{window}\n\n{text}"  # what the figures are of, before the first of them
    if notice:
        text = f"{notice}\n\n{text}"
    return Reply(text, _question_buttons(ctx, draft, indicator))


def _data_window(draft: Draft, locale: str) -> str | None:
    """A reporting period's data window (a registration of targets has none)."""
    period = draft.period
    if not isinstance(period, Period):
        return None
    return data_window(period.covers_from, period.covers_to, locale)


def _question_buttons(
    ctx: Context, draft: Draft, indicator: Indicator
) -> tuple[tuple[Button, ...], ...]:
    """Yes/no or the options as buttons, then «Quay lại» and «Bỏ qua» where they apply."""
    ids, kind = (draft.submission.id, indicator.id), draft.kind
    rows: list[tuple[Button, ...]] = []
    if indicator.kind == "yesno":
        rows.append(
            (
                Action.ANSWER.button(ctx._("Có"), *ids, "y", kind=kind),
                Action.ANSWER.button(ctx._("Không"), *ids, "n", kind=kind),
            )
        )
    for index, option in enumerate(indicator.options if indicator.kind == "choice" else []):
        rows.append((Action.ANSWER.button(f"{index + 1}. {option}", *ids, index, kind=kind),))
    extra = []
    if draft.number_of(indicator) > 1:
        extra.append(Action.BACK.button(ctx._("⬅️ Quay lại"), *ids, kind=kind))
    if not indicator.required:
        extra.append(Action.ANSWER.button(ctx._("Bỏ qua ➡️"), *ids, "s", kind=kind))
    if extra:
        rows.append(tuple(extra))
    return tuple(rows)


def review(ctx: Context, draft: Draft, *, intro: str | None = None) -> list[Reply]:
    """All answers, split to fit Telegram, with edit buttons and «Xác nhận nộp»."""
    title, footer = (
        (
            ctx._("📋 Xem lại chỉ tiêu đăng ký – {unit}\n{period}"),
            ctx._("Bấm số câu để sửa, hoặc «Xác nhận đăng ký» để đăng ký."),
        )
        if draft.kind is DraftKind.TARGETS
        else (
            ctx._("📋 Xem lại số liệu – {unit}\n{period}"),
            ctx._("Bấm số câu để sửa, hoặc «Xác nhận nộp» để nộp."),
        )
    )
    lines = [intro, ""] if intro else []
    lines += [title.format(unit=draft.unit.name, period=draft.period.name), ""]
    for number, indicator in enumerate(draft.indicators, start=1):
        answer = draft.answers.get(indicator.id or 0)
        value = answer_line(answer, indicator, ctx.locale) if answer else ctx._("(chưa trả lời)")
        lines.append(f"{number}. {name_of(indicator, ctx.locale)}: {value}")
    lines += ["", footer]
    pieces = split_text("\n".join(lines))
    return [Reply(p) for p in pieces[:-1]] + [Reply(pieces[-1], _review_buttons(ctx, draft))]


def _review_buttons(ctx: Context, draft: Draft) -> tuple[tuple[Button, ...], ...]:
    """«✏️ n» for each question, five a row, then «Xác nhận nộp» for the answers shown."""
    draft_id, kind = draft.submission.id, draft.kind
    edits = [
        Action.EDIT.button(f"✏️ {n}", draft_id, indicator.id, kind=kind)
        for n, indicator in enumerate(draft.indicators, start=1)
    ]
    rows = [tuple(edits[i : i + 5]) for i in range(0, len(edits), 5)]
    label = ctx._("✅ Xác nhận đăng ký") if kind is DraftKind.TARGETS else ctx._("✅ Xác nhận nộp")
    rows.append((Action.SUBMIT.button(label, draft_id, fingerprint(draft), kind=kind),))
    return tuple(rows)


def _reference_year(draft: Draft) -> int | None:
    """The year whose target and result a targets question shows (None: a period's question)."""
    if isinstance(draft.period, RegistrationWindow):
        return draft.period.year - 1
    return None


def not_ready(ctx: Context, draft: Draft, args: Callback) -> list[Reply] | None:
    """Why the answers the review showed cannot go in yet (unfinished, changed since), if so."""
    missing = [i for i in draft.indicators if i.id not in draft.answers]
    pending = draft.submission.pending or {}
    # A question chosen again but not changed blocks nothing, as with `cursor_indicator_id`.
    if missing or (pending and pending.get("step") != Pending.REASK):
        return [Reply(ctx._("Còn câu chưa trả lời xong, chưa thể nộp.")), *ask_next(ctx, draft)]
    if not shows_current(draft, args):
        notice = ctx._(
            "Bản xem lại này đã cũ: số liệu đã thay đổi sau đó. Đây là bản mới nhất, "
            "hãy xem lại rồi bấm «Xác nhận nộp»."
        )
        return review(ctx, draft, intro=notice)
    return None


def submit(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    """«Xác nhận nộp»: submit the answers the review showed, if they are complete and current."""
    if (refusal := not_ready(ctx, draft, args)) is not None:
        return refusal
    assert isinstance(draft.submission, Submission)  # a targets draft is registered instead
    late = ctx.now >= draft.period.deadline_at
    # Rare (a chair returned the previous revision): the row itself only then.
    returned = ctx.session.get(Submission, draft.returned_id) if draft.returned_id else None
    if not store.submit_draft(
        ctx.session,
        draft=draft.submission,
        person=ctx.person,
        unit=draft.unit,
        now=ctx.now,
        late=late,
    ):
        return [already_submitted(ctx, draft.submission)]
    update_row(ctx.session, ctx.person, active_submission_id=None)
    if returned is not None:
        _tell_returner(ctx, draft, returned, late)
    return [_receipt(ctx, draft, late)]


def _tell_returner(ctx: Context, draft: Draft, returned: Submission, late: bool) -> None:
    """Queue a message to the chair's person who returned the previous revision."""
    returner_id = returned.returned_by_person_id
    returner = ctx.session.get(Person, returner_id) if returner_id else None
    if returner is None:
        return
    text = _resubmitted(ctx, draft, returned, late, ctx.locale_for(returner))
    enqueue(
        ctx.session,
        key=f"resubmitted:{draft.submission.id}",
        chat_id=returner.telegram_id,
        payload={"text": text},
    )


def _resubmitted(ctx: Context, draft: Draft, returned: Submission, late: bool, locale: str) -> str:
    """The returner's message, in their own language: which revision came back, and when."""
    _ = gettext_for(locale)
    text = _(
        "📬 {unit} đã nộp lại số liệu kỳ «{period}» (lần {n}, lúc {at}) sau khi anh/chị trả lại "
        "lần {returned}."
    ).format(
        unit=draft.unit.name,
        period=draft.period.name,
        n=draft.submission.revision,
        at=format_moment(ctx.now, draft.period.timezone, locale),
        returned=returned.revision,
    )
    if late:
        text += " " + _("(nộp muộn)")
    return text


def _receipt(ctx: Context, draft: Draft, late: bool) -> Reply:
    """What was submitted, when, which revision, and whether late."""
    _ = ctx._
    period = draft.period
    lines = [
        _("✅ Đã nộp số liệu"),
        _("Đơn vị: {unit}").format(unit=draft.unit.name),
        _("Kỳ báo cáo: {period}").format(period=period.name),
        _("Thời gian: {at}").format(at=format_moment(ctx.now, period.timezone, ctx.locale)),
        _("Lần nộp: {n}").format(n=draft.submission.revision),
    ]
    if late:
        deadline = format_moment(period.deadline_at, period.timezone, ctx.locale)
        lines.append(_("⏰ Nộp muộn (hạn nộp: {deadline})").format(deadline=deadline))
    if draft.asked.self_scored:
        lines += self_score_lines(ctx, draft)
    lines.append(_("Cảm ơn anh/chị! Nếu cần sửa, gõ /submit để nộp lần tiếp theo."))
    if ctx.person.official_name is None:  # not asked at joining, or left for later
        lines.append(
            _("👉 Gõ /profile để ghi họ tên và chức vụ của anh/chị trên danh sách, văn bản.")
        )
    return Reply("\n".join(lines), main_keyboard=True)
