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

__all__ = ["DEFAULT_LOCALE", "LOCALES", "babel_locale", "gettext_for", "normalize_locale"]

# Messages are written in Vietnamese in the source, so Vietnamese is always complete
# and a missing English translation falls back to Vietnamese rather than to a key.
DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")
_CATALOGUE_DIR = Path(__file__).parent.parent / "locale"
_BABEL_LOCALES = {"vi": "vi_VN", "en": "en_US"}

Translate = Callable[[str], str]


def normalize_locale(code: str | None) -> str:
    """Map a Telegram language code such as `en-GB` to one of our locales."""
    if not code:
        return DEFAULT_LOCALE
    short = code.replace("_", "-").split("-")[0].lower()
    return short if short in LOCALES else DEFAULT_LOCALE


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
