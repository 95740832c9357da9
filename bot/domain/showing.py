"""Showing values the Vietnamese way (or the English way), with examples for questions."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from functools import cache

from babel.numbers import format_decimal, get_decimal_symbol

from bot.domain.i18n import babel_locale, gettext_for
from bot.domain.values import Ratio, Spec, Value, digit_room, number_readings, tidy, to_canonical

# --- Showing -------------------------------------------------------------------------------


def format_value(value: Value, spec: Spec, *, locale: str = "vi") -> str:
    """The value as shown to people: `1.250,5`, `104,5%`, `47/53`, `có`."""
    _ = gettext_for(locale)
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, Ratio):
        return f"{_grouped(value.numerator, locale)}/{_grouped(value.denominator, locale)}"
    if isinstance(value, Decimal):
        return _as_percent(_grouped(value, locale), spec, locale)
    return value


def example(spec: Spec, *, locale: str = "vi") -> str:
    """A valid example input for hints: `25,8`, `12`, `104,5%`, `47/53`, `1 hoặc Tốt`."""
    _ = gettext_for(locale)
    if spec.kind in ("number", "percent"):
        return clear_text(_example_number(spec), spec, locale)
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
    return tidy(value)


def format_clear(value: Value, spec: Spec, *, locale: str = "vi") -> str:
    """Like format_value, but never in a shape that reads two ways (for buttons and hints)."""
    return clear_text(value, spec, locale)


def clear_text(value: Value, spec: Spec, locale: str) -> str:
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
    if len(number_readings(grouped)) == 1:
        return grouped
    plain = to_canonical(value).replace(".", get_decimal_symbol(babel_locale(locale)))
    # `1,125` could be 1125 too; `1,1250` can only be a decimal.
    return plain if len(number_readings(plain)) == 1 else plain + "0"


def _grouped(value: Decimal, locale: str) -> str:
    """The number in the locale's style, every digit kept."""
    with localcontext() as context:
        # Babel quantizes in the current context: give it room for every digit.
        context.prec = digit_room(value)
        return format_decimal(value, locale=babel_locale(locale), decimal_quantization=False)


def _as_percent(number: str, spec: Spec, locale: str) -> str:
    """Add the percent sign for percent indicators (`104,5%` in Vietnamese)."""
    return with_percent_sign(number, locale) if spec.kind == "percent" else number


# --- Percentages: the one place that writes a percent sign ---------------------------------


def with_percent_sign(number: str, locale: str) -> str:
    """A number already in the locale's style, as a percentage by Babel's own pattern for the
    locale (`104,5%` in Vietnamese: no space, as Vietnamese writes it)."""
    prefix, suffix = _percent_affixes(locale)
    return f"{prefix}{number}{suffix}"


@cache
def _percent_affixes(locale: str) -> tuple[str, str]:
    pattern = babel_locale(locale).percent_formats[None]
    return pattern.prefix[0], pattern.suffix[0]


def percent_of(fraction: Decimal, locale: str) -> str:
    """A share to one decimal: 0.7258 -> `72,6%`."""
    rounded = (fraction * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return percent_number(rounded, locale)


def against_target(of_target: Decimal, better: str | None, locale: str) -> str:
    """A result against its target: the share reached (`104,5%`); for a lower-is-better
    indicator what it is, since `87,5%` would read as a shortfall: `đạt` at or under the
    target (`đạt, thấp hơn 12,5%`), or how much over it (`cao hơn 20%`). Short, for phones;
    the column or line above says "so với chỉ tiêu giao"."""
    if better != "lower":
        return percent_of(of_target, locale)
    _ = gettext_for(locale)
    gap = percent_of(abs(1 - of_target), locale)
    if of_target == 1:
        return _("đạt")
    if of_target < 1:
        return _("đạt, thấp hơn {gap}").format(gap=gap)
    return _("cao hơn {gap}").format(gap=gap)


def best_label(better: str | None, *, on_target: bool, locale: str) -> str:
    """What the best value of an indicator is called: `Cao nhất` or `Thấp nhất` (never
    `Dẫn đầu`, a title that only the conference's vote gives)."""
    _ = gettext_for(locale)
    if better == "lower":
        return _("Thấp nhất so với chỉ tiêu") if on_target else _("Thấp nhất")
    return _("Tỷ lệ đạt cao nhất") if on_target else _("Cao nhất")


def percent_number(number: Decimal | float, locale: str, *, places: str = "#") -> str:
    """A figure that is already a percentage (104.5), to the places of `#,##0.{places}`."""
    pattern = f"#,##0.{places}" if places else "#,##0"
    shown = format_decimal(number, format=pattern, locale=babel_locale(locale))
    return with_percent_sign(shown, locale)


def with_unit(value: Decimal, spec: Spec, locale: str) -> str:
    """A bound as shown in messages: with its unit label when known."""
    shown = format_value(value, spec, locale=locale)
    return f"{shown} {spec.unit}" if spec.unit and spec.kind == "number" else shown


def or_list(items: Sequence[str], locale: str) -> str:
    """`a, b hay c` in the reader's language (at least two items)."""
    _ = gettext_for(locale)
    return _("{items} hay {last}").format(items=", ".join(items[:-1]), last=items[-1])


def count_text(count: int, locale: str) -> str:
    """A count (of characters, of units) in the locale's style: `2.000`."""
    return format_decimal(count, locale=babel_locale(locale))
