"""A command's words, typed or pressed, and the tokens that name rows in button data."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import as_id
from bot.storage.models import Cluster, Period, Unit

__all__ = ["ALL", "Request", "token", "token_id"]

ALL = "*"  # the argument meaning "every cluster" (or the whole period, for /lock)


@dataclass(frozen=True)
class Request:
    """A command and its words: codes typed by a person, or `#p12`-style tokens from buttons."""

    command: str
    words: tuple[str, ...] = ()
    tail: str = ""  # everything typed after the command, for free text such as a reason

    def word(self, index: int) -> str | None:
        return self.words[index] if index < len(self.words) else None

    def rest(self, count: int) -> str:
        """The free text after the first `count` words."""
        parts = self.tail.split(maxsplit=count)
        return parts[count].strip() if len(parts) > count else ""


def token(row: Period | Cluster | Unit) -> str:
    """The short form of a row in button data: `#p12`, `#c3`, `#u40`."""
    kind = {Period: "p", Cluster: "c", Unit: "u"}[type(row)]
    return f"#{kind}{row.id}"


def token_id(text: str, kind: str) -> int | None:
    """The row id in a token of this kind (`#p12` -> 12), or None."""
    prefix = f"#{kind}"
    return as_id(text[len(prefix) :]) if text.startswith(prefix) else None
