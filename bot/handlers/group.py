"""Group chats: binding a group to its cluster, the board there, broadcasts to it."""

from __future__ import annotations

import logging
from enum import StrEnum

from sqlmodel import select
from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.roles import Chat
from bot.edge.context import BotContext
from bot.edge.keyboards import open_private_chat
from bot.handlers import chair
from bot.handlers.common import answer_with, locale_of
from bot.handlers.desk import Ask, Desk, Item, Prompt, Request
from bot.handlers.steps import run_step
from bot.storage import admin as store
from bot.storage import directory
from bot.storage.audit import record_event
from bot.storage.models import Cluster, GroupChat
from bot.storage.outbox import enqueue

__all__ = [
    "PRIVATE_COMMANDS",
    "BotAccess",
    "bind",
    "board",
    "broadcast",
    "private_only",
    "unbind",
]

log = logging.getLogger(__name__)

PRIVATE_COMMANDS = ("start", "submit", "status", "cancel", "lang")


class BotAccess(StrEnum):
    """What the bot may do in a group, from getChatMember."""

    CAN_POST = "can_post"
    RESTRICTED = "restricted"  # a member whose right to send messages was taken away
    MUTED_GROUP = "muted_group"  # the group lets no ordinary member send messages
    NOT_MEMBER = "not_member"
    UNKNOWN = "unknown"  # Telegram did not answer


async def private_only(update: Update, context: BotContext) -> None:
    """A private command typed in a group: a short reply with a button to the private chat."""
    locale = locale_of(update)
    _ = gettext_for(locale)
    text = _(
        "Lệnh này dùng trong trò chuyện riêng với bot, để số liệu của đơn vị không lộ ra nhóm. "
        "Bấm nút dưới đây để mở."
    )
    await answer_with(update, text, reply_markup=open_private_chat(context.bot.username, locale))


async def bind(update: Update, context: BotContext, request: Request) -> None:
    """`/bind [cluster]` in a group: check that the bot can post, then bind."""
    chat = update.effective_chat
    access = await _bot_access(context, chat.id) if chat is not None else BotAccess.UNKNOWN
    await run_step(update, context, request, lambda desk, req: _bind(desk, req, access))


async def _bot_access(context: BotContext, chat_id: int) -> BotAccess:
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
        if member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            return BotAccess.NOT_MEMBER
        if member.status == ChatMemberStatus.RESTRICTED:
            can_send = getattr(member, "can_send_messages", False)
            return BotAccess.CAN_POST if can_send else BotAccess.RESTRICTED
        if member.status == ChatMemberStatus.MEMBER:
            group = await context.bot.get_chat(chat_id)
            rights = group.permissions
            if rights is not None and rights.can_send_messages is False:
                return BotAccess.MUTED_GROUP
    except TelegramError:
        log.warning("could not check the bot's rights in a group", exc_info=True)
        return BotAccess.UNKNOWN
    return BotAccess.CAN_POST


def _bind(desk: Desk, request: Request, access: BotAccess) -> list[Item]:
    _ = desk._
    if access is not BotAccess.CAN_POST and access is not BotAccess.UNKNOWN:
        return [Reply(_cannot_post(desk, access))]
    cluster = desk.pick_cluster(request, 0, [], directory.clusters(desk.session))
    if isinstance(cluster, Ask):
        return cluster.items
    assert cluster is not None
    changed = store.bind_group(
        desk.session,
        chat_id=desk.chat_id,
        title=desk.chat_title,
        cluster=cluster,
        actor=desk.actor,
        now=desk.now,
    )
    if not changed:
        return [Reply(_("Nhóm này đã gắn với {cluster}.").format(cluster=cluster.name))]
    text = _(
        "✅ Đã gắn nhóm này với {cluster}. Bot sẽ đăng thông báo mở kỳ, nhắc hạn nộp, bảng tiến "
        "độ và tổng hợp tại đây. Gõ /board để xem tiến độ."
    ).format(cluster=cluster.name)
    if access is BotAccess.UNKNOWN:
        text += "\n" + _(
            "(Bot chưa kiểm tra được quyền của mình trong nhóm; nếu không thấy tin của bot, hãy "
            "cho bot quyền gửi tin nhắn.)"
        )
    return [Reply(text)]


def _cannot_post(desk: Desk, access: BotAccess) -> str:
    _ = desk._
    problems = {
        BotAccess.RESTRICTED: _(
            "bot đang bị hạn chế trong nhóm này: không được gửi tin nhắn. Hãy mở Quản lý nhóm → "
            "Thành viên → bot, bật quyền «Gửi tin nhắn» (hoặc đặt bot làm quản trị viên nhóm)"
        ),
        BotAccess.MUTED_GROUP: _(
            "nhóm đang tắt quyền gửi tin nhắn của thành viên. Hãy đặt bot làm quản trị viên nhóm, "
            "hoặc bật quyền «Gửi tin nhắn» cho thành viên"
        ),
        BotAccess.NOT_MEMBER: _("bot không còn là thành viên của nhóm này. Hãy thêm bot vào nhóm"),
    }
    return _("⚠️ Chưa gắn nhóm: {problem}, rồi gõ lại /bind.").format(problem=problems[access])


def unbind(desk: Desk, request: Request) -> list[Item]:
    """`/unbind` in a group: no more posts from the bot there."""
    _ = desk._
    cluster = store.unbind_group(desk.session, chat_id=desk.chat_id, actor=desk.actor)
    if cluster is None:
        return [Reply(_("Nhóm này chưa gắn với cụm nào."))]
    return [
        Reply(
            _("Đã bỏ gắn nhóm này khỏi {cluster}. Bot sẽ không đăng nhắc hạn ở đây nữa.").format(
                cluster=cluster.name
            )
        )
    ]


def board(desk: Desk, request: Request) -> list[Item]:
    """`/board`: in a bound group, its cluster's board; in private, a chair's or admin's."""
    if desk.chat is Chat.PRIVATE:
        return chair.board(desk, request)
    _ = desk._
    group = desk.session.exec(select(GroupChat).where(GroupChat.chat_id == desk.chat_id)).first()
    cluster = desk.session.get(Cluster, group.cluster_id) if group and group.cluster_id else None
    if cluster is None:
        return [
            Reply(
                _(
                    "Nhóm này chưa gắn với cụm nào. Quản trị viên gõ /bind <mã cụm> trong nhóm "
                    "để gắn."
                )
            )
        ]
    return chair.progress_board(desk, cluster, None)


def broadcast(desk: Desk, request: Request) -> list[Item]:
    """`/broadcast [cluster] [message]`: post a message in the cluster's groups."""
    _ = desk._
    cluster = desk.pick_cluster(request, 0, [], directory.clusters(desk.session))
    if isinstance(cluster, Ask):
        return cluster.items
    assert cluster is not None
    message = request.rest(1)
    if not message:
        text = _(
            "📣 Gửi thông báo tới nhóm của {cluster}. Hãy trả lời (reply) tin nhắn này bằng nội "
            "dung cần gửi, hoặc gõ lệnh dưới đây kèm nội dung:"
        ).format(cluster=cluster.name)
        return [Prompt(f"{text}\n/broadcast {cluster.code}", _("Nội dung thông báo"))]
    groups = directory.groups_of_cluster(desk.session, cluster.id or 0)
    if not groups:
        return [
            Reply(
                _(
                    "{cluster} chưa có nhóm nào gắn với bot. Trong nhóm của cụm, quản trị viên gõ "
                    "/bind {code} để gắn."
                ).format(cluster=cluster.name, code=cluster.code)
            )
        ]
    event = record_event(
        desk.session,
        actor=desk.actor,
        action="broadcast.sent",
        entity="cluster",
        entity_key=cluster.code,
        after={"text": message, "groups": [g.chat_id for g in groups]},
    )
    desk.session.flush()
    posted = _announcement(desk.settings.locale, message)
    for group in groups:
        key = f"broadcast:{cluster.id}:{event.id}:{group.chat_id}"
        enqueue(desk.session, key=key, chat_id=group.chat_id, payload={"text": posted})
    titles = ", ".join(g.title or str(g.chat_id) for g in groups)
    return [
        Reply(
            _("✅ Đã xếp hàng gửi thông báo tới: {groups}. Tin sẽ đến trong giây lát.").format(
                groups=titles
            )
        )
    ]


def _announcement(locale: str, message: str) -> str:
    """The post in the group, in the bot's own language: a group's people read different ones."""
    _ = gettext_for(locale)
    return _("📣 Thông báo từ Ban Thi đua – Khen thưởng:\n\n{message}").format(message=message)
