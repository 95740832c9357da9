"""The words of a submission: questions, review, receipt and status lines (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from bot.domain import figures, sizes
from bot.domain.admin_body import admin_body
from bot.domain.formatting import data_window, format_moment, format_time_left
from bot.domain.i18n import Translate, gettext_for
from bot.domain.lineage import NOT_CARRIED_KINDS
from bot.domain.periods import Phase
from bot.flow.questions import is_self_score
from bot.storage.draft_state import AnswerRow
from bot.storage.models import Answer, Indicator, Period, Submission
from bot.storage.pledge_tables import TargetAnswer

__all__ = [
    "Question",
    "Standing",
    "answer_line",
    "file_size",
    "name_of",
    "question_text",
    "returned_notice",
    "shown",
    "spec_of",
    "standing_text",
]


def spec_of(indicator: Indicator) -> figures.Spec:
    """The figures module's view of an indicator."""
    return figures.Spec(
        kind=indicator.kind,
        integer=indicator.integer,
        min=None if indicator.min_value is None else Decimal(indicator.min_value),
        max=None if indicator.max_value is None else Decimal(indicator.max_value),
        options=tuple(indicator.options),
        unit=indicator.unit_label,
    )


def shown(canonical: str, indicator: Indicator, locale: str) -> str:
    """A stored value the Vietnamese way, with its unit label (`1.250 triệu đồng`)."""
    return _shown(canonical, spec_of(indicator), indicator.unit_label, locale)


# Formatting through Babel is the costliest part of a question; the same values come back
# in every review, so they are kept (the key holds everything the text depends on).
@lru_cache(maxsize=8192)
def _shown(canonical: str, spec: figures.Spec, unit_label: str | None, locale: str) -> str:
    try:
        text = figures.format_value(figures.from_canonical(canonical, spec), spec, locale=locale)
    except ValueError:
        text = canonical
    return f"{text} {unit_label}" if unit_label and spec.kind == "number" else text


def file_size(size: int | None, locale: str) -> str:
    """`0 byte`, `350 KB`, `1,2 MB`: as it is; `?` when Telegram did not say."""
    return "?" if size is None else sizes.file_size(size, locale)


def name_of(indicator: Indicator, locale: str) -> str:
    """A question's name: the indicator's, or `Tự chấm: <title> (tối đa 10 điểm)`."""
    if not is_self_score(indicator):
        return indicator.name
    _ = gettext_for(locale)
    return _("Tự chấm: {title} (tối đa {max} điểm)").format(
        title=indicator.name, max=shown(indicator.max_value or "0", indicator, locale)
    )


@dataclass(frozen=True)
class Question:
    """Everything shown with one question."""

    number: int
    total: int
    indicator: Indicator
    target: str | None
    last: str | None
    current: Answer | AnswerRow | TargetAnswer | None
    year: int | None = None  # a target's question: the year its target and result are from
    lineage: tuple[str, ...] = ()  # a merged or renamed unit's predecessors
    inherited: bool = False  # the last value is the predecessors' combined


def question_text(question: Question, locale: str) -> str:
    """`Câu 3/11 · name`, unit, target and last value, and how to answer."""
    _ = gettext_for(locale)
    indicator = question.indicator
    lines = [
        _("Câu {n}/{total} · {name}").format(
            n=question.number, total=question.total, name=name_of(indicator, locale)
        )
    ]
    if indicator.unit_label:
        lines.append(_("Đơn vị tính: {unit}").format(unit=indicator.unit_label))
    if question.year is not None:
        lines += _references(question, question.year, locale)
    else:
        if question.target is not None:
            value = shown(question.target, indicator, locale)
            lines.append(_("Chỉ tiêu giao: {value}").format(value=value))
        if question.last is not None:
            value = shown(question.last, indicator, locale)
            if question.inherited and question.lineage:
                lines.append(
                    _("Kỳ trước (cộng của {units}): {value}").format(
                        units=", ".join(question.lineage), value=value
                    )
                )
            else:
                lines.append(_("Kỳ trước: {value}").format(value=value))
        elif question.lineage and indicator.kind in NOT_CARRIED_KINDS:
            lines.append(
                _(
                    "Đơn vị mới (từ {units}): tỷ lệ và đạt/không đạt của đơn vị cũ không cộng "
                    "dồn, nên không có số kỳ trước."
                ).format(units=", ".join(question.lineage))
            )
    if question.current is not None:
        lines.append(
            _("Đã trả lời: {value}").format(value=answer_line(question.current, indicator, locale))
        )
    lines.append("")
    lines.append(_hint(indicator, locale))
    if not indicator.required:
        lines.append(_("(Không bắt buộc: bấm «Bỏ qua» nếu không có.)"))
    return "\n".join(lines)


def _references(question: Question, year: int, locale: str) -> list[str]:
    """A target's question: this year's target and result beside it, or that there is none."""
    _ = gettext_for(locale)
    none = _("(chưa có)")
    target = shown(question.target, question.indicator, locale) if question.target else none
    result = shown(question.last, question.indicator, locale) if question.last else none
    return [
        _("Chỉ tiêu năm {year}: {value}").format(year=year, value=target),
        _("Kết quả năm {year}: {value}").format(year=year, value=result),
    ]


def _hint(indicator: Indicator, locale: str) -> str:
    if is_self_score(indicator):
        _ = gettext_for(locale)
        spec = spec_of(indicator)
        return _("✍️ Nhập điểm tự chấm từ 0 đến {max}, ví dụ: {example}").format(
            max=shown(indicator.max_value or "0", indicator, locale),
            example=figures.example(spec, locale=locale),
        )
    return _hint_for(spec_of(indicator), locale)


@lru_cache(maxsize=1024)
def _hint_for(spec: figures.Spec, locale: str) -> str:
    _ = gettext_for(locale)
    example = figures.example(spec, locale=locale)
    hints = {
        "number": _("✍️ Nhập một số, ví dụ: {example}"),
        "percent": _("✍️ Nhập tỷ lệ phần trăm, ví dụ: {example}"),
        "ratio": _("✍️ Nhập dạng x/y (đạt/tổng số), ví dụ: {example}"),
        "yesno": _("👉 Bấm «Có» hoặc «Không» (hoặc gõ có / không)."),
        "choice": _("👉 Bấm một lựa chọn, hoặc gõ số thứ tự của nó."),
        "text": _("✍️ Gõ câu trả lời (tối đa {limit} ký tự)."),
        "file": _("📎 Gửi tệp PDF, DOCX hoặc XLSX (tối đa 20 MB) dưới dạng tài liệu."),
    }
    if spec.kind == "number" and spec.integer:
        return _("✍️ Nhập một số nguyên, ví dụ: {example}").format(example=example)
    limit = figures.count_text(figures.TEXT_MAX_LENGTH, locale)
    return hints[spec.kind].format(example=example, limit=limit)


def answer_line(
    answer: Answer | AnswerRow | TargetAnswer, indicator: Indicator, locale: str
) -> str:
    """An answer in one line: the value, a skipped mark or the file, with its explanation."""
    _ = gettext_for(locale)
    if answer.skipped:
        text = _("(để trống)")
    elif answer.file_id:
        text = _("📎 {name} ({size})").format(
            name=answer.file_name or _("tệp"), size=file_size(answer.file_size, locale)
        )
    elif answer.value is not None:
        text = shown(answer.value, indicator, locale)
        if indicator.kind == "text" and len(text) > 200:
            text = text[:200] + "…"
    else:
        text = _("(chưa trả lời)")
    if "unusual" in answer.flags:
        text += " ⚠️"
    if answer.explanation:
        text += " " + _("(giải trình: {text})").format(text=answer.explanation)
    return text


def returned_notice(returned: Submission, timezone: str, locale: str) -> str:
    """The chair's reason for returning a revision, and what the unit must do now."""
    _ = gettext_for(locale)
    at = returned.returned_at or returned.submitted_at
    return _(
        "↩️ Cụm trưởng đã trả lại số liệu lần {n} lúc {at}, lý do: «{reason}». "
        "Đơn vị cần sửa và nộp lại bản đã sửa."
    ).format(
        n=returned.revision,
        at=format_moment(at, timezone, locale) if at else "?",
        reason=returned.returned_reason or "",
    )


@dataclass(frozen=True)
class Standing:
    """Where one unit stands in one period."""

    unit_name: str
    period: Period
    stage: Phase  # for this unit, an admin's lock or unlock of it included
    submitted: Submission | None  # the newest submitted revision
    drafted: int | None  # answers in the draft being written, if there is one
    questions: int = 0  # the period's questions for the unit

    @property
    def owes(self) -> bool:
        """Whether the unit still has to submit: nothing yet, or returned for correction."""
        return self.submitted is None or self.submitted.returned_at is not None


def standing_text(standing: Standing, now: datetime, locale: str) -> str:
    """`📌 unit – period`, the data window, its state with what to do next, and the deadline
    with the time left."""
    _ = gettext_for(locale)
    period, submitted = standing.period, standing.submitted
    locked = standing.stage is Phase.LOCKED
    drafted = None if locked else _draft_state(standing, _)
    if submitted is not None and submitted.returned_at is not None:
        state = returned_notice(submitted, period.timezone, locale)
        if not locked:
            state += "\n" + (drafted or _("👉 Gõ /submit để sửa và nộp lại."))
    elif submitted is not None and submitted.submitted_at is not None:
        state = _("✅ đã nộp lần {n} lúc {at}").format(
            n=submitted.revision,
            at=format_moment(submitted.submitted_at, period.timezone, locale),
        )
        if submitted.late:
            state += " " + _("(nộp muộn)")
        if drafted:
            state += "\n" + drafted
        elif not locked:
            state += "\n" + _("Nếu cần sửa, gõ /submit để nộp lần tiếp theo.")
    else:
        state = drafted or _("⏳ chưa nộp")
        if not drafted and not locked:
            state += "\n" + _("👉 Gõ /submit hoặc bấm «Nộp số liệu» để nộp.")
    deadline = format_moment(period.deadline_at, period.timezone, locale)
    if locked:
        timing = _(
            "🔒 Kỳ này đã khóa sổ đối với đơn vị, không nhận thêm số liệu; nếu cần bổ sung, "
            "liên hệ cụm trưởng hoặc {body}."
        ).format(body=admin_body())
        if standing.drafted:
            timing += " " + _("Bản nháp ({done} câu đã trả lời) không nộp được nữa.").format(
                done=standing.drafted
            )
    elif standing.stage is Phase.OPEN:
        left = format_time_left(period.deadline_at - now, locale)
        timing = _("Hạn nộp: {deadline} (còn {left})").format(deadline=deadline, left=left)
    else:
        timing = _("Hạn nộp: {deadline} – đã quá hạn, vẫn nhận nhưng ghi nộp muộn").format(
            deadline=deadline
        )
    window = data_window(period.covers_from, period.covers_to, locale)
    head = f"📌 {standing.unit_name} – {period.name}" + (f"\n{window}" if window else "")
    return f"{head}\n{state}\n{timing}"


def _draft_state(standing: Standing, _: Translate) -> str | None:
    """The draft being written, and the step that finishes it."""
    done, total = standing.drafted, standing.questions
    if done is None:
        return None
    if total and done >= total:
        return _(
            "📝 Bản nháp đã trả lời đủ {total} câu nhưng chưa nộp: gõ /submit rồi bấm "
            "«Xác nhận nộp»."
        ).format(total=total)
    if total:
        return _("📝 Đang soạn: đã trả lời {done}/{total} câu. Gõ /submit để làm tiếp.").format(
            done=done, total=total
        )
    return _("📝 Đang soạn: đã trả lời {done} câu. Gõ /submit để làm tiếp.").format(done=done)
