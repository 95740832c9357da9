"""`/start`: join a unit by invite, open a submission from a reminder, or see what to do next."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.desk.profile import profile_question
from bot.domain.admin_body import admin_body
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.turn import Turn, take_turn
from bot.flow import Conversation
from bot.handlers import rsvp
from bot.handlers.submission import converse
from bot.notices.conference_texts import RSVP_LINK
from bot.storage.people import InviteOutcome, redeem_invite
from bot.storage.submissions import cluster_of_unit

__all__ = ["SUBMIT_LINK", "start"]


# `https://t.me/<bot>?start=submit`: the button of the scheduler's announcements and reminders.
SUBMIT_LINK = "submit"


async def start(update: Update, context: BotContext) -> None:
    """`/start [token]`: join a unit by invite, start submitting, or learn what the bot is."""
    user = update.effective_user
    if user is None:
        return
    token = context.args[0] if context.args else None
    if token is not None and token.startswith(RSVP_LINK):
        await rsvp.from_link(update, context, token)
        return
    if token is None or token == SUBMIT_LINK:
        await converse(update, context, _known_or_not(user.first_name, token))
        return
    await take_turn(update, context, lambda turn: _join(turn, token, user.first_name))


def _join(turn: Turn, token: str, first_name: str) -> list[Reply]:
    """Redeem the invite: the greeting with the «Nộp số liệu» keyboard, or why not."""
    outcome, unit, role = redeem_invite(turn.session, token=token, person=turn.person, now=turn.now)
    if outcome is not InviteOutcome.JOINED or unit is None:
        return [Reply(_refusal(outcome, turn.locale))]
    cluster = cluster_of_unit(turn.session, unit.id or 0)
    greeting = _greeting(first_name, unit.name, cluster.name if cluster else "", role, turn.locale)
    replies = [Reply(greeting, main_keyboard=True)]
    if turn.person.official_name is None:  # asked once, never in the way: /profile later
        replies.append(profile_question(turn.person, turn.person.full_name, turn.locale))
    return replies


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
        "Xin chào anh/chị. Đây là bot thi đua của cụm: các đơn vị nộp số liệu sơ kết, tổng kết "
        "và nhận nhắc hạn nộp tại đây.\n\n"
        "Để tham gia, đề nghị anh/chị liên hệ quản trị viên ({body}) hoặc cụm trưởng để được "
        "cấp đường dẫn mời cho đơn vị, rồi bấm vào đường dẫn đó."
    ).format(body=admin_body())


def _refusal(outcome: InviteOutcome, locale: str) -> str:
    _ = gettext_for(locale)
    if outcome is InviteOutcome.EXPIRED:
        return _(
            "Đường dẫn mời này đã hết hạn. Đề nghị anh/chị liên hệ quản trị viên để được cấp "
            "đường dẫn mới."
        )
    if outcome is InviteOutcome.USED:
        return _(
            "Đường dẫn mời này đã được dùng. Mỗi đường dẫn chỉ dùng được một lần; đề nghị "
            "anh/chị liên hệ quản trị viên để được cấp đường dẫn mới."
        )
    return _(
        "Không tìm thấy lời mời này. Đề nghị anh/chị kiểm tra lại đường dẫn, hoặc liên hệ "
        "quản trị viên để được cấp đường dẫn mới."
    )


def _greeting(first_name: str, unit: str, cluster: str, role: str, locale: str) -> str:
    _ = gettext_for(locale)
    if role == "focal":
        joined = _("Anh/chị đã được ghi nhận là đầu mối nộp số liệu của {unit}.")
    else:
        joined = _("Anh/chị đã được ghi nhận là người liên hệ của cụm trưởng, thuộc {unit}.")
    lines = [
        _("Xin chào anh/chị {name}.").format(name=first_name),
        joined.format(unit=unit),
    ]
    if cluster:
        lines.append(_("Cụm: {cluster}.").format(cluster=cluster))
    if role == "focal":
        next_step = _(
            "Việc tiếp theo: bấm «Nộp số liệu» (hoặc gõ /submit) khi kỳ báo cáo mở. "
            "Gõ /status để xem hạn nộp, /help để xem hướng dẫn."
        )
    else:
        next_step = _(
            "Việc tiếp theo: gõ /board để xem tiến độ nộp số liệu của cụm, /summary để xem "
            "tổng hợp, /help để xem các lệnh của cụm trưởng."
        )
    lines += ["", next_step]
    return "\n".join(lines)
