"""A file's size the way people read it: `0 byte`, `512 byte`, `350 KB`, `1,2 MB`."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.domain.i18n import babel_locale, gettext_for

__all__ = ["file_size"]

_KB, _MB = 1024, 1024 * 1024


def file_size(size: int, locale: str) -> str:
    """The size as it is: bytes below a kilobyte (so an empty file shows `0 byte`), then KB, MB."""
    _ = gettext_for(locale)
    if size < _KB:
        # `1.000 byte`: 1000-1023 bytes need the thousands mark too.
        return _("{size} byte").format(size=format_decimal(size, locale=babel_locale(locale)))
    unit, scale = ("MB", _MB) if size >= _MB else ("KB", _KB)
    # One decimal while it says something (`1,2 MB`), none for large counts (`350 KB`).
    amount = round(size / scale, 1 if size < 100 * scale else 0)
    return f"{format_decimal(amount, locale=babel_locale(locale))} {unit}"
