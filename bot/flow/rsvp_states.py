"""The registration's states and buttons, named in one place; stored and on the wire, fixed.

A draft (bot/storage/registrations.py) says what it waits for in `pending["step"]`, and who
is answering it in `pending["holder"]` (a person id):

    step      asked                                   left by
    attends   does the unit attend? (Có / Không)      YES → name; NO → reason
    name      the next delegate's full name           a name → title; DONE → review
              (the first is the head of delegation)
    title     that delegate's position (chức vụ)      a position → name, or review at the limit
    reason    why the unit does not attend            a reason → review
    review    check, then confirm                     CONFIRM → confirmed; RESTART → attends

Button data is `<action>:<argument>:…` (bot/domain/callbacks.py), the draft's id first.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.callbacks import Shape, encode
from bot.domain.replies import Button

__all__ = ["PATTERN", "SHAPES", "RsvpAction", "RsvpStep"]


class RsvpStep(StrEnum):
    """What a registration draft waits for; stored, so never renamed."""

    ATTENDS = "attends"
    NAME = "name"
    TITLE = "title"
    REASON = "reason"
    REVIEW = "review"


class RsvpAction(StrEnum):
    """What a registration button does; its arguments follow in the data."""

    CHOOSE = "rc"  # rc:<conference>:<unit>: register this unit for this conference
    CHANGE = "rx"  # rx:<conference>:<unit>: change the unit's confirmed answer
    YES = "ry"  # ry:<draft>: the unit attends
    NO = "rn"  # rn:<draft>: the unit does not attend
    DONE = "rd"  # rd:<draft>:<delegates so far>: no more delegates
    CONFIRM = "rk"  # rk:<draft>:<fingerprint>: confirm what the review showed
    RESTART = "rr"  # rr:<draft>: answer again from the first question

    def button(self, label: str, *args: object) -> Button:
        """A button doing this action; raises if its data would pass Telegram's 64 bytes."""
        return Button(label, encode(self, *args))


PATTERN = rf"^(?:{'|'.join(re.escape(action) for action in RsvpAction)}):"
# How many arguments each button carries: anything else is an old or forged press.
SHAPES: dict[str, Shape] = {
    action: Shape.exactly(1 if action in (RsvpAction.YES, RsvpAction.NO, RsvpAction.RESTART) else 2)
    for action in RsvpAction
}
