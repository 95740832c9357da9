"""Durations as admins write them: `7d`, `2h`, `30m`, `1d12h`."""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["format_duration", "parse_duration"]

_PART = re.compile(r"(\d+)\s*([dhm])", re.IGNORECASE)
_WHOLE = re.compile(r"\s*(?:\d+\s*[dhm]\s*)+", re.IGNORECASE)
_MINUTES = {"d": 24 * 60, "h": 60, "m": 1}


def parse_duration(text: str) -> timedelta | None:
    """`7d` -> 7 days; None when the text is not a positive duration."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        return None
    minutes = sum(int(n) * _MINUTES[unit.lower()] for n, unit in _PART.findall(text))
    return timedelta(minutes=minutes) if minutes > 0 else None


def format_duration(duration: timedelta) -> str:
    """The shortest `1d12h`-style text for a duration of whole minutes."""
    minutes = int(duration.total_seconds() // 60)
    parts = []
    for unit, size in _MINUTES.items():
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0m"
