"""A pledge's `registration: {opens, deadline}`: when its units register their own targets."""

from __future__ import annotations

from typing import Any

from bot.setup.model import RegistrationSpec
from bot.setup.reading import SetupReading

__all__ = ["REGISTRATION_KEYS", "read_registration"]

REGISTRATION_KEYS = {"opens", "deadline", "reminders", "digest"}


def read_registration(
    reader: SetupReading, raw: Any, path: str, tz: str
) -> RegistrationSpec | None:
    """The registration window of a pledge, if the file gives one; problems by their path."""
    if raw is None:
        return None
    item = reader.mapping(raw, path, REGISTRATION_KEYS)
    if item is None:
        return None
    opens = reader.moment(item.get("opens"), f"{path}.opens", tz)
    deadline = reader.moment(item.get("deadline"), f"{path}.deadline", tz)
    if opens and deadline and deadline <= opens:
        reader.fail(f"{path}.deadline", reader._("hạn đăng ký phải sau thời điểm mở (opens)."))
    reminders = reader.reminders(item.get("reminders"), f"{path}.reminders")
    digest = reader.clock(item.get("digest"), f"{path}.digest")
    if opens is None or deadline is None:
        return None
    return RegistrationSpec(opens, deadline, tz, reminders or None, digest)
