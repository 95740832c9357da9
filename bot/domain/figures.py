"""Figures: read and check the values units report; showing and the machine form re-exported."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

from bot.domain.i18n import gettext_for
from bot.domain.showing import (
    clear_text,
    count_text,
    example,
    format_clear,
    format_value,
    or_list,
    with_unit,
)
from bot.domain.units import names_another_scale, without_unit
from bot.domain.values import (
    KINDS,
    NO_WORDS,
    NUMBER_MAX_LENGTH,
    RATIO_SEPARATOR,
    TEXT_MAX_LENGTH,
    YES_WORDS,
    Ambiguous,
    Invalid,
    Parsed,
    ParseResult,
    Ratio,
    Spec,
    Value,
    as_number,
    from_canonical,
    number_readings,
    to_canonical,
)

_V = TypeVar("_V", Decimal, Ratio, str)

__all__ = [
    "KINDS",
    "TEXT_MAX_LENGTH",
    "Ambiguous",
    "Invalid",
    "ParseResult",
    "Parsed",
    "Ratio",
    "Spec",
    "Value",
    "as_number",
    "count_text",
    "example",
    "format_clear",
    "format_value",
    "from_canonical",
    "parse",
    "to_canonical",
]

# --- Parsing -------------------------------------------------------------------------------


def parse(text: str, spec: Spec, *, locale: str = "vi") -> ParseResult:
    """Read what a person typed for an indicator: a value, a polite refusal, or a question."""
    _ = gettext_for(locale)
    if spec.kind == "file":
        return Invalid(_("Vui lòng gửi tệp dưới dạng tài liệu (PDF, DOCX hoặc XLSX)."))
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        hint = example(spec, locale=locale)
        return Invalid(_("Anh/chị chưa nhập gì. Ví dụ: {example}.").format(example=hint))
    return _PARSERS[spec.kind](cleaned, spec, locale)


def _parse_decimal(text: str, spec: Spec, locale: str) -> ParseResult:
    """Read a number or a percentage."""
    _ = gettext_for(locale)
    hint = example(spec, locale=locale)
    if len(text) > NUMBER_MAX_LENGTH:
        message = _("Số quá dài ({count} ký tự). Vui lòng nhập một số, ví dụ: {example}.")
        return Invalid(message.format(count=len(text), example=hint))
    body = without_unit(text, spec.unit)  # `25,8 tỷ đồng`, or `25,8 tỷ` for short
    if spec.kind == "percent":
        body = body.removesuffix("%").rstrip()
    elif "%" in body:
        message = _(
            "Chỉ tiêu này không tính theo phần trăm. "
            "Vui lòng nhập số không kèm dấu %, ví dụ: {example}."
        )
        return Invalid(message.format(example=hint))
    readings = number_readings(body)
    if not readings and spec.unit and names_another_scale(body):
        message = _(
            "Chỉ tiêu này tính bằng {unit}: vui lòng nhập số theo {unit}, ví dụ: {example}."
        )
        return Invalid(message.format(unit=spec.unit, example=hint))
    if not readings:
        message = _("Chưa đọc được số này. Vui lòng nhập một số, ví dụ: {example}.")
        return Invalid(message.format(example=hint))
    return _choose(readings, lambda value: _decimal_problem(value, spec, locale), spec, locale)


def _parse_ratio(text: str, spec: Spec, locale: str) -> ParseResult:
    """Read x/y (or `x trên y`) as a count out of a total."""
    _ = gettext_for(locale)
    parts = RATIO_SEPARATOR.split(_fold(text))
    tops, bottoms = (number_readings(parts[0]), number_readings(parts[-1]))
    if len(text) > NUMBER_MAX_LENGTH or len(parts) != 2 or not tops or not bottoms:
        message = _("Vui lòng nhập theo dạng số đạt/tổng số, ví dụ: {example}.")
        return Invalid(message.format(example=example(spec, locale=locale)))
    readings = [Ratio(top, bottom) for top in tops for bottom in bottoms]
    return _choose(readings, lambda value: _ratio_problem(value, spec, locale), spec, locale)


def _parse_yesno(text: str, spec: Spec, locale: str) -> ParseResult:
    """Read có / không and their many spellings."""
    word = _fold(text).rstrip(".!")
    if word in YES_WORDS or word in NO_WORDS:
        return Parsed(word in YES_WORDS)
    _ = gettext_for(locale)
    return Invalid(_("Vui lòng trả lời «có» hoặc «không» (cũng có thể gõ «đạt» / «không đạt»)."))


def _parse_choice(text: str, spec: Spec, locale: str) -> ParseResult:
    """Read an option by its exact text, its number, its text loosely, or a unique prefix."""
    options = spec.options
    exact = [option for option in options if unicodedata.normalize("NFC", option) == text]
    folded = _fold(text)
    same = [option for option in options if _fold(option) == folded]
    if exact or len(same) == 1:
        return Parsed((exact or same)[0])
    # The length check keeps int() away from absurdly long digit strings.
    if text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= len(options):
        return Parsed(options[int(text) - 1])
    matches = same or [option for option in options if folded and _fold(option).startswith(folded)]
    if len(matches) == 1:
        return Parsed(matches[0])
    if matches:
        return _ambiguous_choice(matches, locale)
    return Invalid(_unknown_choice_message(spec, locale))


def _parse_text(text: str, spec: Spec, locale: str) -> ParseResult:
    """Accept free text up to TEXT_MAX_LENGTH characters."""
    if len(text) <= TEXT_MAX_LENGTH:
        return Parsed(text)
    _ = gettext_for(locale)
    message = _("Nội dung dài {count} ký tự, vượt quá giới hạn {max} ký tự. Vui lòng rút gọn.")
    count, limit = count_text(len(text), locale), count_text(TEXT_MAX_LENGTH, locale)
    return Invalid(message.format(count=count, max=limit))


_PARSERS: dict[str, Callable[[str, Spec, str], ParseResult]] = {
    "number": _parse_decimal,
    "percent": _parse_decimal,
    "ratio": _parse_ratio,
    "yesno": _parse_yesno,
    "choice": _parse_choice,
    "text": _parse_text,
}


def _fold(text: str) -> str:
    """Lower-case, drop diacritics and collapse spaces, for lenient matching."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Unicode does not decompose đ into d plus a mark, so fold it by hand.
    return " ".join(bare.replace("đ", "d").split())


# --- Checking against the spec -------------------------------------------------------------


def _choose(
    readings: Sequence[_V], problem: Callable[[_V], str | None], spec: Spec, locale: str
) -> ParseResult:
    """One fitting reading is the answer; none is the first reading's problem; more, a question."""
    fitting = tuple(reading for reading in readings if problem(reading) is None)
    if len(fitting) == 1:
        return Parsed(fitting[0])
    if not fitting:
        return Invalid(problem(readings[0]) or "")
    _ = gettext_for(locale)
    shown = or_list([clear_text(reading, spec, locale) for reading in fitting], locale)
    message = _("Số anh/chị nhập có thể hiểu là {readings}. Anh/chị muốn nhập số nào?")
    return Ambiguous(fitting, message.format(readings=shown))


def _decimal_problem(value: Decimal, spec: Spec, locale: str) -> str | None:
    """Why a number does not fit the indicator, or None when it does."""
    _ = gettext_for(locale)
    hint = example(spec, locale=locale)
    if spec.integer and not _is_whole(value):
        return _("Chỉ tiêu này cần một số nguyên, ví dụ: {example}.").format(example=hint)
    if spec.min is not None and value < spec.min:
        message = _("Giá trị phải từ {min} trở lên. Ví dụ: {example}.")
        return message.format(min=with_unit(spec.min, spec, locale), example=hint)
    if spec.max is not None and value > spec.max:
        message = _("Giá trị không được vượt quá {max}. Ví dụ: {example}.")
        return message.format(max=with_unit(spec.max, spec, locale), example=hint)
    return None


def _ratio_problem(value: Ratio, spec: Spec, locale: str) -> str | None:
    """Why x/y does not fit (min and max do not apply to ratios), or None."""
    _ = gettext_for(locale)
    hint = example(spec, locale=locale)
    top, bottom = value.numerator, value.denominator
    if spec.integer and not (_is_whole(top) and _is_whole(bottom)):
        return _("Chỉ tiêu này cần một số nguyên, ví dụ: {example}.").format(example=hint)
    if top < 0 or bottom < 0:
        return _("Các số trong tỷ lệ không được âm. Ví dụ: {example}.").format(example=hint)
    if bottom == 0:
        return _("Số thứ hai (tổng số) phải lớn hơn 0. Ví dụ: {example}.").format(example=hint)
    if top > bottom:
        message = _("Số thứ nhất không được lớn hơn số thứ hai. Ví dụ: {example}.")
        return message.format(example=hint)
    return None


def _ambiguous_choice(matches: Sequence[str], locale: str) -> Ambiguous:
    """Ask which of several options starting with the typed text was meant."""
    _ = gettext_for(locale)
    message = _("Có nhiều lựa chọn khớp: {options}. Anh/chị muốn chọn mục nào?")
    return Ambiguous(tuple(matches), message.format(options=or_list(matches, locale)))


def _unknown_choice_message(spec: Spec, locale: str) -> str:
    """List the options, numbered, for an answer that matches none."""
    _ = gettext_for(locale)
    numbered = "\n".join(f"{number}. {option}" for number, option in enumerate(spec.options, 1))
    message = _(
        "Không có lựa chọn này. Vui lòng gõ số thứ tự hoặc tên một lựa chọn "
        "(ví dụ: {example}):\n{options}"
    )
    return message.format(example=example(spec, locale=locale), options=numbered)


def _is_whole(value: Decimal) -> bool:
    """Whether a number has no fractional part."""
    return value == value.to_integral_value()
