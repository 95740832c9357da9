"""Callback data of inline buttons: short, versioned by ids, never over Telegram's 64 bytes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Callback", "decode", "encode"]

LIMIT = 64


@dataclass(frozen=True)
class Callback:
    """A button's meaning: an action code and its integer or short text arguments."""

    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int) -> int | None:
        """Argument `index` as an integer, or None if absent or not a number."""
        try:
            return int(self.args[index])
        except (IndexError, ValueError):
            return None


def encode(action: str, *args: object) -> str:
    """`a:12:34:s`; raises if Telegram would refuse it."""
    data = ":".join([action, *(str(arg) for arg in args)])
    if len(data.encode()) > LIMIT:
        raise ValueError(f"callback data over {LIMIT} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    """The callback behind a button's data; unknown data gives an empty action."""
    if not data:
        return Callback("")
    action, *args = data.split(":")
    return Callback(action, tuple(args))
