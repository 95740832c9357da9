"""Callback data of inline buttons: short, versioned by ids, never over Telegram's 64 bytes.

The data of a press comes back from the person's client, which may send anything (a modified
client, a replayed or edited press). `decode` is the one place it is checked: its size, every
argument's form, every number within the database's integers and, given the shapes of a family
of buttons, a known action with its number of arguments. Anything else decodes as `STALE`, which
every handler answers as an old button: no exception, no query with an impossible id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LIMIT", "MAX_ID", "STALE", "Callback", "Shape", "as_id", "decode", "encode"]

LIMIT = 64
MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every id column
_MAX_NUMBER = 2**63 - 1  # its bigint (Telegram's ids): no number in any argument goes beyond
_ID = re.compile(r"-?[0-9]{1,10}")  # ASCII digits only: int() would also read other scripts'
_NUMBER = re.compile(r"\d+")  # a run of digits in any script, as int() reads them


@dataclass(frozen=True)
class Shape:
    """How many arguments a button's action carries: at least `least`, at most `most`."""

    least: int
    most: int

    @classmethod
    def exactly(cls, count: int) -> Shape:
        return cls(count, count)


@dataclass(frozen=True)
class Callback:
    """A button's meaning: an action code and its integer or short text arguments."""

    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int) -> int | None:
        """Argument `index` as a row id (`as_id`), or None if absent or not one."""
        return as_id(self.args[index]) if 0 <= index < len(self.args) else None


def as_id(text: str) -> int | None:
    """`text` as an id within PostgreSQL's integer (ASCII digits, up to `MAX_ID` either side
    of 0: a self-score question's id is its criterion's, negated), or None. Pressed or typed,
    a larger number would fail the query instead of finding nothing."""
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if abs(value) <= MAX_ID else None


STALE = Callback("")  # what a forged or unreadable press decodes as: an old button


def encode(action: str, *args: object) -> str:
    """`a:12:34:s`; raises if Telegram would refuse it."""
    data = ":".join([action, *(str(arg) for arg in args)])
    if len(data.encode()) > LIMIT:
        raise ValueError(f"callback data over {LIMIT} bytes: {data!r}")
    return data


def decode(data: str | None, shapes: Mapping[str, Shape] | None = None) -> Callback:
    """The callback behind a button's data, or `STALE` if it could not be one of ours: too
    long, an empty or odd argument, a number past the database's, or (given `shapes`) an
    unknown action or the wrong number of arguments."""
    if not data or len(data.encode()) > LIMIT:
        return STALE
    action, *args = data.split(":")
    if not all(_readable(part) for part in (action, *args)):
        return STALE
    if shapes is not None:
        shape = shapes.get(action)
        if shape is None or not shape.least <= len(args) <= shape.most:
            return STALE
    return Callback(action, tuple(args))


def _readable(part: str) -> bool:
    """Printable, no spaces, and every number in it within the database's integers."""
    if not part or not part.isprintable() or any(char.isspace() for char in part):
        return False
    return all(int(number) <= _MAX_NUMBER for number in _NUMBER.findall(part))
