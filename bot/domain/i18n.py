"""Translations: Vietnamese source strings, other locales from gettext catalogues."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DEFAULT_LOCALE",
    "GROUP_LOCALE",
    "LOCALES",
    "N_",
    "babel_locale",
    "first_language",
    "gettext_for",
    "group_locale",
    "known_locale",
    "normalize_locale",
    "person_locale",
]

# Messages are written in Vietnamese in the source, so Vietnamese is always complete
# and a missing English translation falls back to Vietnamese rather than to a key.
DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")
_CATALOGUE_DIR = Path(__file__).parent.parent / "locale"
_BABEL_LOCALES = {"vi": "vi_VN", "en": "en_US"}

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a text for the catalogue where it is written; it is translated where it is shown."""
    return message


def normalize_locale(code: str | None) -> str:
    """Map a Telegram language code such as `en-GB` to one of our locales."""
    return known_locale(code) or DEFAULT_LOCALE


# --- The language rule: the one place that decides who is answered in which language -----
#
# A person: their choice with /lang, else the setting's default (THIDUA_LOCALE); Telegram's app
# language counts only where THIDUA_LOCALE_FROM_TELEGRAM says so, as the first choice.
# A group: its cluster's language (Vietnamese unless the set-up file says otherwise), whoever
# asked, so that a chair who chose English never posts English into a Vietnamese group.

GROUP_LOCALE = "vi"


def known_locale(code: str | None) -> str | None:
    """One of our locales for `code`, or None when it names none."""
    if not code:
        return None
    short = code.replace("_", "-").split("-")[0].lower()
    return short if short in LOCALES else None


def person_locale(chosen: str | None, default: str) -> str:
    """A person's language: their choice, else the setting's default."""
    return known_locale(chosen) or known_locale(default) or DEFAULT_LOCALE


def group_locale(cluster_language: str | None) -> str:
    """A group's language: its cluster's (Vietnamese by default), whoever asked."""
    return known_locale(cluster_language) or GROUP_LOCALE


def first_language(telegram_code: str | None, *, from_telegram: bool) -> str | None:
    """The language a new person starts with: none (the default then applies), or their
    Telegram app's where the setting says so."""
    return known_locale(telegram_code) if from_telegram else None


@cache  # parsing a locale costs more than the formatting it serves
def babel_locale(locale: str) -> Locale:
    """The Babel locale used to format numbers and dates for one of our locales."""
    return Locale.parse(_BABEL_LOCALES[normalize_locale(locale)])


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    po_path = _CATALOGUE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po_path.exists():
        return gettext.NullTranslations()
    # Compile the .po in memory: no binary .mo files in the repository, no build step.
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(locale: str | None) -> Translate:
    """The `_` function for a locale (Vietnamese when unknown)."""
    return _translations(normalize_locale(locale)).gettext
