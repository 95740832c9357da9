"""The words of a submission: questions, review, receipt and status lines (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot import figures
from bot.i18n import babel_locale, gettext_for
from bot.storage.models import Answer, Indicator

__all__ = [
    "Question",
    "answer_line",
    "file_size",
    "question_text",
    "shown",
    "spec_of",
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
    spec = spec_of(indicator)
    try:
        text = figures.format_value(figures.from_canonical(canonical, spec), spec, locale=locale)
    except ValueError:
        text = canonical
    return (
        f"{text} {indicator.unit_label}" if indicator.unit_label and spec.kind == "number" else text
    )


def file_size(size: int | None, locale: str) -> str:
    """`1,2 MB`, `350 KB`."""
    from babel.numbers import format_decimal

    size = size or 0
    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / 1048576, 1), locale=babel_locale(locale))} MB"
    return f"{format_decimal(max(1, round(size / 1024)), locale=babel_locale(locale))} KB"


@dataclass(frozen=True)
class Question:
    """Everything shown with one question."""

    number: int
    total: int
    indicator: Indicator
    target: str | None
    last: str | None
    current: Answer | None


def question_text(question: Question, locale: str) -> str:
    """`Câu 3/11 · name`, unit, target and last value, and how to answer."""
    _ = gettext_for(locale)
    indicator = question.indicator
    lines = [
        _("Câu {n}/{total} · {name}").format(
            n=question.number, total=question.total, name=indicator.name
        )
    ]
    if indicator.unit_label:
        lines.append(_("Đơn vị tính: {unit}").format(unit=indicator.unit_label))
    if question.target is not None:
        lines.append(
            _("Chỉ tiêu giao: {value}").format(value=shown(question.target, indicator, locale))
        )
    if question.last is not None:
        lines.append(_("Kỳ trước: {value}").format(value=shown(question.last, indicator, locale)))
    if question.current is not None:
        lines.append(
            _("Đã trả lời: {value}").format(value=answer_line(question.current, indicator, locale))
        )
    lines.append("")
    lines.append(_hint(indicator, locale))
    if not indicator.required:
        lines.append(_("(Không bắt buộc: bấm «Bỏ qua» nếu không có.)"))
    return "\n".join(lines)


def _hint(indicator: Indicator, locale: str) -> str:
    _ = gettext_for(locale)
    example = figures.example(spec_of(indicator), locale=locale)
    hints = {
        "number": _("✍️ Nhập một số, ví dụ: {example}"),
        "percent": _("✍️ Nhập tỉ lệ phần trăm, ví dụ: {example}"),
        "ratio": _("✍️ Nhập dạng x/y (đạt/tổng số), ví dụ: {example}"),
        "yesno": _("👉 Bấm «Có» hoặc «Không» (hoặc gõ có / không)."),
        "choice": _("👉 Bấm một lựa chọn, hoặc gõ số thứ tự của nó."),
        "text": _("✍️ Gõ câu trả lời (tối đa {limit} ký tự)."),
        "file": _("📎 Gửi tệp PDF, DOCX hoặc XLSX (tối đa 20 MB) dưới dạng tài liệu."),
    }
    if indicator.kind == "number" and indicator.integer:
        return _("✍️ Nhập một số nguyên, ví dụ: {example}").format(example=example)
    return hints[indicator.kind].format(example=example, limit=figures.TEXT_MAX_LENGTH)


def answer_line(answer: Answer, indicator: Indicator, locale: str) -> str:
    """An answer in one line: the value, a skipped mark or the file, with its explanation."""
    _ = gettext_for(locale)
    if answer.skipped:
        text = _("(bỏ qua)")
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
