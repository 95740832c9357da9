"""Telegram keyboards for the bot's replies."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain.i18n import LOCALES, gettext_for
from bot.domain.replies import Button, Reply

__all__ = ["SUBMIT_LABELS", "inline_markup", "main_keyboard", "private_chat_button", "submit_label"]


def submit_label(locale: str) -> str:
    """The persistent button that starts a submission."""
    _ = gettext_for(locale)
    return _("📝 Nộp số liệu")


# Every language's label starts a submission, whatever the person's current language.
SUBMIT_LABELS = frozenset(submit_label(locale) for locale in LOCALES)


def main_keyboard(locale: str) -> ReplyKeyboardMarkup:
    """The keyboard that stays under the chat: «Nộp số liệu»."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(submit_label(locale))]], resize_keyboard=True, is_persistent=True
    )


def inline_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The inline buttons of a reply, if it has any."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[_button(button) for button in row] for row in reply.buttons])


def _button(button: Button) -> InlineKeyboardButton:
    if button.url:
        return InlineKeyboardButton(button.text, url=button.url)
    return InlineKeyboardButton(button.text, callback_data=button.data)


def private_chat_button(bot_username: str, locale: str) -> Button:
    """A button that opens the private chat with the bot."""
    _ = gettext_for(locale)
    return Button(_("💬 Mở trò chuyện riêng với bot"), url=f"https://t.me/{bot_username}")
