"""`/start`: join a unit by invite, open a submission from a reminder, or see what to do next."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from telegram import Update

from bot.domain.i18n import gettext_for, normalize_locale
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.keyboards import main_keyboard
from bot.flow import Conversation
from bot.handlers.common import answer_with, person_of, run_conversation
from bot.storage import once_more_if_disconnected, session_scope
from bot.storage.people import InviteOutcome, redeem_invite
from bot.storage.submissions import cluster_of_unit
from bot.storage.updates import claim_update

__all__ = ["SUBMIT_LINK", "start"]


# `https://t.me/<bot>?start=submit`: the button of the scheduler's announcements and reminders.
SUBMIT_LINK = "submit"


async def start(update: Update, context: BotContext) -> None:
    """`/start [token]`: join a unit by invite, start submitting, or learn what the bot is."""
    user = update.effective_user
    if user is None:
        return
    token = context.args[0] if context.args else None
    if token is None or token == SUBMIT_LINK:
        await run_conversation(update, context, _known_or_not(user.first_name, token))
        return
    engine, now = context.engine, context.now()

    def work() -> tuple[str, str, bool] | None:
        with session_scope(engine) as session:
            if not claim_update(session, update.update_id):
                return None  # delivered again after a crash: already answered
            person = person_of(session, user)
            locale = normalize_locale(person.language)
            outcome, unit, role = redeem_invite(session, token=token, person=person, now=now)
            if outcome is not InviteOutcome.JOINED or unit is None:
                return _refusal(outcome, locale), locale, False
            cluster = cluster_of_unit(session, unit.id or 0)
            return (
                _greeting(
                    user.first_name, unit.name, cluster.name if cluster else "", role, locale
                ),
                locale,
                True,
            )

    outcome = await asyncio.to_thread(once_more_if_disconnected, work)
    if outcome is None:
        return
    text, locale, joined = outcome
    markup = main_keyboard(locale) if joined else None
    await answer_with(update, text, reply_markup=markup)


def _known_or_not(first_name: str, token: str | None) -> Callable[[Conversation], list[Reply]]:
    """A member starts submitting (deep link) or sees what to do next; others learn the bot."""

    def step(conversation: Conversation) -> list[Reply]:
        if not conversation.is_member():
            return [Reply(_introduction(conversation.locale))]
        return conversation.begin() if token == SUBMIT_LINK else conversation.welcome(first_name)

    return step


def _introduction(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Xin chào! Đây là bot thi đua của cụm: các đơn vị nộp số liệu sơ kết, tổng kết và "
        "nhận nhắc hạn nộp tại đây.\n\n"
        "Để tham gia, hãy xin quản trị viên (Ban Thi đua – Khen thưởng) hoặc cụm trưởng một "
        "đường dẫn mời cho đơn vị của bạn, rồi bấm vào đường dẫn đó."
    )


def _refusal(outcome: InviteOutcome, locale: str) -> str:
    _ = gettext_for(locale)
    if outcome is InviteOutcome.EXPIRED:
        return _("Đường dẫn mời này đã hết hạn. Vui lòng xin quản trị viên một đường dẫn mới.")
    if outcome is InviteOutcome.USED:
        return _(
            "Đường dẫn mời này đã được dùng. Mỗi đường dẫn chỉ dùng được một lần; "
            "vui lòng xin quản trị viên một đường dẫn mới."
        )
    return _(
        "Không tìm thấy lời mời này. Hãy kiểm tra lại đường dẫn, hoặc xin quản trị viên "
        "một đường dẫn mới."
    )


def _greeting(first_name: str, unit: str, cluster: str, role: str, locale: str) -> str:
    _ = gettext_for(locale)
    role_text = _("đầu mối nộp số liệu") if role == "focal" else _("người liên hệ của cụm trưởng")
    lines = [
        _("Chào {name}! 👋").format(name=first_name),
        _("Bạn đã được ghi nhận là {role} của {unit}.").format(role=role_text, unit=unit),
    ]
    if cluster:
        lines.append(_("Cụm: {cluster}.").format(cluster=cluster))
    lines += [
        "",
        _(
            "Việc tiếp theo: bấm «Nộp số liệu» (hoặc gõ /submit) khi kỳ báo cáo mở. "
            "Gõ /status để xem hạn nộp, /help để xem hướng dẫn."
        ),
    ]
    return "\n".join(lines)
