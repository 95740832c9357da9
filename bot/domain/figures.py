"""Figures: read, check and show the values units report for their indicators."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import TypeAlias, TypeVar

from babel.numbers import format_decimal, get_decimal_symbol

from bot.domain.i18n import babel_locale, gettext_for
from bot.domain.units import names_another_scale, without_unit

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
    "example",
    "format_clear",
    "format_value",
    "from_canonical",
    "parse",
    "to_canonical",
]

KINDS = ("number", "percent", "ratio", "yesno", "choice", "text", "file")
TEXT_MAX_LENGTH = 2000
# No real figure is this long; the cap keeps pathological input away from Decimal.
NUMBER_MAX_LENGTH = 40


@dataclass(frozen=True)
class Ratio:
    """A count out of a total, such as 47/53."""

    numerator: Decimal
    denominator: Decimal


Value: TypeAlias = Decimal | Ratio | bool | str


@dataclass(frozen=True)
class Spec:
    """What reading a value needs to know about its indicator."""

    kind: str
    integer: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    options: tuple[str, ...] = ()
    unit: str | None = None

    def __post_init__(self) -> None:
        """Refuse an unknown kind at once rather than at the first answer."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown indicator kind: {self.kind!r}")


@dataclass(frozen=True)
class Parsed:
    """The input read as exactly one valid value."""

    value: Value


@dataclass(frozen=True)
class Invalid:
    """The input cannot be accepted; `message` says why and shows a valid example."""

    message: str


@dataclass(frozen=True)
class Ambiguous:
    """The input has several valid readings; `message` asks which one was meant."""

    readings: tuple[Value, ...]
    message: str


ParseResult: TypeAlias = Parsed | Invalid | Ambiguous
_V = TypeVar("_V", Decimal, Ratio, str)

# Answers to a yes/no question, folded (lower case, no diacritics): Vietnamese | English.
_YES = frozenset(
    {"co", "c", "dat", "da dat", "hoan thanh", "da hoan thanh", "roi", "xong", "da xong"}
    | {"yes", "y", "true", "1", "ok"}
)
_NO = frozenset(
    {"khong", "k", "ko", "khong dat", "chua dat", "chua", "chua hoan thanh", "chua xong"}
    | {"khong hoan thanh", "no", "n", "false", "0"}
)
_NUMBER_BODY = re.compile(r"[0-9., ]*[0-9][0-9., ]*")
_RATIO_SEPARATOR = re.compile(r"\s*/\s*|\s+(?:tren|of)\s+")


# --- Parsing -------------------------------------------------------------------------------


def parse(text: str, spec: Spec, *, locale: str = "vi") -> ParseResult:
    """Read what a person typed for an indicator: a value, a polite refusal, or a question."""
    _ = gettext_for(locale)
    if spec.kind == "file":
        return Invalid(_("Vui lòng gửi tệp dưới dạng tài liệu (PDF, DOCX hoặc XLSX)."))
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        hint = example(spec, locale=locale)
        return Invalid(_("Bạn chưa nhập gì. Ví dụ: {example}.").format(example=hint))
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
    readings = _number_readings(body)
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
    parts = _RATIO_SEPARATOR.split(_fold(text))
    tops, bottoms = (_number_readings(parts[0]), _number_readings(parts[-1]))
    if len(text) > NUMBER_MAX_LENGTH or len(parts) != 2 or not tops or not bottoms:
        message = _("Vui lòng nhập theo dạng số đạt/tổng số, ví dụ: {example}.")
        return Invalid(message.format(example=example(spec, locale=locale)))
    readings = [Ratio(top, bottom) for top in tops for bottom in bottoms]
    return _choose(readings, lambda value: _ratio_problem(value, spec, locale), spec, locale)


def _parse_yesno(text: str, spec: Spec, locale: str) -> ParseResult:
    """Read có / không and their many spellings."""
    word = _fold(text).rstrip(".!")
    if word in _YES or word in _NO:
        return Parsed(word in _YES)
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
    count, limit = _count(len(text), locale), _count(TEXT_MAX_LENGTH, locale)
    return Invalid(message.format(count=count, max=limit))


_PARSERS: dict[str, Callable[[str, Spec, str], ParseResult]] = {
    "number": _parse_decimal,
    "percent": _parse_decimal,
    "ratio": _parse_ratio,
    "yesno": _parse_yesno,
    "choice": _parse_choice,
    "text": _parse_text,
}


def _number_readings(text: str) -> list[Decimal]:
    """Every value a number can mean, the Vietnamese reading (comma decimal) first."""
    body = " ".join(text.split())
    negative = body[:1] in ("-", "−")
    if body[:1] in ("-", "−", "+"):
        body = body[1:].lstrip()
    if not _NUMBER_BODY.fullmatch(body):
        return []
    candidates = [_digits_with_mark(body, mark) for mark in (",", ".")]
    plain = [digits for digits in candidates if digits is not None]
    if len(plain) == 2:
        # Nobody types 5.000 to mean five: a zero fraction settles it as thousands.
        plain = [digits for digits in plain if not digits.endswith(".000")]
    readings: list[Decimal] = []
    for digits in plain:
        value = _tidy(Decimal(("-" if negative else "") + digits))
        if value not in readings:
            readings.append(value)
    return readings


def _digits_with_mark(body: str, mark: str) -> str | None:
    """The body as a plain dot decimal when `mark` is its decimal mark; None if malformed."""
    if body.count(mark) > 1:
        return None
    whole, found, fraction = body.partition(mark)
    if found and not fraction.isdigit():
        return None
    groups = re.split(r"[., ]", whole)
    if not _well_grouped(groups) or not (found or whole):
        return None
    digits = "".join(groups) or "0"
    return f"{digits}.{fraction}" if found else digits


def _well_grouped(groups: list[str]) -> bool:
    """Whether groups look like 1.250.000: a head of 1-3 digits (no leading 0), then threes."""
    if len(groups) == 1:
        return True
    head, *rest = groups
    return 1 <= len(head) <= 3 and not head.startswith("0") and all(len(g) == 3 for g in rest)


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
    shown = _or_list([_clear(reading, spec, locale) for reading in fitting], locale)
    message = _("Số bạn nhập có thể hiểu là {readings}. Bạn muốn nhập số nào?")
    return Ambiguous(fitting, message.format(readings=shown))


def _decimal_problem(value: Decimal, spec: Spec, locale: str) -> str | None:
    """Why a number does not fit the indicator, or None when it does."""
    _ = gettext_for(locale)
    hint = example(spec, locale=locale)
    if spec.integer and not _is_whole(value):
        return _("Chỉ tiêu này cần một số nguyên, ví dụ: {example}.").format(example=hint)
    if spec.min is not None and value < spec.min:
        message = _("Giá trị phải từ {min} trở lên. Ví dụ: {example}.")
        return message.format(min=_with_unit(spec.min, spec, locale), example=hint)
    if spec.max is not None and value > spec.max:
        message = _("Giá trị không được vượt quá {max}. Ví dụ: {example}.")
        return message.format(max=_with_unit(spec.max, spec, locale), example=hint)
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
    message = _("Có nhiều lựa chọn khớp: {options}. Bạn muốn chọn mục nào?")
    return Ambiguous(tuple(matches), message.format(options=_or_list(matches, locale)))


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


# --- Showing -------------------------------------------------------------------------------


def format_value(value: Value, spec: Spec, *, locale: str = "vi") -> str:
    """The value as shown to people: `1.250,5`, `104,5 %`, `47/53`, `có`."""
    _ = gettext_for(locale)
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, Ratio):
        return f"{_grouped(value.numerator, locale)}/{_grouped(value.denominator, locale)}"
    if isinstance(value, Decimal):
        return _as_percent(_grouped(value, locale), spec, locale)
    return value


def example(spec: Spec, *, locale: str = "vi") -> str:
    """A valid example input for hints: `25,8`, `12`, `104,5 %`, `47/53`, `1 hoặc Tốt`."""
    _ = gettext_for(locale)
    if spec.kind in ("number", "percent"):
        return _clear(_example_number(spec), spec, locale)
    if spec.kind == "ratio":
        return "47/53"
    if spec.kind == "yesno":
        return _("có / không")
    if spec.kind == "choice":
        first = spec.options[0] if spec.options else ""
        return _("{number} hoặc {option}").format(number=1, option=first)
    if spec.kind == "text":
        return _("Đã hoàn thành kế hoạch 6 tháng đầu năm")
    return _("tệp PDF, DOCX hoặc XLSX")


def _example_number(spec: Spec) -> Decimal:
    """A typical figure, moved inside the indicator's bounds."""
    low, high = spec.min, spec.max
    if spec.integer:
        low = None if low is None else low.to_integral_value(ROUND_CEILING)
        high = None if high is None else high.to_integral_value(ROUND_FLOOR)
    typical = Decimal("104.5") if spec.kind == "percent" else Decimal("25.8")
    value = Decimal(12) if spec.integer else typical
    if low is not None and high is not None and not low <= value <= high:
        middle = (low + high) / 2
        value = middle.to_integral_value(ROUND_FLOOR) if spec.integer else middle
    elif low is not None and value < low:
        value = low
    elif high is not None and value > high:
        value = high
    return _tidy(value)


def format_clear(value: Value, spec: Spec, *, locale: str = "vi") -> str:
    """Like format_value, but never in a shape that reads two ways (for buttons and hints)."""
    return _clear(value, spec, locale)


def _clear(value: Value, spec: Spec, locale: str) -> str:
    """Like format_value, but never in a shape that reads two ways (for questions and hints)."""
    if isinstance(value, Ratio):
        top, bottom = value.numerator, value.denominator
        return f"{_clear_number(top, locale)}/{_clear_number(bottom, locale)}"
    if isinstance(value, Decimal):
        return _as_percent(_clear_number(value, locale), spec, locale)
    return format_value(value, spec, locale=locale)


def _clear_number(value: Decimal, locale: str) -> str:
    """The number grouped if that is unambiguous, else plain (`1250`), else with a tail zero."""
    grouped = _grouped(value, locale)
    if len(_number_readings(grouped)) == 1:
        return grouped
    plain = to_canonical(value).replace(".", get_decimal_symbol(babel_locale(locale)))
    # `1,125` could be 1125 too; `1,1250` can only be a decimal.
    return plain if len(_number_readings(plain)) == 1 else plain + "0"


def _grouped(value: Decimal, locale: str) -> str:
    """The number in the locale's style, every digit kept."""
    with localcontext() as context:
        # Babel quantizes in the current context: give it room for every digit.
        context.prec = _digit_room(value)
        return format_decimal(value, locale=babel_locale(locale), decimal_quantization=False)


def _as_percent(number: str, spec: Spec, locale: str) -> str:
    """Add the percent sign for percent indicators (`104,5 %` in Vietnamese)."""
    if spec.kind != "percent":
        return number
    _ = gettext_for(locale)
    return _("{number} %").format(number=number)


def _with_unit(value: Decimal, spec: Spec, locale: str) -> str:
    """A bound as shown in messages: with its unit label when known."""
    shown = format_value(value, spec, locale=locale)
    return f"{shown} {spec.unit}" if spec.unit and spec.kind == "number" else shown


def _or_list(items: Sequence[str], locale: str) -> str:
    """`a, b hay c` in the reader's language (at least two items)."""
    _ = gettext_for(locale)
    return _("{items} hay {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _count(count: int, locale: str) -> str:
    """A count of characters in the locale's style."""
    return format_decimal(count, locale=babel_locale(locale))


# --- Machine form --------------------------------------------------------------------------


def to_canonical(value: Value) -> str:
    """The stored form: `1250`, `25.8`, `-2.1`, `47/53`, `true`, or the text itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Ratio):
        return f"{to_canonical(value.numerator)}/{to_canonical(value.denominator)}"
    if isinstance(value, Decimal):
        return format(_tidy(value), "f")
    return value


def from_canonical(text: str, spec: Spec) -> Value:
    """Read a stored value back for the spec's kind; ValueError when malformed."""
    if spec.kind in ("number", "percent"):
        return _canonical_decimal(text)
    if spec.kind == "ratio":
        top, slash, bottom = text.partition("/")
        if not slash:
            raise ValueError(f"not a canonical ratio: {text!r}")
        return Ratio(_canonical_decimal(top), _canonical_decimal(bottom))
    if spec.kind == "yesno":
        if text not in ("true", "false"):
            raise ValueError(f"not a canonical yes/no: {text!r}")
        return text == "true"
    return text


def _canonical_decimal(text: str) -> Decimal:
    """A plain dot decimal, strictly."""
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text):
        raise ValueError(f"not a canonical number: {text!r}")
    return Decimal(text)


def as_number(value: Value) -> Decimal | None:
    """The value as a number for sums and averages; None for text."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Ratio):
        return None if value.denominator == 0 else value.numerator / value.denominator
    if isinstance(value, Decimal):
        return value
    return None


def _tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros, exponent or negative zero."""
    if not value.is_finite():
        return value
    if value.is_zero():
        return Decimal(0)
    with localcontext() as context:
        context.prec = _digit_room(value)
        return Decimal(format(value.normalize(), "f"))


def _digit_room(value: Decimal) -> int:
    """A context precision large enough to hold every digit of the value exactly."""
    exponent = value.as_tuple().exponent
    shift = abs(exponent) if isinstance(exponent, int) else 0
    return max(28, len(value.as_tuple().digits) + shift + 2)
