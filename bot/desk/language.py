"""`/lang`: the languages offered, and the choice kept for every later message."""

from __future__ import annotations

from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.i18n import LOCALES, gettext_for, normalize_locale
from bot.domain.replies import Button, Reply
from bot.edge.send import Item

__all__ = ["offer_languages", "set_language"]

_LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}


def offer_languages(desk: Desk) -> list[Item]:
    """One button per language."""
    buttons = tuple((Button(_LANGUAGE_NAMES[code], encode("lang", code)),) for code in LOCALES)
    return [Reply(desk._("Chọn ngôn ngữ:"), buttons)]


def set_language(desk: Desk, code: str | None) -> list[Item]:
    """Remember the language; the confirmation is already in it."""
    language = normalize_locale(code)
    desk.person.language = language
    desk.session.add(desk.person)
    _ = gettext_for(language)  # named `_` so that the message is extracted for translation
    return [Reply(_("Đã chuyển sang tiếng Việt."))]
