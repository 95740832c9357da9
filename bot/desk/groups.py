"""Binding a group chat to its cluster, and unbinding it."""

from __future__ import annotations

from enum import StrEnum

from bot.desk.pickers import pick_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.replies import Reply
from bot.edge.send import Item
from bot.storage import admin as store
from bot.storage import directory

__all__ = ["BotAccess", "bind", "unbind"]


class BotAccess(StrEnum):
    """What the bot may do in a group, from getChatMember."""

    CAN_POST = "can_post"
    RESTRICTED = "restricted"  # a member whose right to send messages was taken away
    MUTED_GROUP = "muted_group"  # the group lets no ordinary member send messages
    NOT_MEMBER = "not_member"
    UNKNOWN = "unknown"  # Telegram did not answer


def bind(desk: Desk, request: Request, access: BotAccess) -> list[Item]:
    _ = desk._
    if access is not BotAccess.CAN_POST and access is not BotAccess.UNKNOWN:
        return [Reply(_cannot_post(desk, access))]
    cluster = pick_cluster(desk, request, 0, [], directory.clusters(desk.session))
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
