"""The conversation buttons' actions: one name each, their strings on the wire fixed.

A button's data is `<action>:<argument>:…` (bot/domain/callbacks.py). The strings are short
because Telegram allows 64 bytes of data, and never change because buttons stay in people's
chats for months: a renamed string would make every older button a stale one.

The same conversation asks a submission's figures and a pledge's targets (`DraftKind`); a
targets button carries its kind's prefix before the action (`ta:…` answers a target), since
its draft's id is a registration's, not a submission's.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.callbacks import Shape, encode
from bot.domain.replies import Button

__all__ = ["SHAPES", "Action", "DraftKind", "read_action"]


class DraftKind(StrEnum):
    """What a draft asks: a period's figures, or a pledge's targets for next year."""

    FIGURES = "figures"
    TARGETS = "targets"

    @property
    def prefix(self) -> str:
        """What goes before each action's string on this kind's buttons."""
        return "t" if self is DraftKind.TARGETS else ""


class Action(StrEnum):
    """What a submission button does; its arguments follow in the data."""

    UNIT = "u"  # u:<unit>: submit for this unit
    PERIOD = "p"  # p:<unit>:<period>: submit for this period
    CONTINUE = "dc"  # dc:<draft>: go on where the draft stopped
    RESTART = "dr"  # dr:<draft>:<fingerprint>: clear the answers shown and start again
    ANSWER = "a"  # a:<draft>:<indicator>:<y|n|s|option number>: a pressed answer, or skip
    BACK = "b"  # b:<draft>:<indicator>: the question before this one
    READING = "am"  # am:<draft>:<indicator>:<index>: the reading meant of an ambiguous number
    KEEP_UNUSUAL = "oc"  # oc:<draft>:<indicator>: the unusual figure is right
    RETYPE_UNUSUAL = "ox"  # ox:<draft>:<indicator>: type the unusual figure again
    EDIT = "e"  # e:<draft>:<indicator>: change this answer from the review
    SUBMIT = "ok"  # ok:<draft>:<fingerprint>: submit the answers the review showed

    def button(self, label: str, *args: object, kind: DraftKind = DraftKind.FIGURES) -> Button:
        """A button doing this action; raises if its data would pass Telegram's 64 bytes."""
        return Button(label, encode(kind.prefix + self, *args))

    @classmethod
    def pattern(cls, kind: DraftKind = DraftKind.FIGURES) -> str:
        """The regular expression that matches the data of every button of a kind of draft."""
        actions = "|".join(re.escape(action) for action in cls)
        return rf"^{re.escape(kind.prefix)}(?:{actions})(?::|$)"


# How many arguments each action carries: `decode` (bot/domain/callbacks.py) answers any other
# number as an old button. RESTART and SUBMIT buttons from before fingerprints carry none.
_ARGUMENTS: dict[Action, Shape] = {
    Action.UNIT: Shape.exactly(1),
    Action.PERIOD: Shape.exactly(2),
    Action.CONTINUE: Shape.exactly(1),
    Action.RESTART: Shape(1, 2),
    Action.ANSWER: Shape.exactly(3),
    Action.BACK: Shape.exactly(2),
    Action.READING: Shape.exactly(3),
    Action.KEEP_UNUSUAL: Shape.exactly(2),
    Action.RETYPE_UNUSUAL: Shape.exactly(2),
    Action.EDIT: Shape.exactly(2),
    Action.SUBMIT: Shape(1, 2),
}
# Every kind's buttons: each action's string behind the kind's prefix (`ta` answers a target).
SHAPES: dict[str, Shape] = {
    kind.prefix + action: shape for kind in DraftKind for action, shape in _ARGUMENTS.items()
}


def read_action(data: str) -> tuple[DraftKind, Action] | None:
    """The kind and action of a button's action string (`ta` -> targets, ANSWER)."""
    kinds = sorted(DraftKind, key=lambda kind: len(kind.prefix), reverse=True)
    for kind in kinds:
        if data.startswith(kind.prefix) and data[len(kind.prefix) :] in Action._value2member_map_:
            return kind, Action(data[len(kind.prefix) :])
    return None
