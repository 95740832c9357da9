"""The values units report, as data: kinds, specs, results of reading, and the machine form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TypeAlias

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
# Answers to a yes/no question, folded (lower case, no diacritics): Vietnamese | English.
YES_WORDS = frozenset(
    {"co", "c", "dat", "da dat", "hoan thanh", "da hoan thanh", "roi", "xong", "da xong"}
    | {"yes", "y", "true", "1", "ok"}
)
NO_WORDS = frozenset(
    {"khong", "k", "ko", "khong dat", "chua dat", "chua", "chua hoan thanh", "chua xong"}
    | {"khong hoan thanh", "no", "n", "false", "0"}
)
NUMBER_BODY = re.compile(r"[0-9., ]*[0-9][0-9., ]*")
RATIO_SEPARATOR = re.compile(r"\s*/\s*|\s+(?:tren|of)\s+")


# --- Number readings: every way a typed number can be read -------------------------------


def number_readings(text: str) -> list[Decimal]:
    """Every value a number can mean, the Vietnamese reading (comma decimal) first."""
    body = " ".join(text.split())
    negative = body[:1] in ("-", "−")
    if body[:1] in ("-", "−", "+"):
        body = body[1:].lstrip()
    if not NUMBER_BODY.fullmatch(body):
        return []
    candidates = [_digits_with_mark(body, mark) for mark in (",", ".")]
    plain = [digits for digits in candidates if digits is not None]
    if len(plain) == 2:
        # Nobody types 5.000 to mean five: a zero fraction settles it as thousands.
        plain = [digits for digits in plain if not digits.endswith(".000")]
    readings: list[Decimal] = []
    for digits in plain:
        value = tidy(Decimal(("-" if negative else "") + digits))
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


# --- Machine form --------------------------------------------------------------------------


def to_canonical(value: Value) -> str:
    """The stored form: `1250`, `25.8`, `-2.1`, `47/53`, `true`, or the text itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Ratio):
        return f"{to_canonical(value.numerator)}/{to_canonical(value.denominator)}"
    if isinstance(value, Decimal):
        return format(tidy(value), "f")
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


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros, exponent or negative zero."""
    if not value.is_finite():
        return value
    if value.is_zero():
        return Decimal(0)
    with localcontext() as context:
        context.prec = digit_room(value)
        return Decimal(format(value.normalize(), "f"))


def digit_room(value: Decimal) -> int:
    """A context precision large enough to hold every digit of the value exactly."""
    exponent = value.as_tuple().exponent
    shift = abs(exponent) if isinstance(exponent, int) else 0
    return max(28, len(value.as_tuple().digits) + shift + 2)
